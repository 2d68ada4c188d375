//! Damaged copies of the corpus's event logs, made here: truncated, bytes
//! flipped, zero-filled chunks. Each read ends (no hang), never panics, and
//! gives what it could read with warnings.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use wutriage::warning::WarningCode;
use wutriage::{etl, eventlog, evt};

use crate::util::{corpus, read};

/// Runs `f` on another thread; fails when it takes more than 60 s.
fn bounded<T: Send + 'static>(what: String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{what}: no result within 60 s (hang or panic)"))
}

/// A deterministic byte stream (xorshift).
fn noise(seed: u64) -> impl Iterator<Item = u64> {
    let mut x = seed | 1;
    std::iter::from_fn(move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        Some(x)
    })
}

/// Damaged copies of `good`: (name, bytes).
fn damaged(good: &[u8]) -> Vec<(String, Vec<u8>)> {
    let n = good.len();
    let mut out = Vec::new();
    for cut in [1, 47, 72, 100, 4095, 4096, 4100, n / 3, n / 2, n - 1] {
        if cut < n {
            out.push((format!("truncated at {cut}"), good[..cut].to_vec()));
        }
    }
    for seed in 1..=4u64 {
        let mut b = good.to_vec();
        for r in noise(seed).take(n / 97 + 1) {
            let i = (r % n as u64) as usize;
            b[i] ^= (r >> 32) as u8 | 1;
        }
        out.push((format!("bytes flipped (seed {seed})"), b));
    }
    let second = u32::from_le_bytes(good[0..4].try_into().unwrap()) as usize;
    for at in [0, 4096, second.min(n - 1), n / 2, n.saturating_sub(4096)] {
        let mut b = good.to_vec();
        let end = (at + 4096).min(n);
        b[at..end].fill(0);
        out.push((format!("zeros at {at}"), b));
    }
    out
}

fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), bytes).unwrap();
    f
}

#[test]
fn damaged_traces() {
    let Some(corpus) = corpus() else { return };
    for rel in [
        "etl/asus_g713qm/WindowsUpdate.20250426.052044.386.1.etl",
        "etl/s4/WindowsUpdate.20251008.140245.443.8.etl",
        "etl/etl-parser/AMSITrace.etl",
    ] {
        let good = read(&corpus.join(rel));
        let (all, _) = etl::parse(&good).unwrap();
        // The second buffer starts after the first, whose size it states.
        let second = u32::from_le_bytes(good[0..4].try_into().unwrap()) as usize;
        for (what, bytes) in damaged(&good) {
            let what = format!("{rel}: {what}");
            let res = bounded(what.clone(), move || {
                etl::parse(&bytes).map(|(e, i)| (e.len(), i))
            });
            if let Ok((n, info)) = res {
                assert!(n <= all.len() + 64, "{what}: {n} events");
                if what.ends_with(&format!("zeros at {second}")) {
                    assert!(!info.warnings.is_empty(), "{what}: no warning");
                    assert!(n > 0, "{what}: nothing kept");
                }
            }
        }
        // The whole path (summary) too, on a damaged middle.
        let mut b = good.clone();
        let mid = good.len() / 2;
        b[mid..mid + 4096].fill(0);
        let f = temp_file(&b);
        let (s, t) = eventlog::scan_file(f.path(), &Default::default()).unwrap();
        assert!(
            !t.warnings.is_empty() && s.lines + t.other_events > 0,
            "{rel}"
        );
    }
}

#[test]
fn damaged_evtx() {
    let Some(corpus) = corpus() else { return };
    let rel = "evtx/ts-evtx/System.evtx";
    let good = read(&corpus.join(rel));
    for (what, bytes) in damaged(&good) {
        let what = format!("{rel}: {what}");
        let f = temp_file(&bytes);
        let p = f.path().to_path_buf();
        let res = bounded(what.clone(), move || {
            eventlog::read_file(&p, |_| {}).map(|t| (t.wu_events, t.warnings.len()))
        });
        if let Ok((wu, _)) = res {
            assert!(wu <= 582, "{what}");
        }
    }
    // A zeroed chunk: the other chunks are still read, with a warning.
    let mut b = good.clone();
    b[4096 + 65536..4096 + 2 * 65536].fill(0);
    let f = temp_file(&b);
    let t = eventlog::read_file(f.path(), |_| {}).unwrap();
    let read = t.wu_events + t.other_events;
    assert!(read > 0 && read < 1247, "{read}");
    assert!(
        t.warnings
            .iter()
            .any(|w| w.code == WarningCode::EvtxRecordsMissing
                && w.message.contains("were not found")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn damaged_evt() {
    let Some(corpus) = corpus() else { return };
    let rel = "evt/plaso/SysEvent.Evt";
    let good = read(&corpus.join(rel));
    for (what, bytes) in damaged(&good) {
        let what = format!("{rel}: {what}");
        let res = bounded(what.clone(), move || {
            evt::parse(&bytes).map(|(r, i)| (r.len(), i))
        });
        if let Ok((n, info)) = res {
            assert!(n <= 6500, "{what}");
            if what.contains("zeros at 4096") {
                assert!(info.live < 6063 && !info.warnings.is_empty(), "{what}");
            }
        }
    }
}

#[test]
fn not_event_logs_are_named_errors() {
    let f = temp_file(b"ElfFile\0 but nothing else");
    assert!(eventlog::read_file(f.path(), |_| {}).is_err());
    let g = temp_file(&[0u8; 100]);
    assert!(matches!(
        eventlog::read_file(g.path(), |_| {}),
        Err(eventlog::EventLogError::NotEventLog { .. })
    ));
    assert!(etl::parse(&[0u8; 4096]).is_err());
    assert!(Path::new("/").is_dir());
}

#[test]
fn all_three_formats_parse_from_memory() {
    let Some(corpus) = corpus() else { return };
    for (rel, wu) in [
        ("etl/s4/SIH.20230422.034724.362.1.etl", 10),
        ("evtx/zeus/System.evtx", 3),
        ("evt/plaso/SysEvent.Evt", 483),
    ] {
        let (events, totals) = eventlog::parse(&read(&corpus.join(rel))).unwrap();
        assert_eq!((events.len() as u64, totals.wu_events), (wu, wu), "{rel}");
    }
    assert!(eventlog::parse(b"").is_err());
}
