//! The hashing reader: whatever the parser's reads and seeks, the digest is
//! the SHA-256 of the whole input, and the bytes read are counted.

use std::io::{self, Cursor, Read, Seek, SeekFrom};

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use super::*;

/// `n` bytes of no pattern a reader could lean on.
fn bytes(n: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

pub(crate) fn sha(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

/// A cursor that counts the bytes it hands out and can fail: at every read
/// from `fail_at` on, `failures` times.
pub(crate) struct Source {
    data: Cursor<Vec<u8>>,
    given: u64,
    pub(crate) fail_at: u64,
    pub(crate) failures: u32,
}

impl Source {
    pub(crate) fn new(data: &[u8]) -> Self {
        Source {
            data: Cursor::new(data.to_vec()),
            given: 0,
            fail_at: u64::MAX,
            failures: 0,
        }
    }
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data.position() >= self.fail_at && self.failures > 0 {
            self.failures -= 1;
            return Err(io::Error::other("bad sector"));
        }
        let n = self.data.read(buf)?;
        self.given += n as u64;
        Ok(n)
    }
}

impl Seek for Source {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.data.seek(to)
    }
}

/// A reader over `data` whose first `head` bytes were read to recognise it.
fn reader(data: &[u8], head: usize) -> SeekHashing<Source> {
    let mut src = Source::new(data);
    src.seek(SeekFrom::Start(head as u64)).unwrap();
    SeekHashing::new(data[..head].to_vec(), src)
}

fn read_at(r: &mut SeekHashing<Source>, at: u64, n: usize) -> Vec<u8> {
    r.seek(SeekFrom::Start(at)).unwrap();
    let mut b = Vec::new();
    r.take(n as u64).read_to_end(&mut b).unwrap();
    b
}

#[test]
fn a_forward_parse_reads_each_byte_once() {
    let data = bytes(300_000);
    for head in [0, 100, 65_536] {
        let mut r = reader(&data, head);
        // In small pieces (the window) and large ones (past it).
        let mut out = vec![0u8; 72];
        r.read_exact(&mut out).unwrap();
        let mut big = vec![0u8; 100_000];
        r.read_exact(&mut big).unwrap();
        out.extend_from_slice(&big);
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        let given = r.inner.given;
        let h = r.finish().unwrap();
        assert_eq!(h.sha256, sha(&data));
        assert_eq!((h.size, h.read), (300_000, 300_000));
        assert_eq!(given, 300_000 - head as u64, "the head is not read again");
    }
}

#[test]
fn bytes_skipped_by_a_forward_seek_are_hashed_at_the_end() {
    let data = bytes(200_000);
    let mut r = reader(&data, 4096);
    assert_eq!(read_at(&mut r, 150_000, 100), &data[150_000..150_100]);
    assert_eq!(read_at(&mut r, 199_990, 100), &data[199_990..]);
    let h = r.finish().unwrap();
    assert_eq!(h.sha256, sha(&data));
    // The look-aheads, then everything from the head on.
    assert_eq!(h.read, 200_000 + 110);
}

#[test]
fn going_back_reads_again_but_hashes_once() {
    let data = bytes(500_000);
    let mut r = reader(&data, 65_536);
    // A look at the end, then back into the head (memory, not the file),
    // then the whole file from just past the start.
    assert_eq!(read_at(&mut r, 499_960, 40), &data[499_960..]);
    assert_eq!(read_at(&mut r, 10, 500), &data[10..510]);
    assert_eq!(r.read, 65_536 + 40);
    assert_eq!(read_at(&mut r, 48, 500_000), &data[48..]);
    // Back into what was read, past the window.
    assert_eq!(read_at(&mut r, 300_000, 70_000), &data[300_000..370_000]);
    let given = r.inner.given;
    let h = r.finish().unwrap();
    assert_eq!(h.sha256, sha(&data));
    assert_eq!(h.read, 500_000 + 40 + 70_000);
    assert_eq!(given + 65_536, h.read);
}

#[test]
fn a_parser_stopping_early_still_gets_the_whole_digest() {
    let data = bytes(150_000);
    for stop in [0, 10, 65_536, 70_000] {
        let mut r = reader(&data, 1000.min(stop));
        assert_eq!(read_at(&mut r, 0, stop), &data[..stop]);
        let h = r.finish().unwrap();
        assert_eq!((h.sha256, h.size, h.read), (sha(&data), 150_000, 150_000));
    }
}

