//! The lines a scan hands over, against a sequential reading.

use std::path::Path;

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
