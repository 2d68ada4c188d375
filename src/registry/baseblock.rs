//! The base block (file header) of a hive file: the one reader of its
//! fields, for primary files and the copies transaction logs hold, and the
//! writes replay makes to them.
//!
//! [`RawFields`] reads the fields as stored and judges nothing: it never
//! panics, whatever the bytes. [`BaseBlock`] is what the hive reader
//! accepts: a primary file of a known version, checked before any
//! structure is handed to the hive parser.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::value::utf16_until_nul as utf16_name;
use super::view::filetime_to_utc;
use super::RegistryError;

/// Size of the base block.
pub const BASE_BLOCK_SIZE: usize = 4096;

/// Size of the part of a base block that holds its fields and checksum
/// (all a transaction log keeps of it).
pub const BASE_BLOCK_SECTOR: usize = 512;

/// Hive bins, and so the hive bins size, are multiples of this size.
pub(crate) const HBIN_ALIGN: usize = 4096;

/// Where the fields are in the first sector.
pub(crate) const OFF_SEQ1: usize = 4;
pub(crate) const OFF_SEQ2: usize = 8;
pub(crate) const OFF_TIMESTAMP: usize = 12;
const OFF_MAJOR: usize = 20;
const OFF_MINOR: usize = 24;
pub(crate) const OFF_FILE_TYPE: usize = 28;
const OFF_FILE_FORMAT: usize = 32;
const OFF_ROOT_CELL: usize = 36;
pub(crate) const OFF_HIVE_BINS_SIZE: usize = 40;
const OFF_CLUSTERING: usize = 44;
const OFF_FILE_NAME: usize = 48;
const FILE_NAME_END: usize = 112;
pub(crate) const OFF_FLAGS: usize = 144;
pub(crate) const OFF_CHECKSUM: usize = 508;

/// File type of a primary file.
pub(crate) const FILE_TYPE_PRIMARY: u32 = 0;
/// File types of an old-format log (Windows XP and later; Windows 2000).
pub(crate) const FILE_TYPE_OLD_LOG: u32 = 1;
pub(crate) const FILE_TYPE_OLD_LOG_W2K: u32 = 2;
/// File type of a new-format log.
pub(crate) const FILE_TYPE_NEW_LOG: u32 = 6;

/// The little-endian u32 at `off`; `None` past the end.
pub(crate) fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The little-endian u64 at `off`; `None` past the end.
pub(crate) fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// Writes a little-endian u32 at `off` (the caller guarantees the room).
pub(crate) fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// The file type of the base block at the start of `head`, from as little
/// as its first 32 bytes (to tell a log from a primary file by its start).
pub(crate) fn file_type(head: &[u8]) -> Option<u32> {
    u32_at(head, OFF_FILE_TYPE)
}

/// The fields of a base block's first sector as stored, judged by nothing:
/// the one reader of base block fields, for hives and transaction logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFields {
    /// It starts with `regf`.
    pub signature_ok: bool,
    /// The sequence number written before a write begins.
    pub primary_sequence: u32,
    /// The sequence number written once a write has finished.
    pub secondary_sequence: u32,
    /// Last-written time, a FILETIME as stored.
    pub timestamp: u64,
    /// Format major version (1 for every known hive).
    pub major_version: u32,
    /// Format minor version (2 to 6 are known).
    pub minor_version: u32,
    /// 0 for a primary file; 1, 2 (old format) or 6 (new format) for a log.
    pub file_type: u32,
    /// File format: 1 (direct memory load) in every known hive.
    pub file_format: u32,
    /// Offset of the root key's cell, from the start of the hive bins.
    pub root_cell_offset: u32,
    /// Size of the hive bins data, in bytes.
    pub hive_bins_size: u32,
    /// The volume's logical sector size divided by 512.
    pub clustering_factor: u32,
    /// Bit 0: KTM transactions pending; bit 1: defragmented.
    pub flags: u32,
    /// The checksum stored at offset 508.
    pub stored_checksum: u32,
    /// The checksum computed over the first 508 bytes.
    pub computed_checksum: u32,
}

impl RawFields {
    /// Reads the fields; `None` when `bytes` is shorter than a sector.
    pub fn read(bytes: &[u8]) -> Option<Self> {
        let b = bytes.get(..BASE_BLOCK_SECTOR)?;
        Some(Self {
            signature_ok: &b[..4] == b"regf",
            primary_sequence: u32_at(b, OFF_SEQ1)?,
            secondary_sequence: u32_at(b, OFF_SEQ2)?,
            timestamp: u64_at(b, OFF_TIMESTAMP)?,
            major_version: u32_at(b, OFF_MAJOR)?,
            minor_version: u32_at(b, OFF_MINOR)?,
            file_type: u32_at(b, OFF_FILE_TYPE)?,
            file_format: u32_at(b, OFF_FILE_FORMAT)?,
            root_cell_offset: u32_at(b, OFF_ROOT_CELL)?,
            hive_bins_size: u32_at(b, OFF_HIVE_BINS_SIZE)?,
            clustering_factor: u32_at(b, OFF_CLUSTERING)?,
            flags: u32_at(b, OFF_FLAGS)?,
            stored_checksum: u32_at(b, OFF_CHECKSUM)?,
            computed_checksum: checksum(b),
        })
    }

