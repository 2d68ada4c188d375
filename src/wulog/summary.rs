//! Per-file aggregation: time span, unparsed lines, and per code the count,
//! first and last occurrence, components and a few example lines.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::codes::Hresult;
use super::encoding::Encoding;
use super::engine::{Line, Totals, Visitor, Zones};
use super::format::{Head, LogFormat, OwnedStamp};
use super::time::LogTime;

/// Limits of a scan. Memory use is bounded by these, not by the file.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Example lines kept per code.
    pub examples_per_code: usize,
    /// Line numbers of unparsed lines kept (the count is always exact).
    pub max_unparsed_lines: usize,
    /// Components kept per code.
    pub max_components: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            examples_per_code: 5,
            max_unparsed_lines: 1000,
            max_components: 32,
        }
    }
}

/// What one log file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogSummary {
    pub path: String,
    pub format: LogFormat,
    pub encoding: Encoding,
    /// Non-empty lines.
    pub lines: u64,
    /// Non-empty lines that do not match the format.
    pub unparsed: u64,
    /// Their line numbers (1-based), at most `max_unparsed_lines`.
    pub unparsed_lines: Vec<u64>,
    /// Times of the first and last parsed lines.
    pub first: Option<LogTime>,
    pub last: Option<LogTime>,
    /// One entry per code, most frequent first.
    pub errors: Vec<CodeSummary>,
    /// Event logs only: events of other providers (not in `lines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_events: Option<u64>,
}

impl LogSummary {
    /// The entry for `code`, if the log reports it.
    pub fn code(&self, code: Hresult) -> Option<&CodeSummary> {
        self.errors.iter().find(|c| c.code == code)
    }
}

/// One code across a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSummary {
    pub code: Hresult,
    /// Symbolic name, or a decoding by facility; `None` when unknown.
    pub name: Option<String>,
    /// Our short explanation, for the codes the rules use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Lines reporting the code.
    pub count: u64,
    /// Times of the first and last such lines, in file order (`None` when
    /// those lines have no time).
    pub first: Option<LogTime>,
    pub last: Option<LogTime>,
    pub first_line: u64,
    pub last_line: u64,
    /// Components of those lines, sorted.
    pub components: Vec<String>,
    /// The first few lines reporting it.
    pub examples: Vec<Example>,
}

/// A line quoted as an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub line: u64,
    pub time: Option<LogTime>,
    /// The whole line, decoded.
    pub text: String,
}

/// A stamp and process of a line, kept until the time zone in force for
/// it is known.
#[derive(Debug, Clone, Copy)]
struct Stamped {
    stamp: OwnedStamp,
    pid: Option<u32>,
    /// The offset announced earlier in the same piece, if any.
    offset: Option<chrono::FixedOffset>,
}

impl Stamped {
    fn of(head: &Head<'_>, zones: &Zones) -> Self {
        Stamped {
            stamp: head.stamp.to_owned(),
            pid: head.pid,
            offset: zones.offset_of(head.pid),
        }
    }
}

#[derive(Debug)]
struct PieceCode {
    count: u64,
    first: (u64, Option<Stamped>),
    last: (u64, Option<Stamped>),
    components: Vec<String>,
    examples: Vec<(u64, Option<Stamped>, String)>,
}

/// What one piece of a file holds, with line numbers relative to the
/// piece and times resolved only as far as the piece's own banners allow
/// (pieces may be read in parallel; the banners of earlier pieces are only
/// known when merging). Memory is bounded by the options, not the piece.
#[derive(Debug)]
pub(crate) struct Piece {
    opts: ScanOptions,
    unparsed_lines: Vec<u64>,
    first: Option<Stamped>,
    last: Option<Stamped>,
    codes: Vec<(Hresult, PieceCode)>,
}

impl Piece {
    pub fn new(opts: &ScanOptions) -> Self {
        Piece {
            opts: opts.clone(),
            unparsed_lines: Vec::new(),
            first: None,
            last: None,
            codes: Vec::new(),
        }
    }

    #[cold]
    fn record_codes(&mut self, line: &Line<'_>, zones: &Zones) {
        let at = line.head.as_ref().map(|h| Stamped::of(h, zones));
        let component = line
            .head
            .as_ref()
            .map(|h| line.encoding.decode(h.component).into_owned());
        for &code in line.codes {
            let i = match self.codes.iter().position(|(c, _)| *c == code) {
                Some(i) => i,
                None => {
                    self.codes.push((
                        code,
                        PieceCode {
                            count: 0,
                            first: (line.number, at),
                            last: (line.number, at),
                            components: Vec::new(),
                            examples: Vec::new(),
                        },
                    ));
                    self.codes.len() - 1
                }
            };
            let e = &mut self.codes[i].1;
            e.count += 1;
            e.last = (line.number, at);
            if let Some(c) = &component {
                if !e.components.contains(c) && e.components.len() < self.opts.max_components {
                    e.components.push(c.clone());
                }
            }
            if e.examples.len() < self.opts.examples_per_code {
                e.examples
                    .push((line.number, at, line.encoding.decode(line.raw).into_owned()));
            }
        }
    }
}

