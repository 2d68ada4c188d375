//! The checks on hive bins that replay makes: the chain of bins within the
//! declared size, the cells of each bin that received replayed pages, and
//! the first bin's copy of the last-written time. Every read is bounded:
//! short or hostile bytes give a failed check, never a panic.

use crate::registry::baseblock::{u32_at, u64_at, BASE_BLOCK_SIZE, HBIN_ALIGN};
use crate::warning::{Warning, WarningCode};

use super::error::TxLogError;
use super::primary::Primary;

/// The timestamp of the first hive bin (a copy of the base block's
/// last-written time, used when the base block itself is damaged).
pub(super) fn first_hbin_timestamp(hive: &[u8]) -> Option<u64> {
    if hive.get(BASE_BLOCK_SIZE..BASE_BLOCK_SIZE + 4)? != b"hbin" {
        return None;
    }
    u64_at(hive, BASE_BLOCK_SIZE + 20)
}

/// Where the chain of hive bins breaks within the first `hive_bins_size`
/// bytes of hive bins data: the offset (relative to the hive bins data) of
/// the first bin header that is not valid, `None` when the chain is whole.
pub(super) fn hbin_chain_break(hive: &[u8], hive_bins_size: usize) -> Option<usize> {
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
fn bin_cells_ok(hive: &[u8], bin_off: usize) -> bool {
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
fn written_bins(hive: &[u8], hive_bins_size: usize, written: &[bool]) -> Vec<(usize, usize)> {
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
) -> Result<Option<Warning>, TxLogError> {
    let mut note = None;
    if let Some(at) = hbin_chain_break(after, hive_bins_size) {
        match hbin_chain_break(p.bytes, p.header.hive_bins_size as usize) {
            Some(q) if q <= at => {
                note = Some(Warning::new(
                    WarningCode::ReplayBinChain,
                    format!(
                        "the hive bin at offset 0x{at:x} is invalid (the primary file's chain of bins already breaks at 0x{q:x})"
                    ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::baseblock::put_u32;

    /// A base block and one empty hive bin of 4096 bytes (one free cell).
    fn hive() -> Vec<u8> {
        let mut b = vec![0u8; BASE_BLOCK_SIZE + HBIN_ALIGN];
        b[..4].copy_from_slice(b"regf");
        b[4096..4100].copy_from_slice(b"hbin");
        put_u32(&mut b, 4096 + 8, 4096);
        put_u32(&mut b, 4096 + 20, 77);
        put_u32(&mut b, 4096 + 32, 4096 - 32);
        b
    }

    #[test]
    fn hbin_chain() {
        let mut b = hive();
        assert_eq!(hbin_chain_break(&b, 4096), None);
        assert_eq!(hbin_chain_break(&b, 8192), Some(4096), "bin missing");
        assert_eq!(hbin_chain_break(&b[..4100], 4096), Some(0), "truncated");
        put_u32(&mut b, 4096 + 4, 4096);
        assert_eq!(hbin_chain_break(&b, 4096), Some(0), "wrong own offset");
    }

    #[test]
    fn cells_must_tile_the_bin() {
        let mut b = hive();
        assert!(bin_cells_ok(&b, 0));
        assert_eq!(written_bins(&b, 4096, &[false, true]), [(0, 4096)]);
        assert_eq!(written_bins(&b, 4096, &[false; 8]), []);
        put_u32(&mut b, 4096 + 32, 24);
        assert!(!bin_cells_ok(&b, 0), "cells end before the bin");
        put_u32(&mut b, 4096 + 32, 8192);
        assert!(!bin_cells_ok(&b, 0), "a cell runs past the bin");
        assert!(!bin_cells_ok(&b[..4100], 0), "truncated");
    }

    #[test]
    fn first_bin_time() {
        let b = hive();
        assert_eq!(first_hbin_timestamp(&b), Some(77));
        assert_eq!(first_hbin_timestamp(&b[..4100]), None);
        assert_eq!(first_hbin_timestamp(&b[..4096]), None);
    }
}
