//! Reading a hive file within the bounds its base block declares.
//!
//! A hive holds its base block and the hive bins it declares; anything after
//! that is remnant space. A file far larger than that (a sparse file of
//! gigabytes named `SOFTWARE`) is not read past
//! the hive, never held in memory: only the declared part is read.

use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::baseblock::{RawFields, BASE_BLOCK_SIZE};
use crate::evidence::open::{open_evidence, OpenError, MAX_READ};
use crate::warning::{Warning, WarningCode};

/// Trailing bytes beyond the declared hive that pass without a warning
/// (Windows grows hive files in steps; remnants are common).
pub const TRAILING_SLACK: u64 = 1 << 20;

/// A hive file as read: the declared part, the whole file's hash, and
/// what was left unread.
#[derive(Debug)]
pub struct HiveFile {
    pub bytes: Vec<u8>,
    /// SHA-256 of the whole file, lower-case hex; `None` when the file was
    /// not read whole (see `warning`).
    pub sha256: Option<String>,
    /// Set when the file is much larger than its base block declares.
    pub warning: Option<Warning>,
}

/// Reads the base block and the hive bins it declares; hashes the rest.
/// Only a regular file is opened ([`open_evidence`]), and no more than
/// [`MAX_READ`] bytes are held.
pub fn read_hive_file(path: &Path) -> Result<HiveFile, OpenError> {
    let (file, meta) = open_evidence(path)?;
    read_hive_from(file, meta.len())
}

/// Like [`read_hive_file`], from a file already opened as evidence whose
/// size was `len`, read from its start (the bytes of `file`, which may be
/// the start already read followed by the rest of the open file).
pub fn read_hive_from(mut file: impl Read, len: u64) -> Result<HiveFile, OpenError> {
    let mut hasher = Sha256::new();
    let mut bytes = Vec::new();
    (&mut file)
        .take(BASE_BLOCK_SIZE as u64)
        .read_to_end(&mut bytes)?;
    let declared = match RawFields::read_regf(&bytes) {
        Some(f) if bytes.len() == BASE_BLOCK_SIZE => {
            BASE_BLOCK_SIZE as u64 + u64::from(f.hive_bins_size)
        }
        _ => len,
    };
    let keep = declared.min(len);
    if keep > MAX_READ {
        return Err(OpenError::TooLarge {
            size: keep,
            max: MAX_READ,
        });
    }
    (&mut file)
        .take(keep.saturating_sub(bytes.len() as u64))
        .read_to_end(&mut bytes)?;
    hasher.update(&bytes);
    let unread = len.saturating_sub(bytes.len() as u64);
    if unread > TRAILING_SLACK {
        // Far more than remnant space: neither read nor hashed, so that a
        // huge (sparse) file costs neither memory nor time.
        let warning = Warning::new(
            WarningCode::HiveFileLarger,
            format!(
                "the file holds {len} bytes, its base block declares {declared}: only the declared hive was read (the other {unread} bytes were not read, so no SHA-256 is given)"
            ),
        );
        return Ok(HiveFile {
            bytes,
            sha256: None,
            warning: Some(warning),
        });
    }
    stream_rest(&mut file, &mut hasher)?;
    let sha256 = crate::evidence::digest::hex(&hasher.finalize());
    Ok(HiveFile {
        bytes,
        sha256: Some(sha256),
        warning: None,
    })
}

/// Hashes the (short) rest of the file in fixed-size pieces.
fn stream_rest(file: &mut impl Read, hasher: &mut Sha256) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
    }
}
