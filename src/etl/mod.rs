//! Event Trace Log (`.etl`) files, read natively: WMI buffers walked by
//! their own sizes, `EVENT_HEADER` records with their extended-data items,
//! and TraceLogging payloads decoded from the events' own metadata.
//!
//! Entry points: [`read`] streams a trace from any reader in time order
//! (memory bounded by one buffer and the reordering window); [`parse`]
//! reads a byte slice and collects the events (for tests and fuzzing).
//! Damage (bad buffer sizes, records that cannot be walked, compressed
//! buffers, a truncated end) never fails the read: it is reported in
//! [`EtlInfo::warnings`] and the rest of the file is still read.

mod buffer;
pub(crate) mod bytes;
mod event;
mod header;
mod order;
mod record;
mod tracelogging;
mod value;

use crate::evidence::open::read_full;
use crate::warning::{push_capped, Warning, WarningCode};
use std::io::{self, Read};

pub use buffer::looks_like_etl;
pub use bytes::Guid;
pub use event::Event;
pub use header::{Clock, TraceHeader};
pub use tracelogging::DecodeError;
pub use value::FieldValue;

use buffer::{BufferHeader, BUFFER_HEADER_LEN};
use record::{EventRecord, Record};

/// Errors that stop a read. Damage inside a file is a warning, not an error.
#[derive(Debug, thiserror::Error)]
pub enum EtlError {
    /// The first buffer is not a trace header (or the file is empty).
    #[error("not an ETL trace: the first buffer is not a trace header")]
    NotEtl,
    /// The file could not be read.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
}

/// What a read found besides the events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EtlInfo {
    /// The trace's own header (`None` when it could not be parsed).
    pub header: Option<TraceHeader>,
    /// Buffers read (damaged ones included).
    pub buffers: u64,
    /// Compressed buffers, reported and not read.
    pub compressed_buffers: u64,
    /// Buffers whose size or records could not be read.
    pub damaged_buffers: u64,
    /// Buffers flagged as following lost events.
    pub buffers_after_loss: u64,
    /// Event records read.
    pub events: u64,
    /// Events released after a later one (beyond the reordering window).
    pub late_events: u64,
    /// Damage met, in file order (at most [`MAX_KEPT`](crate::warning::MAX_KEPT);
    /// the counts above stay exact).
    pub warnings: Vec<Warning>,
}

impl EtlInfo {
    fn warn(&mut self, code: WarningCode, message: String) {
        push_capped(&mut self.warnings, Warning::new(code, message));
    }

    /// Lost events as the trace header states them.
    pub fn events_lost(&self) -> Option<u32> {
        self.header.as_ref().map(|h| h.events_lost)
    }
}

/// Reads a whole trace held in memory, collecting its events in time order.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Event>, EtlInfo), EtlError> {
    let mut events = Vec::new();
    let info = read(bytes, |e| events.push(e))?;
    Ok((events, info))
}

