//! One evidence file of a host: what it was recognised as, and what is
//! reported of it. Reading it is in the submodules: [`open_input`]
//! recognises a file and hands it to the reader of its kind.

mod log;
mod open;
mod reading;
mod registry;
mod stream;

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::evidence::discover::{sniff_head, Sniffed};
use crate::evidence::HiveKind;
use crate::registry::RegistrySource;
use crate::warning::Warning;
use crate::wulog::LogSummary;

pub use open::{open_input, read_order};
pub use reading::Reading;

/// What an input file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputKind {
    /// A binary registry hive (`hive` says which).
    Hive,
    /// A regedit `.reg` export (`hive` says which, where its keys tell).
    RegExport,
    /// A hive transaction log (`.LOG`, `.LOG1`, `.LOG2`).
    TransactionLog,
    /// WindowsUpdate.log (classic or Windows 10 format) or ReportingEvents.log.
    UpdateLog,
    /// An ETL trace, EVTX or XP/2003 `.evt` event log (`format` says which).
    EventLog,
    /// Not recognised.
    Unrecognised,
}

/// One input of a host, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Input {
    /// The file, as found or named.
    pub path: String,
    /// What the file was recognised as.
    pub kind: InputKind,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file's bytes (absent when it could not be read).
    pub sha256: Option<String>,
    /// Hives and exports: which hive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hive: Option<HiveKind>,
    /// Hives only: sequence numbers differ (transaction logs not applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dirty: Option<bool>,
    /// Dirty hives: whether their transaction logs were replayed (in memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<bool>,
    /// Dirty hives: the replay's details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryReport>,
    /// Logs: `classic`, `win10` or `reporting-events`; exports: `REGEDIT4` or `5.00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Why the input could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What was read with reservations (a hard link, a bad checksum …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// What replaying a dirty hive's transaction logs did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// `old` (`.LOG`, Windows 2000 to 8) or `new` (`.LOG1`/`.LOG2`), when replayed.
    pub log_format: Option<String>,
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

/// An input with what was read from it.
pub enum Opened {
    /// A hive or `.reg` export, opened.
    Registry(RegistrySource),
    /// A log, summarised.
    Log(Box<LogSummary>),
    /// Nothing to read further (unrecognised, or refused).
    Nothing,
}

/// The message for files that are none of the things this tool reads.
pub const NOT_EVIDENCE: &str = "not a registry hive, .reg export or Windows Update log";

impl Input {
    /// An input not read yet: only its path, kind and size.
    pub fn new(path: &Path, kind: InputKind, size: u64) -> Self {
        Self {
            path: path.display().to_string(),
            kind,
            size,
            sha256: None,
            hive: None,
            dirty: None,
            recovered: None,
            recovery: None,
            format: None,
            error: None,
            warnings: Vec::new(),
        }
    }
}

/// What the first bytes of a file say it is.
fn kind_of(head: &[u8]) -> InputKind {
    match sniff_head(head) {
        Sniffed::Hive => InputKind::Hive,
        Sniffed::HiveLog => InputKind::TransactionLog,
        Sniffed::RegExport => InputKind::RegExport,
        Sniffed::UpdateLog => InputKind::UpdateLog,
        Sniffed::EventLog => InputKind::EventLog,
        Sniffed::Unknown => InputKind::Unrecognised,
    }
}
