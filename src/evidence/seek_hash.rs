//! Hashing a file in file order while a parser reads it by offset.
//!
//! Event log readers seek: the EVTX reader looks at every chunk's header
//! before it reads the chunks, the EVT reader looks at the end-of-log cursor
//! before it reads from the start. [`SeekHashing`] serves their reads and
//! hashes the file's bytes in order: `hashed` is the length of the prefix
//! hashed so far; a read that covers the byte at `hashed` hashes what it
//! returns from there and moves `hashed` on; a read below it (the parser
//! went back) or beyond it (the parser looked ahead) is not hashed. A seek
//! reads nothing. [`SeekHashing::finish`] then reads and hashes the rest,
//! from `hashed` to the end of the file, so the digest is always that of
//! the whole file, each byte hashed once.
//!
//! Small reads at `hashed` go through a window of 64 KiB, kept across
//! seeks: a parser going back into it reads memory, not the file. Until the
//! first such read the window holds the head, the first bytes already read
//! to recognise the file, which are not read again.

use std::io::{self, Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use super::digest::hex;

/// The window's size, and the size of each read of [`SeekHashing::finish`].
const WINDOW: usize = 64 * 1024;

/// What a [`SeekHashing`] read, once finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hashed {
    /// The SHA-256 of the whole file, in lowercase hex.
    pub sha256: String,
    /// The file's size: the bytes hashed.
    pub size: u64,
    /// The bytes read from the file (the head included): `size` when every
    /// byte was read once, more when the parser went back or looked ahead.
    pub read: u64,
}

/// A reader with seeking over a file whose first bytes were already read,
/// that hashes the file in file order (see the module's text).
pub(crate) struct SeekHashing<R> {
    inner: R,
    /// Where `inner` is; `None` when unknown (after an error).
    inner_pos: Option<u64>,
    /// Where the parser is.
    pos: u64,
    /// The length of the prefix hashed.
    hashed: u64,
    /// `None`: the file is only read (see [`SeekHashing::unhashed`]).
    hasher: Option<Sha256>,
    /// Bytes read from `inner`, the head included.
    read: u64,
    /// The file's bytes from `win_start`, the first `win_len` of `win`.
    win: Vec<u8>,
    win_start: u64,
    win_len: usize,
}

impl<R: Read + Seek> SeekHashing<R> {
    /// A reader over `inner`, whose first bytes are `head` (already read,
    /// hashed now) and whose position is just past them.
    pub(crate) fn new(head: Vec<u8>, inner: R) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(&head);
        Self::over(head, inner, Some(hasher))
    }

    /// Like [`SeekHashing::new`], for a reader that only wants the window
    /// kept across seeks: nothing is hashed.
    pub(crate) fn unhashed(head: Vec<u8>, inner: R) -> Self {
        Self::over(head, inner, None)
    }

    /// A reader over `inner`, just past `head`, whose window holds `head`.
    fn over(head: Vec<u8>, inner: R, hasher: Option<Sha256>) -> Self {
        let n = head.len();
        SeekHashing {
            inner,
            inner_pos: Some(n as u64),
            pos: 0,
            hashed: n as u64,
            hasher,
            read: n as u64,
            win: head,
            win_start: 0,
            win_len: n,
        }
    }

    /// Reads the rest of the file from the end of the hashed prefix, and
    /// gives the digest of the whole. An error means no digest: never that
    /// of a part.
    pub(crate) fn finish(mut self) -> io::Result<Hashed> {
        if self.hasher.is_none() {
            return Err(io::Error::other("this reader does not hash"));
        }
        let mut buf = std::mem::take(&mut self.win);
        buf.resize(WINDOW, 0);
        loop {
            match self.read_at(self.hashed, &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let hasher = self.hasher.take().unwrap_or_default();
        Ok(Hashed {
            sha256: hex(&hasher.finalize()),
            size: self.hashed,
            read: self.read,
        })
    }

    /// Reads from the file at `at`, hashing what lies at `hashed` or after
    /// it when the read starts at or before it.
    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> io::Result<usize> {
        if self.inner_pos != Some(at) {
            self.inner_pos = None;
            self.inner.seek(SeekFrom::Start(at))?;
            self.inner_pos = Some(at);
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n.min(buf.len()),
            Err(e) => {
                self.inner_pos = None;
                return Err(e);
            }
        };
        let end = at + n as u64;
        self.inner_pos = Some(end);
        self.read += n as u64;
        if at <= self.hashed && end > self.hashed {
            if let Some(h) = &mut self.hasher {
                h.update(&buf[(self.hashed - at) as usize..n]);
            }
            self.hashed = end;
        }
        Ok(n)
    }

    /// Fills the window from `pos`, the end of the hashed prefix.
    fn refill(&mut self) -> io::Result<()> {
        let mut win = std::mem::take(&mut self.win);
        win.resize(WINDOW, 0);
        self.win_len = 0;
        let got = self.read_at(self.pos, &mut win);
        self.win = win;
        self.win_start = self.pos;
        self.win_len = got?;
        Ok(())
    }

    /// Where `pos` is in the window, when it is.
    fn in_window(&self) -> Option<usize> {
        let off = self.pos.checked_sub(self.win_start)?;
        (off < self.win_len as u64).then_some(off as usize)
    }
}

impl<R: Read + Seek> Read for SeekHashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // The window ends at or before `hashed`: at `hashed`, `pos` is past it.
        if self.pos == self.hashed && buf.len() < WINDOW {
            self.refill()?;
        }
        let n = match self.in_window() {
            Some(off) => {
                let have = &self.win[off..self.win_len];
                let n = have.len().min(buf.len());
                buf[..n].copy_from_slice(&have[..n]);
                n
            }
            None if self.pos == self.hashed && buf.len() < WINDOW => 0,
            None => self.read_at(self.pos, buf)?,
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for SeekHashing<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => {
                self.inner_pos = None;
                let end = self.inner.seek(SeekFrom::End(0))?;
                self.inner_pos = Some(end);
                end.checked_add_signed(d)
            }
        };
        self.pos = pos.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek to a negative or overflowing position",
            )
        })?;
        Ok(self.pos)
    }
}

#[cfg(test)]
#[path = "seek_hash_tests.rs"]
pub(crate) mod tests;