    /// Like [`read`](Self::read), `None` also without the `regf` signature.
    pub fn read_regf(bytes: &[u8]) -> Option<Self> {
        Self::read(bytes).filter(|f| f.signature_ok)
    }

    /// Signature present and checksum right.
    pub fn checksum_ok(&self) -> bool {
        self.signature_ok && self.stored_checksum == self.computed_checksum
    }

    /// A hive bins size that replay can trust (non-zero, whole bins).
    pub fn hive_bins_size_ok(&self) -> bool {
        self.hive_bins_size != 0 && self.hive_bins_size as usize % HBIN_ALIGN == 0
    }

    /// Why these fields are not a valid primary file's base block as
    /// Windows checks it (signature, checksum, version, file type and
    /// format); `None` when valid.
    pub fn primary_invalid(&self) -> Option<String> {
        let (major, minor) = (self.major_version, self.minor_version);
        if !self.signature_ok {
            Some("it has no `regf` signature".into())
        } else if !self.checksum_ok() {
            Some("its checksum is wrong".into())
        } else if major != 1 || !(2..=6).contains(&minor) {
            Some(format!("its version {major}.{minor} is not a hive's"))
        } else if self.file_type != FILE_TYPE_PRIMARY {
            Some("its file type is not a primary file's".into())
        } else if self.file_format != 1 {
            Some("its file format is not 1".into())
        } else {
            None
        }
    }
}

/// The XOR-32 checksum of the first 508 bytes, with Windows' two special
/// cases (`block` holds at least a sector).
pub fn checksum(block: &[u8]) -> u32 {
    let mut c = 0u32;
    for chunk in block[..OFF_CHECKSUM].chunks_exact(4) {
        c ^= u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    match c {
        u32::MAX => u32::MAX - 1,
        0 => 1,
        c => c,
    }
}

/// Recomputes the checksum of the base block at the start of `hive`
/// (which holds at least one sector).
pub(crate) fn fix_checksum(hive: &mut [u8]) {
    let c = checksum(&hive[..BASE_BLOCK_SECTOR]);
    put_u32(hive, OFF_CHECKSUM, c);
}

/// Sets both sequence numbers and recomputes the checksum.
pub(crate) fn set_sequences(hive: &mut [u8], seq: u32) {
    put_u32(hive, OFF_SEQ1, seq);
    put_u32(hive, OFF_SEQ2, seq);
    fix_checksum(hive);
}

/// The fields of a primary file's base block that reading needs, checked
/// before any structure is handed to the hive parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseBlock {
    /// The sequence number written before a write begins.
    pub primary_sequence: u32,
    /// The sequence number written once a write has finished.
    pub secondary_sequence: u32,
    /// Last-written time (`None` when zero or out of range).
    pub last_written: Option<DateTime<Utc>>,
    /// Format major version (always 1 once parsed).
    pub major_version: u32,
    /// Format minor version (2 to 5 once parsed).
    pub minor_version: u32,
    /// File type (0, a primary file, once parsed).
    pub file_type: u32,
    /// File format (1 once parsed).
    pub file_format: u32,
    /// Offset of the root key's cell, from the start of the hive bins.
    pub root_cell_offset: u32,
    /// Size of the hive bins data, in bytes.
    pub hive_bins_size: u32,
    /// The volume's logical sector size divided by 512.
    pub clustering_factor: u32,
    /// The embedded file name (often a partial path such as `\SystemRoot\System32\Config\SOFTWARE`).
    pub file_name: String,
    /// The checksum stored at offset 508.
    pub stored_checksum: u32,
    /// The checksum computed over the first 508 bytes.
    pub computed_checksum: u32,
}

