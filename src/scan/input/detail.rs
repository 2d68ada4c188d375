//! What is known of an input by its kind: a hive's name, dirtiness, replay
//! and version; an export's hive and version; a log's format. Each kind
//! holds only what it can have; strings are made by the renderers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::evidence::HiveKind;
use crate::registry::regfile::RegVersion;
use crate::registry::replay::TxLogFormat;
use crate::warning::Warning;
use crate::wulog::LogFormat;

use super::InputKind;

/// What an input was recognised as, with what its kind says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputDetail {
    /// A binary registry hive.
    Hive(HiveDetail),
    /// A regedit `.reg` export; `None` until it is parsed.
    RegExport(Option<ExportRead>),
    /// A hive transaction log (`.LOG`, `.LOG1`, `.LOG2`).
    TransactionLog,
    /// WindowsUpdate.log (classic or Windows 10 format) or ReportingEvents.log.
    UpdateLog {
        /// The format its lines were read in; `None` until it is read.
        format: Option<LogFormat>,
    },
    /// An ETL trace, EVTX or XP/2003 `.evt` event log.
    EventLog {
        /// Which kind of event log; `None` until it is read.
        format: Option<LogFormat>,
    },
    /// Not recognised.
    Unrecognised,
}

impl InputDetail {
    /// The detail of an input of `kind` not read yet.
    pub fn unread(kind: InputKind) -> Self {
        match kind {
            InputKind::Hive => InputDetail::Hive(HiveDetail::default()),
            InputKind::RegExport => InputDetail::RegExport(None),
            InputKind::TransactionLog => InputDetail::TransactionLog,
            InputKind::UpdateLog => InputDetail::UpdateLog { format: None },
            InputKind::EventLog => InputDetail::EventLog { format: None },
            InputKind::Unrecognised => InputDetail::Unrecognised,
        }
    }

    /// What the input was recognised as.
    pub fn kind(&self) -> InputKind {
        match self {
            InputDetail::Hive(_) => InputKind::Hive,
            InputDetail::RegExport(_) => InputKind::RegExport,
            InputDetail::TransactionLog => InputKind::TransactionLog,
            InputDetail::UpdateLog { .. } => InputKind::UpdateLog,
            InputDetail::EventLog { .. } => InputKind::EventLog,
            InputDetail::Unrecognised => InputKind::Unrecognised,
        }
    }

    /// Which hive a hive or export holds, once read.
    pub fn hive(&self) -> Option<HiveKind> {
        match self {
            InputDetail::Hive(h) => h.read.as_ref().map(|r| r.hive),
            InputDetail::RegExport(e) => e.as_ref().map(|e| e.hive),
            _ => None,
        }
    }

    /// A log's format, once read.
    pub fn log_format(&self) -> Option<LogFormat> {
        match self {
            InputDetail::UpdateLog { format } | InputDetail::EventLog { format } => *format,
            _ => None,
        }
    }

    /// A binary hive's detail.
    pub fn as_hive(&self) -> Option<&HiveDetail> {
        match self {
            InputDetail::Hive(h) => Some(h),
            _ => None,
        }
    }
}

/// What is known of a binary hive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HiveDetail {
    /// The replay of its transaction logs, when its base block asked for one.
    pub recovery: Option<RecoveryReport>,
    /// What its base block said, once it was opened.
    pub read: Option<HiveRead>,
}

impl HiveDetail {
    /// Its transaction logs were replayed (in memory) and it was read from the result.
    pub fn recovered(&self) -> bool {
        self.recovery
            .as_ref()
            .is_some_and(RecoveryReport::recovered)
    }

    /// The file on disk is dirty (`None` when it could not be opened).
    pub fn dirty(&self) -> Option<bool> {
        self.read.as_ref().map(|r| r.dirty)
    }

    /// Dirty on disk and read without its transaction logs applied.
    pub fn dirty_unrecovered(&self) -> bool {
        self.dirty() == Some(true) && !self.recovered()
    }
}

/// What an opened binary hive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiveRead {
    /// Which hive.
    pub hive: HiveKind,
    /// The file on disk is dirty: sequence numbers differ or its base block
    /// is not valid (so whenever a replay was tried), its transaction logs
    /// not applied on disk.
    pub dirty: bool,
    /// The format version its base block declares.
    pub version: RegfVersion,
}

/// What a parsed `.reg` export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRead {
    /// Which hive, by its keys' root or else by content.
    pub hive: HiveKind,
    /// Its header: `REGEDIT4` or version 5.00.
    pub version: RegVersion,
}

/// A hive's format version, as its base block declares it (`regf 1.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegfVersion {
    /// The major version (1).
    pub major: u32,
    /// The minor version (3 to 6).
    pub minor: u32,
}

impl fmt::Display for RegfVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "regf {}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for RegfVersion {
    type Err = String;

    /// Reads what [`fmt::Display`] writes: `regf MAJOR.MINOR`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("not a hive format version: {s:?}");
        let (major, minor) = s
            .strip_prefix("regf ")
            .and_then(|v| v.split_once('.'))
            .ok_or_else(bad)?;
        Ok(RegfVersion {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

/// What replaying a dirty hive's transaction logs did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// The log format replayed: `old` (`.LOG`, Windows 2000 to 8) or `new`
    /// (`.LOG1`/`.LOG2`); `None` when nothing was replayed.
    pub log_format: Option<TxLogFormat>,
    /// The logs replayed, in order.
    pub logs_used: Vec<String>,
    /// Primary and secondary sequence numbers before and after replay.
    pub sequence_before: [u32; 2],
    /// Primary and secondary sequence numbers after replay.
    pub sequence_after: [u32; 2],
    /// The replay in words.
    pub description: String,
    /// Logs skipped or replay stopped early, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl RecoveryReport {
    /// Logs were replayed and the hive read from the result.
    pub fn recovered(&self) -> bool {
        self.log_format.is_some()
    }
}
