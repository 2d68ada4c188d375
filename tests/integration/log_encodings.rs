//! One recogniser for logs: the same files (UTF-16LE ReportingEvents.log,
//! UTF-16BE WindowsUpdate.log, UTF-16 without BOM) give the same format and
//! counts in `log`, `scan` and `triage`; a host whose only log is UTF-16 can
//! be `confirmed`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util;

/// A rule over the codes of the test logs, so that `scan` and `triage`
/// count them (its registry check is irrelevant here).
const RULE: &str = r#"
id = "TEST-CODES"
title = "codes of the test logs"
source = "test"
os = ["windows-2000", "windows-xp", "server-2003", "vista-or-later", "unknown"]
codes = ["0x800704DD", "0x80073D02", "0x8024000B", "0x80240017"]
hive = "system"
key = 'Services\wuauserv'

[[check_set]]
name = "all"
description = "all"
os = ["windows-2000", "windows-xp", "server-2003", "vista-or-later", "unknown"]
check = [ { value = "Start", types = ["REG_DWORD"], expect = { not = 4 }, label = "x" } ]

[summary]
confirmed = "{problems}, {errors}."
latent = "{problems}, {no_errors}."
other_cause = "{errors}."
healthy = "{no_errors}."
not_applicable = "n/a"
inconclusive = "no hive"
inconclusive_with_errors = "no hive; {errors}."
"#;

/// `(format, code → count)` per file name.
type Seen = BTreeMap<String, (String, BTreeMap<String, u64>)>;

fn name(p: &str) -> String {
    Path::new(p)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn via_log(files: &[PathBuf]) -> Seen {
    let out = util::wutriage()
        .args(["log", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    v.iter()
        .map(|s| {
            let codes = s["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["code"].as_str().unwrap().into(),
                        e["count"].as_u64().unwrap(),
                    )
                })
                .collect();
            let format = s["format"].as_str().unwrap().to_string();
            (name(s["path"].as_str().unwrap()), (format, codes))
        })
        .collect()
}

/// Formats from the inputs, counts from the finding's log evidence (per file
/// when each file holds other codes, as here).
fn from_host(host: &Value) -> Seen {
    let mut seen = Seen::new();
    for i in host["inputs"].as_array().unwrap() {
        assert_eq!(i["kind"], "update-log", "{i}");
        assert!(i.get("error").is_none(), "{i}");
        let format = i["format"].as_str().unwrap().to_string();
        seen.insert(name(i["path"].as_str().unwrap()), (format, BTreeMap::new()));
    }
    let f = &host["findings"][0];
    assert_eq!(f["rule"], "TEST-CODES");
    for e in f["log"]["errors"].as_array().unwrap() {
        let file = name(e["examples"][0]["file"].as_str().unwrap());
        let code = e["code"].as_str().unwrap().to_string();
        seen.get_mut(&file)
            .unwrap()
            .1
            .insert(code, e["count"].as_u64().unwrap());
    }
    seen
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_logs_read_alike_in_log_scan_and_triage() {
    let Some(corpus) = util::corpus() else { return };
    let root = tempfile::tempdir().unwrap();
    let host = root.path().join("pc1");
    std::fs::create_dir(&host).unwrap();
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("test.toml"), RULE).unwrap();
    std::fs::copy(
        corpus.join("logs/win10_utf16le_s4_ReportingEvents.log"),
        host.join("ReportingEvents.log"),
    )
    .unwrap();
    std::fs::copy(
        util::fixture("logs/classic_utf16be_WindowsUpdate.log"),
        host.join("WindowsUpdate.log"),
    )
    .unwrap();
    // The classic fixture again, as UTF-16LE without a BOM.
    let be = std::fs::read(util::fixture("logs/classic_utf16be_WindowsUpdate.log")).unwrap();
    let text = String::from_utf16(
        &be[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let other = tempfile::tempdir().unwrap();
    let no_bom = other.path().join("WindowsUpdate.log");
    std::fs::write(&no_bom, utf16(&text, false, false)).unwrap();

    let mut files: Vec<PathBuf> = std::fs::read_dir(&host)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let want = via_log(&files);
    assert_eq!(want["ReportingEvents.log"].0, "reporting-events");
    assert_eq!(want["WindowsUpdate.log"].0, "classic");
    assert_eq!(
        via_log(&[no_bom])["WindowsUpdate.log"],
        want["WindowsUpdate.log"]
    );
    assert!(!want["ReportingEvents.log"].1.is_empty());

    let rules_arg = [
        "--rules",
        rules.path().to_str().unwrap(),
        "--only",
        "TEST-CODES",
    ];
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .args(rules_arg)
        .arg(&host)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_host(&v["hosts"][0]), want);

    let out = util::wutriage()
        .args(["triage", "-q", "--format", "jsonl"])
        .args(rules_arg)
        .arg(root.path())
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(from_host(&v), want);
}

/// The xp-broken fixture host with its log re-encoded.
fn host_with_utf16_log(big_endian: bool, bom: bool) -> tempfile::TempDir {
    let src = util::fixture("hosts/xp-broken");
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("pc1");
    std::fs::create_dir_all(host.join("Windows/System32/config")).unwrap();
    std::fs::copy(
        src.join("Windows/System32/config/SOFTWARE"),
        host.join("Windows/System32/config/SOFTWARE"),
    )
    .unwrap();
    let log = std::fs::read(src.join("Windows/WindowsUpdate.log")).unwrap();
    let text = String::from_utf8(log).unwrap();
    std::fs::write(
        host.join("Windows/WindowsUpdate.log"),
        utf16(&text, big_endian, bom),
    )
    .unwrap();
    dir
}

#[test]
fn a_host_whose_only_log_is_utf16_is_confirmed() {
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let dir = host_with_utf16_log(big_endian, bom);
        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .arg(dir.path().join("pc1"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "be={big_endian} bom={bom}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let h = &v["hosts"][0];
        let log = h["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with("WindowsUpdate.log"))
            .unwrap();
        assert_eq!(log["kind"], "update-log");
        assert_eq!(h["findings"][0]["rule"], "KB910341");
        assert_eq!(
            h["findings"][0]["verdict"], "confirmed",
            "be={big_endian} bom={bom}"
        );

        let out = util::wutriage()
            .args(["triage", "-q", "--format", "jsonl"])
            .arg(dir.path())
            .output()
            .unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        let t: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
        assert_eq!(t["findings"][0]["verdict"], "confirmed");
        assert_eq!(
            t["findings"][0]["log"]["errors"],
            h["findings"][0]["log"]["errors"]
        );
    }
}
