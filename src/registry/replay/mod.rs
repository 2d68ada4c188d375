//! Replaying transaction logs into a dirty hive, in memory.
//!
//! A hive copied from a running or crashed machine is often *dirty*: its
//! base block's sequence numbers differ (or its checksum is wrong) because
//! recent writes sit only in the transaction logs beside it. [`recover`]
//! takes the primary file's bytes and the logs' bytes and returns the hive
//! as Windows would recover it, never touching any file. Both log formats
//! are read, recognised by content rather than by name: the old one (base
//! block copy + `DIRT` dirty vector + dirty pages, Windows 2000 to 8) and
//! the new one (`HvLE` entries guarded by Marvin32 hashes, Windows 8.1+).
//!
//! A log that fails a check is skipped with a warning naming why, and the
//! primary file is then used as it is: replay either produces a hive whose
//! every replayed part passed the checks, or leaves the input unchanged.

mod bins;
mod discover;
mod error;
mod marvin;
mod new_log;
mod old_log;
mod primary;
mod replay_new;
mod replay_old;
#[doc(hidden)]
pub mod testing;

use std::path::{Path, PathBuf};

use crate::registry::baseblock::{RawFields, BASE_BLOCK_SIZE, FILE_TYPE_NEW_LOG};
use crate::warning::{Warning, WarningCode};
pub use discover::find_logs;
pub use error::TxLogError;
use primary::{warn, Primary};
use serde::{Deserialize, Serialize};

/// A transaction log's path (for reports) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// Where the log was read from.
    pub path: PathBuf,
    /// The log's content.
    pub bytes: Vec<u8>,
}

/// Which transaction log format was replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxLogFormat {
    /// Base block + `DIRT` dirty vector + dirty pages (Windows 2000 to 8).
    Old,
    /// `HvLE` log entries (Windows 8.1 and later).
    New,
}

/// The outcome of [`recover`] for one hive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovery {
    /// The recovered hive, or the primary file's bytes as they were.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The primary file needed recovery (sequence numbers differ or its
    /// base block checksum is wrong).
    pub dirty: bool,
    /// Logs were replayed and `bytes` holds the result.
    pub recovered: bool,
    /// The format replayed, when `recovered`.
    pub log_format: Option<TxLogFormat>,
    /// The logs whose content went into `bytes`, in replay order.
    pub logs_used: Vec<PathBuf>,
    /// Primary and secondary sequence numbers before and after replay.
    pub seq_before: (u32, u32),
    /// Primary and secondary sequence numbers after replay.
    pub seq_after: (u32, u32),
    /// Why logs were skipped or replay stopped early; empty when all went well.
    pub warnings: Vec<Warning>,
}

impl Recovery {
    /// One sentence saying what happened, for text reports.
    pub fn describe(&self) -> String {
        let (b1, b2) = self.seq_before;
        if !self.dirty {
            return format!("clean hive (sequence numbers {b1}/{b2}); no replay needed");
        }
        if !self.recovered {
            return format!(
                "dirty hive (sequence numbers {b1}/{b2}); not recovered, read as it is on disk"
            );
        }
        let names: Vec<String> = self
            .logs_used
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            })
            .collect();
        let format = match self.log_format {
            Some(TxLogFormat::Old) => "old-format",
            _ => "new-format",
        };
        let (a1, a2) = self.seq_after;
        format!(
            "dirty hive (sequence numbers {b1}/{b2}); recovered in memory from {format} log {} (sequence numbers now {a1}/{a2})",
            names.join(", ")
        )
    }
}

