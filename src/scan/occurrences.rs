//! A host's error occurrences: every log line or event-log record that a
//! finding counts as evidence, once whatever the number of rules counting
//! it, for timelines and per-day counts. Gathered in the pass that scans
//! each log (a line counts when it reports a rule's code in the rule's
//! context and in the time window: exactly the lines the findings count);
//! bounded by a cap per host. A failure that a text log and an event log
//! both record is two occurrences (one per source).

use std::collections::{BTreeMap, BinaryHeap};

use chrono::{NaiveDate, NaiveDateTime};

use crate::wulog::{CodedLine, Hresult, LogStamp};

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

/// Adds `n` lines on `day`, unless `MAX_DAYS` other days are counted.
fn count_day(days: &mut BTreeMap<NaiveDate, u64>, day: NaiveDate, n: u64) {
    if days.len() < MAX_DAYS || days.contains_key(&day) {
        *days.entry(day).or_default() += n;
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

/// One file's counted lines in the window, as its scan hands them over
/// (see `seen::LogLines`): the earliest `cap` timed ones kept.
#[derive(Debug)]
pub(crate) struct FileGatherer {
    file: String,
    cap: usize,
    out: Occurrences,
    heap: BinaryHeap<Keyed>,
}

impl std::fmt::Debug for Keyed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.2.fmt(f)
    }
}

impl FileGatherer {
    pub(crate) fn new(file: &str, cap: usize) -> Self {
        FileGatherer {
            file: file.to_string(),
            cap,
            out: Occurrences::default(),
            heap: BinaryHeap::new(),
        }
    }

    /// A line in the window reporting `codes`, which `rules` count.
    pub(crate) fn add(&mut self, line: &CodedLine<'_>, codes: Vec<Hresult>, rules: Vec<String>) {
        let out = &mut self.out;
        out.total += 1;
        let Some(t) = line.time else {
            out.untimed += 1;
            return;
        };
        let key = t.sort_key();
        let day = key.date();
        count_day(&mut out.days, day, 1);
        let full = self.heap.len() >= self.cap;
        if full && self.heap.peek().is_none_or(|top| top.0 <= key) {
            out.left_out += 1;
            return;
        }
        let occurrence = Occurrence {
            time: LogStamp::from(t),
            file: self.file.clone(),
            line: line.number,
            codes,
            rules,
            text: cut(&line.shown(), TEXT_BYTES),
        };
        self.heap.push(Keyed(key, 0, occurrence));
        if self.heap.len() > self.cap {
            self.heap.pop();
            out.left_out += 1;
        }
    }
}

/// A host's occurrences, merged file by file as each is read (in the order
/// of its log summaries): the earliest `cap` timed ones over all files,
/// sorted by time, then file, then line. Holds at most `cap` of them
/// besides the file being merged.
#[derive(Debug)]
pub(crate) struct HostGatherer {
    cap: usize,
    out: Occurrences,
    heap: BinaryHeap<Keyed>,
}

impl HostGatherer {
    pub(crate) fn new(cap: usize) -> Self {
        HostGatherer {
            cap,
            out: Occurrences::default(),
            heap: BinaryHeap::new(),
        }
    }

    /// Adds the occurrences of the file whose summary is at `index`.
    pub(crate) fn absorb(&mut self, index: usize, f: FileGatherer) {
        let out = &mut self.out;
        out.total += f.out.total;
        out.untimed += f.out.untimed;
        out.left_out += f.out.left_out;
        for (day, n) in f.out.days {
            count_day(&mut out.days, day, n);
        }
        for Keyed(key, _, occurrence) in f.heap {
            self.heap.push(Keyed(key, index, occurrence));
            if self.heap.len() > self.cap {
                self.heap.pop();
                out.left_out += 1;
            }
        }
    }

    pub(crate) fn finish(mut self) -> Occurrences {
        self.out.kept = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(|k| k.2)
            .collect();
        self.out
    }
}
