//! What both replays (old and new format) share: the primary file, the
//! result, the checks of the hive bins after replay.

use std::path::{Path, PathBuf};

use super::baseblock::{bin_cells_ok, hbin_chain_break, written_bins, Header};
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
    pub(super) header: Header,
    /// Its base block is valid; otherwise it is taken from the log replayed.
    pub(super) valid: bool,
    /// Largest hive size replay may produce: what the inputs can fill.
    pub(super) limit: u64,
}

/// Adds the warning that the log at `path` was not (wholly) replayed.
pub(super) fn warn(warnings: &mut Vec<String>, path: &Path, why: &TxLogError) {
    warnings.push(format!("{}: {why}", path.display()));
}

/// Checks the hive bins after replay. A chain of bins broken where the
/// primary's was whole means the logs damaged the hive (an error); a break
/// already in the primary file at or before that point is only reported.
/// Every bin holding replayed pages (`written`: one flag per 512 bytes of
/// hive bins data) must be tiled exactly by its cells.
pub(super) fn check_bins(
    p: &Primary<'_>,
    after: &[u8],
    hive_bins_size: usize,
    written: &[bool],
) -> Result<Option<String>, TxLogError> {
    let mut note = None;
    if let Some(at) = hbin_chain_break(after, hive_bins_size) {
        match hbin_chain_break(p.bytes, p.header.hive_bins_size as usize) {
            Some(q) if q <= at => {
                note = Some(format!(
                    "the hive bin at offset 0x{at:x} is invalid (the primary file's chain of bins already breaks at 0x{q:x})"
                ))
            }
            _ => return Err(TxLogError::BadBin(at)),
        }
    }
    for (off, _) in written_bins(after, hive_bins_size, written) {
        if !bin_cells_ok(after, off) {
            return Err(TxLogError::BadCells(off));
        }
    }
    Ok(note)
}
