//! Recognising a registry source by its content and opening it.

use std::path::Path;

use super::hive::BinaryHive;
use super::regfile::RegExport;
use super::view::{Key, ReaderWarning, RegistryView};
use super::RegistryError;

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryFormat {
    /// A binary `regf` hive.
    Hive,
    /// A `.reg` text export (REGEDIT4 or version 5, any supported encoding).
    RegExport,
}

/// Recognises a hive or a .reg export by content (never by name).
pub fn sniff(bytes: &[u8]) -> Option<RegistryFormat> {
    if bytes.starts_with(b"regf") {
        Some(RegistryFormat::Hive)
    } else if super::regfile::looks_like_reg_export(bytes) {
        Some(RegistryFormat::RegExport)
    } else {
        None
    }
}

/// An opened registry source: a binary hive or a .reg export.
#[derive(Debug)]
pub enum RegistrySource {
    /// A binary hive (regf).
    Hive(BinaryHive),
    /// A `.reg` export.
    Export(RegExport),
}

impl RegistrySource {
    /// Parses bytes already in memory, recognising the format by content.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, RegistryError> {
        match sniff(&bytes) {
            Some(RegistryFormat::Hive) => Ok(Self::Hive(BinaryHive::from_bytes(bytes)?)),
            Some(RegistryFormat::RegExport) => Ok(Self::Export(RegExport::parse(&bytes)?)),
            None => Err(RegistryError::NotRegistry),
        }
    }

    /// Whether this is a hive or an export.
    pub fn format(&self) -> RegistryFormat {
        match self {
            Self::Hive(_) => RegistryFormat::Hive,
            Self::Export(_) => RegistryFormat::RegExport,
        }
    }

    /// The binary hive, when this is one.
    pub fn as_hive(&self) -> Option<&BinaryHive> {
        match self {
            Self::Hive(h) => Some(h),
            Self::Export(_) => None,
        }
    }
}

impl RegistryView for RegistrySource {
    fn key(&self, path: &str) -> Result<Option<Key>, RegistryError> {
        match self {
            Self::Hive(h) => h.key(path),
            Self::Export(e) => e.key(path),
        }
    }

    fn warnings(&self) -> Vec<ReaderWarning> {
        match self {
            Self::Hive(h) => h.warnings(),
            Self::Export(e) => e.warnings(),
        }
    }

    fn absence_unknown(&self, path: &str) -> Option<String> {
        match self {
            Self::Hive(h) => h.absence_unknown(path),
            Self::Export(e) => e.absence_unknown(path),
        }
    }
}

/// Opens a file read-only and parses it as a hive or a .reg export. Only a
/// regular file is read; a hive only as far as its base block declares.
pub fn open_registry(path: &Path) -> Result<RegistrySource, RegistryError> {
    let file = super::file::read_hive_file(path).map_err(std::io::Error::from)?;
    let mut source = RegistrySource::from_bytes(file.bytes)?;
    if let (Some(w), RegistrySource::Hive(h)) = (file.warning, &mut source) {
        h.warn(w.message);
    }
    Ok(source)
}
