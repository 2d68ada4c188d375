//! Merging the per-file log summaries of a host into a rule's log evidence,
//! each code counted only on the lines its rule's `[[log_context]]` allows.

use std::collections::HashMap;
use std::path::Path;

use super::window::TimeWindow;
use crate::evidence::open::open_evidence;
use crate::finding::{LogEvidence, LogExample, LoggedError, OutsideContext, SourceCount};
use crate::rules::spec::{LogContext, Rule};
use crate::wulog::context::has_word;
use crate::wulog::{
    self, CodeContext, CodeSummary, Hresult, LineMatch, LogEvent, LogFormat, LogStamp, LogSummary,
    LogTime, ScanOptions,
};

/// Examples kept per code across all of a host's logs.
const EXAMPLES: usize = 5;

/// True when a line (its component and whole text) is in one of `contexts`
/// (any line when there are none).
pub fn in_context(contexts: &[&LogContext], component: &str, line: &str) -> bool {
    contexts.is_empty()
        || contexts.iter().any(|c| {
            let component_ok = c.components.is_empty()
                || c.components
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(component));
            let words_ok = c.words.is_empty() || c.words.iter().any(|w| has_word(line, w));
            component_ok && words_ok
        })
}

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

/// The lines on which `rule` counts `code` (empty: every line).
fn context_of(rule: &Rule, code: Hresult) -> Vec<LineMatch> {
    rule.contexts_of(code).map(LogContext::line_match).collect()
}

/// The position in `opts.contexts` of `rule`'s context for `code`.
fn context_index(opts: &ScanOptions, rule: &Rule, code: Hresult) -> Option<usize> {
    let any_of = context_of(rule, code);
    opts.contexts
        .iter()
        .position(|c| c.any_of == any_of && c.codes.contains(&code))
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

    /// Only lines in `contexts` and in a closed `window` count: the file is
    /// read again, line by line (the scan does not know the window). Should that fail, every line counts (an alarm
    /// is never hidden). Returns the lines reporting the code in `window`.
    fn add_in_context(
        &mut self,
        s: &LogSummary,
        c: &CodeSummary,
        contexts: &[&LogContext],
        window: &TimeWindow,
    ) -> u64 {
        let mut part = Gathered::default();
        let mut in_window = 0;
        let path = Path::new(&s.path);
        let read = if s.format.is_event_log() {
            crate::eventlog::read_file(path, |ev| {
                let t = ev.time.map(crate::eventlog::summary::utc);
                if !ev.codes.contains(&c.code) || !window.contains(t.as_ref()) {
                    return;
                }
                in_window += 1;
                if in_context(contexts, &ev.component, &ev.text) {
                    part.count += 1;
                    part.times(t, t);
                    part.example(s, ev.number, t.as_ref(), &ev.line());
                }
            })
            .map(|_| ())
            .map_err(|_| ())
        } else {
            open_evidence(path).map_err(|_| ()).and_then(|(f, _)| {
                wulog::read_events(f, |ev: &LogEvent<'_>| {
                    if !ev.codes.contains(&c.code) || !window.contains(ev.time.as_ref()) {
                        return;
                    }
                    in_window += 1;
                    if in_context(contexts, &ev.component, &ev.raw) {
                        part.count += 1;
                        part.times(ev.time, ev.time);
                        part.example(s, ev.line, ev.time.as_ref(), &ev.raw);
                    }
                })
                .map(|_| ())
                .map_err(|_| ())
            })
        };
        if read.is_err() {
            self.add_all(s, c);
            return c.count;
        }
        self.count += part.count;
        self.source(s.format, part.count);
        if part.count > 0 {
            self.name = self.name.take().or_else(|| c.name.clone());
        }
        self.times(part.first, part.last);
        for ex in part.examples {
            if self.examples.len() < EXAMPLES {
                self.examples.push(ex);
            }
        }
        in_window
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
        for s in summaries {
            // Failure codes only: a success code is never an error.
            let Some(c) = s.errors.iter().find(|c| c.code == code) else {
                continue;
            };
            let context = context_index(opts, rule, code);
            if !window.is_open() || (context.is_none() && !contexts.is_empty()) {
                total += g.add_in_context(s, c, &contexts, window);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(components: &[&str], words: &[&str]) -> LogContext {
        LogContext {
            codes: vec![Hresult(0x80070002)],
            about: "BITS".into(),
            components: components.iter().map(|s| s.to_string()).collect(),
            words: words.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_context_needs_its_component_and_one_of_its_words() {
        let c = ctx(&["DnldMgr"], &["BITS"]);
        assert!(in_context(&[&c], "dnldmgr", "Failed to create BITS job"));
        assert!(!in_context(&[&c], "Handler", "Failed to create BITS job"));
        assert!(!in_context(&[&c], "DnldMgr", "Error occurred"));
        let any_component = ctx(&[], &["qmgr"]);
        assert!(in_context(&[&c, &any_component], "Misc", "qmgr.dll failed"));
    }
}
