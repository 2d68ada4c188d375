//! Hostile hives stay within bounds: big data is capped by the hive's own
//! size and refused when its segments overlap, a file far larger than its
//! base block declares is not read past the hive, and key walks visit each
//! key once however often it is listed. Every input is built here.

use std::path::Path;

use serde_json::Value as Json;
use wutriage::finding::Verdict;
use wutriage::registry::hive::BinaryHive;
use wutriage::registry::RegistryView;
use wutriage::report::Report;

use crate::hive_builder::HiveBuilder;
use crate::util;

const SEGMENT: usize = 16_344;

/// A hive whose root holds a big-data value `name` of `count` segments,
/// every one pointing at the same cell (`filler` bytes of unused cell too).
fn big_data_hive(name: &str, count: usize, size: u32, filler: usize) -> Vec<u8> {
    let mut b = HiveBuilder::new();
    let root = b.key("ROOT", true);
    b.cell(&vec![0; filler]);
    let segment = b.cell(&vec![0x41; SEGMENT]);
    let list: Vec<u8> = std::iter::repeat_n(segment.to_le_bytes(), count)
        .flatten()
        .collect();
    let list = b.cell(&list);
    let mut db = b"db".to_vec();
    db.extend_from_slice(&(count as u16).to_le_bytes());
    db.extend_from_slice(&list.to_le_bytes());
    let db = b.cell(&db);
    let vk = b.value(name, 3, size, db);
    b.values(root, &[vk]);
    b.finish(root)
}

fn query_json(file: &Path, key: &str, recurse: bool) -> (Option<i32>, Json, String) {
    let mut cmd = util::wutriage();
    cmd.arg("query")
        .arg(file)
        .arg(key)
        .args(["--format", "json"]);
    if recurse {
        cmd.arg("-s");
    }
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Json::Null);
    (
        out.status.code(),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn big_data_claiming_more_than_the_hive_is_refused_not_allocated() {
    let hive = big_data_hive("Big", 65_535, (65_535 * SEGMENT) as u32, 0);
    assert!(hive.len() < 300_000, "{}", hive.len());
    let parsed = BinaryHive::from_bytes(hive.clone()).unwrap();
    let root = parsed.key("").unwrap().unwrap();
    let err = root.value_read("Big").unwrap_err();
    assert!(err.reason.contains("more than the hive"), "{}", err.reason);

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("big.hive");
    std::fs::write(&file, &hive).unwrap();
    let (code, json, stderr) = query_json(&file, "", false);
    assert_eq!(code, Some(0), "{stderr}");
    let notes = json["keys"][0]["notes"].to_string();
    assert!(notes.contains("more than the hive"), "{json}");
}

#[test]
fn big_data_segments_pointing_at_one_cell_are_refused() {
    // Three segments, all the same cell: small enough to pass the size cap.
    let hive = big_data_hive("Overlap", 3, (3 * SEGMENT) as u32, 64 * 1024);
    let parsed = BinaryHive::from_bytes(hive).unwrap();
    let root = parsed.key("").unwrap().unwrap();
    let err = root.value_read("Overlap").unwrap_err();
    assert!(err.reason.contains("overlap"), "{}", err.reason);
}

/// 40 levels below the root, each listing the next key twice; with `cycle`
/// the last lists the first again.
fn dag_hive(cycle: bool) -> Vec<u8> {
    let mut b = HiveBuilder::new();
    let root = b.key("ROOT", true);
    let keys: Vec<u32> = (0..40).map(|i| b.key(&format!("K{i:02}"), false)).collect();
    b.subkeys(root, &[(keys[0], "K00"), (keys[0], "K00")]);
    for i in 0..39 {
        let next = format!("K{:02}", i + 1);
        b.subkeys(keys[i], &[(keys[i + 1], &next), (keys[i + 1], &next)]);
    }
    if cycle {
        b.subkeys(keys[39], &[(keys[0], "K00")]);
    }
    b.finish(root)
}

#[test]
fn a_key_listed_twice_at_every_level_is_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("dag.hive");
    std::fs::write(&file, dag_hive(false)).unwrap();
    let (code, json, stderr) = query_json(&file, "", true);
    assert_eq!(code, Some(0), "{stderr}");
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 41, "the root and 40 levels, once each");
    assert!(keys[40]["path"].as_str().unwrap().ends_with("K39"));
}

#[test]
fn a_loop_of_keys_is_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("loop.hive");
    std::fs::write(&file, dag_hive(true)).unwrap();
    let (code, json, stderr) = query_json(&file, "", true);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json["keys"].as_array().unwrap().len(), 41);
}

#[test]
fn a_huge_sparse_file_named_software_is_read_only_as_far_as_declared() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("host/Windows/System32/config");
    std::fs::create_dir_all(&config).unwrap();
    let hive = config.join("SOFTWARE");
    std::fs::copy(
        util::fixture("hosts/xp-latent/Windows/System32/config/SOFTWARE"),
        &hive,
    )
    .unwrap();
    // 3 GB, sparse: no disk space, and it must take no memory either.
    let f = std::fs::OpenOptions::new().write(true).open(&hive).unwrap();
    f.set_len(3 << 30).unwrap();
    drop(f);
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(tmp.path().join("host"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    let host = &report.hosts[0];
    let input = &host.inputs[0];
    assert!(
        input
            .warnings
            .iter()
            .any(|w| w.message.contains("only the declared hive was read")),
        "{:?}",
        input.warnings
    );
    assert!(input.sha256.is_none());
    let f = host.findings.iter().find(|f| f.rule == "KB910341").unwrap();
    assert_eq!(f.verdict, Verdict::Latent);
}
