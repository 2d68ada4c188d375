//! Merging the per-file log summaries of a host into a rule's log evidence,
//! each code counted only on the lines its rule's `[[log_context]]` allows.

use chrono::SecondsFormat;

use crate::finding::{LogError, LogEvidence, LogExample, OutsideContext};
use crate::rules::spec::{Code, LogContext, Rule};
use crate::wulog::{
    CodeContext, CodeSummary, Hresult, LineMatch, LogSummary, LogTime, ScanOptions,
};

/// Examples kept per code across all of a host's logs.
const EXAMPLES: usize = 5;

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

    fn example(&mut self, file: &str, line: u64, time: Option<&LogTime>, text: &str) {
        if self.examples.len() < EXAMPLES {
            self.examples.push(LogExample {
                file: file.to_string(),
                line,
                time: time.map(|t| render_time(t).0),
                text: text.to_string(),
            });
        }
    }

    /// Every line of the file's summary counts.
    fn add_all(&mut self, s: &LogSummary, c: &CodeSummary) {
        self.count += c.count;
        self.name = self.name.take().or_else(|| c.name.clone());
        self.times(c.first, c.last);
        for ex in &c.examples {
            self.example(&s.path, ex.line, ex.time.as_ref(), &ex.text);
        }
    }

    /// Only the lines in the context count (recorded by the scan).
    fn add_in_context(&mut self, s: &LogSummary, c: &CodeSummary, context: usize) {
        let Some(part) = c.in_context.iter().find(|p| p.context == context) else {
            return;
        };
        self.count += part.count;
        if part.count > 0 {
            self.name = self.name.take().or_else(|| c.name.clone());
        }
        self.times(part.first, part.last);
        for ex in &part.examples {
            self.example(&s.path, ex.line, ex.time.as_ref(), &ex.text);
        }
    }
}

/// The log evidence for `rule`'s codes across `summaries` (scanned with
/// `opts`, made by [`scan_options`] for a rule set holding `rule`); `None`
/// when the host has no readable log. Codes on lines outside the rule's
/// context are listed in `outside_context`, not in `errors`.
pub fn evidence(summaries: &[LogSummary], rule: &Rule, opts: &ScanOptions) -> Option<LogEvidence> {
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
        errors.push(LogError {
            code,
            name: g.name,
            count: g.count,
            first: g.first.as_ref().map(|t| render_time(t).0),
            last: g.last.as_ref().map(|t| render_time(t).0),
            local_time: g.first.is_some_and(|t| t.is_local()),
            examples: g.examples,
        });
    }
    Some(LogEvidence {
        files: summaries.iter().map(|s| s.path.clone()).collect(),
        errors,
        outside_context,
    })
}
