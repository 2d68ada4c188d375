//! What the scan of a log keeps of the lines that carry a code some rule
//! names, for what the file's summary cannot answer: the counts in a closed
//! time window, the host's error occurrences (timelines, per-day counts,
//! Timesketch events) and the times of failures that two kinds of source
//! may both record. Gathered in the pass that summarises the file (see
//! [`crate::wulog::scan_reader_seeing`]), so that no log is read twice;
//! bounded per file and per host whatever the files hold.

use std::cell::Cell;

use super::context::{context_index, context_of};
use super::occurrences::FileGatherer;
use super::window::TimeWindow;
use crate::rules::spec::Rule;
use crate::wulog::{CodeContext, CodedLine, Hresult, LogFormat, LogTime, ScanOptions};

/// Occurrences of one code kept for matching across sources (see `overlap`).
pub(super) const MAX_OCCURRENCES: usize = 100_000;

/// The kind of a source, in the order occurrences are matched: text logs,
/// ETL traces, EVTX, EVT.
pub(super) fn kind(f: LogFormat) -> u8 {
    match f {
        LogFormat::Etl => 1,
        LogFormat::Evtx => 2,
        LogFormat::Evt => 3,
        _ => 0,
    }
}

/// One occurrence's time: whole seconds (UTC, or local wall clock) and
/// whether local.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    pub secs: i64,
    pub local: bool,
}

impl At {
    /// A line's time: UTC where its offset is known, else its wall clock.
    pub(super) fn of(t: &LogTime) -> Self {
        match t.utc() {
            Some(u) => At {
                secs: u.timestamp(),
                local: false,
            },
            None => At {
                secs: t.local.and_utc().timestamp(),
                local: true,
            },
        }
    }
}

/// The rules counting a code, each with the lines it counts the code on
/// (`None`: every line), matched as the scan matches contexts.
type Users = Vec<(String, Option<CodeContext>)>;

/// Examples kept per rule and code in a window.
pub(super) const EXAMPLES: usize = 5;
/// Occurrence times kept per host for matching across sources, all codes
/// and files together; codes past it are not de-duplicated (nothing is
/// hidden).
const MAX_TIMES_PER_HOST: usize = 1_000_000;

/// What a host's logs are watched for: the rules' failure codes, each with
/// the rules counting it and their contexts for it.
#[derive(Debug, Default)]
pub struct Watch {
    /// Per code, the rules counting it and their contexts (a few codes:
    /// looked up by a scan, not hashed).
    by_code: Vec<(Hresult, Users)>,
    /// The scan's options (examples are cut as its examples are).
    opts: ScanOptions,
    /// Times still kept for matching across sources, in this host.
    times_left: Cell<usize>,
    window: TimeWindow,
    /// Keep per rule and code what a line-by-line count needs.
    parts: bool,
    /// Gather occurrences, keeping at most this many per host.
    occurrences: Option<usize>,
    /// Keep the times of the lines, for matching across kinds of source.
    times: bool,
}

impl Watch {
    /// The watch for `rules`, whose logs are scanned with `opts` (made by
    /// `logs::scan_options` for them): with a closed `window`, or a context
    /// the options lack, the rules' counts are kept line by line.
    pub(super) fn new(
        rules: &[Rule],
        opts: &ScanOptions,
        window: TimeWindow,
        occurrences: Option<usize>,
    ) -> Self {
        let mut by_code: Vec<(Hresult, Users)> = Vec::new();
        let mut unscanned_context = false;
        for rule in rules {
            for &code in rule.codes.iter().filter(|c| c.is_failure()) {
                let any_of = context_of(rule, code);
                unscanned_context |=
                    !any_of.is_empty() && context_index(opts, rule, code).is_none();
                let contexts = (!any_of.is_empty()).then(|| CodeContext {
                    codes: vec![code],
                    any_of,
                });
                let users = match by_code.iter().position(|(c, _)| *c == code) {
                    Some(i) => &mut by_code[i].1,
                    None => {
                        by_code.push((code, Vec::new()));
                        &mut by_code.last_mut().expect("just pushed").1
                    }
                };
                users.push((rule.id.clone(), contexts));
            }
        }
        Watch {
            by_code,
            opts: opts.clone(),
            times_left: Cell::new(MAX_TIMES_PER_HOST),
            window,
            parts: !window.is_open() || unscanned_context,
            occurrences,
            times: true,
        }
    }

    /// The watch, keeping lines' times only when the host may hold two
    /// kinds of source (`event_logs`: an event log may be among its files).
    pub(super) fn matching_sources(self, event_logs: bool) -> Self {
        Watch {
            times: event_logs,
            ..self
        }
    }

    /// True when nothing is gathered from the lines: the scan need not
    /// hand them over.
    pub(crate) fn is_idle(&self) -> bool {
        !self.parts && self.occurrences.is_none() && !self.times
    }

    /// What is kept of one file, `path`, in format `format` (as far as known
    /// before reading: text logs are all one kind of source).
    pub(super) fn file(&self, path: &str, format: Option<LogFormat>) -> LogLines {
        LogLines {
            kind: kind(format.unwrap_or(LogFormat::Unknown)),
            parts_kept: self.parts,
            parts: Vec::new(),
            occurrences: self.occurrences.map(|cap| FileGatherer::new(path, cap)),
            times: Vec::new(),
            overflowed: Vec::new(),
        }
    }
}

