//! The line loop shared by the summary and the event stream: detects the
//! format, parses each line, follows the time-zone banners, finds codes.

use std::collections::HashMap;
use std::io::Read;

use chrono::FixedOffset;

use super::classic;
use super::codes::Hresult;
use super::encoding::Encoding;
use super::format::LogFormat;
use super::head::Head;
use super::hexscan;
use super::hresult;
pub(crate) use super::reader::{trim_cr, LineReader};
use super::reporting;
use super::time::LogTime;

/// What the loop knows when it hands over a line.
pub(crate) struct Line<'a> {
    pub number: u64,
    pub encoding: Encoding,
    pub raw: &'a [u8],
    pub head: Option<Head<'a>>,
    pub codes: &'a [Hresult],
    /// The line was longer than [`MAX_LINE`]; `raw` holds its start.
    pub cut: bool,
}

/// UTC offsets announced by `Logging initialized (…, tz: ±hhmm)` banners,
/// per process id.
#[derive(Debug, Default, Clone)]
pub(crate) struct Zones {
    by_pid: HashMap<u32, FixedOffset>,
}

impl Zones {
    /// The time of a parsed line: the offset written on the line, else the
    /// one its process announced, else local.
    pub fn time(&self, head: &Head<'_>) -> Option<LogTime> {
        let naive = head.stamp.naive()?;
        let off = head
            .stamp
            .offset
            .or_else(|| head.pid.and_then(|p| self.by_pid.get(&p).copied()));
        Some(LogTime {
            local: naive,
            offset: off,
        })
    }

    pub fn offset_of(&self, pid: Option<u32>) -> Option<FixedOffset> {
        pid.and_then(|p| self.by_pid.get(&p).copied())
    }

    /// Takes over the offsets of `later` (banners seen after ours).
    pub fn extend(&mut self, later: &Zones) {
        for (k, v) in &later.by_pid {
            self.insert(*k, *v);
        }
    }

    /// Remembers the offset a process announced, up to [`MAX_ZONES`]
    /// processes (a known process is always updated).
    pub fn insert(&mut self, pid: u32, offset: FixedOffset) {
        if self.by_pid.len() < MAX_ZONES || self.by_pid.contains_key(&pid) {
            self.by_pid.insert(pid, offset);
        }
    }
}

/// Totals of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Totals {
    pub encoding: Encoding,
    pub format: LogFormat,
    /// Non-empty lines.
    pub lines: u64,
    pub unparsed: u64,
    /// Lines longer than [`MAX_LINE`], read only up to it.
    pub cut: u64,
}

/// Longest line read whole; the rest of a longer line is not read (the
/// line is counted as cut). Equal in every reading path.
pub(crate) const MAX_LINE: usize = 256 * 1024;

/// Most processes whose time-zone banner is remembered; banners of further
/// processes are ignored, so their times stay local (never a guessed zone).
const MAX_ZONES: usize = 65_536;

