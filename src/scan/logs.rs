//! Merging the per-file log summaries of a host into a rule's log evidence.

use chrono::SecondsFormat;

use std::collections::HashMap;

use crate::finding::{LogError, LogEvidence, LogExample, SourceCount};
use crate::wulog::{Hresult, LogFormat, LogSummary, LogTime};

/// Examples kept per code across all of a host's logs.
const EXAMPLES: usize = 5;

/// True for the event-log formats (ETL, EVTX, EVT).
fn event_log(f: LogFormat) -> bool {
    matches!(f, LogFormat::Etl | LogFormat::Evtx | LogFormat::Evt)
}

fn event_log_name(f: &str) -> bool {
    matches!(f, "etl" | "evtx" | "evt")
}

/// RFC 3339: UTC with `Z` where the offset is known, else local time without offset.
pub fn render_time(t: &LogTime) -> (String, bool) {
    match t.utc() {
        Some(u) => (u.to_rfc3339_opts(SecondsFormat::Millis, true), false),
        None => (t.local.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), true),
    }
}

/// The log evidence for `codes` (as `0x` + 8 upper-case hex digits) across
/// `summaries`; `None` when the host has no readable log. `duplicates`
/// (from [`super::overlap::duplicates`]) are taken off the counts.
pub fn evidence(
    summaries: &[LogSummary],
    codes: &[&str],
    duplicates: &HashMap<Hresult, u64>,
) -> Option<LogEvidence> {
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
        let mut sources: Vec<SourceCount> = Vec::new();
        for s in summaries {
            let Some(c) = s.code(Hresult(value)) else {
                continue;
            };
            count += c.count;
            match sources.iter_mut().find(|x| x.format == s.format.as_str()) {
                Some(x) => x.count += c.count,
                None => sources.push(SourceCount {
                    format: s.format.as_str().to_string(),
                    count: c.count,
                }),
            }
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
                        source: event_log(s.format).then(|| s.format.as_str().to_string()),
                    });
                }
            }
        }
        if count == 0 {
            continue;
        }
        let local_time = first.is_some_and(|t| t.is_local());
        let dups = duplicates
            .get(&Hresult(value))
            .copied()
            .unwrap_or(0)
            .min(count);
        if !sources.iter().any(|x| event_log_name(&x.format)) {
            sources.clear();
        }
        errors.push(LogError {
            code: code.to_string(),
            name,
            count: count - dups,
            sources,
            duplicates: dups,
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
