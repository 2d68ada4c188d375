//! Digests as reports write them: lowercase hex.

use sha2::{Digest, Sha256};

/// Lowercase hex of a digest (or of any bytes).
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of bytes already in memory, in lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