/// A log that passed its own checks.
enum Parsed<'a> {
    Old(old_log::OldLog<'a>),
    New(new_log::NewLog<'a>),
}

/// Recovers `primary` with `logs` as Windows would, in memory.
///
/// A clean primary is returned unchanged (log entries it does not need are
/// ignored, as Windows does). For a dirty one, the new-format logs are
/// replayed if any is usable (in sequence order, across files), else the
/// best applicable old-format log. Never panics; any failure leaves the
/// primary's bytes in `bytes` and says why in `warnings`.
pub fn recover(primary: &[u8], logs: &[LogFile]) -> Recovery {
    let mut out = Recovery {
        bytes: Vec::new(),
        dirty: false,
        recovered: false,
        log_format: None,
        logs_used: Vec::new(),
        seq_before: (0, 0),
        seq_after: (0, 0),
        warnings: Vec::new(),
    };
    let Some((header, invalid)) = primary_header(primary) else {
        out.warnings.push(Warning::new(
            WarningCode::ReplayNotAHive,
            "not a registry hive (no `regf` base block): no replay",
        ));
        out.bytes = primary.to_vec();
        return out;
    };
    out.seq_before = (header.primary_sequence, header.secondary_sequence);
    out.seq_after = out.seq_before;
    out.dirty = invalid.is_some() || header.primary_sequence != header.secondary_sequence;
    if !out.dirty {
        out.bytes = primary.to_vec();
        return out;
    }
    if let Some(why) = &invalid {
        out.warnings.push(Warning::new(
            WarningCode::ReplayPrimaryInvalid,
            format!(
                "the primary file's base block is not valid ({why}): it is recovered from a transaction log"
            ),
        ));
    }

    let (old, new) = sort_logs(logs, &mut out.warnings);
    let log_bytes: u64 = logs.iter().map(|l| l.bytes.len() as u64).sum();
    let own = (primary.len() as u64).max(BASE_BLOCK_SIZE as u64 + u64::from(header.hive_bins_size));
    let p = Primary {
        bytes: primary,
        header,
        valid: invalid.is_none(),
        limit: own + log_bytes,
    };
    let mut result = None;
    if !new.is_empty() {
        result = replay_new::replay(&p, &new, &mut out.warnings).map(|r| (r, TxLogFormat::New));
    }
    if result.is_none() && !old.is_empty() {
        result = replay_old::replay(&p, &old, &mut out.warnings).map(|r| (r, TxLogFormat::Old));
    }
    match result {
        Some((r, format)) => {
            out.bytes = r.bytes;
            out.recovered = true;
            out.log_format = Some(format);
            out.logs_used = r.used;
            out.seq_after = (r.seq, r.seq);
        }
        None => {
            out.bytes = primary.to_vec();
            out.warnings.push(Warning::new(
                WarningCode::ReplayNoUsableLog,
                "no usable transaction log: the hive is read as it is on disk",
            ));
        }
    }
    out
}

/// The primary file's base block fields and why the block is not valid
/// (`None` when it is). A damaged signature still counts as a hive when
/// hive bins follow; `None` for anything else.
fn primary_header(primary: &[u8]) -> Option<(RawFields, Option<String>)> {
    let header = RawFields::read(primary)?;
    let bins_follow = primary.get(BASE_BLOCK_SIZE..BASE_BLOCK_SIZE + 4) == Some(b"hbin");
    if !header.signature_ok && !bins_follow {
        return None;
    }
    Some((header, header.primary_invalid()))
}

/// Recognises a log's format by its content and checks it.
fn classify(bytes: &[u8]) -> Result<Parsed<'_>, TxLogError> {
    if new_log::looks_new(bytes) {
        return new_log::parse(bytes).map(Parsed::New);
    }
    if old_log::looks_old(bytes) {
        return old_log::parse(bytes).map(Parsed::Old);
    }
    match RawFields::read_regf(bytes) {
        None => Err(TxLogError::NotALog),
        // A new-format log whose entries were all consumed: nothing to replay.
        Some(h) if h.file_type == FILE_TYPE_NEW_LOG && h.checksum_ok() => {
            Err(TxLogError::NoEntries)
        }
        Some(_) => Err(TxLogError::UnknownFormat),
    }
}

/// The logs that passed their own checks, old format and new format (those
/// with entries); why the others were left out goes to `warnings`.
#[allow(clippy::type_complexity)]
fn sort_logs<'l>(
    logs: &'l [LogFile],
    warnings: &mut Vec<Warning>,
) -> (
    Vec<(&'l Path, old_log::OldLog<'l>)>,
    Vec<(&'l Path, new_log::NewLog<'l>)>,
) {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for log in logs.iter().filter(|l| !l.bytes.is_empty()) {
        match classify(&log.bytes) {
            Ok(Parsed::Old(l)) => old.push((log.path.as_path(), l)),
            Ok(Parsed::New(l)) => {
                if let Some(why) = &l.stopped {
                    warn(warnings, &log.path, why);
                }
                if l.entries.is_empty() {
                    if l.stopped.is_none() {
                        warn(warnings, &log.path, &TxLogError::NoEntries);
                    }
                } else {
                    new.push((log.path.as_path(), l));
                }
            }
            Err(why) => warn(warnings, &log.path, &why),
        }
    }
    (old, new)
}

/// The warning that the transaction log at `path` could not be read.
pub fn unreadable_log(path: &Path, e: &dyn std::fmt::Display) -> Warning {
    Warning::new(
        WarningCode::ReplayLogUnreadable,
        format!("{}: {e}", path.display()),
    )
}

/// Reads the hive at `hive_path` and, when it needs them, the logs beside
/// it, and recovers it. Files are only read, and only regular files (see
/// `evidence::open`). A log that cannot be read becomes a warning;
/// the logs of a clean hive are not opened at all.
pub fn recover_path(hive_path: &Path) -> std::io::Result<Recovery> {
    use crate::evidence::open::read_evidence;
    let primary = read_evidence(hive_path)?;
    let needs_logs = crate::registry::baseblock::BaseBlock::parse(&primary)
        .map_or(true, |b| b.is_dirty() || !b.checksum_ok());
    let mut logs = Vec::new();
    let mut unread = Vec::new();
    for path in find_logs(hive_path).into_iter().filter(|_| needs_logs) {
        match read_evidence(&path) {
            Ok(bytes) => logs.push(LogFile { path, bytes }),
            Err(e) => unread.push(unreadable_log(&path, &e)),
        }
    }
    let mut r = recover(&primary, &logs);
    if r.dirty {
        r.warnings.splice(0..0, unread);
    }
    Ok(r)
}
