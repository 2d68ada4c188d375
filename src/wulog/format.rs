//! Log formats: detection and dispatch to the format readers.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::head::Head;
use super::{classic, reporting, win10};

/// The format of a log file, decided from its first parseable line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    /// Windows 2000 … 8.1 WindowsUpdate.log (tab- or space-separated).
    Classic,
    /// `Get-WindowsUpdateLog` output (Windows 10 and later).
    Win10,
    /// `%windir%\SoftwareDistribution\ReportingEvents.log`.
    ReportingEvents,
    /// An ETL trace (WUTraceLogging, SIH, WaaSMedic), read by `crate::eventlog`.
    Etl,
    /// An EVTX event log (WindowsUpdateClient events), read by `crate::eventlog`.
    Evtx,
    /// An XP/2003 `.evt` event log (Windows Update Agent), read by `crate::eventlog`.
    Evt,
    /// No line could be parsed.
    Unknown,
}

impl LogFormat {
    /// The format's name in reports (`classic`, `win10`, `reporting-events`).
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Classic => "classic",
            LogFormat::Win10 => "win10",
            LogFormat::ReportingEvents => "reporting-events",
            LogFormat::Etl => "etl",
            LogFormat::Evtx => "evtx",
            LogFormat::Evt => "evt",
            LogFormat::Unknown => "unknown",
        }
    }

    /// True for the event-log formats (ETL, EVTX, EVT).
    pub fn is_event_log(self) -> bool {
        matches!(self, LogFormat::Etl | LogFormat::Evtx | LogFormat::Evt)
    }

    /// Parses `line` in this format (`Unknown` parses nothing).
    #[inline]
    pub(crate) fn parse(self, line: &[u8]) -> Option<Head<'_>> {
        match self {
            LogFormat::Classic => classic::parse(line),
            LogFormat::Win10 => win10::parse(line),
            LogFormat::ReportingEvents => reporting::parse(line),
            LogFormat::Etl | LogFormat::Evtx | LogFormat::Evt | LogFormat::Unknown => None,
        }
    }

    /// Detection: the first format that parses `line`.
    pub(crate) fn detect(line: &[u8]) -> Option<(LogFormat, Head<'_>)> {
        [
            LogFormat::Classic,
            LogFormat::Win10,
            LogFormat::ReportingEvents,
        ]
        .into_iter()
        .find_map(|f| f.parse(line).map(|h| (f, h)))
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