/// Receives the lines of a run.
pub(crate) trait Visitor {
    /// Every non-empty line. `zones` holds the banners seen by this loop.
    fn line(&mut self, line: &Line<'_>, zones: &Zones);
    /// A time-zone banner (called before `line` for the banner's line).
    fn banner(&mut self, _number: u64, _pid: u32, _offset: FixedOffset) {}
    /// After each block, the last parsed line of the block (so a visitor
    /// need not copy something out of every line).
    fn last_parsed(&mut self, _number: u64, _head: &Head<'_>, _zones: &Zones) {}
}

/// The per-line work over blocks of whole lines. One loop can run per
/// thread over separate pieces of a file once the format is known.
#[derive(Debug, Clone)]
pub(crate) struct LineLoop {
    pub totals: Totals,
    pub zones: Zones,
    /// Lines seen so far, empty ones included.
    pub number: u64,
    codes: Vec<Hresult>,
    zero_x: Vec<usize>,
    runs: Vec<usize>,
}

impl LineLoop {
    pub fn new(encoding: Encoding, format: LogFormat) -> Self {
        LineLoop {
            totals: Totals {
                encoding,
                format,
                lines: 0,
                unparsed: 0,
                cut: 0,
            },
            zones: Zones::default(),
            number: 0,
            codes: Vec::with_capacity(8),
            zero_x: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// A fresh loop for another piece of the same file (format known, line
    /// numbers counted from 0, no banners).
    pub fn fork(&self) -> Self {
        LineLoop::new(self.totals.encoding, self.totals.format)
    }

    /// Handles every line of `block` (whole lines, the last one possibly
    /// without its line end).
    pub fn block(&mut self, block: &[u8], visitor: &mut impl Visitor) {
        hexscan::candidates(block, &mut self.zero_x, &mut self.runs);
        let LineLoop {
            totals: t,
            zones,
            number,
            codes,
            zero_x,
            runs,
        } = self;
        let (mut zi, mut ri) = (0usize, 0usize);
        let mut last_parsed: Option<(u64, usize, usize)> = None;
        let mut line_at = |start: usize, end: usize| {
            let (raw, cut) = bounded(trim_cr(&block[start..end]));
            *number += 1;
            t.cut += u64::from(cut);
            if is_blank(raw) {
                return;
            }
            // Candidates before this line belong to earlier lines.
            let maybe_code =
                any_in(zero_x, &mut zi, start, end) | any_in(runs, &mut ri, start, end);
            t.lines += 1;
            let head = match t.format {
                LogFormat::Unknown => LogFormat::detect(raw).map(|(f, h)| {
                    t.format = f;
                    h
                }),
                f => f.parse(raw),
            };
            codes.clear();
            let text = match &head {
                Some(h) => {
                    if let Some((pid, off)) = special(h, codes) {
                        zones.insert(pid, off);
                        visitor.banner(*number, pid, off);
                    }
                    last_parsed = Some((*number, start, end));
                    h.text
                }
                None => {
                    t.unparsed += 1;
                    raw
                }
            };
            if maybe_code {
                hresult::extract(text, codes);
            }
            visitor.line(
                &Line {
                    number: *number,
                    encoding: t.encoding,
                    raw,
                    head,
                    codes,
                    cut,
                },
                zones,
            );
        };
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', block) {
            line_at(start, nl);
            start = nl + 1;
        }
        if start < block.len() {
            line_at(start, block.len());
        }
        if let Some((n, s, e)) = last_parsed {
            if let Some(h) = t.format.parse(bounded(trim_cr(&block[s..e])).0) {
                visitor.last_parsed(n, &h, zones);
            }
        }
    }
}

/// Reads every line of `r` on this thread, handing each non-empty one to
/// `visitor`.
pub(crate) fn run<R: Read>(r: R, visitor: &mut impl Visitor) -> std::io::Result<(Totals, Zones)> {
    let reader = LineReader::new(r)?;
    let mut lp = LineLoop::new(reader.encoding(), LogFormat::Unknown);
    reader.for_each_block(|block| lp.block(block, visitor))?;
    Ok((lp.totals, lp.zones))
}

/// Banners, mirrored ReportingEvents records and the HRESULT field.
/// Returns a banner's process and offset.
#[inline]
fn special(h: &Head<'_>, codes: &mut Vec<Hresult>) -> Option<(u32, FixedOffset)> {
    if let Some((hr, _)) = h.reported {
        if hr != 0 {
            codes.push(Hresult(hr));
        }
        return None;
    }
    match h.text.first() {
        Some(b'=') | Some(b' ') => {
            if let (Some(off), Some(pid)) = (classic::banner_offset(h.text), h.pid) {
                return Some((pid, off));
            }
        }
        Some(b'R') if h.text.starts_with(reporting::MIRROR_PREFIX) => {
            if let Some(r) = reporting::record(&h.text[reporting::MIRROR_PREFIX.len()..]) {
                if r.hresult != 0 {
                    codes.push(Hresult(r.hresult));
                }
            }
        }
        _ => {}
    }
    None
}

/// A line as read: at most [`MAX_LINE`] bytes, and whether it was longer.
#[inline]
fn bounded(raw: &[u8]) -> (&[u8], bool) {
    if raw.len() > MAX_LINE {
        (&raw[..MAX_LINE], true)
    } else {
        (raw, false)
    }
}

/// Whether sorted `positions` hold one in `[start, end)`; `*i` moves past
/// those before `start` (lines come in order).
#[inline]
fn any_in(positions: &[usize], i: &mut usize, start: usize, end: usize) -> bool {
    while *i < positions.len() && positions[*i] < start {
        *i += 1;
    }
    *i < positions.len() && positions[*i] < end
}

#[inline]
fn is_blank(l: &[u8]) -> bool {
    match l.first() {
        None => true,
        Some(b' ' | b'\t' | b'\x0c' | b'\r') => l.trim_ascii().is_empty(),
        _ => false,
    }
}
