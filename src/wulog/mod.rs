//! WindowsUpdate.log and ReportingEvents.log reading.
//!
//! - [`scan_file`] / [`scan_reader`]: one pass over a log, in constant
//!   memory, giving a [`LogSummary`]: format, encoding, line counts, time
//!   span and, per code, count, first/last time, components and up to N
//!   example lines.
//! - [`read_events`]: the same pass, handing every non-empty line to a
//!   callback as a [`LogEvent`].
//!
//! Times: classic logs are in local time; a `Logging initialized (…, tz:
//! ±hhmm)` banner gives the offset for the following lines of that process,
//! which then carry UTC. `Get-WindowsUpdateLog` output is written in the
//! local time of the machine that ran the cmdlet, with no offset: such times
//! are marked local. ReportingEvents.log writes the offset on each line.

mod classic;
pub mod coded;
pub mod codes;
mod codes_table;
pub mod context;
pub mod encoding;
mod engine;
mod error;
pub mod event;
pub mod format;
mod head;
mod hexclass;
mod hexscan;
pub mod hresult;
mod options;
mod piece;
#[cfg(unix)]
mod ranges;
mod reader;
mod reporting;
pub mod stamp;
pub mod summary;
pub mod time;
mod win10;
mod winerror_table;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use coded::CodedLine;
pub use codes::{Hresult, E_NOT_LOGGED_ON, WU_E_NO_INTERACTIVE_USER};
pub use context::{CodeContext, LineMatch};
pub use encoding::Encoding;
pub use error::LogError;
pub use event::{LineSeverity, LogEvent};
pub use format::LogFormat;
pub use stamp::LogStamp;
pub use summary::{CodeSummary, Example, InContext, LogSummary, ScanOptions};
pub use time::LogTime;

/// Totals of a [`read_events`] pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadInfo {
    /// The encoding detected.
    pub encoding: Encoding,
    /// The format recognised.
    pub format: LogFormat,
    /// Non-empty lines.
    pub lines: u64,
    /// Non-empty lines that do not match the format.
    pub unparsed: u64,
    /// Lines longer than 256 KiB, read only up to that length.
    pub cut_lines: u64,
}

/// Summarises the log at `path` with the default [`ScanOptions`].
pub fn scan_file(path: impl AsRef<Path>) -> Result<LogSummary, LogError> {
    scan_file_with(path, &ScanOptions::default())
}

