//! Per-file aggregation: time span, unparsed lines, and per code the count,
//! first and last occurrence, components and a few example lines.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::coded::CodedLine;
use super::codes::Hresult;
use super::encoding::Encoding;
use super::engine::{Totals, Zones, MAX_LINE};
use super::format::LogFormat;
pub use super::options::ScanOptions;
use super::piece::{Piece, PieceCode, PieceExample, PieceInContext, Stamped, Watched};
use super::time::LogTime;
use crate::warning::{Warning, WarningCode};

/// What one log file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LogSummary {
    /// The file, as named.
    pub path: String,
    /// The format recognised.
    pub format: LogFormat,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Non-empty lines.
    pub lines: u64,
    /// Non-empty lines that do not match the format.
    pub unparsed: u64,
    /// Their line numbers (1-based), at most `max_unparsed_lines`.
    pub unparsed_lines: Vec<u64>,
    /// Lines longer than the longest line read whole (256 KiB): only
    /// their start was read.
    #[serde(default)]
    pub cut: u64,
    /// Their line numbers, at most `max_unparsed_lines`.
    #[serde(default)]
    pub cut_lines: Vec<u64>,
    /// Times of the first and last parsed lines.
    pub first: Option<LogTime>,
    /// Time of the last parsed line.
    pub last: Option<LogTime>,
    /// One entry per failure code (severity bit set), most frequent first.
    pub errors: Vec<CodeSummary>,
    /// Success codes (severity bit clear, e.g. `0x00240001`
    /// WU_S_SERVICE_STOP): reported, never errors.
    #[serde(default)]
    pub success_codes: Vec<CodeSummary>,
    /// Reports (a line and a code) of codes beyond `max_codes` distinct
    /// codes: counted, not kept.
    #[serde(default)]
    pub codes_over_limit: u64,
    /// Event logs only: events of other providers (not in `lines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_events: Option<u64>,
}

impl LogSummary {
    /// The entry for `code` (failure or success), if the log reports it.
    pub fn code(&self, code: Hresult) -> Option<&CodeSummary> {
        self.errors
            .iter()
            .chain(&self.success_codes)
            .find(|c| c.code == code)
    }

    /// What a reader of this summary must know about how the file was
    /// read, one sentence each; `log` and `scan` print the same ones.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut w = Vec::new();
        if self.unparsed > 0 {
            w.push(Warning::new(
                WarningCode::LogLinesUnparsed,
                format!(
                    "{} of {} lines not in the {} format",
                    self.unparsed, self.lines, self.format
                ),
            ));
        }
        if self.cut > 0 {
            w.push(Warning::new(
                WarningCode::LogLinesCut,
                format!(
                    "{} lines longer than {MAX_LINE} bytes: only their first {MAX_LINE} bytes were read",
                    self.cut
                ),
            ));
        }
        if self.codes_over_limit > 0 {
            w.push(Warning::new(
                WarningCode::LogCodesOverLimit,
                format!(
                    "more distinct codes than kept: {} code reports of further codes counted only",
                    self.codes_over_limit
                ),
            ));
        }
        w
    }
}

/// One code across a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSummary {
    /// The code.
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
    /// Time of the last such line.
    pub last: Option<LogTime>,
    /// 1-based line of the first such line.
    pub first_line: u64,
    /// 1-based line of the last such line.
    pub last_line: u64,
    /// Components of those lines, sorted.
    pub components: Vec<String>,
    /// The first few lines reporting it.
    pub examples: Vec<Example>,
    /// The lines reporting it in each context of the scan's options that
    /// names it (none without contexts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_context: Vec<InContext>,
}

/// A code's lines in one context (`context`: its position in
/// `ScanOptions::contexts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InContext {
    /// The context's position in `ScanOptions::contexts`.
    pub context: usize,
    /// Lines reporting the code in the context.
    pub count: u64,
    /// Times of the first and last such lines that have a time.
    pub first: Option<LogTime>,
    /// Time of the last such line that has a time.
    pub last: Option<LogTime>,
    /// The first few such lines.
    pub examples: Vec<Example>,
}

/// A line quoted as an example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// 1-based line number.
    pub line: u64,
    /// The line's time, when it has one.
    pub time: Option<LogTime>,
    /// The line, decoded; cut to `example_bytes` and ending with a
    /// `… [cut: …]` marker when longer.
    pub text: String,
    /// The text was cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

/// Merges pieces, in file order, into a `LogSummary`.
pub(crate) struct Aggregator {
    opts: ScanOptions,
    /// Lines (empty ones included) before the next piece.
    base: u64,
    zones: Zones,
    unparsed_lines: Vec<u64>,
    cut_lines: Vec<u64>,
    first: Option<LogTime>,
    last: Option<LogTime>,
    codes: HashMap<Hresult, CodeSummary>,
    over_limit: u64,
}