#[test]
fn eof_in_the_middle_of_a_structure() {
    let data = bytes(70_000);
    let mut r = reader(&data, 65_536);
    r.seek(SeekFrom::Start(69_990)).unwrap();
    let mut rec = [0u8; 64];
    let e = r.read_exact(&mut rec).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    // Past the end: nothing, and the digest unchanged.
    r.seek(SeekFrom::Start(1 << 40)).unwrap();
    assert_eq!(r.read(&mut rec).unwrap(), 0);
    let h = r.finish().unwrap();
    assert_eq!((h.sha256, h.size), (sha(&data), 70_000));
}

#[test]
fn seeks_from_the_end_and_the_current_position() {
    let data = bytes(100_000);
    let mut r = reader(&data, 4096);
    assert_eq!(r.seek(SeekFrom::End(0)).unwrap(), 100_000);
    assert_eq!(r.seek(SeekFrom::End(-100)).unwrap(), 99_900);
    assert_eq!(r.seek(SeekFrom::Current(-900)).unwrap(), 99_000);
    assert_eq!(r.stream_position().unwrap(), 99_000);
    assert!(r.seek(SeekFrom::End(-100_001)).is_err());
    assert!(r.seek(SeekFrom::Current(-100_000)).is_err());
    let mut b = [0u8; 10];
    r.read_exact(&mut b).unwrap();
    assert_eq!(b, data[99_000..99_010]);
    assert_eq!(r.finish().unwrap().sha256, sha(&data));
}

#[test]
fn an_io_error_gives_no_digest() {
    let data = bytes(300_000);
    // In the rest, after a parse that stopped early.
    let mut r = reader(&data, 1000);
    r.inner.fail_at = 200_000;
    r.inner.failures = u32::MAX;
    assert_eq!(read_at(&mut r, 0, 5000), &data[..5000]);
    assert_eq!(r.finish().unwrap_err().to_string(), "bad sector");
    // During the parse: the parser gets the error, and so does the digest.
    let mut r = reader(&data, 1000);
    r.inner.fail_at = 100_000;
    r.inner.failures = u32::MAX;
    let mut all = Vec::new();
    assert!(r.read_to_end(&mut all).is_err());
    assert!(r.finish().is_err());
    // Once, then readable again: the digest is the whole file's.
    let mut r = reader(&data, 1000);
    r.inner.fail_at = 100_000;
    r.inner.failures = 1;
    assert!(r.read_to_end(&mut Vec::new()).is_err());
    assert_eq!(r.finish().unwrap().sha256, sha(&data));
}

/// A parser's move: seek somewhere and read so many bytes.
#[derive(Debug, Clone)]
enum Op {
    Start(u64, usize),
    Current(i64, usize),
    End(i64, usize),
}

fn op(len: u64) -> impl Strategy<Value = Op> {
    let n = prop_oneof![0usize..100, 0usize..70_000];
    prop_oneof![
        (0..len + 10, n.clone()).prop_map(|(p, n)| Op::Start(p, n)),
        (-70_000i64..70_000, n.clone()).prop_map(|(d, n)| Op::Current(d, n)),
        (-(len as i64)..10, n).prop_map(|(d, n)| Op::End(d, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any sequence of seeks and reads: each read returns the file's bytes
    /// at that offset, and the digest is the whole file's.
    #[test]
    fn any_reads_and_seeks_give_the_whole_digest(
        len in 0usize..200_000,
        head in 0usize..70_000,
        ops in proptest::collection::vec(op(200_000), 0..20),
    ) {
        let data = bytes(len);
        let mut r = reader(&data, head.min(len));
        let mut pos = 0u64;
        for o in ops {
            let (to, n) = match o {
                Op::Start(p, n) => (SeekFrom::Start(p), n),
                Op::Current(d, n) => (SeekFrom::Current(d), n),
                Op::End(d, n) => (SeekFrom::End(d), n),
            };
            if let Ok(p) = r.seek(to) {
                pos = p;
            }
            let mut got = Vec::new();
            (&mut r).take(n as u64).read_to_end(&mut got).unwrap();
            let from = (pos as usize).min(len);
            prop_assert_eq!(&got[..], &data[from..(from + n).min(len)]);
            pos += got.len() as u64;
        }
        let h = r.finish().unwrap();
        prop_assert_eq!(h.sha256, sha(&data));
        prop_assert_eq!(h.size, len as u64);
        prop_assert!(h.read >= len as u64);
    }
}

/// An XP event log header (`LfLe`, version 1.1, no record) and `len` bytes
/// in all.
pub(crate) fn evt_header(len: usize) -> Vec<u8> {
    let mut b = bytes(len);
    let lfle = u32::from_le_bytes(*b"LfLe");
    for (i, v) in [48u32, lfle, 1, 1, 48, 48].iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    b
}
