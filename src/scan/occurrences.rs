//! A host's error occurrences: every log line or event-log record that a
//! finding counts as evidence, once whatever the number of rules counting
//! it, for timelines and per-day counts. Gathered after the rules, by
//! reading the logs that hold counted codes once more; bounded by a cap per
//! host. A failure that a text log and an event log both record is two
//! occurrences (one per source).

use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::logs::in_context;
use super::window::TimeWindow;
use crate::finding::Finding;
use crate::rules::spec::{LogContext, Rule};
use crate::wulog::{self, Hresult, LogEvent, LogStamp, LogSummary, LogTime};

/// Longest line text kept with an occurrence, in bytes.
pub const TEXT_BYTES: usize = 300;
/// Distinct days counted per host; occurrences on further days are
/// counted in `Occurrences::total` only.
pub const MAX_DAYS: usize = 4096;

/// One log line reporting errors a finding counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The line's time: UTC, or local time of unknown offset.
    pub time: LogStamp,
    /// The log file.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// The counted codes on the line.
    pub codes: Vec<Hresult>,
    /// The rules whose evidence the line is.
    pub rules: Vec<String>,
    /// The line, cut to `TEXT_BYTES`.
    pub text: String,
}

/// A host's occurrences: the earliest `cap` timed ones, sorted by time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Occurrences {
    /// The occurrences kept, by time.
    pub kept: Vec<Occurrence>,
    /// Counted lines in the window, timed or not, kept or not.
    pub total: u64,
    /// Counted lines without a time (never kept: they have no place on a timeline).
    pub untimed: u64,
    /// Timed lines beyond the cap (the latest ones).
    pub left_out: u64,
    /// Counted lines per day (UTC where the offset is known, else local).
    pub days: BTreeMap<NaiveDate, u64>,
}

/// The codes each finding counts, with the rule's contexts for them.
struct Counted<'a> {
    by_code: HashMap<Hresult, Vec<(&'a str, Vec<&'a LogContext>)>>,
}

impl<'a> Counted<'a> {
    fn new(rules: &'a [Rule], findings: &'a [Finding]) -> Self {
        let mut by_code: HashMap<Hresult, Vec<(&str, Vec<&LogContext>)>> = HashMap::new();
        for f in findings {
            let Some(rule) = rules.iter().find(|r| r.id == f.rule) else {
                continue;
            };
            for e in f.log.iter().flat_map(|l| &l.errors) {
                let contexts = rule.contexts_of(e.code).collect();
                by_code
                    .entry(e.code)
                    .or_default()
                    .push((f.rule.as_str(), contexts));
            }
        }
        Self { by_code }
    }

    /// The counted codes of a line (or event) and the rules counting them.
    fn of(&self, ev: &Line<'_>) -> Option<(Vec<Hresult>, Vec<String>)> {
        let (mut codes, mut rules) = (Vec::new(), Vec::new());
        for code in ev.codes {
            let Some(users) = self.by_code.get(code) else {
                continue;
            };
            let mut counted = false;
            for (rule, contexts) in users {
                if in_context(contexts, ev.component, ev.context) {
                    counted = true;
                    if !rules.iter().any(|r| r == rule) {
                        rules.push(rule.to_string());
                    }
                }
            }
            if counted && !codes.contains(code) {
                codes.push(*code);
            }
        }
        (!codes.is_empty()).then_some((codes, rules))
    }
}

/// `text` cut to at most `max` bytes at a character boundary, marked `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A log line or event, as the gathering sees it.
struct Line<'a> {
    number: u64,
    time: Option<LogTime>,
    codes: &'a [Hresult],
    component: &'a str,
    /// The text a rule's context words are looked for in.
    context: &'a str,
    /// The text shown.
    text: &'a str,
}

/// An occurrence ordered by time, then file, then line (for the heap).
struct Keyed(NaiveDateTime, usize, Occurrence);

impl PartialEq for Keyed {
    fn eq(&self, o: &Self) -> bool {
        (self.0, self.1, self.2.line) == (o.0, o.1, o.2.line)
    }
}
impl Eq for Keyed {}
impl PartialOrd for Keyed {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Keyed {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.0, self.1, self.2.line).cmp(&(o.0, o.1, o.2.line))
    }
}

/// Gathers lines into `Occurrences`, keeping the earliest `cap`.
struct Gatherer<'a> {
    counted: Counted<'a>,
    window: &'a TimeWindow,
    cap: usize,
    out: Occurrences,
    heap: BinaryHeap<Keyed>,
}

impl Gatherer<'_> {
    fn line(&mut self, index: usize, file: &str, ev: &Line<'_>) {
        if ev.codes.is_empty() || !self.window.contains(ev.time.as_ref()) {
            return;
        }
        let Some((codes, rules)) = self.counted.of(ev) else {
            return;
        };
        let out = &mut self.out;
        out.total += 1;
        let Some(t) = ev.time else {
            out.untimed += 1;
            return;
        };
        let key = t.sort_key();
        let day = key.date();
        if out.days.len() < MAX_DAYS || out.days.contains_key(&day) {
            *out.days.entry(day).or_default() += 1;
        }
        let full = self.heap.len() >= self.cap;
        if full && self.heap.peek().is_none_or(|top| top.0 <= key) {
            out.left_out += 1;
            return;
        }
        let occurrence = Occurrence {
            time: LogStamp::from(t),
            file: file.to_string(),
            line: ev.number,
            codes,
            rules,
            text: cut(ev.text, TEXT_BYTES),
        };
        self.heap.push(Keyed(key, index, occurrence));
        if self.heap.len() > self.cap {
            self.heap.pop();
            out.left_out += 1;
        }
    }
}

/// Reads the logs (text and event logs) that hold codes the findings count
/// and gathers the counted lines and events in `window`, keeping at most
/// `cap` of them. A file that cannot be read again adds nothing.
pub fn gather(
    summaries: &[LogSummary],
    rules: &[Rule],
    findings: &[Finding],
    window: &TimeWindow,
    cap: usize,
) -> Occurrences {
    let mut g = Gatherer {
        counted: Counted::new(rules, findings),
        window,
        cap,
        out: Occurrences::default(),
        heap: BinaryHeap::new(),
    };
    for (index, s) in summaries.iter().enumerate() {
        if !s
            .errors
            .iter()
            .any(|c| g.counted.by_code.contains_key(&c.code))
        {
            continue;
        }
        let path = Path::new(&s.path);
        if s.format.is_event_log() {
            let _ = crate::eventlog::read_file(path, |ev| {
                let text = ev.line();
                let line = Line {
                    number: ev.number,
                    time: ev.time.map(crate::eventlog::summary::utc),
                    codes: &ev.codes,
                    component: &ev.component,
                    context: &ev.text,
                    text: &text,
                };
                g.line(index, &s.path, &line);
            });
            continue;
        }
        let Ok((file, _)) = crate::evidence::open::open_evidence(path) else {
            continue;
        };
        let _ = wulog::read_events(file, |ev: &LogEvent<'_>| {
            let line = Line {
                number: ev.line,
                time: ev.time,
                codes: ev.codes,
                component: &ev.component,
                context: &ev.raw,
                text: &ev.raw,
            };
            g.line(index, &s.path, &line);
        });
    }
    g.out.kept = g.heap.into_sorted_vec().into_iter().map(|k| k.2).collect();
    g.out
}
