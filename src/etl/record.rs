//! Records inside a buffer: each starts with its size and a header type,
//! and is padded to 8 bytes. Only `EVENT_HEADER` records (manifest and
//! TraceLogging events) carry what we read; the others are walked over.

use super::bytes::{u16_at, u32_at, u64_at, u8_at, Guid};

/// One record of a buffer.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    /// `EVENT_HEADER` (0x12/0x13).
    Event(EventRecord<'a>),
    /// A system trace record (0x01..0x04): group, type, timestamp, payload.
    System {
        group: u8,
        kind: u8,
        timestamp: u64,
        payload: &'a [u8],
    },
    /// Any other record type (classic WMI, perf info, WinTrace).
    Other,
}

/// An event header, its extended-data items and its user data.
#[derive(Debug, Clone, Copy)]
pub struct EventRecord<'a> {
    pub flags: u16,
    pub tid: u32,
    pub pid: u32,
    pub timestamp: u64,
    pub provider: Guid,
    pub id: u16,
    pub level: u8,
    /// Extended-data items (type, data), up to the one whose linkage is 0.
    pub ext: &'a [u8],
    pub user_data: &'a [u8],
}

/// Why a buffer's walk stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A record header not recognised, or a size out of bounds.
    BadRecord,
}

const EVENT_HEADER_LEN: usize = 80;

/// The size of the record at the start of `b`, from its header type.
fn record_size(b: &[u8]) -> Option<usize> {
    let kind = u8_at(b, 2)?;
    let flags = u8_at(b, 3)?;
    if u16_at(b, 2)? == 0x9000 {
        return u16_at(b, 0).map(usize::from);
    }
    if flags != 0xC0 {
        return None;
    }
    match kind {
        0x01..=0x04 | 0x10 | 0x11 => u16_at(b, 4).map(usize::from),
        0x0A | 0x12 | 0x13 | 0x14 => u16_at(b, 0).map(usize::from),
        _ => None,
    }
}

/// Walks the records of a buffer's payload, calling `f` for each; returns
/// `Err` when a record cannot be walked over (the rest of the buffer is lost).
pub fn walk<'a>(payload: &'a [u8], mut f: impl FnMut(Record<'a>)) -> Result<(), Stop> {
    let mut at = 0usize;
    while at + 4 <= payload.len() {
        let rest = &payload[at..];
        // Unused space at the end of a buffer is zero- or 0xFF-filled.
        if u32_at(rest, 0) == Some(0) || u32_at(rest, 0) == Some(u32::MAX) {
            return Ok(());
        }
        let size = record_size(rest).ok_or(Stop::BadRecord)?;
        if size < 8 || size > rest.len() {
            return Err(Stop::BadRecord);
        }
        f(parse(&rest[..size]));
        at += (size + 7) & !7;
    }
    Ok(())
}

fn parse(r: &[u8]) -> Record<'_> {
    match r[2] {
        0x12 | 0x13 => event(r).map(Record::Event).unwrap_or(Record::Other),
        k @ 0x01..=0x04 => {
            let header = if k <= 2 { 32 } else { 24 };
            match (u64_at(r, 16), r.get(header..)) {
                (Some(timestamp), Some(payload)) => Record::System {
                    group: r[7],
                    kind: r[6],
                    timestamp,
                    payload,
                },
                _ => Record::Other,
            }
        }
        _ => Record::Other,
    }
}

fn event(r: &[u8]) -> Option<EventRecord<'_>> {
    let flags = u16_at(r, 4)?;
    let mut at = EVENT_HEADER_LEN;
    if flags & 0x0001 != 0 {
        // Items: reserved u16, type u16, linkage u16 (bit 0), size u16, data,
        // each padded to 8 bytes; the last one has linkage 0.
        loop {
            let linkage = u16_at(r, at + 4)?;
            let size = u16_at(r, at + 6)? as usize;
            let end = at + 8 + size;
            if end > r.len() {
                return None;
            }
            at = (end + 7) & !7;
            if linkage & 1 == 0 {
                break;
            }
        }
    }
    let at = at.min(r.len());
    Some(EventRecord {
        flags,
        tid: u32_at(r, 8)?,
        pid: u32_at(r, 12)?,
        timestamp: u64_at(r, 16)?,
        provider: Guid::at(r, 24)?,
        id: u16_at(r, 40)?,
        level: u8_at(r, 44)?,
        ext: &r[EVENT_HEADER_LEN.min(at)..at],
        user_data: &r[at..],
    })
}

impl<'a> EventRecord<'a> {
    /// The extended-data items: (type, data).
    pub fn items(&self) -> impl Iterator<Item = (u16, &'a [u8])> {
        let ext = self.ext;
        let mut at = 0usize;
        std::iter::from_fn(move || {
            let kind = u16_at(ext, at + 2)?;
            let size = u16_at(ext, at + 6)? as usize;
            let data = ext.get(at + 8..at + 8 + size)?;
            at = (at + 8 + size + 7) & !7;
            Some((kind, data))
        })
    }

    /// True when pointers in the payload are 4 bytes.
    pub fn is_32bit(&self) -> bool {
        self.flags & 0x0020 != 0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An event record with the given extended items and user data.
    pub fn event_bytes(items: &[(u16, &[u8])], user: &[u8]) -> Vec<u8> {
        let mut r = vec![0u8; EVENT_HEADER_LEN];
        r[2] = 0x13;
        r[3] = 0xC0;
        if !items.is_empty() {
            r[4] = 1;
        }
        for (i, (kind, data)) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            r.extend_from_slice(&0u16.to_le_bytes());
            r.extend_from_slice(&kind.to_le_bytes());
            r.extend_from_slice(&(u16::from(!last)).to_le_bytes());
            r.extend_from_slice(&(data.len() as u16).to_le_bytes());
            r.extend_from_slice(data);
            while r.len() % 8 != 0 {
                r.push(0);
            }
        }
        r.extend_from_slice(user);
        let n = r.len() as u16;
        r[0..2].copy_from_slice(&n.to_le_bytes());
        r
    }

    #[test]
    fn items_stop_at_linkage_zero() {
        let r = event_bytes(&[(11, b"abc"), (12, b"provider\0")], b"payload");
        let mut seen = Vec::new();
        walk(&r, |rec| seen.push(rec)).unwrap();
        let Record::Event(e) = seen[0] else { panic!() };
        let items: Vec<_> = e.items().collect();
        assert_eq!(items, vec![(11, &b"abc"[..]), (12, &b"provider\0"[..])]);
        assert_eq!(e.user_data, b"payload");
    }

    #[test]
    fn bad_sizes_stop_the_walk() {
        let mut r = event_bytes(&[], b"x");
        r[0] = 0xFF;
        assert_eq!(walk(&r, |_| {}), Err(Stop::BadRecord));
        assert_eq!(walk(&[1, 2, 3, 4, 5], |_| {}), Err(Stop::BadRecord));
        assert_eq!(walk(&[0; 16], |_| {}), Ok(()));
    }
}
