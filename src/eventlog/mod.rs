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
mod evt_wu;
mod evtx_wu;
pub(crate) mod summary;

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::evidence::open::open_evidence;
use crate::wulog::{hresult, Hresult, LogFormat, LogSummary, ScanOptions};

pub use evtx_wu::error_code;

/// Warnings kept per file.
const MAX_WARNINGS: usize = 50;

/// Which kind of event log a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventLogKind {
    Etl,
    Evtx,
    Evt,
}

impl EventLogKind {
    pub fn format(self) -> LogFormat {
        match self {
            EventLogKind::Etl => LogFormat::Etl,
            EventLogKind::Evtx => LogFormat::Evtx,
            EventLogKind::Evt => LogFormat::Evt,
        }
    }
}

/// Recognises an event log by its first bytes.
pub fn sniff(head: &[u8]) -> Option<EventLogKind> {
    if head.starts_with(b"ElfFile\0") {
        Some(EventLogKind::Evtx)
    } else if crate::evt::looks_like_evt(head) {
        Some(EventLogKind::Evt)
    } else if crate::etl::looks_like_etl(head) {
        Some(EventLogKind::Etl)
    } else {
        None
    }
}

/// True when the file at `path` starts like an event log.
pub fn is_event_log(path: &Path) -> bool {
    crate::evidence::discover::read_head(path).is_ok_and(|h| sniff(&h).is_some())
}

/// One Windows Update event, as a Windows 10 log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WuEvent {
    /// EVTX: EventRecordID; EVT: record number; ETL: the event's ordinal
    /// in the trace, in time order.
    pub number: u64,
    pub time: Option<DateTime<Utc>>,
    pub pid: Option<u32>,
    pub tid: Option<u32>,
    /// ETL: the event name (`Agent`, `ComApi`, …); EVTX: `WindowsUpdateClient`;
    /// EVT: `Windows Update Agent`.
    pub component: String,
    pub text: String,
    /// The codes the event reports, each once.
    pub codes: Vec<Hresult>,
    /// EVTX and EVT: the event id (EVT: `EventID & 0xFFFF`).
    pub event_id: Option<u32>,
    /// EVT: found outside the live region of the log.
    pub recovered: bool,
}

impl WuEvent {
    /// The event as a line: UTC time, process, thread, component, text
    /// (and `(recovered record)` for an EVT record found in slack space).
    pub fn line(&self) -> String {
        let time = self.time.map_or_else(
            || "-".into(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
        let id = |v: Option<u32>| v.map_or_else(|| "-".into(), |v| v.to_string());
        let recovered = if self.recovered {
            " (recovered record)"
        } else {
            ""
        };
        format!(
            "{time} {:<5} {:<5} {:<15} {}{recovered}",
            id(self.pid),
            id(self.tid),
            self.component,
            self.text
        )
    }
}

/// What a reader hands over per event.
#[derive(Debug)]
pub(crate) enum Item {
    Wu(WuEvent),
    /// A Windows Update event whose payload could not be decoded.
    Undecoded,
    /// An event of another provider or source.
    Other,
}

/// Counts of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub kind: EventLogKind,
    /// Windows Update events read.
    pub wu_events: u64,
    /// Windows Update events that could not be decoded.
    pub unparsed: u64,
    /// Events of other providers (other sources in `.evt`).
    pub other_events: u64,
    /// ETL: events lost, as the trace header states.
    pub lost_events: Option<u64>,
    pub warnings: Vec<String>,
}

impl Totals {
    fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EventLogError {
    #[error("{}: cannot open: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not an ETL, EVTX or EVT event log", path.display())]
    NotEventLog { path: PathBuf },
    #[error("{}: {message}", path.display())]
    Read { path: PathBuf, message: String },
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
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .map_err(open_err)?;
    read_from(&head, BufReader::with_capacity(256 * 1024, file), path, f)
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
    let mut totals = Totals {
        kind,
        wu_events: 0,
        unparsed: 0,
        other_events: 0,
        lost_events: None,
        warnings: Vec::new(),
    };
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
/// `open_evidence`), positioned at its start, whose first bytes are `head`.
pub fn scan_open(
    file: File,
    head: &[u8],
    path: &Path,
    opts: &ScanOptions,
) -> Result<(LogSummary, Totals), EventLogError> {
    let mut agg = summary::Aggregator::new(opts);
    let reader = BufReader::with_capacity(256 * 1024, file);
    let totals = read_from(head, reader, path, |e| agg.add(&e))?;
    Ok((agg.finish(path.display().to_string(), &totals), totals))
}
