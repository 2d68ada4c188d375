//! Event logs read once: parsed and hashed in the same pass.

use sha2::{Digest, Sha256};
use wutriage::scan::input::event_log_reads;

use crate::util::{corpus, read};

#[test]
fn probe() {
    let Some(c) = corpus() else { return };
    for d in ["etl", "evtx", "evt"] {
        for e in walkdir(&c.join(d)) {
            let b = read(&e);
            let (h, n) = event_log_reads(&e).unwrap();
            let hex: String = Sha256::digest(&b).iter().map(|x| format!("{x:02x}")).collect();
            eprintln!("{} size {} read {} extra {} ok {}", e.display(), b.len(), n, n as i64 - b.len() as i64, h == hex);
        }
    }
}

fn walkdir(d: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walkdir(&p)); } else if wutriage::eventlog::is_event_log(&p) { out.push(p); }
    }
    out
}
