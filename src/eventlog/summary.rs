//! Windows Update events into a [`LogSummary`], as for a text log; the
//! times are UTC. Memory is bounded by the scan options and the number of
//! distinct codes.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};

use crate::wulog::{
    CodeSummary, Encoding, Example, Hresult, InContext, LogSummary, LogTime, ScanOptions,
};

use super::event::WuEvent;
use super::totals::Totals;

pub(crate) fn utc(t: DateTime<Utc>) -> LogTime {
    LogTime::with_offset(
        t.naive_utc(),
        FixedOffset::east_opt(0).expect("zero offset"),
    )
}

pub struct Aggregator {
    opts: ScanOptions,
    first: Option<LogTime>,
    last: Option<LogTime>,
    codes: HashMap<Hresult, CodeSummary>,
    /// Reports of codes beyond `max_codes` distinct codes: counted, not kept.
    over_limit: u64,
}

/// Earlier of two optional times (a known time wins over none).
fn earlier(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() < x.sort_key() { y } else { x }),
        (x, y) => x.or(y),
    }
}

fn later(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.sort_key() > x.sort_key() { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// Counts the event in each of `opts.contexts` that names its code and
/// matches its component and text (in the same pass as the rest).
fn record_contexts(c: &mut CodeSummary, e: &WuEvent, t: Option<LogTime>, opts: &ScanOptions) {
    let mut lower: Option<String> = None;
    for (k, ctx) in opts.contexts.iter().enumerate() {
        if !ctx.codes.contains(&c.code) {
            continue;
        }
        let lower = lower.get_or_insert_with(|| e.text.to_ascii_lowercase());
        if !ctx.matches(&e.component, lower) {
            continue;
        }
        let p = match c.in_context.iter().position(|x| x.context == k) {
            Some(p) => p,
            None => {
                c.in_context.push(InContext {
                    context: k,
                    count: 0,
                    first: None,
                    last: None,
                    examples: Vec::new(),
                });
                c.in_context.len() - 1
            }
        };
        let x = &mut c.in_context[p];
        x.count += 1;
        x.first = earlier(x.first, t);
        x.last = later(x.last, t);
        if x.examples.len() < opts.examples_per_code {
            let (text, cut) = opts.cut_example(&e.line(), false);
            x.examples.push(Example {
                line: e.number,
                time: t,
                text,
                cut,
            });
        }
    }
}

impl Aggregator {
    pub fn new(opts: &ScanOptions) -> Self {
        Aggregator {
            opts: opts.clone(),
            first: None,
            last: None,
            codes: HashMap::new(),
            over_limit: 0,
        }
    }

    pub fn add(&mut self, e: &WuEvent) {
        let t = e.time.map(utc);
        self.first = earlier(self.first, t);
        self.last = later(self.last, t);
        for &code in &e.codes {
            if !self.codes.contains_key(&code)
                && self.codes.len() >= self.opts.max_codes
                && !self.opts.always_keeps(code)
            {
                self.over_limit += 1;
                continue;
            }
            let c = self.codes.entry(code).or_insert_with(|| CodeSummary {
                code,
                name: code.describe(),
                explanation: code.explanation().map(str::to_string),
                count: 0,
                first: None,
                last: None,
                first_line: e.number,
                last_line: e.number,
                components: Vec::new(),
                examples: Vec::new(),
                in_context: Vec::new(),
            });
            c.count += 1;
            if t.is_some() && earlier(c.first, t) == t {
                c.first_line = e.number;
            }
            if t.is_some() && later(c.last, t) == t {
                c.last_line = e.number;
            }
            c.first = earlier(c.first, t);
            c.last = later(c.last, t);
            if !c.components.contains(&e.component) && c.components.len() < self.opts.max_components
            {
                c.components.push(e.component.clone());
                c.components.sort();
            }
            if c.examples.len() < self.opts.examples_per_code {
                let (text, cut) = self.opts.cut_example(&e.line(), false);
                c.examples.push(Example {
                    line: e.number,
                    time: t,
                    text,
                    cut,
                });
            }
            record_contexts(c, e, t, &self.opts);
        }
    }

    pub fn finish(self, path: String, totals: &Totals) -> LogSummary {
        // Failure codes are errors; success codes (severity bit clear) apart.
        let (mut errors, mut success_codes): (Vec<CodeSummary>, Vec<CodeSummary>) =
            self.codes.into_values().partition(|c| c.code.is_failure());
        for list in [&mut errors, &mut success_codes] {
            list.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.0.cmp(&b.code.0)));
        }
        LogSummary {
            path,
            format: totals.kind.format(),
            encoding: Encoding::Utf16Le,
            lines: totals.wu_events,
            unparsed: totals.unparsed,
            unparsed_lines: Vec::new(),
            cut: 0,
            cut_lines: Vec::new(),
            first: self.first,
            last: self.last,
            errors,
            success_codes,
            codes_over_limit: self.over_limit,
            other_events: Some(totals.other_events),
        }
    }
}
