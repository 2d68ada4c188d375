//! The base block fields replay needs, read from a primary file or from the
//! first sector of a transaction log, plus the checks on hive bins.
//!
//! The fields are read by the reader's own [`RawFields`]; unlike the
//! reader's [`BaseBlock`](crate::registry::baseblock::BaseBlock), nothing
//! here rejects a log's file type or an odd version: replay only needs the
//! fields and must say *why* a block is unusable, never panic on a short or
//! hostile one.

pub use crate::registry::baseblock::BASE_BLOCK_SIZE;
use crate::registry::baseblock::{checksum, RawFields};

/// A log holds only the first sector (512 bytes) of a base block.
pub const SECTOR: usize = crate::registry::baseblock::BASE_BLOCK_SECTOR;
/// Hive bins are multiples of this size.
pub const HBIN_ALIGN: usize = 4096;

pub const OFF_SEQ1: usize = 4;
pub const OFF_SEQ2: usize = 8;
pub const OFF_TIMESTAMP: usize = 12;
pub const OFF_FILE_TYPE: usize = 28;
pub const OFF_HIVE_BINS_SIZE: usize = 40;
pub const OFF_FLAGS: usize = 144;
pub const OFF_CHECKSUM: usize = 508;

/// File type of a primary file.
pub const FILE_TYPE_PRIMARY: u32 = 0;
/// File types of an old-format log (Windows XP and later; Windows 2000).
pub const FILE_TYPE_OLD_LOG: u32 = 1;
pub const FILE_TYPE_OLD_LOG_W2K: u32 = 2;
/// File type of a new-format log.
pub const FILE_TYPE_NEW_LOG: u32 = 6;

/// Reads a little-endian u32 at `off`, `None` past the end.
pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads a little-endian u64 at `off`, `None` past the end.
pub fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// Writes a little-endian u32 at `off` (the caller guarantees the room).
pub fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// The fields of the first sector of a base block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub seq1: u32,
    pub seq2: u32,
    pub timestamp: u64,
    pub file_type: u32,
    pub hive_bins_size: u32,
    pub flags: u32,
    pub checksum_ok: bool,
}

impl Header {
    /// Parses the first sector; `None` when it is shorter than a sector or
    /// lacks the `regf` signature.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.get(..4)? != b"regf" {
            return None;
        }
        Self::parse_fields(bytes)
    }

    /// Reads the fields of a first sector whatever its signature says (a
    /// primary file whose base block is damaged); `None` when too short.
    pub fn parse_fields(bytes: &[u8]) -> Option<Self> {
        let f = RawFields::read(bytes)?;
        Some(Self {
            seq1: f.primary_sequence,
            seq2: f.secondary_sequence,
            timestamp: f.timestamp,
            file_type: f.file_type,
            hive_bins_size: f.hive_bins_size,
            flags: f.flags,
            checksum_ok: f.checksum_ok(),
        })
    }

    /// Why the base block of a primary file is not valid as Windows checks
    /// it (signature, checksum, version, file type and format); `None` when valid.
    pub fn primary_invalid(bytes: &[u8]) -> Option<String> {
        let f = RawFields::read(bytes)?;
        let (major, minor) = (f.major_version, f.minor_version);
        if !f.signature_ok {
            Some("it has no `regf` signature".into())
        } else if !f.checksum_ok() {
            Some("its checksum is wrong".into())
        } else if major != 1 || !(2..=6).contains(&minor) {
            Some(format!("its version {major}.{minor} is not a hive's"))
        } else if f.file_type != FILE_TYPE_PRIMARY {
            Some("its file type is not a primary file's".into())
        } else if f.file_format != 1 {
            Some("its file format is not 1".into())
        } else {
            None
        }
    }

    /// Dirty as Windows decides it: sequence numbers differ or the checksum is wrong.
    #[cfg(test)]
    pub fn is_dirty(&self) -> bool {
        self.seq1 != self.seq2 || !self.checksum_ok
    }

    /// A hive bins size that replay can trust (non-zero, whole bins).
    pub fn hive_bins_size_ok(&self) -> bool {
        self.hive_bins_size != 0 && self.hive_bins_size as usize % HBIN_ALIGN == 0
    }
}

/// Recomputes the checksum of the base block at the start of `hive`
/// (which holds at least one sector).
pub fn fix_checksum(hive: &mut [u8]) {
    let c = checksum(&hive[..SECTOR]);
    put_u32(hive, OFF_CHECKSUM, c);
}

/// Sets both sequence numbers and recomputes the checksum.
pub fn set_sequences(hive: &mut [u8], seq: u32) {
    put_u32(hive, OFF_SEQ1, seq);
    put_u32(hive, OFF_SEQ2, seq);
    fix_checksum(hive);
}