impl BaseBlock {
    /// Parses and sanity-checks a base block; errors only where reading
    /// further would be meaningless (not a hive, unsupported kind).
    pub fn parse(bytes: &[u8]) -> Result<Self, RegistryError> {
        if bytes.len() < 4 || &bytes[..4] != b"regf" {
            return Err(RegistryError::NotRegistry);
        }
        if bytes.len() < BASE_BLOCK_SIZE {
            return Err(RegistryError::BadHeader(format!(
                "truncated: {} bytes, a hive's base block alone is {BASE_BLOCK_SIZE}",
                bytes.len()
            )));
        }
        let b = &bytes[..BASE_BLOCK_SIZE];
        let f = RawFields::read(b).ok_or(RegistryError::NotRegistry)?;
        let block = Self {
            primary_sequence: f.primary_sequence,
            secondary_sequence: f.secondary_sequence,
            last_written: filetime_to_utc(f.timestamp),
            major_version: f.major_version,
            minor_version: f.minor_version,
            file_type: f.file_type,
            file_format: f.file_format,
            root_cell_offset: f.root_cell_offset,
            hive_bins_size: f.hive_bins_size,
            clustering_factor: f.clustering_factor,
            file_name: utf16_name(&b[OFF_FILE_NAME..FILE_NAME_END]),
            stored_checksum: f.stored_checksum,
            computed_checksum: f.computed_checksum,
        };
        if block.major_version != 1 || !(2..=5).contains(&block.minor_version) {
            return Err(RegistryError::UnsupportedVersion {
                major: block.major_version,
                minor: block.minor_version,
            });
        }
        if block.file_type != FILE_TYPE_PRIMARY {
            return Err(RegistryError::BadHeader(match block.file_type {
                FILE_TYPE_OLD_LOG | FILE_TYPE_OLD_LOG_W2K | FILE_TYPE_NEW_LOG => format!(
                    "a transaction log (file type {}), not a primary hive file",
                    block.file_type
                ),
                t => format!("file type {t} is not a primary hive file"),
            }));
        }
        if block.file_format != 1 {
            return Err(RegistryError::BadHeader(format!(
                "unsupported file format {}",
                block.file_format
            )));
        }
        if block.root_cell_offset == u32::MAX || block.root_cell_offset % 8 != 0 {
            return Err(RegistryError::BadHeader(format!(
                "bad root cell offset 0x{:x}",
                block.root_cell_offset
            )));
        }
        Ok(block)
    }

    /// Sequence numbers differ: the last write did not finish, transaction
    /// logs hold data the primary file lacks.
    pub fn is_dirty(&self) -> bool {
        self.primary_sequence != self.secondary_sequence
    }

    /// The stored checksum is the computed one.
    pub fn checksum_ok(&self) -> bool {
        self.stored_checksum == self.computed_checksum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first sector of a dirty hive (sequence numbers 7 and 6).
    fn sector() -> Vec<u8> {
        let mut b = vec![0u8; BASE_BLOCK_SECTOR];
        b[..4].copy_from_slice(b"regf");
        put_u32(&mut b, OFF_SEQ1, 7);
        put_u32(&mut b, OFF_SEQ2, 6);
        put_u32(&mut b, OFF_HIVE_BINS_SIZE, 4096);
        put_u32(&mut b, OFF_MAJOR, 1);
        put_u32(&mut b, OFF_MINOR, 5);
        put_u32(&mut b, OFF_FILE_FORMAT, 1);
        fix_checksum(&mut b);
        b
    }

    #[test]
    fn reads_fields_and_checksum() {
        let mut b = sector();
        let f = RawFields::read_regf(&b).unwrap();
        let seqs = (f.primary_sequence, f.secondary_sequence);
        assert_eq!((seqs, f.hive_bins_size), ((7, 6), 4096));
        assert!(f.checksum_ok() && f.hive_bins_size_ok());
        assert_eq!(f.primary_invalid(), None);
        set_sequences(&mut b, 9);
        let f = RawFields::read(&b).unwrap();
        assert_eq!((f.primary_sequence, f.secondary_sequence), (9, 9));
        assert!(f.checksum_ok());
        b[100] ^= 1;
        let f = RawFields::read(&b).unwrap();
        assert!(!f.checksum_ok());
        assert_eq!(
            f.primary_invalid().as_deref(),
            Some("its checksum is wrong")
        );
    }

    #[test]
    fn says_why_a_primary_block_is_not_valid() {
        let mut b = sector();
        put_u32(&mut b, OFF_FILE_TYPE, FILE_TYPE_NEW_LOG);
        fix_checksum(&mut b);
        let why = RawFields::read(&b).unwrap().primary_invalid();
        assert_eq!(
            why.as_deref(),
            Some("its file type is not a primary file's")
        );
        b[0] = b'x';
        let f = RawFields::read(&b).unwrap();
        assert!(!f.signature_ok && !f.checksum_ok());
        assert_eq!(RawFields::read_regf(&b), None);
        let why = f.primary_invalid();
        assert_eq!(why.as_deref(), Some("it has no `regf` signature"));
    }

    #[test]
    fn short_or_foreign_input_is_none() {
        assert!(RawFields::read(b"regf").is_none());
        assert!(RawFields::read(&sector()[..BASE_BLOCK_SECTOR - 1]).is_none());
        assert!(RawFields::read_regf(&[0u8; 600]).is_none());
        assert!(u32_at(&[1, 2, 3], 0).is_none());
        assert!(u64_at(&[0; 8], usize::MAX - 2).is_none());
        assert!(matches!(
            BaseBlock::parse(&sector()),
            Err(RegistryError::BadHeader(_))
        ));
    }
}
