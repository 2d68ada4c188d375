//! The new transaction log format (Windows 8.1 and later): a copy of the base
//! block's first sector, then `HvLE` log entries, each carrying its dirty
//! pages and two Marvin32 hashes.

use crate::registry::baseblock::{
    u32_at, u64_at, RawFields, BASE_BLOCK_SECTOR as SECTOR, FILE_TYPE_NEW_LOG, HBIN_ALIGN,
};

use super::error::TxLogError;
use super::marvin::{marvin32, LOG_ENTRY_SEED};

/// Size of a log entry's header (before its page references).
const ENTRY_HEADER: usize = 40;

/// One validated log entry.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub flags: u32,
    pub seq: u32,
    pub hive_bins_size: u32,
    /// Dirty pages: offset relative to the hive bins data, and the bytes.
    pub pages: Vec<(usize, &'a [u8])>,
}

/// A new-format log: its base block copy and the run of entries that pass
/// every check, in file order with consecutive sequence numbers.
#[derive(Debug, Clone)]
pub struct NewLog<'a> {
    pub header: RawFields,
    /// The log's first sector: the base block copy.
    pub first_sector: &'a [u8],
    pub entries: Vec<Entry<'a>>,
    /// Why reading entries stopped before a clean end, if it did.
    pub stopped: Option<TxLogError>,
}

/// True when the log's content is in the new format.
pub fn looks_new(bytes: &[u8]) -> bool {
    bytes.get(SECTOR..SECTOR + 4) == Some(b"HvLE".as_slice())
}

/// Checks the base block copy and reads entries until the first one that is
/// not a valid continuation (a damaged entry is reported in `stopped`; the
/// end of the entries or older remnants after them are not).
pub fn parse(bytes: &[u8]) -> Result<NewLog<'_>, TxLogError> {
    let header = RawFields::read_regf(bytes).ok_or(TxLogError::NotALog)?;
    if !header.checksum_ok() {
        return Err(TxLogError::BadChecksum);
    }
    if header.file_type != FILE_TYPE_NEW_LOG {
        return Err(TxLogError::WrongFileType(header.file_type));
    }
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut stopped = None;
    let mut off = SECTOR;
    while bytes.get(off..off + 4) == Some(b"HvLE".as_slice()) {
        match entry_at(bytes, off) {
            Ok(e) => {
                if let Some(prev) = entries.last() {
                    if Some(e.seq) != prev.seq.checked_add(1) {
                        break; // an older entry left from an earlier cycle
                    }
                }
                off += bytes_len(bytes, off);
                entries.push(e);
            }
            Err(why) => {
                stopped = Some(why);
                break;
            }
        }
    }
    Ok(NewLog {
        header,
        first_sector: &bytes[..SECTOR],
        entries,
        stopped,
    })
}

/// The size field of an entry already validated by `entry_at`.
fn bytes_len(bytes: &[u8], off: usize) -> usize {
    u32_at(bytes, off + 4).unwrap_or(0) as usize
}

fn bad(offset: usize, why: impl Into<String>) -> TxLogError {
    TxLogError::BadEntry {
        offset,
        why: why.into(),
    }
}

