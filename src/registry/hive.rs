//! Binary hive reader (placeholder).
use super::view::{Key, RegistryView};
use super::RegistryError;

#[derive(Debug)]
pub struct BinaryHive {}

impl BinaryHive {
    pub fn from_bytes(_bytes: Vec<u8>) -> Result<Self, RegistryError> {
        Err(RegistryError::NotRegistry)
    }
}

impl RegistryView for BinaryHive {
    fn key(&self, _path: &str) -> Result<Option<Key>, RegistryError> {
        Ok(None)
    }
}
