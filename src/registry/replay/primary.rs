//! What both replays (old and new format) share: the primary file, the
//! result, and the warning that a log was not (wholly) replayed.

use std::path::{Path, PathBuf};

use crate::registry::baseblock::RawFields;
use crate::warning::{Warning, WarningCode};

use super::error::TxLogError;

/// The result of one successful replay.
pub(super) struct Replayed {
    pub(super) bytes: Vec<u8>,
    pub(super) used: Vec<PathBuf>,
    pub(super) seq: u32,
}

/// What both replays need to know about the primary file.
pub(super) struct Primary<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) header: RawFields,
    /// Its base block is valid; otherwise it is taken from the log replayed.
    pub(super) valid: bool,
    /// Largest hive size replay may produce: what the inputs can fill.
    pub(super) limit: u64,
}

/// Adds the warning that the log at `path` was not (wholly) replayed.
pub(super) fn warn(warnings: &mut Vec<Warning>, path: &Path, why: &TxLogError) {
    warnings.push(Warning::new(
        WarningCode::ReplayLogSkipped,
        format!("{}: {why}", path.display()),
    ));
}
