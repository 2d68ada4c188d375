//! Merging the per-file log summaries of a host into a rule's log evidence,
//! each code counted only on the lines its rule's `[[log_context]]` allows.

use chrono::SecondsFormat;

use std::collections::HashMap;

use crate::finding::{LogError, LogEvidence, LogExample, OutsideContext, SourceCount};
use crate::rules::spec::{Code, LogContext, Rule};
use crate::wulog::{
    CodeContext, CodeSummary, Hresult, LineMatch, LogFormat, LogSummary, LogTime, ScanOptions,
};

/// Examples kept per code across all of a host's logs.
const EXAMPLES: usize = 5;

/// True for the event-log formats (ETL, EVTX, EVT).
fn event_log(f: LogFormat) -> bool {
    matches!(f, LogFormat::Etl | LogFormat::Evtx | LogFormat::Evt)
}

/// RFC 3339: UTC with `Z` where the offset is known, else local time without offset.
pub fn render_time(t: &LogTime) -> (String, bool) {
    match t.utc() {
        Some(u) => (u.to_rfc3339_opts(SecondsFormat::Millis, true), false),
        None => (t.local.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), true),
    }
}

/// The scan options for logs judged by `rules`: every rule's code kept
/// whatever the number of distinct codes, and each restricted code's
/// context matched in the same pass.
pub fn scan_options(rules: &[Rule]) -> ScanOptions {
    let mut opts = ScanOptions::default();
    for rule in rules {
        for &Code(value) in &rule.codes {
            let code = Hresult(value);
            if !opts.always_keep.contains(&code) {
                opts.always_keep.push(code);
            }
            let any_of = context_of(rule, Code(value));
            if any_of.is_empty() {
                continue;
            }
            match opts.contexts.iter_mut().find(|c| c.any_of == any_of) {
                Some(c) if c.codes.contains(&code) => {}
                Some(c) => c.codes.push(code),
                None => opts.contexts.push(CodeContext {
                    codes: vec![code],
                    any_of,
                }),
            }
        }
    }
    opts
}

/// The lines on which `rule` counts `code` (empty: every line).
fn context_of(rule: &Rule, code: Code) -> Vec<LineMatch> {
    rule.contexts_of(code).map(LogContext::line_match).collect()
}

/// The position in `opts.contexts` of `rule`'s context for `code`.
fn context_index(opts: &ScanOptions, rule: &Rule, code: Code) -> Option<usize> {
    let any_of = context_of(rule, code);
    opts.contexts
        .iter()
        .position(|c| c.any_of == any_of && c.codes.contains(&Hresult(code.0)))
}

/// One code's evidence gathered across files.
#[derive(Default)]
struct Gathered {
    count: u64,
    first: Option<LogTime>,
    last: Option<LogTime>,
    name: Option<String>,
    examples: Vec<LogExample>,
    /// Counts per kind of source (`classic`, `etl`, `evtx` …).
    sources: Vec<SourceCount>,
}

impl Gathered {
    fn times(&mut self, first: Option<LogTime>, last: Option<LogTime>) {
        if let Some(t) = first {
            if self.first.is_none_or(|f| t.sort_key() < f.sort_key()) {
                self.first = Some(t);
            }
        }
        if let Some(t) = last {
            if self.last.is_none_or(|l| t.sort_key() > l.sort_key()) {
                self.last = Some(t);
            }
        }
    }

    fn example(&mut self, s: &LogSummary, line: u64, time: Option<&LogTime>, text: &str) {
        if self.examples.len() < EXAMPLES {
            self.examples.push(LogExample {
                file: s.path.clone(),
                line,
                time: time.map(|t| render_time(t).0),
                text: text.to_string(),
                source: event_log(s.format).then(|| s.format.as_str().to_string()),
            });
        }
    }

