//! The old transaction log format (Windows 2000 to 8): a copy of the base
//! block's first sector, a `DIRT` dirty vector (one bit per 512-byte page of
//! hive bins data) and the dirty pages, in bit order.

use crate::registry::baseblock::{
    RawFields, BASE_BLOCK_SECTOR as SECTOR, FILE_TYPE_OLD_LOG, FILE_TYPE_OLD_LOG_W2K,
};

use super::error::TxLogError;

/// Size of one page in the dirty vector's bitmap.
pub const PAGE: usize = 512;
/// Where the dirty vector starts.
const VECTOR_AT: usize = SECTOR;

/// A validated old-format log, borrowing the log's bytes.
#[derive(Debug, Clone)]
pub struct OldLog<'a> {
    pub header: RawFields,
    /// The log's first sector: the base block copy.
    pub first_sector: &'a [u8],
    bitmap: &'a [u8],
    pages: &'a [u8],
}

fn round_up(n: usize, to: usize) -> usize {
    n.div_ceil(to) * to
}

/// True when the log's content is in the old format (dirty vector after the
/// first sector).
pub fn looks_old(bytes: &[u8]) -> bool {
    bytes.get(VECTOR_AT..VECTOR_AT + 4) == Some(b"DIRT".as_slice())
}

/// Checks the base block copy, the dirty vector and that every dirty page
/// the vector announces is present.
pub fn parse(bytes: &[u8]) -> Result<OldLog<'_>, TxLogError> {
    let header = RawFields::read_regf(bytes).ok_or(TxLogError::NotALog)?;
    if !header.checksum_ok() {
        return Err(TxLogError::BadChecksum);
    }
    if header.file_type != FILE_TYPE_OLD_LOG && header.file_type != FILE_TYPE_OLD_LOG_W2K {
        return Err(TxLogError::WrongFileType(header.file_type));
    }
    if header.primary_sequence != header.secondary_sequence {
        return Err(TxLogError::LogIncomplete {
            seq1: header.primary_sequence,
            seq2: header.secondary_sequence,
        });
    }
    if !header.hive_bins_size_ok() {
        return Err(TxLogError::BadHiveBinsSize(header.hive_bins_size));
    }
    if !looks_old(bytes) {
        return Err(TxLogError::Truncated(
            "no dirty vector after the base block".into(),
        ));
    }
    let bits = header.hive_bins_size as usize / PAGE;
    let bitmap_at = VECTOR_AT + 4;
    let bitmap_end = bitmap_at + bits.div_ceil(8);
    let bitmap = bytes.get(bitmap_at..bitmap_end).ok_or_else(|| {
        TxLogError::Truncated(format!(
            "the dirty vector needs {bitmap_end} bytes, the log has {}",
            bytes.len()
        ))
    })?;
    let count: usize = bitmap.iter().map(|b| b.count_ones() as usize).sum();
    let pages_at = round_up(bitmap_end, SECTOR);
    let pages_end = pages_at + count * PAGE;
    let pages = bytes.get(pages_at..pages_end).ok_or_else(|| {
        TxLogError::Truncated(format!(
            "{count} dirty pages need {pages_end} bytes, the log has {}",
            bytes.len()
        ))
    })?;
    Ok(OldLog {
        header,
        first_sector: &bytes[..SECTOR],
        bitmap,
        pages,
    })
}

impl<'a> OldLog<'a> {
    /// The dirty pages with their offsets relative to the hive bins data.
    pub fn dirty_pages(&self) -> impl Iterator<Item = (usize, &'a [u8])> + '_ {
        let bits = self.bitmap.len() * 8;
        (0..bits)
            .filter(|i| self.bitmap[i / 8] >> (i % 8) & 1 == 1)
            .zip(self.pages.chunks_exact(PAGE))
            .map(|(i, page)| (i * PAGE, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::baseblock::{fix_checksum, put_u32, OFF_FILE_TYPE, OFF_HIVE_BINS_SIZE};

    /// A log for 8192 bytes of hive bins with pages 1 and 9 dirty.
    fn log() -> Vec<u8> {
        let mut b = vec![0u8; 1024 + 2 * PAGE];
        b[..4].copy_from_slice(b"regf");
        put_u32(&mut b, OFF_FILE_TYPE, 1);
        put_u32(&mut b, OFF_HIVE_BINS_SIZE, 8192);
        fix_checksum(&mut b);
        b[512..516].copy_from_slice(b"DIRT");
        b[516] = 0b10;
        b[517] = 0b10;
        b[1024..1536].fill(0xAA);
        b[1536..2048].fill(0xBB);
        b
    }

    #[test]
    fn pages_in_bit_order() {
        let b = log();
        let l = parse(&b).unwrap();
        let pages: Vec<(usize, u8)> = l.dirty_pages().map(|(o, p)| (o, p[0])).collect();
        assert_eq!(pages, vec![(512, 0xAA), (9 * 512, 0xBB)]);
    }

    #[test]
    fn truncated_or_damaged_logs_are_errors() {
        let b = log();
        for len in [0, 10, 511, 512, 515, 530, 1024, 1600, 2047] {
            assert!(parse(&b[..len]).is_err(), "length {len}");
        }
        let mut bad = b.clone();
        bad[100] ^= 1;
        assert!(matches!(parse(&bad), Err(TxLogError::BadChecksum)));
        let mut bad = b.clone();
        put_u32(&mut bad, 4, 5);
        fix_checksum(&mut bad);
        assert!(matches!(parse(&bad), Err(TxLogError::LogIncomplete { .. })));
    }
}
