//! What one piece of a log holds, before pieces are merged in file order.
//! Every field is bounded by the [`ScanOptions`], whatever the piece holds.

use std::collections::HashMap;
use std::sync::Arc;

use super::codes::Hresult;
use super::context::CodeContext;
use super::encoding::Encoding;
use super::engine::{Line, Visitor, Zones};
use super::head::{Head, OwnedStamp};
use super::options::{cut_text, ScanOptions, COMPONENT_MAX_BYTES, CUT_MARK};

/// A stamp and process of a line, kept until the time zone in force for
/// it is known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamped {
    pub stamp: OwnedStamp,
    pub pid: Option<u32>,
    /// The offset announced earlier in the same piece, if any.
    pub offset: Option<chrono::FixedOffset>,
}

impl Stamped {
    pub fn of(head: &Head<'_>, zones: &Zones) -> Self {
        Stamped {
            stamp: head.stamp.to_owned(),
            pid: head.pid,
            offset: zones.offset_of(head.pid),
        }
    }
}

/// An example line: number, time, text (already cut) and whether it was
/// cut. The text is shared by every code of the line, so a line costs its
/// length once however many codes it holds.
pub(crate) type PieceExample = (u64, Option<Stamped>, Arc<str>, bool);

#[derive(Debug)]
pub(crate) struct PieceCode {
    pub code: Hresult,
    pub count: u64,
    pub first: (u64, Option<Stamped>),
    pub last: (u64, Option<Stamped>),
    pub components: Vec<String>,
    pub examples: Vec<PieceExample>,
    /// The lines in each context that names the code.
    pub in_context: Vec<PieceInContext>,
}

/// A code's lines in one context (`context`: its position in
/// `ScanOptions::contexts`): count, first and last timed line, examples.
#[derive(Debug)]
pub(crate) struct PieceInContext {
    pub context: usize,
    pub count: u64,
    pub first: Option<Stamped>,
    pub last: Option<Stamped>,
    pub examples: Vec<PieceExample>,
}

/// What one piece of a file holds, with line numbers relative to the
/// piece and times resolved only as far as the piece's own banners allow
/// (pieces may be read in parallel; the banners of earlier pieces are only
/// known when merging).
#[derive(Debug)]
pub(crate) struct Piece<'o> {
    opts: &'o ScanOptions,
    pub unparsed_lines: Vec<u64>,
    pub cut_lines: Vec<u64>,
    pub first: Option<Stamped>,
    pub last: Option<Stamped>,
    /// Codes in order of first appearance, at most `opts.max_codes` (plus
    /// the codes `opts` always keeps).
    pub codes: Vec<PieceCode>,
    index: HashMap<Hresult, usize>,
    /// Code reports (a line and a code) of codes beyond the limit.
    pub over_limit: u64,
    /// The lines holding a code `opts.always_keep` names, when watched.
    pub watched: Option<Watched>,
}

/// Lines holding a watched code, handed over in file order once the piece
/// is merged. Their text is not copied: it stays in the block being read
/// (alive until the merge), found again by its place in the block.
#[derive(Debug)]
pub(crate) struct Watched {
    /// The address of the block's first byte, and its length.
    base: usize,
    len: usize,
    pub lines: Vec<WatchedLine>,
    /// Copies of the parts that are not in the block (none seen: kept so
    /// that such a part could never be misplaced).
    pub copies: Vec<u8>,
    /// The lines' codes, one after the other.
    pub codes: Vec<Hresult>,
    /// The file's encoding (the block's bytes are in it).
    pub encoding: Encoding,
}

/// One watched line: where its parts are, in the block and in [`Watched::codes`].
#[derive(Debug)]
pub(crate) struct WatchedLine {
    pub number: u64,
    pub at: Option<Stamped>,
    pub raw: Place,
    pub component: Place,
    pub codes: std::ops::Range<usize>,
    pub cut: bool,
}

/// Where a part of a line is: in the block, or in [`Watched::copies`].
#[derive(Debug, Clone)]
pub(crate) enum Place {
    Block(std::ops::Range<usize>),
    Copy(std::ops::Range<usize>),
}

impl Watched {
    /// Watched lines of pieces of `block`.
    fn new(block: &[u8]) -> Self {
        Watched {
            base: block.as_ptr() as usize,
            len: block.len(),
            lines: Vec::new(),
            copies: Vec::new(),
            codes: Vec::new(),
            encoding: Encoding::Utf8,
        }
    }

    /// Where `part` (a slice of the block, as a line's parts are) is.
    fn place(&mut self, part: &[u8]) -> Place {
        let start = (part.as_ptr() as usize).wrapping_sub(self.base);
        if part.is_empty() {
            return Place::Block(0..0);
        }
        if start < self.len && part.len() <= self.len - start {
            return Place::Block(start..start + part.len());
        }
        let at = self.copies.len();
        self.copies.extend_from_slice(part);
        Place::Copy(at..self.copies.len())
    }

    /// The bytes at `place`, with `block` the block the piece was cut from.
    pub fn bytes<'a>(&'a self, block: &'a [u8], place: &Place) -> Option<&'a [u8]> {
        match place {
            Place::Block(r) if block.as_ptr() as usize == self.base => block.get(r.clone()),
            Place::Block(r) if r.is_empty() => Some(&[]),
            Place::Block(_) => None,
            Place::Copy(r) => self.copies.get(r.clone()),
        }
    }