impl Visitor for Piece {
    #[inline]
    fn line(&mut self, line: &Line<'_>, zones: &Zones) {
        match &line.head {
            None => {
                if self.unparsed_lines.len() < self.opts.max_unparsed_lines {
                    self.unparsed_lines.push(line.number);
                }
            }
            Some(h) => {
                if self.first.is_none() {
                    self.first = Some(Stamped::of(h, zones));
                }
            }
        }
        if !line.codes.is_empty() {
            self.record_codes(line, zones);
        }
    }

    fn last_parsed(&mut self, _number: u64, head: &Head<'_>, zones: &Zones) {
        self.last = Some(Stamped::of(head, zones));
    }
}

/// Merges pieces, in file order, into a `LogSummary`.
pub(crate) struct Aggregator {
    opts: ScanOptions,
    /// Lines (empty ones included) before the next piece.
    base: u64,
    zones: Zones,
    unparsed_lines: Vec<u64>,
    first: Option<LogTime>,
    last: Option<LogTime>,
    codes: HashMap<Hresult, CodeSummary>,
}

impl Aggregator {
    pub fn new(opts: &ScanOptions) -> Self {
        Aggregator {
            opts: opts.clone(),
            base: 0,
            zones: Zones::default(),
            unparsed_lines: Vec::new(),
            first: None,
            last: None,
            codes: HashMap::new(),
        }
    }

    /// The time of a line of a piece: the offset on the line, else the one
    /// its process announced earlier in the piece, else the one known from
    /// earlier pieces.
    fn resolve(&self, s: &Stamped) -> Option<LogTime> {
        let raw = s.stamp.as_raw();
        let local = raw.naive()?;
        let offset = raw
            .offset
            .or(s.offset)
            .or_else(|| self.zones.offset_of(s.pid));
        Some(LogTime { local, offset })
    }

    /// Adds the next piece; `lines` is its count of lines, empty included,
    /// and `zones` the banners it announced.
    pub fn merge(&mut self, piece: Piece, lines: u64, zones: &Zones) {
        let room = self
            .opts
            .max_unparsed_lines
            .saturating_sub(self.unparsed_lines.len());
        self.unparsed_lines.extend(
            piece
                .unparsed_lines
                .iter()
                .take(room)
                .map(|n| n + self.base),
        );
        if self.first.is_none() {
            self.first = piece.first.as_ref().and_then(|s| self.resolve(s));
        }
        if let Some(s) = &piece.last {
            self.last = self.resolve(s);
        }
        for (code, pc) in &piece.codes {
            let time = |at: &Option<Stamped>| at.as_ref().and_then(|s| self.resolve(s));
            let (first, last) = (time(&pc.first.1), time(&pc.last.1));
            let examples: Vec<Example> = pc
                .examples
                .iter()
                .map(|(n, at, text)| Example {
                    line: n + self.base,
                    time: time(at),
                    text: text.clone(),
                })
                .collect();
            let base = self.base;
            let e = self.codes.entry(*code).or_insert_with(|| CodeSummary {
                code: *code,
                name: code.describe(),
                explanation: code.explanation().map(str::to_string),
                count: 0,
                first,
                last: None,
                first_line: pc.first.0 + base,
                last_line: 0,
                components: Vec::new(),
                examples: Vec::new(),
            });
            e.count += pc.count;
            e.last = last;
            e.last_line = pc.last.0 + base;
            for c in &pc.components {
                if !e.components.contains(c) && e.components.len() < self.opts.max_components {
                    e.components.push(c.clone());
                }
            }
            let room = self.opts.examples_per_code.saturating_sub(e.examples.len());
            e.examples.extend(examples.into_iter().take(room));
        }
        self.zones.extend(zones);
        self.base += lines;
    }

    pub fn finish(self, path: String, t: Totals) -> LogSummary {
        let mut errors: Vec<CodeSummary> = self.codes.into_values().collect();
        for e in &mut errors {
            e.components.sort();
        }
        errors.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        LogSummary {
            path,
            format: t.format,
            encoding: t.encoding,
            lines: t.lines,
            unparsed: t.unparsed,
            unparsed_lines: self.unparsed_lines,
            first: self.first,
            last: self.last,
            errors,
            other_events: None,
        }
    }
}
