//! Streaming line reader: a fixed buffer, lines split with `memchr`, UTF-16
//! converted to UTF-8 on the way in. Memory does not grow with the file.

use crate::evidence::open::read_full;
use std::io::{self, Read};

use super::encoding::Encoding;

/// Size of the line buffer.
pub(crate) const BUF_SIZE: usize = 1 << 22;

/// Reads `r` line by line, calling `f` with each line (line end and a
/// trailing `\r` removed, empty lines included). A line longer than the
/// buffer is cut at the buffer size and the rest of it skipped.
pub(crate) struct LineReader<R> {
    inner: R,
    encoding: Encoding,
    decoder: Option<encoding_rs::Decoder>,
    raw: Vec<u8>,
    raw_len: usize,
    buf: Vec<u8>,
    eof: bool,
}

impl<R: Read> LineReader<R> {
    /// Reads the first bytes and recognises the encoding.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut raw = buffer(BUF_SIZE);
        let n = read_full(&mut inner, &mut raw[..64 * 1024])?;
        let (encoding, bom) = Encoding::sniff(&raw[..n]);
        raw.copy_within(bom..n, 0);
        let raw_len = n - bom;
        let decoder = match encoding {
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
            _ => None,
        };
        // Byte encodings read straight into the line buffer.
        let (buf, raw) = if decoder.is_none() {
            (raw, Vec::new())
        } else {
            (buffer(BUF_SIZE), raw)
        };
        Ok(LineReader {
            inner,
            encoding,
            decoder,
            raw,
            raw_len,
            buf,
            eof: false,
        })
    }

    /// A reader for bytes already known to be in a byte encoding (UTF-8 or
    /// Windows-1252) with no BOM: a piece of a file read on its own (by the
    /// parallel reader, Unix only).
    #[cfg(unix)]
    pub fn with_byte_encoding(inner: R, encoding: Encoding, buf_size: usize) -> Self {
        debug_assert!(!encoding.is_utf16());
        LineReader {
            inner,
            encoding,
            decoder: None,
            raw: Vec::new(),
            raw_len: 0,
            buf: buffer(buf_size),
            eof: false,
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Calls `f` for every line.
    #[cfg(test)]
    pub fn for_each_line(self, mut f: impl FnMut(&[u8])) -> io::Result<()> {
        self.for_each_block(|block| {
            let mut start = 0;
            for nl in memchr::memchr_iter(b'\n', block) {
                f(trim_cr(&block[start..nl]));
                start = nl + 1;
            }
            if start < block.len() {
                f(trim_cr(&block[start..]));
            }
        })
    }

    /// Calls `f` with blocks of whole lines: each block ends with `\n`,
    /// except the last block of the input and a block holding an overlong
    /// line cut at the buffer size (the rest of such a line is skipped).
    pub fn for_each_block(mut self, mut f: impl FnMut(&[u8])) -> io::Result<()> {
        // Bytes [0, filled) of `buf` hold data; byte encodings start with
        // the sample read in `new`.
        let mut filled = if self.decoder.is_none() {
            std::mem::take(&mut self.raw_len)
        } else {
            0
        };
        let mut skipping = false;
        loop {
            if !self.eof {
                filled += self.fill(filled)?;
            }
            let data = &self.buf[..filled];
            let mut from = 0;
            if skipping {
                match memchr::memchr(b'\n', data) {
                    Some(nl) => {
                        skipping = false;
                        from = nl + 1;
                    }
                    None => from = filled,
                }
            }
            let end = if self.eof {
                filled
            } else {
                memchr::memrchr(b'\n', &data[from..]).map_or(from, |nl| from + nl + 1)
            };
            if end > from {
                f(&data[from..end]);
            }
            if self.eof {
                return Ok(());
            }
            if from == 0 && end == 0 && filled == self.buf.len() {
                // No line end in a full buffer: cut the line here.
                f(data);
                skipping = true;
                filled = 0;
                continue;
            }
            self.buf.copy_within(end.max(from)..filled, 0);
            filled -= end.max(from);
        }
    }

    /// Appends data to `buf` after `filled`; returns the count, 0 at EOF
    /// (and sets `eof`). Fills until the buffer is at least half full or EOF.
    fn fill(&mut self, filled: usize) -> io::Result<usize> {
        let Some(dec) = self.decoder.as_mut() else {
            let n = read_full(&mut self.inner, &mut self.buf[filled..])?;
            if filled + n < self.buf.len() {
                self.eof = true;
            }
            return Ok(n);
        };
        let mut out = filled;
        loop {
            if self.raw_len == 0 && !self.eof {
                let n = read_full(&mut self.inner, &mut self.raw)?;
                self.raw_len = n;
                if n < self.raw.len() {
                    self.eof = true;
                }
            }
            let last = self.eof;
            let (res, read, written, _) =
                dec.decode_to_utf8(&self.raw[..self.raw_len], &mut self.buf[out..], last);
            self.raw.copy_within(read..self.raw_len, 0);
            self.raw_len -= read;
            out += written;
            match res {
                encoding_rs::CoderResult::OutputFull => break,
                encoding_rs::CoderResult::InputEmpty => {
                    if self.eof || out * 2 >= self.buf.len() {
                        break;
                    }
                }
            }
        }
        if self.eof && self.raw_len > 0 {
            // Output filled before the input was used up: more to come.
            self.eof = false;
        }
        Ok(out - filled)
    }
}

impl<R> Drop for LineReader<R> {
    fn drop(&mut self) {
        give_back(std::mem::take(&mut self.buf));
        give_back(std::mem::take(&mut self.raw));
    }
}

thread_local! {
    /// Line buffers of readers done on this thread, to be used again: a
    /// new buffer of several MiB for each file costs more (zeroing or page
    /// faults) than reading a small file.
    static SPARE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Most buffers kept per thread.
const SPARE_MAX: usize = 2;

/// A buffer of `len` bytes; its content is not meaningful (only bytes
/// written since are read).
fn buffer(len: usize) -> Vec<u8> {
    let reused = SPARE.with(|s| {
        let mut s = s.borrow_mut();
        let i = s.iter().position(|b| b.len() == len)?;
        Some(s.swap_remove(i))
    });
    reused.unwrap_or_else(|| vec![0u8; len])
}

fn give_back(buf: Vec<u8>) {
    if buf.is_empty() {
        return;
    }
    SPARE.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < SPARE_MAX {
            s.push(buf);
        }
    });
}

