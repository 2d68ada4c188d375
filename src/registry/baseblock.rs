//! The 4096-byte base block (file header) of a primary hive file.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::value::utf16_until_nul as utf16_name;
use super::view::filetime_to_utc;
use super::RegistryError;

/// Size of the base block.
pub const BASE_BLOCK_SIZE: usize = 4096;

/// The fields of a base block that reading needs, checked before any
/// structure is handed to the hive parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseBlock {
    pub primary_sequence: u32,
    pub secondary_sequence: u32,
    pub last_written: Option<DateTime<Utc>>,
    pub major_version: u32,
    pub minor_version: u32,
    pub file_type: u32,
    pub file_format: u32,
    pub root_cell_offset: u32,
    pub hive_bins_size: u32,
    pub clustering_factor: u32,
    /// The embedded file name (often a partial path such as `\SystemRoot\System32\Config\SOFTWARE`).
    pub file_name: String,
    pub stored_checksum: u32,
    pub computed_checksum: u32,
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

/// Size of the part of a base block that holds its fields and checksum
/// (all a transaction log keeps of it).
pub const BASE_BLOCK_SECTOR: usize = 512;

/// The fields of a base block's first sector as stored, judged by nothing:
/// the one reader of base block fields, for hives and transaction logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFields {
    /// It starts with `regf`.
    pub signature_ok: bool,
    pub primary_sequence: u32,
    pub secondary_sequence: u32,
    pub timestamp: u64,
    pub major_version: u32,
    pub minor_version: u32,
    pub file_type: u32,
    pub file_format: u32,
    pub root_cell_offset: u32,
    pub hive_bins_size: u32,
    pub clustering_factor: u32,
    pub flags: u32,
    pub stored_checksum: u32,
    pub computed_checksum: u32,
}

impl RawFields {
    /// Reads the fields; `None` when `bytes` is shorter than a sector.
    pub fn read(bytes: &[u8]) -> Option<Self> {
        let b = bytes.get(..BASE_BLOCK_SECTOR)?;
        Some(Self {
            signature_ok: &b[..4] == b"regf",
            primary_sequence: u32_at(b, 4),
            secondary_sequence: u32_at(b, 8),
            timestamp: u64::from_le_bytes(b[12..20].try_into().unwrap()),
            major_version: u32_at(b, 20),
            minor_version: u32_at(b, 24),
            file_type: u32_at(b, 28),
            file_format: u32_at(b, 32),
            root_cell_offset: u32_at(b, 36),
            hive_bins_size: u32_at(b, 40),
            clustering_factor: u32_at(b, 44),
            flags: u32_at(b, 144),
            stored_checksum: u32_at(b, 508),
            computed_checksum: checksum(b),
        })
    }

    /// Signature present and checksum right.
    pub fn checksum_ok(&self) -> bool {
        self.signature_ok && self.stored_checksum == self.computed_checksum
    }
}

/// The XOR-32 checksum of the first 508 bytes, with Windows' two special cases.
pub fn checksum(block: &[u8]) -> u32 {
    let mut c = 0u32;
    for chunk in block[..508].chunks_exact(4) {
        c ^= u32::from_le_bytes(chunk.try_into().unwrap());
    }
    match c {
        u32::MAX => u32::MAX - 1,
        0 => 1,
        c => c,
    }
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
            file_name: utf16_name(&b[48..112]),
            stored_checksum: f.stored_checksum,
            computed_checksum: f.computed_checksum,
        };
        if block.major_version != 1 || !(2..=5).contains(&block.minor_version) {
            return Err(RegistryError::UnsupportedVersion {
                major: block.major_version,
                minor: block.minor_version,
            });
        }
        if block.file_type != 0 {
            return Err(RegistryError::BadHeader(match block.file_type {
                1 | 2 | 6 => format!(
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

    pub fn checksum_ok(&self) -> bool {
        self.stored_checksum == self.computed_checksum
    }
}
