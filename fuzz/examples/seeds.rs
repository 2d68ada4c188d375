//! Writes the seed corpus of every fuzz target, built from the project's
//! own fixtures: `cargo run --example seeds -- OUT_DIR` (run by
//! `scripts/fuzz.sh`). Seeds go to `OUT_DIR/<target>/`; nothing is
//! written anywhere else.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wutriage::fuzzing::join_replay;
use wutriage::registry::replay::testing::{new_format_pair, old_format_pair};

type Seeds = BTreeMap<(&'static str, String), Vec<u8>>;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let out = PathBuf::from(args.next().expect("usage: seeds OUT_DIR"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = root.join("fixtures");
    let mut seeds = Seeds::new();
    let mut seen = std::collections::HashSet::new();
    for path in files(&fixtures) {
        let bytes = fs::read(&path).expect("fixture readable");
        if !seen.insert(bytes.clone()) {
            continue; // the same hive or log in several hosts
        }
        let name = path
            .strip_prefix(&fixtures)
            .unwrap()
            .to_string_lossy()
            .replace('/', "_");
        let target = if bytes.starts_with(b"regf") {
            Some("hive")
        } else if name.ends_with(".reg") {
            Some("regfile")
        } else if name.ends_with(".log") {
            Some("wulog")
        } else {
            None
        };
        match target {
            Some("wulog") => {
                seeds.insert(("wulog", name), [&[0u8][..], &bytes].concat());
            }
            Some(t) => {
                seeds.insert((t, name), bytes);
            }
            None => {}
        }
    }
    log_encodings(&fixtures, &mut seeds);
    for path in files(&root.join("rules")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        seeds.insert(("rules", name), fs::read(&path).unwrap());
    }
    replay_seeds(&fixtures.join("registry"), &mut seeds);
    // The event log readers have no fixtures: their seeds are the shared
    // corpus (given by the script); these only carry the signatures.
    let mut evtx = b"ElfFile\0".to_vec();
    evtx.resize(4096, 0);
    seeds.insert(("eventlog", "evtx-signature".into()), evtx);
    seeds.insert(("etl", "empty".into()), Vec::new());
    seeds.insert(("evt", "empty".into()), Vec::new());
    for ((target, name), bytes) in &seeds {
        let dir = out.join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
    }
    println!("{} seeds written to {}", seeds.len(), out.display());
}

/// The small classic log in each encoding the `wulog` target's first byte selects.
fn log_encodings(fixtures: &Path, seeds: &mut Seeds) {
    let text = fs::read(fixtures.join("logs/win10_kb910341_WindowsUpdate.log")).unwrap();
    let reporting = fs::read(fixtures.join("logs/reportingevents_kb910341.log")).unwrap();
    for mode in 1..6u8 {
        seeds.insert(
            ("wulog", format!("win10-mode{mode}")),
            [&[mode][..], &text].concat(),
        );
        seeds.insert(
            ("wulog", format!("reporting-mode{mode}")),
            [&[mode][..], &reporting].concat(),
        );
    }
}

/// Dirty hives with old- and new-format logs (one and two logs), and a
/// primary whose base block is damaged, built from pairs of fixture hives
/// of the same size (the second is the state the logs lead to).
fn replay_seeds(registry: &Path, seeds: &mut Seeds) {
    let pairs = [
        ("xp-missing-values.hive", "xp-wrong-data.hive"),
        ("win2000-missing-values.hive", "win2000-complete.hive"),
    ];
    for (clean, modified) in pairs {
        let clean_bytes = fs::read(registry.join(clean)).unwrap();
        let modified_bytes = fs::read(registry.join(modified)).unwrap();
        let stem = clean.trim_end_matches(".hive");
        let (dirty, old) = old_format_pair(&clean_bytes, &modified_bytes).unwrap();
        seeds.insert(
            ("replay", format!("{stem}-old")),
            join_replay(&dirty, &[&old]),
        );
        let (dirty_new, new) = new_format_pair(&clean_bytes, &modified_bytes).unwrap();
        seeds.insert(
            ("replay", format!("{stem}-new")),
            join_replay(&dirty_new, &[&new]),
        );
        seeds.insert(
            ("replay", format!("{stem}-new-and-old")),
            join_replay(&dirty_new, &[&new, &old]),
        );
        let mut damaged = dirty.clone();
        damaged[..4].copy_from_slice(b"xxxx");
        seeds.insert(
            ("replay", format!("{stem}-damaged-base-block")),
            join_replay(&damaged, &[&old]),
        );
        seeds.insert(
            ("replay", format!("{stem}-clean")),
            join_replay(&clean_bytes, &[&new]),
        );
    }
}

/// Every regular file below `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let ty = e.file_type().unwrap();
            if ty.is_dir() {
                stack.push(e.path());
            } else if ty.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}
