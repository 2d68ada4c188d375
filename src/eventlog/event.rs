//! One Windows Update event as the readers hand it over.

use chrono::{DateTime, Utc};

use crate::wulog::Hresult;

/// One Windows Update event, as a Windows 10 log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WuEvent {
    /// EVTX: EventRecordID; EVT: record number; ETL: the event's ordinal
    /// in the trace, in time order.
    pub number: u64,
    /// When the event happened (UTC).
    pub time: Option<DateTime<Utc>>,
    /// The process that logged it (not recorded in `.evt` logs).
    pub pid: Option<u32>,
    /// The thread that logged it (not recorded in `.evt` logs).
    pub tid: Option<u32>,
    /// ETL: the event name (`Agent`, `ComApi`, …); EVTX: `WindowsUpdateClient`;
    /// EVT: `Windows Update Agent`.
    pub component: String,
    /// The event's text, as `Get-WindowsUpdateLog` or Event Viewer words it.
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
