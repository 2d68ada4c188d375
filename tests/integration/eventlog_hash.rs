//! Event logs read once: each hashed in the pass that parses it. The hash
//! a scan reports is the file's SHA-256 (computed here over the bytes read
//! by the test), and the bytes the scan read are counted: each byte once,
//! except where a reader goes back (said for each format below).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wutriage::eventlog::{self, sniff, EventLogKind};
use wutriage::scan::input::event_log_reads;

use crate::util::{self, corpus, read};

const HEAD: u64 = 64 * 1024;
const EVTX_HEADER: u64 = 4096;
const EVTX_CHUNK: u64 = 64 * 1024;
const EVTX_CHUNK_HEADER: u64 = 512;

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// The event logs of the corpus.
fn event_logs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(event_logs(&p));
        } else if eventlog::is_event_log(&p) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The input `scan --format json FILE` reports for the file.
fn scanned(path: &Path) -> Value {
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    v["hosts"][0]["inputs"][0].clone()
}

/// The EVTX chunk headers past the head: the EVTX reader reads every
/// chunk's header first (to find the oldest chunk), then the chunks.
fn evtx_headers_past_head(size: u64) -> u64 {
    let chunks = size.saturating_sub(EVTX_HEADER) / EVTX_CHUNK;
    (0..chunks)
        .filter(|i| EVTX_HEADER + i * EVTX_CHUNK >= HEAD)
        .count() as u64
        * EVTX_CHUNK_HEADER
}

#[test]
fn every_corpus_event_log_is_hashed_in_its_parsing_pass() {
    let Some(c) = corpus() else { return };
    let mut kinds = Vec::new();
    for dir in ["etl", "evtx", "evt"] {
        for path in event_logs(&c.join(dir)) {
            let bytes = read(&path);
            let size = bytes.len() as u64;
            let want = sha256(&bytes);
            let input = scanned(&path);
            assert_eq!(input["sha256"], want.as_str(), "{}", path.display());
            assert_eq!(input["error"], Value::Null, "{}", path.display());
            let (sha, reads) = event_log_reads(&path).unwrap();
            assert_eq!(sha, want, "{}", path.display());
            let kind = sniff(&bytes).unwrap();
            match kind {
                // Read from start to end.
                EventLogKind::Etl => assert_eq!(reads, size, "{}", path.display()),
                // Each chunk header past the head read twice (0.8 %).
                EventLogKind::Evtx => {
                    assert_eq!(reads, size + evtx_headers_past_head(size));
                }
                // A look at the end-of-log cursor (40 bytes) where the header
                // says; when it is not there, a first scan of the whole file
                // finds it, and the records' scan reads again past the head.
                EventLogKind::Evt => {
                    assert!(reads >= size, "{}", path.display());
                    assert!(reads <= 2 * size - size.min(HEAD) + 40, "{reads}");
                }
            }
            kinds.push(kind);
        }
    }
    for k in [EventLogKind::Etl, EventLogKind::Evtx, EventLogKind::Evt] {
        assert!(kinds.contains(&k), "no {k:?} in the corpus");
    }
}

/// `good` truncated, with bytes flipped, and cut inside its header.
fn damaged(good: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut flipped = good.to_vec();
    for i in (4200..flipped.len()).step_by(9973) {
        flipped[i] ^= 0xff;
    }
    vec![
        ("truncated", good[..good.len() / 2 + 777].to_vec()),
        ("flipped", flipped),
        ("cut in its header", good[..300].to_vec()),
    ]
}

#[test]
fn a_damaged_event_log_gets_the_hash_of_its_exact_bytes() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for (rel, name) in [
        (
            "etl/asus_g713qm/WindowsUpdate.20250426.052044.386.1.etl",
            "WindowsUpdate.etl",
        ),
        ("evtx/ts-evtx/System.evtx", "System.evtx"),
        ("evt/plaso/SysEvent.Evt", "SysEvent.Evt"),
    ] {
        for (how, bytes) in damaged(&read(&c.join(rel))) {
            let path = tmp.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let what = format!("{rel} {how}");
            let input = scanned(&path);
            assert_eq!(input["sha256"], sha256(&bytes).as_str(), "{what}");
            let (sha, reads) = event_log_reads(&path).unwrap();
            assert_eq!(sha, sha256(&bytes), "{what}");
            let size = bytes.len() as u64;
            assert!(
                reads >= size && reads <= 2 * size + size / 100,
                "{what}: {reads}"
            );
            // The same warnings, or the same error, as the separate reading.
            match eventlog::scan_file(&path, &Default::default()) {
                Ok((_, totals)) => {
                    let undecoded = totals.undecoded();
                    let want: Vec<_> = totals
                        .warnings
                        .iter()
                        .chain(&undecoded)
                        .map(|w| w.message.as_str())
                        .collect();
                    let got = input.get("warnings").cloned();
                    assert_eq!(got.unwrap_or(json!([])), json!(want), "{what}");
                    assert_eq!(input["error"], Value::Null, "{what}");
                }
                Err(e) => assert_eq!(input["error"], e.to_string(), "{what}"),
            }
        }
    }
}

/// An EVTX log whose oldest chunk is not the first: its chunks rotated, as
/// a full log writes each new chunk over its oldest.
#[test]
fn a_wrapped_evtx_log_reads_its_chunks_from_the_oldest_once_more() {
    let Some(c) = corpus() else { return };
    let good = read(&c.join("evtx/ts-evtx/System.evtx"));
    let (header, chunks) = good.split_at(EVTX_HEADER as usize);
    let n = chunks.len() / EVTX_CHUNK as usize;
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain.evtx");
    std::fs::write(&plain, &good).unwrap();
    let (_, want) = eventlog::scan_file(&plain, &Default::default()).unwrap();
    for moved in [1, 5, n - 1] {
        let at = (n - moved) * EVTX_CHUNK as usize;
        let mut bytes = header.to_vec();
        bytes.extend_from_slice(&chunks[at..]);
        bytes.extend_from_slice(&chunks[..at]);
        let path = tmp.path().join(format!("System{moved}.evtx"));
        std::fs::write(&path, &bytes).unwrap();
        let (_, totals) = eventlog::scan_file(&path, &Default::default()).unwrap();
        assert_eq!(totals.wu_events, want.wu_events, "{moved}");
        assert_eq!(scanned(&path)["sha256"], sha256(&bytes).as_str());
        let (sha, reads) = event_log_reads(&path).unwrap();
        assert_eq!(sha, sha256(&bytes));
        // The chunks from the oldest to the end are read (past the hashed
        // part), then those before it (hashed), then again from the oldest
        // to the end to hash them in order.
        let size = bytes.len() as u64;
        let again = (n - moved) as u64 * EVTX_CHUNK;
        assert_eq!(
            reads,
            size + evtx_headers_past_head(size) + again,
            "{moved}"
        );
    }
}

#[test]
fn read_through_the_hashing_reader_every_event_log_gives_what_a_plain_reading_gives() {
    let Some(c) = corpus() else { return };
    let logs = event_logs(&c);
    assert!(logs.len() >= 10, "corpus event logs: {}", logs.len());
    for p in logs {
        let good = std::fs::read(&p).unwrap();
        wutriage::fuzzing::event_log_read_once_matches(&good);
        for (_, bad) in damaged(&good) {
            wutriage::fuzzing::event_log_read_once_matches(&bad);
        }
    }
}