/// Reads a trace from `r`, calling `f` with each event in time order.
pub fn read<R: Read>(mut r: R, mut f: impl FnMut(Event)) -> Result<EtlInfo, EtlError> {
    let mut info = EtlInfo::default();
    let mut order = order::Reorder::default();
    let mut buf = vec![0u8; BUFFER_HEADER_LEN];
    let mut offset: u64 = 0;
    loop {
        let got = read_full(&mut r, &mut buf[..BUFFER_HEADER_LEN])?;
        if got == 0 && offset == 0 {
            return Err(EtlError::NotEtl);
        }
        if got == 0 {
            break;
        }
        if got < BUFFER_HEADER_LEN && offset == 0 {
            return Err(EtlError::NotEtl);
        }
        if got < BUFFER_HEADER_LEN {
            info.warn(
                WarningCode::EtlTruncated,
                format!("offset {offset}: file ends inside a buffer header"),
            );
            break;
        }
        let Some(bh) = BufferHeader::parse(&buf[..BUFFER_HEADER_LEN]) else {
            // Skip by the header's buffer size, when known.
            let stride = info.header.as_ref().map(|h| h.buffer_size).unwrap_or(0);
            if offset == 0 {
                return Err(EtlError::NotEtl);
            }
            info.damaged_buffers += 1;
            if (stride as usize) < BUFFER_HEADER_LEN || stride > buffer::MAX_BUFFER {
                info.warn(
                    WarningCode::EtlBufferSize,
                    format!("offset {offset}: buffer size unreadable; rest of the file not read"),
                );
                break;
            }
            info.warn(
                WarningCode::EtlBufferSize,
                format!("offset {offset}: buffer size unreadable; {stride} bytes skipped"),
            );
            skip(&mut r, stride as u64 - BUFFER_HEADER_LEN as u64)?;
            offset += stride as u64;
            continue;
        };
        buf.resize(bh.size as usize, 0);
        let body = read_full(&mut r, &mut buf[BUFFER_HEADER_LEN..])?;
        let have = BUFFER_HEADER_LEN + body;
        if have < bh.size as usize {
            info.warn(
                WarningCode::EtlTruncated,
                format!(
                    "offset {offset}: file ends inside a buffer ({have} of {} bytes)",
                    bh.size
                ),
            );
        }
        info.buffers += 1;
        buffer(&buf[..have], &bh, offset, &mut info, &mut order, &mut f)?;
        offset += have as u64;
    }
    order.finish(&mut f);
    info.late_events = order.late;
    Ok(info)
}

/// Reads the records of one buffer.
fn buffer(
    b: &[u8],
    bh: &BufferHeader,
    offset: u64,
    info: &mut EtlInfo,
    order: &mut order::Reorder,
    f: &mut impl FnMut(Event),
) -> Result<(), EtlError> {
    if bh.events_lost() {
        info.buffers_after_loss += 1;
    }
    if bh.compressed() {
        info.compressed_buffers += 1;
        info.warn(
            WarningCode::EtlCompressed,
            format!(
                "offset {offset}: compressed buffer ({} bytes) not read",
                bh.size
            ),
        );
        return Ok(());
    }
    let end = (bh.end as usize).min(b.len());
    let first = offset == 0;
    let mut seen_header = false;
    let walked = record::walk(&b[BUFFER_HEADER_LEN..end], |rec| match rec {
        Record::System {
            group: 0,
            kind: 0,
            timestamp,
            payload,
        } if first && !seen_header => {
            seen_header = true;
            info.header = TraceHeader::parse(payload, timestamp);
        }
        Record::Event(e) => {
            info.events += 1;
            let ev = event(&e, bh.cpu, info.header.as_ref());
            order.push(ev, f);
        }
        _ => {}
    });
    if first && info.header.is_none() {
        return Err(EtlError::NotEtl);
    }
    if walked.is_err() {
        info.damaged_buffers += 1;
        info.warn(
            WarningCode::EtlRecord,
            format!("offset {offset}: a record could not be read; rest of the buffer lost"),
        );
    }
    Ok(())
}

/// Decodes one event record.
fn event(e: &EventRecord<'_>, cpu: u16, header: Option<&TraceHeader>) -> Event {
    let mut provider = None;
    let mut meta = None;
    for (kind, data) in e.items() {
        match kind {
            tracelogging::EXT_PROV_TRAITS => provider = tracelogging::parse_provider(data),
            tracelogging::EXT_EVENT_SCHEMA_TL => meta = Some(tracelogging::parse_meta(data)),
            _ => {}
        }
    }
    let (name, fields) = match meta {
        Some(Ok(m)) => {
            let fields = tracelogging::decode(&m, e.user_data, e.is_32bit());
            (Some(m.name), fields)
        }
        Some(Err(err)) => (None, Err(err)),
        None => (None, Err(DecodeError::NoMetadata)),
    };
    Event {
        time: header.and_then(|h| h.clock.utc(e.timestamp)),
        timestamp: e.timestamp,
        cpu,
        pid: e.pid,
        tid: e.tid,
        provider_id: e.provider,
        provider,
        name,
        id: e.id,
        level: e.level,
        fields,
    }
}

fn skip<R: Read>(r: &mut R, n: u64) -> io::Result<()> {
    io::copy(&mut r.take(n), &mut io::sink()).map(|_| ())
}

#[cfg(test)]
mod tests;
