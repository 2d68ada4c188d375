//! Which kind of event log a file is, told by its first bytes.

use crate::wulog::LogFormat;

/// Which kind of event log a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventLogKind {
    /// An Event Trace Log (`.etl`).
    Etl,
    /// A Windows Vista and later event log (`.evtx`).
    Evtx,
    /// A Windows XP/2003 event log (`.evt`).
    Evt,
}

impl EventLogKind {
    /// The log format a summary of this kind reports.
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