/// Summarises the log at `path`.
pub fn scan_file_with(path: impl AsRef<Path>, opts: &ScanOptions) -> Result<LogSummary, LogError> {
    let path = path.as_ref();
    let (file, _) = crate::evidence::open::open_evidence(path).map_err(|e| LogError::Open {
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    #[cfg(unix)]
    if let Some(s) = ranges::scan(&file, path, opts)? {
        return Ok(s);
    }
    scan_reader(file, path, opts)
}

/// Summarises a log read from `reader`; `path` names it in the summary and
/// in errors. Once the format is known, each block read is split into
/// pieces handled in parallel (rayon) and merged in file order.
pub fn scan_reader<R: Read>(
    reader: R,
    path: &Path,
    opts: &ScanOptions,
) -> Result<LogSummary, LogError> {
    scan(reader, path, opts, None)
}

/// Like [`scan_reader`], handing `see` every line that holds a code of
/// `opts.always_keep`, in file order, in the same pass: what the summary
/// does not keep of those lines can be gathered without reading the file
/// again.
pub fn scan_reader_seeing<R: Read>(
    reader: R,
    path: &Path,
    opts: &ScanOptions,
    see: &mut dyn FnMut(&CodedLine<'_>),
) -> Result<LogSummary, LogError> {
    scan(reader, path, opts, Some(see))
}

fn scan<R: Read>(
    reader: R,
    path: &Path,
    opts: &ScanOptions,
    see: Option<&mut dyn FnMut(&CodedLine<'_>)>,
) -> Result<LogSummary, LogError> {
    let read_err = |source| LogError::Read {
        path: path.to_path_buf(),
        source,
    };
    let reader = reader::LineReader::new(reader).map_err(read_err)?;
    let mut main = engine::LineLoop::new(reader.encoding(), LogFormat::Unknown);
    let mut agg = summary::Aggregator::new(opts);
    let threads = rayon::current_num_threads();
    let watching = see.is_some();
    let mut unwatched = |_: &CodedLine<'_>| {};
    let see: &mut dyn FnMut(&CodedLine<'_>) = match see {
        Some(f) => f,
        None => &mut unwatched,
    };
    let mut handle = |block: &[u8]| {
        let k = if main.totals.format == LogFormat::Unknown || block.len() < PARALLEL_MIN {
            1
        } else {
            threads
        };
        let run_piece = |piece: &[u8]| {
            let mut lp = main.fork();
            let mut p = if watching {
                piece::Piece::watching(opts, block)
            } else {
                piece::Piece::new(opts)
            };
            lp.block(piece, &mut p);
            (p, lp)
        };
        let done: Vec<_> = if k == 1 {
            vec![run_piece(block)]
        } else {
            use rayon::prelude::*;
            split_lines(block, k)
                .par_iter()
                .map(|p| run_piece(p))
                .collect()
        };
        for (piece, lp) in done {
            let t = &mut main.totals;
            t.lines += lp.totals.lines;
            t.unparsed += lp.totals.unparsed;
            t.cut += lp.totals.cut;
            if t.format == LogFormat::Unknown {
                t.format = lp.totals.format;
            }
            agg.merge(piece, block, lp.number, &lp.zones, &mut *see);
        }
    };
    reader.for_each_block(&mut handle).map_err(read_err)?;
    Ok(agg.finish(path.display().to_string(), main.totals))
}

/// Blocks smaller than this are not split for parallel reading.
const PARALLEL_MIN: usize = 256 * 1024;

/// Splits `block` into about `k` pieces, each ending at a line end.
fn split_lines(block: &[u8], k: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(k);
    let mut start = 0;
    for i in 1..k {
        let target = (block.len() * i / k).max(start);
        match memchr::memchr(b'\n', &block[target..]) {
            Some(nl) => {
                out.push(&block[start..target + nl + 1]);
                start = target + nl + 1;
            }
            None => break,
        }
    }
    out.push(&block[start..]);
    out
}

/// Recognises a log from the first bytes of a file (`scan` and `triage`
/// pass the first 64 KiB): the encoding and the format of the first line
/// that parses, read exactly as [`scan_file`] reads the file (every
/// encoding, UTF-16 included). `None` when no line parses.
pub fn recognise(head: &[u8]) -> Option<(Encoding, LogFormat)> {
    struct Nothing;
    impl engine::Visitor for Nothing {
        fn line(&mut self, _: &engine::Line<'_>, _: &engine::Zones) {}
    }
    let (t, _) = engine::run(head, &mut Nothing).ok()?;
    (t.format != LogFormat::Unknown).then_some((t.encoding, t.format))
}

/// Reads a log from `reader`, calling `f` with every non-empty line.
pub fn read_events<R: Read>(
    reader: R,
    mut f: impl FnMut(&LogEvent<'_>),
) -> Result<ReadInfo, LogError> {
    let (t, _) = engine::run(
        reader,
        &mut EventVisitor(|line: &engine::Line<'_>, zones: &engine::Zones| {
            let enc = line.encoding;
            let ev = match &line.head {
                Some(h) => LogEvent {
                    line: line.number,
                    parsed: true,
                    time: zones.time(h),
                    pid: h.pid,
                    tid: h.tid,
                    component: enc.decode(h.component),
                    severity: match h.reported {
                        Some((_, true)) => LineSeverity::Failed,
                        Some((_, false)) => LineSeverity::Info,
                        None => LineSeverity::of_text(h.text),
                    },
                    text: enc.decode(h.text),
                    raw: enc.decode(line.raw),
                    codes: line.codes,
                },
                None => LogEvent {
                    line: line.number,
                    parsed: false,
                    time: None,
                    pid: None,
                    tid: None,
                    component: "".into(),
                    severity: LineSeverity::of_text(line.raw),
                    text: enc.decode(line.raw),
                    raw: enc.decode(line.raw),
                    codes: line.codes,
                },
            };
            f(&ev);
        }),
    )
    .map_err(|source| LogError::Read {
        path: PathBuf::from("<stream>"),
        source,
    })?;
    Ok(ReadInfo {
        encoding: t.encoding,
        format: t.format,
        lines: t.lines,
        unparsed: t.unparsed,
        cut_lines: t.cut,
    })
}

/// Adapts a closure to the engine's visitor.
struct EventVisitor<F>(F);

impl<F: FnMut(&engine::Line<'_>, &engine::Zones)> engine::Visitor for EventVisitor<F> {
    fn line(&mut self, line: &engine::Line<'_>, zones: &engine::Zones) {
        (self.0)(line, zones)
    }
}