impl Aggregator {
    pub fn new(opts: &ScanOptions) -> Self {
        Aggregator {
            opts: opts.clone(),
            base: 0,
            zones: Zones::default(),
            unparsed_lines: Vec::new(),
            cut_lines: Vec::new(),
            first: None,
            last: None,
            codes: HashMap::new(),
            over_limit: 0,
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
    /// Lines the piece watched are handed to `see` (see [`Piece::watching`]).
    pub fn merge(
        &mut self,
        piece: Piece<'_>,
        block: &[u8],
        lines: u64,
        zones: &Zones,
        see: &mut dyn FnMut(&CodedLine<'_>),
    ) {
        if let Some(w) = &piece.watched {
            self.hand_over(w, block, see);
        }
        let (max, base) = (self.opts.max_unparsed_lines, self.base);
        for (to, from) in [
            (&mut self.unparsed_lines, &piece.unparsed_lines),
            (&mut self.cut_lines, &piece.cut_lines),
        ] {
            let room = max.saturating_sub(to.len());
            to.extend(from.iter().take(room).map(|n| n + base));
        }
        if self.first.is_none() {
            self.first = piece.first.as_ref().and_then(|s| self.resolve(s));
        }
        if let Some(s) = &piece.last {
            self.last = self.resolve(s);
        }
        self.over_limit += piece.over_limit;
        for pc in &piece.codes {
            self.merge_code(pc);
        }
        self.zones.extend(zones);
        self.base += lines;
    }

    /// Hands a piece's watched lines to `see`, in file order, with their
    /// file line numbers and resolved times (before the piece's own banners
    /// join those of earlier pieces, as for its other lines).
    fn hand_over(&self, w: &Watched, block: &[u8], see: &mut dyn FnMut(&CodedLine<'_>)) {
        for l in &w.lines {
            // Never missing: the block is the one the piece was cut from.
            let (Some(raw), Some(component)) =
                (w.bytes(block, &l.raw), w.bytes(block, &l.component))
            else {
                continue;
            };
            let line = CodedLine::encoded(
                l.number + self.base,
                self.time(&l.at),
                &w.codes[l.codes.clone()],
                w.encoding,
                raw,
                component,
                l.cut,
            );
            see(&line);
        }
    }

    /// Adds a piece's entry for one code, or counts it when the file
    /// already holds `max_codes` others.
    fn merge_code(&mut self, pc: &PieceCode) {
        let code = pc.code;
        if !self.codes.contains_key(&code)
            && self.codes.len() >= self.opts.max_codes
            && !self.opts.always_keeps(code)
        {
            self.over_limit += pc.count;
            return;
        }
        let (first, last) = (self.time(&pc.first.1), self.time(&pc.last.1));
        let examples = self.examples(&pc.examples);
        let in_context: Vec<_> = pc
            .in_context
            .iter()
            .map(|c| {
                let times = (self.time(&c.first), self.time(&c.last));
                (c, self.examples(&c.examples), times)
            })
            .collect();
        let base = self.base;
        let e = self.codes.entry(code).or_insert_with(|| CodeSummary {
            code,
            name: code.describe(),
            explanation: code.explanation().map(str::to_string),
            count: 0,
            first,
            last: None,
            first_line: pc.first.0 + base,
            last_line: 0,
            components: Vec::new(),
            examples: Vec::new(),
            in_context: Vec::new(),
        });
        e.count += pc.count;
        e.last = last;
        e.last_line = pc.last.0 + base;
        for c in &pc.components {
            if !e.components.contains(c) && e.components.len() < self.opts.max_components {
                e.components.push(c.clone());
            }
        }
        let max = self.opts.examples_per_code;
        e.examples.extend(
            examples
                .into_iter()
                .take(max.saturating_sub(e.examples.len())),
        );
        for (pic, examples, times) in in_context {
            merge_in_context(e, pic, examples, times, max);
        }
    }

    fn time(&self, at: &Option<Stamped>) -> Option<LogTime> {
        at.as_ref().and_then(|s| self.resolve(s))
    }

    /// A piece's examples with file line numbers and resolved times.
    fn examples(&self, examples: &[PieceExample]) -> Vec<Example> {
        examples
            .iter()
            .map(|(n, at, text, cut)| Example {
                line: n + self.base,
                time: self.time(at),
                text: text.to_string(),
                cut: *cut,
            })
            .collect()
    }

    pub fn finish(self, path: String, t: Totals) -> LogSummary {
        let (mut errors, mut success_codes): (Vec<CodeSummary>, Vec<CodeSummary>) =
            self.codes.into_values().partition(|c| c.code.is_failure());
        for list in [&mut errors, &mut success_codes] {
            for e in list.iter_mut() {
                e.components.sort();
                e.in_context.sort_by_key(|c| c.context);
            }
            list.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        }
        LogSummary {
            path,
            format: t.format,
            encoding: t.encoding,
            lines: t.lines,
            unparsed: t.unparsed,
            unparsed_lines: self.unparsed_lines,
            cut: t.cut,
            cut_lines: self.cut_lines,
            first: self.first,
            last: self.last,
            errors,
            success_codes,
            codes_over_limit: self.over_limit,
            other_events: None,
        }
    }
}

/// Adds a piece's lines of `e`'s code in one context; at most `max` examples.
fn merge_in_context(
    e: &mut CodeSummary,
    pic: &PieceInContext,
    examples: Vec<Example>,
    (first, last): (Option<LogTime>, Option<LogTime>),
    max: usize,
) {
    let p = match e.in_context.iter().position(|c| c.context == pic.context) {
        Some(p) => p,
        None => {
            e.in_context.push(InContext {
                context: pic.context,
                count: 0,
                first: None,
                last: None,
                examples: Vec::new(),
            });
            e.in_context.len() - 1
        }
    };
    let c = &mut e.in_context[p];
    c.count += pic.count;
    c.first = c.first.or(first);
    c.last = last.or(c.last);
    let room = max.saturating_sub(c.examples.len());
    c.examples.extend(examples.into_iter().take(room));
}
