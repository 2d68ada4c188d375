//! Replaying an old-format log: one log, chosen as Windows chooses it.

use std::path::Path;

use crate::registry::baseblock::{
    put_u32, set_sequences, BASE_BLOCK_SECTOR, BASE_BLOCK_SIZE, FILE_TYPE_PRIMARY, OFF_FILE_TYPE,
    OFF_HIVE_BINS_SIZE,
};
use crate::warning::{Warning, WarningCode};

use super::bins::{check_bins, first_hbin_timestamp};
use super::error::TxLogError;
use super::old_log::{OldLog, PAGE};
use super::primary::{warn, Primary, Replayed};

/// Picks the applicable log (its last-written time equals the primary's,
/// or the first hive bin's when the primary's base block is damaged),
/// preferring the most recent one and, among equals, the first given; if
/// replaying it fails, the next one is tried.
pub(super) fn replay(
    p: &Primary<'_>,
    logs: &[(&Path, OldLog<'_>)],
    warnings: &mut Vec<Warning>,
) -> Option<Replayed> {
    // A damaged base block's time is checked against the first hive bin's
    // copy, as Windows does; failing that, against the damaged block's own
    // field (a match of 64 bits is no accident), said in a warning.
    let reference = if p.valid {
        Some(p.header.timestamp)
    } else {
        first_hbin_timestamp(p.bytes)
    };
    let mut candidates: Vec<&(&Path, OldLog<'_>)> = Vec::new();
    for log in logs {
        if Some(log.1.header.timestamp) == reference {
            candidates.push(log);
        } else if !p.valid && log.1.header.timestamp == p.header.timestamp {
            warnings.push(Warning::new(
                WarningCode::ReplayDamagedTimestamp,
                format!(
                    "{}: its last-written time matches the primary file's damaged base block, not its first hive bin; applied",
                    log.0.display()
                ),
            ));
            candidates.push(log);
        } else {
            warn(warnings, log.0, &TxLogError::TimestampMismatch);
        }
    }
    candidates.sort_by_key(|(_, l)| std::cmp::Reverse(l.header.primary_sequence));
    for (path, log) in candidates {
        match apply(p, log) {
            Ok((bytes, seq, note)) => {
                warnings.extend(note);
                return Some(Replayed {
                    bytes,
                    used: vec![path.to_path_buf()],
                    seq,
                });
            }
            Err(why) => warn(warnings, path, &why),
        }
    }
    None
}

/// Writes the log's dirty pages over a copy of the primary file and fixes
/// up the base block; the sequence numbers become those of the write the
/// log completes.
fn apply(p: &Primary<'_>, log: &OldLog<'_>) -> Result<(Vec<u8>, u32, Option<Warning>), TxLogError> {
    let size = log.header.hive_bins_size as usize;
    let end = BASE_BLOCK_SIZE + size;
    if end as u64 > p.limit {
        return Err(TxLogError::TooLarge(size as u64));
    }
    let mut hive = p.bytes.to_vec();
    if hive.len() < end {
        hive.resize(end, 0);
    }
    let seq = if p.valid {
        p.header.primary_sequence
    } else {
        hive[..BASE_BLOCK_SECTOR].copy_from_slice(log.first_sector);
        put_u32(&mut hive, OFF_FILE_TYPE, FILE_TYPE_PRIMARY);
        log.header.primary_sequence
    };
    let mut written = vec![false; size / PAGE];
    for (off, page) in log.dirty_pages() {
        let at = BASE_BLOCK_SIZE + off;
        hive[at..at + PAGE].copy_from_slice(page);
        written[off / PAGE] = true;
    }
    put_u32(&mut hive, OFF_HIVE_BINS_SIZE, log.header.hive_bins_size);
    set_sequences(&mut hive, seq);
    let note = check_bins(p, &hive, size, &written)?;
    Ok((hive, seq, note))
}
