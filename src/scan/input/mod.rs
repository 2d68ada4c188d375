//! One evidence file of a host: what it was recognised as, and what is
//! reported of it. Reading it is in the submodules: [`open_input`]
//! recognises a file and hands it to the reader of its kind.

mod detail;
mod log;
mod open;
mod reading;
mod record;
mod registry;
mod stream;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use std::path::Path;

pub use super::seen::LogLines;
use crate::evidence::discover::{sniff_head, Sniffed};
use crate::evidence::HiveKind;
use crate::registry::RegistrySource;
use crate::warning::Warning;
use crate::wulog::LogSummary;

pub use detail::{ExportRead, HiveDetail, HiveRead, InputDetail, RecoveryReport, RegfVersion};
#[doc(hidden)]
pub use log::event_log_reads;
pub use open::{open_input, read_order};
pub use reading::Reading;

/// What an input file was recognised as (the detail of each kind is an
/// [`InputDetail`]).
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

/// One input of a host, as reported: what every input has, and what its
/// kind has in [`InputDetail`]. Written to JSON as one flat object (see the
/// `record` module), in the same keys whatever the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Input {
    /// The file, as found or named.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file's bytes (absent when it could not be read).
    pub sha256: Option<String>,
    /// What the file was recognised as, with what was read of its kind.
    pub detail: InputDetail,
    /// Why the input could not be read.
    pub error: Option<String>,
    /// What was read with reservations (a hard link, a bad checksum …).
    pub warnings: Vec<Warning>,
}

/// An input with what was read from it.
pub enum Opened {
    /// A hive or `.reg` export, opened.
    Registry(RegistrySource),
    /// A log, summarised, with what its scan kept of the lines holding a
    /// watched code.
    Log(Box<LogSummary>, Box<LogLines>),
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
            size,
            sha256: None,
            detail: InputDetail::unread(kind),
            error: None,
            warnings: Vec::new(),
        }
    }

    /// What the file was recognised as.
    pub fn kind(&self) -> InputKind {
        self.detail.kind()
    }

    /// Which hive a hive or export holds, once read.
    pub fn hive(&self) -> Option<HiveKind> {
        self.detail.hive()
    }

    /// An input that could not be read: `kind` unrecognised, with `error`.
    pub fn failed(path: &Path, size: u64, error: impl Into<String>) -> Self {
        let mut input = Input::new(path, InputKind::Unrecognised, size);
        input.error = Some(error.into());
        input
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