/// The timestamp of the first hive bin (a copy of the base block's
/// last-written time, used when the base block itself is damaged).
pub fn first_hbin_timestamp(hive: &[u8]) -> Option<u64> {
    if hive.get(BASE_BLOCK_SIZE..BASE_BLOCK_SIZE + 4)? != b"hbin" {
        return None;
    }
    u64_at(hive, BASE_BLOCK_SIZE + 20)
}

/// Where the chain of hive bins breaks within the first `hive_bins_size`
/// bytes of hive bins data: the offset (relative to the hive bins data) of
/// the first bin header that is not valid, `None` when the chain is whole.
pub fn hbin_chain_break(hive: &[u8], hive_bins_size: usize) -> Option<usize> {
    let mut off = 0usize;
    while off < hive_bins_size {
        let at = BASE_BLOCK_SIZE + off;
        let sig_ok = hive.get(at..at + 4) == Some(b"hbin".as_slice());
        let own = u32_at(hive, at + 4).map(|v| v as usize);
        let size = u32_at(hive, at + 8).map(|v| v as usize).unwrap_or(0);
        if !sig_ok
            || own != Some(off)
            || size < HBIN_ALIGN
            || size % HBIN_ALIGN != 0
            || off + size > hive_bins_size
        {
            return Some(off);
        }
        off += size;
    }
    None
}

/// True when the cells of the hive bin at `bin_off` (relative to the hive
/// bins data, header already checked) tile it exactly: each cell's size a
/// non-zero multiple of 8, no cell running past the end of the bin.
pub fn bin_cells_ok(hive: &[u8], bin_off: usize) -> bool {
    let at = BASE_BLOCK_SIZE + bin_off;
    let Some(size) = u32_at(hive, at + 8).map(|v| v as usize) else {
        return false;
    };
    let end = at + size;
    let mut cell = at + 32;
    while cell < end {
        let Some(raw) = u32_at(hive, cell) else {
            return false;
        };
        let len = (raw as i32).unsigned_abs() as usize;
        if len == 0 || len % 8 != 0 || cell + len > end {
            return false;
        }
        cell += len;
    }
    cell == end
}

/// The hive bins (offset, size) that overlap a page marked in `written`
/// (one flag per 512 bytes of hive bins data), walking the chain until it
/// ends or breaks.
pub fn written_bins(hive: &[u8], hive_bins_size: usize, written: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut off = 0usize;
    while off < hive_bins_size {
        let at = BASE_BLOCK_SIZE + off;
        let size = u32_at(hive, at + 8).map(|v| v as usize).unwrap_or(0);
        if hive.get(at..at + 4) != Some(b"hbin".as_slice()) || size < HBIN_ALIGN {
            break;
        }
        let first = (off / 512).min(written.len());
        let last = (off + size).div_ceil(512).min(written.len());
        if written[first..last].iter().any(|&x| x) {
            out.push((off, size));
        }
        off += size;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> Vec<u8> {
        let mut b = vec![0u8; BASE_BLOCK_SIZE + HBIN_ALIGN];
        b[..4].copy_from_slice(b"regf");
        put_u32(&mut b, OFF_SEQ1, 7);
        put_u32(&mut b, OFF_SEQ2, 6);
        put_u32(&mut b, OFF_HIVE_BINS_SIZE, 4096);
        fix_checksum(&mut b);
        b[4096..4100].copy_from_slice(b"hbin");
        put_u32(&mut b, 4096 + 8, 4096);
        b
    }

    #[test]
    fn parses_and_detects_dirty_state() {
        let mut b = block();
        let h = Header::parse(&b).unwrap();
        assert_eq!((h.seq1, h.seq2, h.hive_bins_size), (7, 6, 4096));
        assert!(h.checksum_ok && h.is_dirty());
        set_sequences(&mut b, 7);
        let h = Header::parse(&b).unwrap();
        assert!(h.checksum_ok && !h.is_dirty());
        b[100] ^= 1;
        assert!(
            Header::parse(&b).unwrap().is_dirty(),
            "bad checksum is dirty"
        );
    }

    #[test]
    fn short_or_foreign_input_is_none() {
        assert!(Header::parse(b"regf").is_none());
        assert!(Header::parse(&[0u8; 600]).is_none());
        assert!(u32_at(&[1, 2, 3], 0).is_none());
        assert!(u64_at(&[0; 8], usize::MAX - 2).is_none());
    }

    #[test]
    fn hbin_chain() {
        let mut b = block();
        assert_eq!(hbin_chain_break(&b, 4096), None);
        assert_eq!(hbin_chain_break(&b, 8192), Some(4096), "bin missing");
        put_u32(&mut b, 4096 + 4, 4096);
        assert_eq!(hbin_chain_break(&b, 4096), Some(0), "wrong own offset");
        assert_eq!(hbin_chain_break(&b[..4100], 4096), Some(0), "truncated");
    }
}