    fn push(&mut self, line: &Line<'_>, at: Option<Stamped>) {
        self.encoding = line.encoding;
        let raw = self.place(line.raw);
        let component = match &line.head {
            Some(h) => self.place(h.component),
            None => Place::Block(0..0),
        };
        let start = self.codes.len();
        self.codes.extend_from_slice(line.codes);
        self.lines.push(WatchedLine {
            number: line.number,
            at,
            raw,
            component,
            codes: start..self.codes.len(),
            cut: line.cut,
        });
    }
}

impl<'o> Piece<'o> {
    pub fn new(opts: &'o ScanOptions) -> Self {
        Piece {
            opts,
            unparsed_lines: Vec::new(),
            cut_lines: Vec::new(),
            first: None,
            last: None,
            codes: Vec::new(),
            index: HashMap::new(),
            over_limit: 0,
            watched: None,
        }
    }

    /// A piece of `block` that also keeps the lines holding a code
    /// `opts.always_keep` names.
    pub fn watching(opts: &'o ScanOptions, block: &[u8]) -> Self {
        Piece {
            watched: Some(Watched::new(block)),
            ..Piece::new(opts)
        }
    }

    /// The entry of `code`, made when there is room; `None` beyond the limit.
    fn entry(&mut self, code: Hresult, number: u64, at: Option<Stamped>) -> Option<usize> {
        if let Some(&i) = self.index.get(&code) {
            return Some(i);
        }
        if self.codes.len() >= self.opts.max_codes && !self.opts.always_keeps(code) {
            return None;
        }
        self.codes.push(PieceCode {
            code,
            count: 0,
            first: (number, at),
            last: (number, at),
            components: Vec::new(),
            examples: Vec::new(),
            in_context: Vec::new(),
        });
        self.index.insert(code, self.codes.len() - 1);
        Some(self.codes.len() - 1)
    }

    #[cold]
    fn record_codes(&mut self, line: &Line<'_>, at: Option<Stamped>) {
        let opts = self.opts;
        let component = line.head.as_ref().map(|h| {
            let c = line.encoding.decode(h.component);
            cut_text(&c, COMPONENT_MAX_BYTES, |_| CUT_MARK.to_string()).0
        });
        // Decoded and cut once per line, whatever the number of codes.
        let mut example: Option<(Arc<str>, bool)> = None;
        let mut example_of = || {
            example
                .get_or_insert_with(|| {
                    let full = line.encoding.decode(line.raw);
                    let (text, cut) = opts.cut_example(&full, line.cut);
                    (Arc::from(text), cut)
                })
                .clone()
        };
        let contexts = LineContexts::of(line, opts);
        for &code in line.codes {
            let Some(i) = self.entry(code, line.number, at) else {
                self.over_limit += 1;
                continue;
            };
            let e = &mut self.codes[i];
            e.count += 1;
            e.last = (line.number, at);
            if let Some(c) = &component {
                if !e.components.contains(c) && e.components.len() < opts.max_components {
                    e.components.push(c.clone());
                }
            }
            if e.examples.len() < opts.examples_per_code {
                let (text, cut) = example_of();
                e.examples.push((line.number, at, text, cut));
            }
            let Some(lc) = &contexts else { continue };
            for (k, ctx) in opts.contexts.iter().enumerate() {
                if ctx.codes.contains(&code) && lc.matches(ctx) {
                    let c = e.in_context_mut(k);
                    c.count += 1;
                    if at.is_some() {
                        c.first = c.first.or(at);
                        c.last = at;
                    }
                    if c.examples.len() < opts.examples_per_code {
                        let (text, cut) = example_of();
                        c.examples.push((line.number, at, text, cut));
                    }
                }
            }
        }
    }
}

impl PieceCode {
    /// The entry of context `k`, made on first use.
    fn in_context_mut(&mut self, k: usize) -> &mut PieceInContext {
        let p = match self.in_context.iter().position(|c| c.context == k) {
            Some(p) => p,
            None => {
                self.in_context.push(PieceInContext {
                    context: k,
                    count: 0,
                    first: None,
                    last: None,
                    examples: Vec::new(),
                });
                self.in_context.len() - 1
            }
        };
        &mut self.in_context[p]
    }
}

/// A line as contexts match it (component, lower-case text), made only for
/// lines holding a code some context names.
struct LineContexts {
    component: String,
    lower: String,
}

impl LineContexts {
    fn of(line: &Line<'_>, opts: &ScanOptions) -> Option<Self> {
        if !line.codes.iter().any(|&c| opts.has_context(c)) {
            return None;
        }
        let component = line
            .head
            .as_ref()
            .map(|h| line.encoding.decode(h.component).into_owned())
            .unwrap_or_default();
        let lower = line.encoding.decode(line.raw).to_ascii_lowercase();
        Some(LineContexts { component, lower })
    }

    fn matches(&self, ctx: &CodeContext) -> bool {
        ctx.matches(&self.component, &self.lower)
    }
}

impl Visitor for Piece<'_> {
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
        if line.cut && self.cut_lines.len() < self.opts.max_unparsed_lines {
            self.cut_lines.push(line.number);
        }
        if !line.codes.is_empty() {
            let at = line.head.as_ref().map(|h| Stamped::of(h, zones));
            self.record_codes(line, at);
            if let Some(w) = &mut self.watched {
                if line.codes.iter().any(|c| self.opts.always_keep.contains(c)) {
                    w.push(line, at);
                }
            }
        }
    }

    fn last_parsed(&mut self, _number: u64, head: &Head<'_>, zones: &Zones) {
        self.last = Some(Stamped::of(head, zones));
    }
}