/// Validates the entry at `off` (signature already checked).
fn entry_at(bytes: &[u8], off: usize) -> Result<Entry<'_>, TxLogError> {
    let head = bytes
        .get(off..off + ENTRY_HEADER)
        .ok_or_else(|| bad(off, "truncated entry header"))?;
    let field = |at: usize| u32_at(head, at).unwrap_or(0);
    let size = field(4) as usize;
    let (flags, seq, hive_bins_size, count) = (field(8), field(12), field(16), field(20));
    if size < ENTRY_HEADER || size % SECTOR != 0 {
        return Err(bad(
            off,
            format!("size {size} is not a whole number of sectors"),
        ));
    }
    let entry = bytes.get(off..off + size).ok_or_else(|| {
        bad(
            off,
            format!(
                "truncated: the entry needs {size} bytes, {} remain",
                bytes.len() - off
            ),
        )
    })?;
    if hive_bins_size == 0 || hive_bins_size as usize % HBIN_ALIGN != 0 {
        return Err(bad(off, format!("hive bins size {hive_bins_size}")));
    }
    let hash1 = u64_at(head, 24).unwrap_or(0);
    let hash2 = u64_at(head, 32).unwrap_or(0);
    if marvin32(&entry[ENTRY_HEADER..], LOG_ENTRY_SEED) != hash1 {
        return Err(bad(off, "hash-1 mismatch (entry data damaged)"));
    }
    if marvin32(&entry[..32], LOG_ENTRY_SEED) != hash2 {
        return Err(bad(off, "hash-2 mismatch (entry header damaged)"));
    }
    let refs_end = (count as usize)
        .checked_mul(8)
        .and_then(|n| n.checked_add(ENTRY_HEADER))
        .filter(|&end| end <= size)
        .ok_or_else(|| bad(off, format!("{count} page references do not fit")))?;
    let mut data_at = refs_end;
    let mut pages = Vec::with_capacity(count as usize);
    for r in (ENTRY_HEADER..refs_end).step_by(8) {
        let page_off = u32_at(entry, r).unwrap_or(0) as usize;
        let page_size = u32_at(entry, r + 4).unwrap_or(0) as usize;
        if !matches!(page_off.checked_add(page_size), Some(end) if end <= hive_bins_size as usize) {
            return Err(bad(
                off,
                format!("page at 0x{page_off:x} (+{page_size}) lies beyond the hive bins"),
            ));
        }
        let page = entry
            .get(data_at..data_at.saturating_add(page_size))
            .ok_or_else(|| bad(off, "dirty pages overrun the entry"))?;
        pages.push((page_off, page));
        data_at += page_size;
    }
    Ok(Entry {
        flags,
        seq,
        hive_bins_size,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::new_entry;
    use super::*;
    use crate::registry::baseblock::{fix_checksum, put_u32, OFF_FILE_TYPE};

    fn log(entries: &[Vec<u8>]) -> Vec<u8> {
        let mut b = vec![0u8; SECTOR];
        b[..4].copy_from_slice(b"regf");
        put_u32(&mut b, OFF_FILE_TYPE, FILE_TYPE_NEW_LOG);
        fix_checksum(&mut b);
        for e in entries {
            b.extend_from_slice(e);
        }
        b
    }

    #[test]
    fn reads_consecutive_entries_and_stops_at_older_ones() {
        let page = [7u8; 4096];
        let b = log(&[
            new_entry(5, 8192, &[(4096, &page)]),
            new_entry(6, 8192, &[]),
            new_entry(2, 8192, &[]),
        ]);
        let l = parse(&b).unwrap();
        let seqs: Vec<u32> = l.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [5, 6]);
        assert!(l.stopped.is_none(), "an older remnant is not damage");
        assert_eq!(l.entries[0].pages[0].0, 4096);
        assert_eq!(l.entries[0].pages[0].1, &page[..]);
    }

    #[test]
    fn damaged_entries_stop_reading_with_a_reason() {
        let page = [7u8; 4096];
        let good = log(&[new_entry(5, 8192, &[(0, &page)]), new_entry(6, 8192, &[])]);
        let second = SECTOR + 4096 + 512;
        let mut b = good.clone();
        b[SECTOR + 100] ^= 1;
        let l = parse(&b).unwrap();
        assert!(l.entries.is_empty());
        assert!(
            matches!(&l.stopped, Some(TxLogError::BadEntry { why, .. }) if why.contains("hash-1"))
        );
        let mut b = good.clone();
        b[second + 12] ^= 1;
        let l = parse(&b).unwrap();
        assert_eq!(l.entries.len(), 1);
        assert!(
            matches!(&l.stopped, Some(TxLogError::BadEntry { offset, why }) if *offset == second && why.contains("hash-2"))
        );
        for cut in [SECTOR + 4, SECTOR + 39, SECTOR + 600, second + 41] {
            let l = parse(&good[..cut]).unwrap();
            assert!(l.stopped.is_some(), "cut at {cut}");
        }
        // A page reference beyond the hive bins is refused even with good hashes.
        let b = log(&[new_entry(5, 4096, &[(4096, &page)])]);
        assert!(parse(&b).unwrap().entries.is_empty());
    }
}
