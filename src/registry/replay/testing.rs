//! Building dirty hives and their transaction logs, for tests: a clean hive
//! plus the state it should reach becomes a dirty primary file and a log
//! (old or new format) whose replay yields that state.

use super::marvin::{marvin32, LOG_ENTRY_SEED};
use crate::registry::baseblock::{
    fix_checksum, put_u32, RawFields, BASE_BLOCK_SECTOR as SECTOR, BASE_BLOCK_SIZE,
    FILE_TYPE_NEW_LOG, FILE_TYPE_OLD_LOG, HBIN_ALIGN, OFF_FILE_TYPE, OFF_SEQ1, OFF_SEQ2,
    OFF_TIMESTAMP,
};

fn header(hive: &[u8], what: &str) -> Result<RawFields, String> {
    let h = RawFields::read_regf(hive).ok_or_else(|| format!("{what}: not a hive"))?;
    let size = h.hive_bins_size as usize;
    if !h.hive_bins_size_ok() || hive.len() < BASE_BLOCK_SIZE + size {
        return Err(format!(
            "{what}: hive bins size {size} does not fit the file"
        ));
    }
    Ok(h)
}

/// The clean hive with its primary sequence number raised by one: the
/// state a primary file is left in when a write is interrupted.
pub fn make_dirty(clean: &[u8]) -> Result<Vec<u8>, String> {
    let h = header(clean, "clean hive")?;
    let mut dirty = clean.to_vec();
    put_u32(&mut dirty, OFF_SEQ1, h.secondary_sequence.wrapping_add(1));
    fix_checksum(&mut dirty);
    Ok(dirty)
}

/// Offsets (relative to the hive bins data) of the 4096-byte blocks of
/// `modified` that differ from `clean`.
pub fn changed_blocks(clean: &[u8], modified: &[u8]) -> Result<Vec<usize>, String> {
    let h = header(modified, "modified hive")?;
    let bins = &modified[BASE_BLOCK_SIZE..BASE_BLOCK_SIZE + h.hive_bins_size as usize];
    let old = clean.get(BASE_BLOCK_SIZE..).unwrap_or_default();
    Ok(bins
        .chunks(HBIN_ALIGN)
        .enumerate()
        .filter(|(i, block)| old.get(i * HBIN_ALIGN..i * HBIN_ALIGN + HBIN_ALIGN) != Some(*block))
        .map(|(i, _)| i * HBIN_ALIGN)
        .collect())
}

/// The first sector of a log's base block: `modified`'s, with the dirty
/// primary's sequence number (both fields), the clean hive's last-written
/// time (so that the log applies to it) and the log's file type.
fn log_sector(dirty: &[u8], modified: &[u8], file_type: u32) -> Vec<u8> {
    let mut s = modified[..SECTOR].to_vec();
    s[OFF_SEQ1..OFF_SEQ1 + 4].copy_from_slice(&dirty[OFF_SEQ1..OFF_SEQ1 + 4]);
    s[OFF_SEQ2..OFF_SEQ2 + 4].copy_from_slice(&dirty[OFF_SEQ1..OFF_SEQ1 + 4]);
    s[OFF_TIMESTAMP..OFF_TIMESTAMP + 8].copy_from_slice(&dirty[OFF_TIMESTAMP..OFF_TIMESTAMP + 8]);
    put_u32(&mut s, OFF_FILE_TYPE, file_type);
    fix_checksum(&mut s);
    s
}

/// A dirty primary file and an old-format log (`DIRT`) holding every
/// 4096-byte block in which `modified` differs from `clean`. Replaying the
/// log over the primary gives `modified`'s hive bins.
pub fn old_format_pair(clean: &[u8], modified: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let dirty = make_dirty(clean)?;
    let h = header(modified, "modified hive")?;
    let blocks = changed_blocks(clean, modified)?;
    let mut log = log_sector(&dirty, modified, FILE_TYPE_OLD_LOG);
    let bits = h.hive_bins_size as usize / 512;
    let mut bitmap = vec![0u8; bits / 8];
    for off in &blocks {
        bitmap[off / 4096] = 0xFF; // eight 512-byte pages
    }
    log.extend_from_slice(b"DIRT");
    log.extend_from_slice(&bitmap);
    log.resize(log.len().div_ceil(SECTOR) * SECTOR, 0);
    for off in &blocks {
        let at = BASE_BLOCK_SIZE + off;
        log.extend_from_slice(&modified[at..at + HBIN_ALIGN]);
    }
    Ok((dirty, log))
}

/// One `HvLE` log entry with correct hashes.
pub fn new_entry(seq: u32, hive_bins_size: u32, pages: &[(u32, &[u8])]) -> Vec<u8> {
    let mut e = vec![0u8; 40];
    e[..4].copy_from_slice(b"HvLE");
    put_u32(&mut e, 12, seq);
    put_u32(&mut e, 16, hive_bins_size);
    put_u32(&mut e, 20, pages.len() as u32);
    for (off, page) in pages {
        e.extend_from_slice(&off.to_le_bytes());
        e.extend_from_slice(&(page.len() as u32).to_le_bytes());
    }
    for (_, page) in pages {
        e.extend_from_slice(page);
    }
    e.resize(e.len().div_ceil(SECTOR) * SECTOR, 0);
    let size = e.len() as u32;
    put_u32(&mut e, 4, size);
    let h1 = marvin32(&e[40..], LOG_ENTRY_SEED);
    e[24..32].copy_from_slice(&h1.to_le_bytes());
    let h2 = marvin32(&e[..32], LOG_ENTRY_SEED);
    e[32..40].copy_from_slice(&h2.to_le_bytes());
    e
}

/// A new-format log: `modified`'s base block sector (with the dirty
/// primary's sequence number and time) followed by `entries`.
pub fn new_format_log(dirty: &[u8], modified: &[u8], entries: &[Vec<u8>]) -> Vec<u8> {
    let mut log = log_sector(dirty, modified, FILE_TYPE_NEW_LOG);
    for e in entries {
        log.extend_from_slice(e);
    }
    log
}

/// A dirty primary file and a new-format log with one entry per changed
/// block, sequence numbers counting up from the primary's secondary one.
pub fn new_format_pair(clean: &[u8], modified: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut dirty = make_dirty(clean)?;
    let h = header(modified, "modified hive")?;
    let blocks = changed_blocks(clean, modified)?;
    let first = RawFields::read_regf(&dirty).map_or(0, |d| d.secondary_sequence);
    // The log's base block carries the first entry's sequence number.
    put_u32(&mut dirty, OFF_SEQ1, first);
    let entries: Vec<Vec<u8>> = blocks
        .iter()
        .enumerate()
        .map(|(i, off)| {
            let at = BASE_BLOCK_SIZE + off;
            let page = &modified[at..at + HBIN_ALIGN];
            new_entry(first + i as u32, h.hive_bins_size, &[(*off as u32, page)])
        })
        .collect();
    let log = new_format_log(&dirty, modified, &entries);
    put_u32(&mut dirty, OFF_SEQ1, first.wrapping_add(1));
    fix_checksum(&mut dirty);
    Ok((dirty, log))
}
