//! Traces built here: a live copy (0 buffers in its header), per-CPU
//! buffers out of order, a compressed buffer, a buffer with a bad size.

use super::record::tests::event_bytes;
use super::*;

const BUF: usize = 4096;
/// FILETIME of 2025-01-01T00:00:00Z.
const START: u64 = 133_801_632_000_000_000;
const TICKS0: u64 = 1_000_000;

fn buffer(records: &[Vec<u8>], cpu: u16, flags: u16) -> Vec<u8> {
    let mut b = vec![0u8; BUF];
    let mut at = BUFFER_HEADER_LEN;
    for r in records {
        b[at..at + r.len()].copy_from_slice(r);
        at = (at + r.len() + 7) & !7;
    }
    b[0..4].copy_from_slice(&(BUF as u32).to_le_bytes());
    b[4..8].copy_from_slice(&(at as u32).to_le_bytes());
    b[0x28..0x2A].copy_from_slice(&cpu.to_le_bytes());
    b[0x34..0x36].copy_from_slice(&flags.to_le_bytes());
    b
}

/// The trace header record: QPC at 10 MHz, `events_lost`, 0 buffers written.
fn header_record(events_lost: u32) -> Vec<u8> {
    let mut mof = vec![0u8; 280];
    mof[0..4].copy_from_slice(&(BUF as u32).to_le_bytes());
    mof[44..48].copy_from_slice(&8u32.to_le_bytes());
    mof[48..52].copy_from_slice(&events_lost.to_le_bytes());
    mof[256..264].copy_from_slice(&10_000_000u64.to_le_bytes());
    mof[264..272].copy_from_slice(&START.to_le_bytes());
    mof[272..276].copy_from_slice(&1u32.to_le_bytes());
    let mut r = vec![2, 0, 2, 0xC0, 0, 0, 0, 0];
    r.extend_from_slice(&[0; 8]);
    r.extend_from_slice(&TICKS0.to_le_bytes());
    r.extend_from_slice(&[0; 8]);
    r.extend_from_slice(&mof);
    let n = r.len() as u16;
    r[4..6].copy_from_slice(&n.to_le_bytes());
    r
}

/// A WUTraceLogging-shaped event: name `Agent`, field `Info`, at `ticks`.
fn event(ticks: u64, text: &str) -> Vec<u8> {
    let mut meta = vec![0, 0, 0];
    meta.extend_from_slice(b"Agent\0Info\0\x01");
    let n = meta.len() as u16;
    meta[..2].copy_from_slice(&n.to_le_bytes());
    let mut user: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    user.extend_from_slice(&[0, 0]);
    let mut r = event_bytes(&[(11, &meta), (12, b"\x12\x00WUTraceLogging\0")], &user);
    r[12..16].copy_from_slice(&7u32.to_le_bytes());
    r[16..24].copy_from_slice(&ticks.to_le_bytes());
    r
}

fn texts(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.field("Info").unwrap().to_string())
        .collect()
}

#[test]
fn live_copy_per_cpu_buffers_in_time_order() {
    let mut t = buffer(&[header_record(3)], 0, 0);
    t.extend(buffer(
        &[event(TICKS0 + 30, "c"), event(TICKS0 + 40, "d")],
        0,
        0,
    ));
    t.extend(buffer(
        &[event(TICKS0 + 10, "a"), event(TICKS0 + 20, "b")],
        1,
        0,
    ));
    let (events, info) = parse(&t).unwrap();
    assert_eq!(texts(&events), ["a", "b", "c", "d"]);
    assert_eq!(
        (info.buffers, info.events, info.events_lost()),
        (3, 4, Some(3))
    );
    assert_eq!(info.header.as_ref().unwrap().buffers_written, 0);
    let t0 = events[0].time.unwrap();
    assert_eq!(t0.to_rfc3339(), "2025-01-01T00:00:00.000001+00:00");
    assert_eq!((events[0].cpu, events[0].pid), (1, 7));
    assert_eq!(events[0].provider.as_deref(), Some("WUTraceLogging"));
    assert!(info.warnings.is_empty());
}

#[test]
fn compressed_and_bad_buffers_are_reported_and_skipped() {
    let mut t = buffer(&[header_record(0)], 0, 0);
    t.extend(buffer(&[event(TICKS0 + 1, "packed")], 0, 0x40));
    let mut bad = buffer(&[event(TICKS0 + 2, "lost")], 0, 0);
    bad[0..4].copy_from_slice(&7u32.to_le_bytes());
    t.extend(bad);
    t.extend(buffer(&[event(TICKS0 + 3, "kept")], 0, 0));
    let (events, info) = parse(&t).unwrap();
    assert_eq!(texts(&events), ["kept"]);
    assert_eq!((info.compressed_buffers, info.damaged_buffers), (1, 1));
    let codes: Vec<WarningCode> = info.warnings.iter().map(|w| w.code).collect();
    assert_eq!(
        codes,
        [WarningCode::EtlCompressed, WarningCode::EtlBufferSize],
        "{:?}",
        info.warnings
    );
}

#[test]
fn not_a_trace() {
    assert!(matches!(parse(b""), Err(EtlError::NotEtl)));
    assert!(matches!(parse(&[0x48; 40]), Err(EtlError::NotEtl)));
    assert!(matches!(parse(&[0u8; 200]), Err(EtlError::NotEtl)));
    assert!(matches!(parse(&buffer(&[], 0, 0)), Err(EtlError::NotEtl)));
}
