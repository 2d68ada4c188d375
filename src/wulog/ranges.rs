//! Large files in a byte encoding are cut into one range per thread at line
//! ends; each thread reads its range with positioned reads into a small,
//! cache-sized buffer, and the pieces are merged in file order.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::encoding::Encoding;
use super::engine::{LineLoop, MAX_LINE};
use super::error::LogError;
use super::format::LogFormat;
use super::piece::Piece;
use super::reader::{trim_cr, LineReader};
use super::summary::{Aggregator, LogSummary, ScanOptions};

/// Files smaller than this are read on one thread.
const MIN_SIZE: u64 = 16 << 20;
/// Buffer per thread: small enough to stay in the CPU cache, two bytes more
/// than the longest line read whole and its `\r`, so a line the buffer cuts is one the
/// line loop counts as cut too.
const BUF: usize = MAX_LINE + 2;
/// Bytes read from the head to recognise encoding and format.
const HEAD: usize = 64 << 10;

/// Reads `[pos, end)` of a file.
struct Range<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for Range<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.end - self.pos) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Summarises `file` in parallel, or `None` when it should be read on one
/// thread (small, UTF-16, format not recognised from its head, one thread).
pub(crate) fn scan(
    file: &File,
    path: &Path,
    opts: &ScanOptions,
) -> Result<Option<LogSummary>, LogError> {
    let err = |source| LogError::Read {
        path: path.to_path_buf(),
        source,
    };
    let threads = rayon::current_num_threads() as u64;
    let len = file.metadata().map_err(err)?.len();
    if threads < 2 || len < MIN_SIZE {
        return Ok(None);
    }
    let mut head = vec![0u8; HEAD];
    let n = read_full_at(file, &mut head, 0).map_err(err)?;
    head.truncate(n);
    let (encoding, bom) = Encoding::sniff(&head);
    if encoding.is_utf16() {
        return Ok(None);
    }
    // Whole lines of the head only (the last may be cut).
    let whole = memchr::memrchr(b'\n', &head).map_or(0, |i| i + 1);
    let Some(format) = head[bom..whole]
        .split(|&b| b == b'\n')
        .find_map(|l| LogFormat::detect(trim_cr(l)).map(|(f, _)| f))
    else {
        return Ok(None);
    };
    // Cut points just after a line end near each 1/threads of the file.
    let mut cuts = vec![bom as u64];
    let mut probe = vec![0u8; HEAD];
    for i in 1..threads {
        let at = (len * i / threads).max(*cuts.last().expect("non-empty"));
        let n = read_full_at(file, &mut probe, at).map_err(err)?;
        if let Some(nl) = memchr::memchr(b'\n', &probe[..n]) {
            cuts.push(at + nl as u64 + 1);
        }
    }
    cuts.push(len);
    cuts.dedup();
    let run = |w: &[u64]| -> io::Result<(Piece, LineLoop)> {
        let range = Range {
            file,
            pos: w[0],
            end: w[1],
        };
        let mut lp = LineLoop::new(encoding, format);
        let mut piece = Piece::new(opts);
        LineReader::with_byte_encoding(range, encoding, BUF)
            .for_each_block(|block| lp.block(block, &mut piece))?;
        Ok((piece, lp))
    };
    use rayon::prelude::*;
    let done: Vec<io::Result<(Piece, LineLoop)>> = cuts.par_windows(2).map(run).collect();
    let mut agg = Aggregator::new(opts);
    let mut totals = LineLoop::new(encoding, format).totals;
    for r in done {
        let (piece, lp) = r.map_err(err)?;
        totals.lines += lp.totals.lines;
        totals.unparsed += lp.totals.unparsed;
        totals.cut += lp.totals.cut;
        agg.merge(piece, &[], lp.number, &lp.zones, &mut |_| {});
    }
    Ok(Some(agg.finish(path.display().to_string(), totals)))
}

fn read_full_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], at + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
