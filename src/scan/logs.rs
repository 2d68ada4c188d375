//! Merging the per-file log summaries of a host into a rule's log evidence,
//! each code counted only on the lines its rule's `[[log_context]]` allows.

use std::collections::HashMap;

use super::context::{context_index, context_of};
use super::seen::{LogLines, Part, EXAMPLES};
use super::window::TimeWindow;
use crate::finding::{LogEvidence, LogExample, LoggedError, OutsideContext, SourceCount};
use crate::rules::spec::{LogContext, Rule};
use crate::wulog::{
    CodeContext, CodeSummary, Hresult, LogFormat, LogStamp, LogSummary, LogTime, ScanOptions,
};

/// The scan options for logs judged by `rules`: every rule's code kept
/// whatever the number of distinct codes, and each restricted code's
/// context matched in the same pass.
pub fn scan_options(rules: &[Rule]) -> ScanOptions {
    let mut opts = ScanOptions::default();
    for rule in rules {
        for &code in &rule.codes {
            if !opts.always_keep.contains(&code) {
                opts.always_keep.push(code);
            }
            let any_of = context_of(rule, code);
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
                time: time.copied().map(LogStamp::from),
                text: text.to_string(),
                source: s.format.is_event_log().then_some(s.format),
            });
        }
    }

    fn source(&mut self, format: LogFormat, count: u64) {
        if count == 0 {
            return;
        }
        match self.sources.iter_mut().find(|x| x.format == format) {
            Some(x) => x.count += count,
            None => self.sources.push(SourceCount { format, count }),
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

    /// Only the lines in the context count, as the scan recorded them.
    fn add_scanned(&mut self, s: &LogSummary, c: &CodeSummary, context: usize) {
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

    /// Only lines in the rule's contexts and in a closed window count, as
    /// the scan kept them (`part`: `Some(None)` when the file has none;
    /// `None` when the scan did not keep them: then every line counts, so
    /// that an alarm is never hidden). Returns the lines reporting the code
    /// in the window.
    fn add_seen(&mut self, s: &LogSummary, c: &CodeSummary, part: Option<Option<&Part>>) -> u64 {
        let Some(part) = part else {
            self.add_all(s, c);
            return c.count;
        };
        let Some(part) = part else { return 0 };
        self.count += part.count;
        self.source(s.format, part.count);
        if part.count > 0 {
            self.name = self.name.take().or_else(|| c.name.clone());
        }
        self.times(part.first, part.last);
        for (line, time, text) in &part.examples {
            self.example(s, *line, time.as_ref(), text);
        }
        part.in_window
    }
}

/// The log evidence for `rule`'s codes across `summaries` (scanned with
/// `opts`, made by [`scan_options`] for a rule set holding `rule`); `None`
/// when the host has no readable log. Codes on lines outside the rule's context are
/// listed in `outside_context`, not in `errors`.
///
/// `duplicates` (from [`super::overlap::duplicates`]) are taken off the
/// counts: one failure recorded by a text log and an event log counts once.
/// Only lines in `window` count; with a window, `duplicates` (counted over
/// whole files) are not taken off, so that no error in it is hidden.
pub fn evidence(
    summaries: &[LogSummary],
    lines: &[LogLines],
    rule: &Rule,
    opts: &ScanOptions,
    duplicates: &HashMap<Hresult, u64>,
    window: &TimeWindow,
) -> Option<LogEvidence> {
    if summaries.is_empty() {
        return None;
    }
    let mut errors = Vec::new();
    let mut outside_context = Vec::new();
    for &code in &rule.codes {
        let contexts: Vec<&LogContext> = rule.contexts_of(code).collect();
        let mut g = Gathered::default();
        let mut total = 0;
        for (i, s) in summaries.iter().enumerate() {
            // Failure codes only: a success code is never an error.
            let Some(c) = s.errors.iter().find(|c| c.code == code) else {
                continue;
            };
            let context = context_index(opts, rule, code);
            if !window.is_open() || (context.is_none() && !contexts.is_empty()) {
                let part = lines.get(i).and_then(|l| l.part_of(&rule.id, code));
                total += g.add_seen(s, c, part);
            } else {
                total += c.count;
                match context {
                    Some(k) => g.add_scanned(s, c, k),
                    None => g.add_all(s, c),
                }
            }
        }
        if total > g.count {
            let mut abouts: Vec<&str> = contexts.iter().map(|c| c.about.as_str()).collect();
            abouts.dedup();
            outside_context.push(OutsideContext {
                code,
                count: total - g.count,
                about: abouts.join(" or "),
            });
        }
        if g.count == 0 {
            continue;
        }
        let dups = duplicates
            .get(&code)
            .copied()
            .filter(|_| window.is_open())
            .unwrap_or(0)
            .min(g.count);
        let mut sources = g.sources;
        if !sources.iter().any(|x| x.format.is_event_log()) {
            sources.clear();
        }
        errors.push(LoggedError {
            code,
            name: g.name,
            count: g.count - dups,
            sources,
            duplicates: dups,
            first: g.first.map(LogStamp::from),
            last: g.last.map(LogStamp::from),
            local_time: g.first.is_some_and(|t| t.is_local()),
            first_offset: g.first.and_then(|t| t.offset),
            last_offset: g.last.and_then(|t| t.offset),
            examples: g.examples,
        });
    }
    Some(LogEvidence {
        files: summaries.iter().map(|s| s.path.clone()).collect(),
        errors,
        outside_context,
    })
}
