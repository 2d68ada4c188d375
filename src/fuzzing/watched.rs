//! What a scan reads in one pass, against a plain reading: the lines it
//! hands over, and an event log read through the hashing reader.

use std::io::{Cursor, Seek, SeekFrom};
use std::path::Path;

use crate::evidence::seek_hash::SeekHashing;

use crate::wulog::{self, ScanOptions};

/// A watched line as both readers give it: number, time, codes, component, text.
type SeenLine = (
    u64,
    Option<wulog::LogTime>,
    Vec<wulog::Hresult>,
    String,
    String,
);

/// Asserts that the lines a scan hands over while it summarises a log
/// (pieces read in parallel, times resolved when merged) are exactly the
/// lines a sequential reading gives that hold a watched code (up to 16 of
/// the codes the log holds), with the same numbers, times, codes and text.
pub fn watched_lines_match(bytes: &[u8]) {
    let mut all: Vec<SeenLine> = Vec::new();
    let mut codes: Vec<wulog::Hresult> = Vec::new();
    let read = wulog::read_events(bytes, |ev| {
        for c in ev.codes {
            if codes.len() < 16 && !codes.contains(c) {
                codes.push(*c);
            }
        }
        if !ev.codes.is_empty() && all.len() < 100_000 {
            let line = (
                ev.line,
                ev.time,
                ev.codes.to_vec(),
                ev.component.to_string(),
                ev.raw.to_string(),
            );
            all.push(line);
        }
    });
    if read.is_err() || all.len() >= 100_000 {
        return;
    }
    let opts = ScanOptions {
        always_keep: codes.clone(),
        ..ScanOptions::default()
    };
    let mut seen: Vec<SeenLine> = Vec::new();
    let scanned = wulog::scan_reader_seeing(bytes, Path::new("log"), &opts, &mut |l| {
        let line = (
            l.number,
            l.time,
            l.codes.to_vec(),
            l.component().into_owned(),
            l.shown().into_owned(),
        );
        seen.push(line);
    });
    assert!(scanned.is_ok(), "the scan fails where the reading does not");
    all.retain(|l| l.2.iter().any(|c| codes.contains(c)));
    assert_eq!(
        seen, all,
        "watched lines differ from the sequential reading"
    );
}

/// Asserts that an event log read as `scan` reads it (its first 64 KiB
/// already read, the rest through the hashing reader) gives the summary a
/// plain in-memory reading gives (or fails as it does), and the SHA-256 of
/// every byte.
pub fn event_log_read_once_matches(bytes: &[u8]) {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let path = Path::new("fuzz.evtx");
    let opts = ScanOptions::default();
    let mut file = Cursor::new(bytes);
    if file.seek(SeekFrom::Start(head.len() as u64)).is_err() {
        return;
    }
    let mut reader = SeekHashing::new(head.to_vec(), file);
    let hashed = crate::eventlog::scan_open(&mut reader, head, path, &opts);
    let plain = crate::eventlog::scan_open(Cursor::new(bytes), head, path, &opts);
    let digest = reader.finish().expect("reading memory cannot fail");
    let hex = crate::evidence::digest::sha256_hex(bytes);
    assert_eq!(digest.sha256, hex, "the hash is not the whole input's");
    let json = |r: Result<_, crate::eventlog::EventLogError>| {
        r.map(|(s, _): (wulog::LogSummary, _)| serde_json::to_string(&s).expect("JSON"))
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        json(hashed),
        json(plain),
        "read through the hashing reader, the log differs"
    );
}
