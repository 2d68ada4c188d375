//! Windows XP/2003 event logs (`.evt`), read natively.
//!
//! The file is a ring: a 48-byte header, then records from the oldest
//! (`begin`) round to the newest, with a 40-byte cursor record after the
//! newest that holds the current offsets and numbers. While a log is
//! dirty (copied from a running system) the header's copy of those is
//! stale, so the cursor is preferred. Every 4-byte aligned offset is
//! examined for a record (`LfLe`, a length repeated at the record's end),
//! so records in slack space are found too: those outside the live region
//! are marked `recovered`. A record split by the wrap (its start at the end
//! of the file, its rest after the header) is joined.
//!
//! Entry points: [`read`] (a reader with seeking, memory bounded by one
//! window of 1 MiB plus the largest record) and [`parse`] (a byte slice).

mod header;
mod record;

use crate::evidence::open::read_full;
use crate::warning::{Warning, WarningCode};
use std::io::{self, Read, Seek, SeekFrom};

pub use header::{looks_like_evt, EvtHeader, Span};
pub use record::EvtRecord;

use header::HEADER_LEN;
use record::MAX_RECORD;

/// Errors that stop a read. Damage inside a log is a warning, not an error.
#[derive(Debug, thiserror::Error)]
pub enum EvtError {
    /// The file does not start with an event log header.
    #[error("not an XP/2003 event log (no LfLe header)")]
    NotEvt,
    /// The file could not be read.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
}

/// What a read found besides the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvtInfo {
    /// The file header, as stored.
    pub header: EvtHeader,
    /// The span used: the cursor's when found, else the header's.
    pub span: Span,
    /// The end-of-log cursor record was found.
    pub cursor_found: bool,
    /// Records in the live region.
    pub live: u64,
    /// Records found outside it (overwritten, in slack space).
    pub recovered: u64,
    /// What did not read as expected; the records found were still read.
    pub warnings: Vec<Warning>,
}

const CHUNK: usize = 1024 * 1024;

/// Reads a whole log held in memory, collecting its records in file order.
pub fn parse(bytes: &[u8]) -> Result<(Vec<EvtRecord>, EvtInfo), EvtError> {
    let mut out = Vec::new();
    let info = read(io::Cursor::new(bytes), |r| out.push(r))?;
    Ok((out, info))
}

/// Reads a log, calling `f` with every record found, in file order.
pub fn read<R: Read + Seek>(mut r: R, mut f: impl FnMut(EvtRecord)) -> Result<EvtInfo, EvtError> {
    let mut head = [0u8; HEADER_LEN];
    r.read_exact(&mut head).map_err(|_| EvtError::NotEvt)?;
    let header = EvtHeader::parse(&head).ok_or(EvtError::NotEvt)?;
    // The cursor sits where the newest record ends; look there first.
    let mut span = read_cursor_at(&mut r, header.span.end as u64)?;
    if span.is_none() {
        r.seek(SeekFrom::Start(HEADER_LEN as u64))?;
        scan(&mut r, HEADER_LEN as u64, |_, b| {
            if span.is_none() {
                span = header::cursor(b);
            }
            4
        })?;
    }
    let mut info = EvtInfo {
        header,
        span: span.unwrap_or(header.span),
        cursor_found: span.is_some(),
        live: 0,
        recovered: 0,
        warnings: Vec::new(),
    };
    if !info.cursor_found {
        info.warnings.push(Warning::new(
            WarningCode::EvtNoCursor,
            "no end-of-log cursor record: the header's offsets are used",
        ));
    }
    let live = info.span;
    let mut split: Option<(u64, Vec<u8>)> = None;
    let mut emit = |mut rec: EvtRecord, info: &mut EvtInfo| {
        rec.recovered = !live.holds(rec.offset);
        rec.stale_copy = rec.recovered && live.numbers(rec.number);
        if rec.recovered {
            info.recovered += 1;
        } else {
            info.live += 1;
        }
        f(rec);
    };
    r.seek(SeekFrom::Start(HEADER_LEN as u64))?;
    let size = scan(&mut r, HEADER_LEN as u64, |off, b| {
        match record::length(b) {
            Some(len) if len <= b.len() => match record::parse(&b[..len], off) {
                Some(rec) => {
                    emit(rec, &mut info);
                    len
                }
                None => 4,
            },
            Some(_) => {
                if split.is_none() {
                    split = Some((off, b.to_vec()));
                }
                4
            }
            None => 4,
        }
    })?;
    if let Some((off, part)) = split {
        join_split(&mut r, off, part, size, &mut info, &mut emit)?;
    }
    let expected = live.next.wrapping_sub(live.oldest) as u64;
    if info.live != expected {
        info.warnings.push(Warning::new(
            WarningCode::EvtRecordCount,
            format!(
                "{} records in the live region, {} expected from the record numbers",
                info.live, expected
            ),
        ));
    }
    Ok(info)
}

/// Joins a record cut by the end of the file with its rest after the header.
fn join_split<R: Read + Seek>(
    r: &mut R,
    off: u64,
    mut part: Vec<u8>,
    size: u64,
    info: &mut EvtInfo,
    emit: &mut impl FnMut(EvtRecord, &mut EvtInfo),
) -> io::Result<()> {
    let len = record::length(&part).unwrap_or(0);
    let need = len.saturating_sub(part.len());
    let mut rest = vec![0u8; need];
    r.seek(SeekFrom::Start(HEADER_LEN as u64))?;
    let ok =
        info.header.wrapped() && off + part.len() as u64 == size && r.read_exact(&mut rest).is_ok();
    part.extend_from_slice(&rest);
    match record::parse(&part, off).filter(|_| ok) {
        Some(rec) => emit(rec, info),
        None => info.warnings.push(Warning::new(
            WarningCode::EvtSplitRecord,
            format!("offset {off}: record cut by the end of the file could not be joined"),
        )),
    }
    Ok(())
}

fn read_cursor_at<R: Read + Seek>(r: &mut R, at: u64) -> io::Result<Option<Span>> {
    let mut b = [0u8; header::CURSOR_LEN];
    r.seek(SeekFrom::Start(at))?;
    Ok(match r.read_exact(&mut b) {
        Ok(()) => header::cursor(&b),
        Err(_) => None,
    })
}

/// Visits every 4-byte aligned offset from `start` with the bytes from
/// there (at least `MAX_RECORD` of them unless the file ends first); the
/// visitor returns how far to advance. Returns the file size.
fn scan<R: Read>(
    r: &mut R,
    start: u64,
    mut visit: impl FnMut(u64, &[u8]) -> usize,
) -> io::Result<u64> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + MAX_RECORD);
    let mut base = start;
    let mut pos = 0usize;
    let mut eof = false;
    loop {
        if !eof && buf.len() - pos < MAX_RECORD + 8 {
            buf.drain(..pos);
            base += pos as u64;
            pos = 0;
            let old = buf.len();
            buf.resize(old + CHUNK, 0);
            let n = read_full(r, &mut buf[old..])?;
            buf.truncate(old + n);
            eof = n == 0;
            continue;
        }
        if pos + 8 > buf.len() {
            return Ok(base + buf.len() as u64);
        }
        let adv = visit(base + pos as u64, &buf[pos..]);
        pos += adv.max(4);
    }
}

#[cfg(test)]
mod tests;
