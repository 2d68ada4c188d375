//! Logs built here: clean, wrapped with a split record, dirty, damaged.

use super::record::tests::record;
use super::*;

/// A log of `size` bytes holding `records` from offset 48, cursor after them.
fn log(records: &[Vec<u8>], size: usize, oldest: u32) -> Vec<u8> {
    let mut b = vec![0u8; size];
    let mut at = HEADER_LEN;
    for r in records {
        b[at..at + r.len()].copy_from_slice(r);
        at += r.len();
    }
    let next = oldest + records.len() as u32;
    let mut c = vec![0x28, 0, 0, 0];
    c.extend(
        [0x11; 4]
            .iter()
            .chain(&[0x22; 4])
            .chain(&[0x33; 4])
            .chain(&[0x44; 4]),
    );
    for v in [HEADER_LEN as u32, at as u32, next, oldest, 0x28] {
        c.extend(v.to_le_bytes());
    }
    b[at..at + c.len()].copy_from_slice(&c);
    let h: [u32; 12] = [
        48,
        0,
        1,
        1,
        48,
        at as u32,
        next,
        oldest,
        size as u32,
        0,
        0,
        48,
    ];
    for (i, v) in h.iter().enumerate() {
        b[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    b[4..8].copy_from_slice(b"LfLe");
    b
}

#[test]
fn clean_log() {
    let recs = [
        record(1, 19, "Windows Update Agent", &["x"]),
        record(2, 20, "Srv", &[]),
    ];
    let (out, info) = parse(&log(&recs, 4096, 1)).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!((info.live, info.recovered, info.cursor_found), (2, 0, true));
    assert!(info.warnings.is_empty(), "{:?}", info.warnings);
}

#[test]
fn stale_header_and_slack_records() {
    let recs = [record(5, 19, "A", &[]), record(6, 19, "A", &[])];
    let mut b = log(&recs, 8192, 5);
    // A header left as it was before the last write (dirty), and an old
    // record in slack space after the cursor.
    b[20..24].copy_from_slice(&100u32.to_le_bytes());
    b[36..40].copy_from_slice(&1u32.to_le_bytes());
    let old = record(2, 18, "A", &[]);
    b[4000..4000 + old.len()].copy_from_slice(&old);
    let (out, info) = parse(&b).unwrap();
    assert_eq!((info.live, info.recovered), (2, 1));
    assert!(out.iter().any(|r| r.number == 2 && r.recovered));
}

#[test]
fn wrapped_split_record_is_joined() {
    let r = record(9, 20, "Windows Update Agent", &["title", "0x80240020"]);
    let size = 1024;
    let mut b = log(&[], size, 9);
    let off = size - 40;
    b[off..].copy_from_slice(&r[..40]);
    b[HEADER_LEN..HEADER_LEN + r.len() - 40].copy_from_slice(&r[40..]);
    let end = (HEADER_LEN + r.len() - 40) as u32;
    // Header: wrapped, begin at the split record, end after its rest.
    for (at, v) in [(16, off as u32), (20, end), (24, 10), (28, 9), (36, 2)] {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    let (out, info) = parse(&b).unwrap();
    assert_eq!(out.len(), 1, "{:?}", info.warnings);
    assert_eq!(out[0].strings, vec!["title", "0x80240020"]);
    assert!(!out[0].recovered);
}

#[test]
fn damage_gives_warnings_not_errors() {
    let recs: Vec<_> = (1..=20).map(|n| record(n, 19, "A", &["s"])).collect();
    let good = log(&recs, 8192, 1);
    for cut in [48, 100, 500, 1000, 4000] {
        let _ = parse(&good[..cut]).unwrap();
    }
    let mut zeroed = good.clone();
    zeroed[300..900].fill(0);
    let (out, info) = parse(&zeroed).unwrap();
    assert!(out.len() < 20 && !out.is_empty());
    let codes: Vec<WarningCode> = info.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [WarningCode::EvtRecordCount], "{:?}", info.warnings);
    let mut flipped = good;
    for i in (60..4000).step_by(37) {
        flipped[i] ^= 0x5A;
    }
    let _ = parse(&flipped).unwrap();
    assert!(matches!(parse(b"LfLe"), Err(EvtError::NotEvt)));
}
