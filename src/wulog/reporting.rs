//! ReportingEvents.log (UTF-16LE, tab-separated):
//! `{EventGUID}<TAB>YYYY-MM-DD HH:MM:SS:mmm-ZZZZ<TAB>version<TAB>EventID [NAME]
//! <TAB>category<TAB>{UpdateGUID}<TAB>revision<TAB>HRESULT<TAB>ClientId
//! <TAB>Success|Failure<TAB>kind<TAB>message[<TAB>cV]`.
//! Older files have 12 fields. The HRESULT is bare hex with leading zeros
//! dropped (`0`, `240006`, `80240020`). The same record appears in classic
//! WindowsUpdate.log lines after `REPORT EVENT: `.

use super::head::{scan, Head, RawStamp};
use super::time::parse_offset;

/// Prefix of a record mirrored into a classic WindowsUpdate.log line.
pub(crate) const MIRROR_PREFIX: &[u8] = b"REPORT EVENT: ";

/// Parses one ReportingEvents.log line.
pub(crate) fn parse(s: &[u8]) -> Option<Head<'_>> {
    if s.first() != Some(&b'{') {
        return None;
    }
    let r = record(s)?;
    Some(Head {
        stamp: r.stamp,
        pid: None,
        tid: None,
        component: r.client,
        text: r.rest,
        reported: Some((r.hresult, r.failure)),
    })
}

/// The fields of a record.
pub(crate) struct Record<'a> {
    pub stamp: RawStamp<'a>,
    pub hresult: u32,
    pub client: &'a [u8],
    pub failure: bool,
    /// From the Success/Failure field to the end.
    pub rest: &'a [u8],
}

/// Splits a record (ReportingEvents.log line, or the text after
/// `REPORT EVENT: `).
pub(crate) fn record(s: &[u8]) -> Option<Record<'_>> {
    let mut starts = [0usize; 10];
    let mut n = 1;
    for (i, &b) in s.iter().enumerate() {
        if b == b'\t' {
            starts[n] = i + 1;
            n += 1;
            if n == starts.len() {
                break;
            }
        }
    }
    if n < starts.len() {
        return None;
    }
    let field = |k: usize| &s[starts[k]..starts[k + 1] - 1];
    let guid = field(0);
    if guid.len() != 38 || guid[0] != b'{' || guid[37] != b'}' {
        return None;
    }
    let ts = field(1);
    if ts.len() != 28 || !scan::date(ts, b"-") || ts[10] != b' ' || ts[19] != b':' {
        return None;
    }
    let hms = scan::hms(ts, 11)?;
    let frac = &ts[20..23];
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let offset = parse_offset(&ts[23..28])?;
    let hr_field = field(7);
    let (hresult, e) = scan::hex(hr_field, 0)?;
    if e != hr_field.len() {
        return None;
    }
    let rest = &s[starts[9]..];
    let status = &rest[..memchr::memchr(b'\t', rest).unwrap_or(rest.len())];
    Some(Record {
        stamp: RawStamp {
            date: &ts[..10],
            hms,
            frac,
            offset: Some(offset),
        },
        hresult,
        client: field(8),
        failure: status.eq_ignore_ascii_case(b"Failure"),
        rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_fields() {
        let l = b"{1C7EF5C4-AA0F-47B0-959F-EB8931B14E58}\t2022-08-05 22:17:58:914-0700\t1\t183 [AGENT_INSTALLING_SUCCEEDED]\t101\t{FEA72025-CBB7-4C83-AABD-D6E81BEB4699}\t1\t240006\tMoUpdateOrchestrator\tSuccess\tContent Install\tInstallation Successful\t/EEHRmOuRUaULhLJ.1.2.1.0";
        let h = parse(l).unwrap();
        assert_eq!(h.reported, Some((0x240006, false)));
        assert_eq!(h.component, b"MoUpdateOrchestrator");
        assert_eq!(h.stamp.offset.unwrap().local_minus_utc(), -7 * 3600);
        assert!(h.text.starts_with(b"Success\t"));
    }

    #[test]
    fn twelve_field_mirror() {
        let l = b"{5799BAC1-56F4-4944-862E-9DE7AFEAB1A2}\t2008-02-14 03:16:55:971-0000\t1\t162\t101\t{A8944CC2-C640-42AB-96EB-CA18473B3BD7}\t105\t80240020\tAutomaticUpdates\tFailure\tContent Download\tDownload failed.";
        let r = record(l).unwrap();
        assert_eq!(r.hresult, 0x80240020);
        assert!(r.failure);
        assert!(parse(b"{x}\t2008").is_none());
    }
}
