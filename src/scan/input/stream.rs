//! Reading a file once: the head already read to recognise it, then the
//! rest, hashed on the way.

use std::fs::File;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

use crate::evidence::digest::hex;

/// A reader that hashes what passes through it, so that a log is read once.
pub(super) struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    /// Hashes what is read from `inner`.
    pub(super) fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The hash of the bytes read so far.
    pub(super) fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The SHA-256 of everything `file` still holds, read in one streaming pass.
pub(super) fn hash_file(file: impl Read) -> io::Result<String> {
    let mut h = Hashing::new(file);
    io::copy(&mut h, &mut io::sink())?;
    Ok(h.finish())
}

/// The whole file from the `head` already read: `head`, then the rest of
/// the open file (whose position is just past it), so no byte is read twice.
pub(super) fn again(head: Vec<u8>, file: File) -> impl Read {
    io::Cursor::new(head).chain(file)
}