/// One rule's lines of one code in a closed window, in one file.
#[derive(Debug, Default)]
pub(super) struct Part {
    /// Lines in the window and in the rule's context.
    pub count: u64,
    /// Lines in the window, in the context or not.
    pub in_window: u64,
    pub first: Option<LogTime>,
    pub last: Option<LogTime>,
    /// The first lines counted: number, time, text (cut as the scan's
    /// examples are).
    pub examples: Vec<(u64, Option<LogTime>, String)>,
}

impl Part {
    fn add(&mut self, line: &CodedLine<'_>, opts: &ScanOptions) {
        self.count += 1;
        if let Some(t) = line.time {
            if self.first.is_none_or(|f| t.sort_key() < f.sort_key()) {
                self.first = Some(t);
            }
            if self.last.is_none_or(|l| t.sort_key() > l.sort_key()) {
                self.last = Some(t);
            }
        }
        if self.examples.len() < EXAMPLES {
            let (text, _) = opts.cut_example(&line.shown(), line.cut);
            self.examples.push((line.number, line.time, text));
        }
    }
}

/// What the scan of one log kept of its lines holding a watched code.
#[derive(Debug)]
pub struct LogLines {
    /// The kind of source, for matching across kinds.
    kind: u8,
    parts_kept: bool,
    parts: Vec<(String, Hresult, Part)>,
    pub(super) occurrences: Option<FileGatherer>,
    /// Per code, the times of the lines reporting it.
    times: Vec<(Hresult, Vec<At>)>,
    overflowed: Vec<Hresult>,
}

impl LogLines {
    /// Takes in one line holding a code of `watch`.
    pub(super) fn see(&mut self, watch: &Watch, line: &CodedLine<'_>) {
        // Decoded (and lower-cased) once, for the first context looked at.
        let text = std::cell::OnceCell::new();
        let text = || text.get_or_init(|| (line.component(), line.context().to_ascii_lowercase()));
        let in_window = watch.window.contains(line.time.as_ref());
        let mut counted: Vec<Hresult> = Vec::new();
        let mut rules: Vec<String> = Vec::new();
        for &code in line.codes {
            let Some((_, users)) = watch.by_code.iter().find(|(c, _)| *c == code) else {
                continue;
            };
            if watch.times {
                self.time(code, line.time, &watch.times_left);
            }
            if !in_window || !(self.parts_kept || self.occurrences.is_some()) {
                continue;
            }
            for (rule, contexts) in users {
                let inside = contexts.as_ref().is_none_or(|c| {
                    let (component, lower) = text();
                    c.matches(component, lower)
                });
                if self.parts_kept {
                    let part = self.part(rule, code);
                    part.in_window += 1;
                    if inside {
                        part.add(line, &watch.opts);
                    }
                }
                if inside {
                    if !counted.contains(&code) {
                        counted.push(code);
                    }
                    if !rules.contains(rule) {
                        rules.push(rule.clone());
                    }
                }
            }
        }
        if let Some(g) = &mut self.occurrences {
            if !counted.is_empty() {
                g.add(line, counted, rules);
            }
        }
    }

    fn part(&mut self, rule: &str, code: Hresult) -> &mut Part {
        let i = match self
            .parts
            .iter()
            .position(|(r, c, _)| *c == code && r == rule)
        {
            Some(i) => i,
            None => {
                self.parts.push((rule.to_string(), code, Part::default()));
                self.parts.len() - 1
            }
        };
        &mut self.parts[i].2
    }

    /// Keeps the time of a line reporting `code`, for matching across sources.
    fn time(&mut self, code: Hresult, time: Option<LogTime>, left: &Cell<usize>) {
        let Some(t) = time else { return };
        if self.overflowed.contains(&code) {
            return;
        }
        let i = match self.times.iter().position(|(c, _)| *c == code) {
            Some(i) => i,
            None => {
                self.times.push((code, Vec::new()));
                self.times.len() - 1
            }
        };
        let list = &mut self.times[i].1;
        if list.len() >= MAX_OCCURRENCES || left.get() == 0 {
            left.set(left.get() + list.len());
            self.times.swap_remove(i);
            self.overflowed.push(code);
            return;
        }
        list.push(At::of(&t));
        left.set(left.get() - 1);
    }

    /// The rule's lines of `code` in the window; `None` when they were not
    /// kept (the scan was not asked to).
    pub(super) fn part_of(&self, rule: &str, code: Hresult) -> Option<Option<&Part>> {
        self.parts_kept.then(|| {
            self.parts
                .iter()
                .find(|(r, c, _)| *c == code && r == rule)
                .map(|(_, _, p)| p)
        })
    }

    /// The kind of source.
    pub(super) fn kind(&self) -> u8 {
        self.kind
    }

    /// The times of `code`'s lines; `None` when past the limit.
    pub(super) fn times(&self, code: Hresult) -> Option<&[At]> {
        if self.overflowed.contains(&code) {
            return None;
        }
        let list = self.times.iter().find(|(c, _)| *c == code);
        Some(list.map_or(&[], |(_, v)| v.as_slice()))
    }
}
