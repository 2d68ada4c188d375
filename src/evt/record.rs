//! One `EVENTLOGRECORD`: length, `LfLe`, numbers, times, event id and type,
//! strings, source and computer names, and the length again at its end.

use chrono::{DateTime, Utc};

use crate::etl::bytes::{u16_at, u32_at, utf16, wstr};

/// Smallest and largest record lengths accepted.
pub const MIN_RECORD: usize = 0x38;
pub const MAX_RECORD: usize = 256 * 1024;

/// An event log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvtRecord {
    /// File offset of the record.
    pub offset: u64,
    /// The record number.
    pub number: u32,
    /// When the event happened (UTC).
    pub time_generated: Option<DateTime<Utc>>,
    /// When the record was written (UTC).
    pub time_written: Option<DateTime<Utc>>,
    /// The whole 32-bit EventID; compare `event_id & 0xFFFF`.
    pub event_id: u32,
    /// Error, warning, information, audit success or failure (1, 2, 4, 8, 16).
    pub event_type: u16,
    /// The source's event category.
    pub category: u16,
    /// The event source (`Windows Update Agent`, …).
    pub source: String,
    /// The computer's name as recorded.
    pub computer: String,
    /// The insertion strings, in order.
    pub strings: Vec<String>,
    /// Outside the live region: an overwritten record found in slack.
    pub recovered: bool,
    /// Recovered, with the number of a live record: an older copy of it.
    pub stale_copy: bool,
}

impl EvtRecord {
    /// The event id as Event Viewer shows it.
    pub fn id(&self) -> u16 {
        (self.event_id & 0xFFFF) as u16
    }
}

/// The length of a record starting at `b` if its header looks right
/// (`LfLe` at 4, a plausible length); the end copy is checked by [`parse`].
pub fn length(b: &[u8]) -> Option<usize> {
    if b.get(4..8)? != b"LfLe" {
        return None;
    }
    let len = u32_at(b, 0)? as usize;
    (len % 4 == 0 && (MIN_RECORD..=MAX_RECORD).contains(&len)).then_some(len)
}

/// Parses a whole record (`b.len()` is its length); `None` when the end
/// copy of the length differs or a field points outside it.
pub fn parse(b: &[u8], offset: u64) -> Option<EvtRecord> {
    let len = length(b)?;
    if b.len() != len || u32_at(b, len - 4)? as usize != len {
        return None;
    }
    let unix = |v: u32| DateTime::from_timestamp(v as i64, 0);
    let num_strings = u16_at(b, 26)? as usize;
    let string_offset = u32_at(b, 36)? as usize;
    let (source, n) = wstr(b.get(MIN_RECORD..len - 4)?)?;
    let (computer, _) = wstr(b.get(MIN_RECORD + n..len - 4)?)?;
    let mut strings = Vec::with_capacity(num_strings.min(64));
    let mut at = string_offset;
    for _ in 0..num_strings {
        let Some((s, used)) = b.get(at..len - 4).and_then(wstr) else {
            // A last string without its NUL: keep what is there.
            if let Some(rest) = b.get(at..len - 4) {
                strings.push(utf16(rest).trim_end_matches('\0').to_string());
            }
            break;
        };
        strings.push(s);
        at += used;
    }
    Some(EvtRecord {
        offset,
        number: u32_at(b, 8)?,
        time_generated: unix(u32_at(b, 12)?),
        time_written: unix(u32_at(b, 16)?),
        event_id: u32_at(b, 20)?,
        event_type: u16_at(b, 24)?,
        category: u16_at(b, 28)?,
        source,
        computer,
        strings,
        recovered: false,
        stale_copy: false,
    })
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn w(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    /// A record as Windows writes it.
    pub fn record(number: u32, id: u32, source: &str, strings: &[&str]) -> Vec<u8> {
        let mut r = vec![0u8; MIN_RECORD];
        r[4..8].copy_from_slice(b"LfLe");
        r[8..12].copy_from_slice(&number.to_le_bytes());
        r[12..16].copy_from_slice(&1_100_000_000u32.to_le_bytes());
        r[20..24].copy_from_slice(&id.to_le_bytes());
        r[26..28].copy_from_slice(&(strings.len() as u16).to_le_bytes());
        r.extend(w(source));
        r.extend(w("HOST"));
        let so = r.len() as u32;
        r[36..40].copy_from_slice(&so.to_le_bytes());
        for s in strings {
            r.extend(w(s));
        }
        while (r.len() + 4) % 4 != 0 {
            r.push(0);
        }
        let len = r.len() as u32 + 4;
        r.extend(len.to_le_bytes());
        r[0..4].copy_from_slice(&len.to_le_bytes());
        r
    }

    #[test]
    fn reads_a_record() {
        let r = record(7, 0x0000_0014, "Windows Update Agent", &["a", "0x80070643"]);
        let e = parse(&r, 48).unwrap();
        assert_eq!(
            (e.number, e.id(), e.source.as_str()),
            (7, 20, "Windows Update Agent")
        );
        assert_eq!(e.strings, vec!["a", "0x80070643"]);
        assert_eq!(e.time_generated.unwrap().timestamp(), 1_100_000_000);
        let mut bad = r.clone();
        let n = bad.len();
        bad[n - 4] ^= 4;
        assert_eq!(parse(&bad, 0), None);
        assert_eq!(parse(&r[..r.len() - 4], 0), None);
    }
}