pub(crate) fn trim_cr(l: &[u8]) -> &[u8] {
    match l {
        [rest @ .., b'\r'] => rest,
        _ => l,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8]) -> (Encoding, Vec<String>) {
        let r = LineReader::new(data).unwrap();
        let enc = r.encoding();
        let mut v = Vec::new();
        r.for_each_line(|l| v.push(String::from_utf8_lossy(l).into_owned()))
            .unwrap();
        (enc, v)
    }

    #[test]
    fn crlf_and_last_line_without_end() {
        let (e, v) = lines(b"a\r\n\r\nb\nc");
        assert_eq!(e, Encoding::Utf8);
        assert_eq!(v, ["a", "", "b", "c"]);
    }

    #[test]
    fn utf16le_with_bom() {
        let mut data = vec![0xFF, 0xFE];
        for u in "x\u{e9}\r\ny".encode_utf16() {
            data.extend_from_slice(&u.to_le_bytes());
        }
        let (e, v) = lines(&data);
        assert_eq!(e, Encoding::Utf16Le);
        assert_eq!(v, ["x\u{e9}", "y"]);
    }

    #[test]
    fn utf16be_odd_trailing_byte_is_replaced() {
        let mut data = vec![0xFE, 0xFF];
        for u in "ab\nc".encode_utf16() {
            data.extend_from_slice(&u.to_be_bytes());
        }
        data.push(0x00);
        let (_, v) = lines(&data);
        assert_eq!(v, ["ab", "c\u{FFFD}"]);
    }

    #[test]
    fn long_input_crosses_buffers() {
        let mut data = Vec::new();
        for i in 0..200_000 {
            data.extend_from_slice(format!("line {i}\r\n").as_bytes());
        }
        let (_, v) = lines(&data);
        assert_eq!(v.len(), 200_000);
        assert_eq!(v[199_999], "line 199999");
    }

    #[test]
    fn overlong_line_is_cut_not_fatal() {
        let mut data = vec![b'x'; BUF_SIZE + 10];
        data.extend_from_slice(b"\nnext\n");
        let (_, v) = lines(&data);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].len(), BUF_SIZE);
        assert_eq!(v[1], "next");
    }

    #[test]
    fn utf16_long_input() {
        let mut data = vec![0xFF, 0xFE];
        for i in 0..100_000 {
            for u in format!("l{i}\r\n").encode_utf16() {
                data.extend_from_slice(&u.to_le_bytes());
            }
        }
        let (_, v) = lines(&data);
        assert_eq!(v.len(), 100_000);
        assert_eq!(v[99_999], "l99999");
    }
}
