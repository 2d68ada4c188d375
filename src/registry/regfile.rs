//! `.reg` export reader (placeholder until the reader lands).

use super::view::{Key, RegistryView};
use super::RegistryError;

/// True when the bytes start like a regedit export.
pub fn looks_like_reg_export(_bytes: &[u8]) -> bool {
    false
}

/// A parsed .reg export.
#[derive(Debug, Default)]
pub struct RegExport {}

impl RegExport {
    pub fn parse(_bytes: &[u8]) -> Result<Self, RegistryError> {
        Err(RegistryError::NotRegistry)
    }
}

impl RegistryView for RegExport {
    fn key(&self, _path: &str) -> Result<Option<Key>, RegistryError> {
        Ok(None)
    }
}