    fn source(&mut self, format: LogFormat, count: u64) {
        if count == 0 {
            return;
        }
        match self
            .sources
            .iter_mut()
            .find(|x| x.format == format.as_str())
        {
            Some(x) => x.count += count,
            None => self.sources.push(SourceCount {
                format: format.as_str().to_string(),
                count,
            }),
        }
    }

    /// Every line of the file's summary counts.
    fn add_all(&mut self, s: &LogSummary, c: &CodeSummary) {
        self.count += c.count;
        self.source(s.format, c.count);
        self.name = self.name.take().or_else(|| c.name.clone());
        self.times(c.first, c.last);
        for ex in &c.examples {
            self.example(s, ex.line, ex.time.as_ref(), &ex.text);
        }
    }

    /// Only the lines in the context count (recorded by the scan).
    fn add_in_context(&mut self, s: &LogSummary, c: &CodeSummary, context: usize) {
        let Some(part) = c.in_context.iter().find(|p| p.context == context) else {
            return;
        };
        self.count += part.count;
        self.source(s.format, part.count);
        if part.count > 0 {
            self.name = self.name.take().or_else(|| c.name.clone());
        }
        self.times(part.first, part.last);
        for ex in &part.examples {
            self.example(s, ex.line, ex.time.as_ref(), &ex.text);
        }
    }
}

/// The log evidence for `rule`'s codes across `summaries` (scanned with
/// `opts`, made by [`scan_options`] for a rule set holding `rule`); `None`
/// when the host has no readable log. Codes on lines outside the rule's
/// context are listed in `outside_context`, not in `errors`.
///
/// `duplicates` (from [`super::overlap::duplicates`]) are taken off the
/// counts: one failure recorded by a text log and an event log counts once.
pub fn evidence(
    summaries: &[LogSummary],
    rule: &Rule,
    opts: &ScanOptions,
    duplicates: &HashMap<Hresult, u64>,
) -> Option<LogEvidence> {
    if summaries.is_empty() {
        return None;
    }
    let mut errors = Vec::new();
    let mut outside_context = Vec::new();
    for &Code(value) in &rule.codes {
        let code = format!("0x{value:08X}");
        let contexts: Vec<&LogContext> = rule.contexts_of(Code(value)).collect();
        let context = context_index(opts, rule, Code(value));
        let mut g = Gathered::default();
        let mut total = 0;
        for s in summaries {
            // Failure codes only: a success code is never an error.
            let Some(c) = s.errors.iter().find(|c| c.code == Hresult(value)) else {
                continue;
            };
            total += c.count;
            match context {
                Some(k) => g.add_in_context(s, c, k),
                // A rule whose context the scan did not match: every line
                // counts (an alarm is never hidden).
                None => g.add_all(s, c),
            }
        }
        if total > g.count {
            let mut abouts: Vec<&str> = contexts.iter().map(|c| c.about.as_str()).collect();
            abouts.dedup();
            outside_context.push(OutsideContext {
                code: code.clone(),
                count: total - g.count,
                about: abouts.join(" or "),
            });
        }
        if g.count == 0 {
            continue;
        }
        let dups = duplicates
            .get(&Hresult(value))
            .copied()
            .unwrap_or(0)
            .min(g.count);
        let mut sources = g.sources;
        if !sources
            .iter()
            .any(|x| matches!(x.format.as_str(), "etl" | "evtx" | "evt"))
        {
            sources.clear();
        }
        errors.push(LogError {
            code,
            name: g.name,
            count: g.count - dups,
            sources,
            duplicates: dups,
            first: g.first.as_ref().map(|t| render_time(t).0),
            last: g.last.as_ref().map(|t| render_time(t).0),
            local_time: g.first.is_some_and(|t| t.is_local()),
            first_offset: g.first.and_then(|t| t.offset).map(|o| o.to_string()),
            last_offset: g.last.and_then(|t| t.offset).map(|o| o.to_string()),
            examples: g.examples,
        });
    }
    Some(LogEvidence {
        files: summaries.iter().map(|s| s.path.clone()).collect(),
        errors,
        outside_context,
    })
}
