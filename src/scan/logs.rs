//! Merging the per-file log summaries of a host into a rule's log evidence.

use chrono::SecondsFormat;

use crate::finding::{LogError, LogEvidence, LogExample};
use crate::wulog::{Hresult, LogSummary, LogTime};

/// Examples kept per code across all of a host's logs.
const EXAMPLES: usize = 5;

/// RFC 3339: UTC with `Z` where the offset is known, else local time without offset.
pub fn render_time(t: &LogTime) -> (String, bool) {
    match t.utc() {
        Some(u) => (u.to_rfc3339_opts(SecondsFormat::Millis, true), false),
        None => (t.local.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), true),
    }
}

/// The log evidence for `codes` (as `0x` + 8 upper-case hex digits) across
/// `summaries`; `None` when the host has no readable log.
pub fn evidence(summaries: &[LogSummary], codes: &[&str]) -> Option<LogEvidence> {
    if summaries.is_empty() {
        return None;
    }
    let mut errors = Vec::new();
    for code in codes {
        let value = u32::from_str_radix(code.trim_start_matches("0x"), 16).ok()?;
        let mut count = 0;
        let mut first: Option<LogTime> = None;
        let mut last: Option<LogTime> = None;
        let mut name = None;
        let mut examples = Vec::new();
        for s in summaries {
            // Failure codes only: a success code is never an error.
            let Some(c) = s.errors.iter().find(|c| c.code == Hresult(value)) else {
                continue;
            };
            count += c.count;
            name = name.or_else(|| c.name.clone());
            if let Some(t) = c.first {
                if first.is_none_or(|f| t.sort_key() < f.sort_key()) {
                    first = Some(t);
                }
            }
            if let Some(t) = c.last {
                if last.is_none_or(|l| t.sort_key() > l.sort_key()) {
                    last = Some(t);
                }
            }
            for ex in &c.examples {
                if examples.len() < EXAMPLES {
                    examples.push(LogExample {
                        file: s.path.clone(),
                        line: ex.line,
                        time: ex.time.as_ref().map(|t| render_time(t).0),
                        text: ex.text.clone(),
                    });
                }
            }
        }
        if count == 0 {
            continue;
        }
        let local_time = first.is_some_and(|t| t.is_local());
        errors.push(LogError {
            code: code.to_string(),
            name,
            count,
            first: first.as_ref().map(|t| render_time(t).0),
            last: last.as_ref().map(|t| render_time(t).0),
            local_time,
            examples,
        });
    }
    Some(LogEvidence {
        files: summaries.iter().map(|s| s.path.clone()).collect(),
        errors,
    })
}
