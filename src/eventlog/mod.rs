//! Windows Update evidence in event logs: ETL traces, EVTX and XP/2003
//! `.evt` logs, recognised by content and read into the same events and
//! summaries as the text logs (see [`crate::wulog`]).
//!
//! Each Windows Update event becomes a [`WuEvent`] — time (UTC), process,
//! thread, component and text, as a Windows 10 `WindowsUpdate.log` line —
//! and its codes are found by the same extraction as a text line's (EVTX
//! events: the `errorCode` field). Events of other providers are counted
//! apart; Windows Update events that cannot be decoded are `unparsed`.

mod etl_wu;
mod event;
mod evt_wu;
mod evtx_wu;
pub(crate) mod kind;
pub(crate) mod summary;
mod totals;

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use crate::evidence::open::open_evidence;
use crate::evidence::seek_hash::SeekHashing;
use crate::wulog::{hresult, CodedLine, LogSummary, ScanOptions};

pub use event::WuEvent;
pub use evtx_wu::error_code;
pub use kind::{sniff, EventLogKind};
pub use totals::Totals;

use event::Item;

/// True when the file at `path` starts like an event log.
pub fn is_event_log(path: &Path) -> bool {
    crate::evidence::discover::read_head(path).is_ok_and(|h| sniff(&h).is_some())
}

/// Why an event log could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum EventLogError {
    /// The file could not be opened or its start read.
    #[error("{}: cannot open: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is none of the event log kinds read.
    #[error("{}: not an ETL, EVTX or EVT event log", path.display())]
    NotEventLog {
        /// The file.
        path: PathBuf,
    },
    /// The reader of its kind failed (not a valid log of that kind, an I/O
    /// error, or the EVTX parser failing on it).
    #[error("{}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What failed, in words.
        message: String,
    },
}

/// Reads the event log at `path`, calling `f` with each Windows Update event.
pub fn read_file(path: &Path, f: impl FnMut(WuEvent)) -> Result<Totals, EventLogError> {
    let open_err = |source| EventLogError::Open {
        path: path.into(),
        source,
    };
    let (mut file, _) = open_evidence(path).map_err(|e| open_err(e.into()))?;
    let mut head = Vec::new();
    (&mut file)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(open_err)?;
    // The readers seek by offset: a reader whose window survives seeks (and
    // serves the head from memory) reads each byte about once.
    let reader = SeekHashing::unhashed(head.clone(), file);
    read_from(&head, reader, path, f)
}

/// Reads an event log held in memory (ETL, EVTX or EVT, told by its first
/// bytes): its Windows Update events and the totals. Never panics.
pub fn parse(bytes: &[u8]) -> Result<(Vec<WuEvent>, Totals), EventLogError> {
    let mut events = Vec::new();
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let totals = read_from(
        head,
        std::io::Cursor::new(bytes),
        Path::new("<memory>"),
        |e| events.push(e),
    )?;
    Ok((events, totals))
}

/// Reads a log whose first bytes are `head` from `r`; `path` names it in errors.
fn read_from<R: std::io::Read + std::io::Seek>(
    head: &[u8],
    r: R,
    path: &Path,
    mut f: impl FnMut(WuEvent),
) -> Result<Totals, EventLogError> {
    let kind = sniff(head).ok_or_else(|| EventLogError::NotEventLog { path: path.into() })?;
    let mut totals = Totals::new(kind);
    let mut counts = (0u64, 0u64, 0u64);
    let mut sink = |item: Item| match item {
        Item::Wu(mut e) => {
            counts.0 += 1;
            if e.codes.is_empty() {
                hresult::extract(e.text.as_bytes(), &mut e.codes);
            }
            f(e)
        }
        Item::Undecoded => counts.1 += 1,
        Item::Other => counts.2 += 1,
    };
    let read_err = |message: String| EventLogError::Read {
        path: path.into(),
        message,
    };
    match kind {
        EventLogKind::Etl => {
            etl_wu::read(r, &mut totals, &mut sink).map_err(|e| read_err(e.to_string()))?
        }
        EventLogKind::Evtx => {
            // The crate is not ours: a panic inside it becomes an error on this file.
            let run = std::panic::AssertUnwindSafe(|| evtx_wu::read(r, &mut totals, &mut sink));
            std::panic::catch_unwind(run)
                .map_err(|_| read_err("the EVTX parser failed on this file".into()))?
                .map_err(|e| read_err(e.to_string()))?
        }
        EventLogKind::Evt => {
            evt_wu::read(r, &mut totals, &mut sink).map_err(|e| read_err(e.to_string()))?
        }
    }
    (totals.wu_events, totals.unparsed, totals.other_events) = counts;
    Ok(totals)
}

/// Summarises the event log at `path` like a text log: format `etl`,
/// `evtx` or `evt`, `lines` the Windows Update events, `unparsed` those not
/// decoded, `other_events` the rest.
pub fn scan_file(path: &Path, opts: &ScanOptions) -> Result<(LogSummary, Totals), EventLogError> {
    let mut agg = summary::Aggregator::new(opts);
    let totals = read_file(path, |e| agg.add(&e))?;
    Ok((agg.finish(path.display().to_string(), &totals), totals))
}

/// Like [`scan_file`], from a file already opened as evidence (see
/// `open_evidence`), or a reader over one, positioned at its start, whose
/// first bytes are `head`. No buffer is added: the readers seek by offset,
/// and a buffer emptied by each seek would read bytes twice.
pub fn scan_open(
    r: impl Read + Seek,
    head: &[u8],
    path: &Path,
    opts: &ScanOptions,
) -> Result<(LogSummary, Totals), EventLogError> {
    scan_events(r, head, path, opts, None)
}

/// Like [`scan_open`], handing `see` every Windows Update event that holds
/// a code of `opts.always_keep`, in the same pass (see
/// [`crate::wulog::scan_reader_seeing`]).
pub fn scan_open_seeing(
    r: impl Read + Seek,
    head: &[u8],
    path: &Path,
    opts: &ScanOptions,
    see: &mut dyn FnMut(&CodedLine<'_>),
) -> Result<(LogSummary, Totals), EventLogError> {
    scan_events(r, head, path, opts, Some(see))
}

fn scan_events(
    r: impl Read + Seek,
    head: &[u8],
    path: &Path,
    opts: &ScanOptions,
    mut see: Option<&mut dyn FnMut(&CodedLine<'_>)>,
) -> Result<(LogSummary, Totals), EventLogError> {
    let mut agg = summary::Aggregator::new(opts);
    let totals = read_from(head, r, path, |e| {
        agg.add(&e);
        if let Some(see) = see.as_mut() {
            if e.codes.iter().any(|c| opts.always_keep.contains(c)) {
                let shown = e.line();
                let time = e.time.map(summary::utc);
                see(&CodedLine::event(
                    e.number,
                    time,
                    &e.codes,
                    &e.component,
                    &e.text,
                    &shown,
                ));
            }
        }
    })?;
    Ok((agg.finish(path.display().to_string(), &totals), totals))
}
