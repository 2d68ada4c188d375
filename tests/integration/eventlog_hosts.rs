//! Hosts whose only Windows Update evidence is an event log, in `scan` and
//! `triage`, every output format; and one failure in two kinds of source.

use std::path::{Path, PathBuf};

use serde_json::Value;
use wutriage::eventlog;

use crate::util::{self, corpus, read};

const ETL: &str = "etl/asus_g713qm/WindowsUpdate.20250426.052044.386.1.etl";
const ETL_NAME: &str = "WindowsUpdate.20250426.052044.386.1.etl";

/// Replaces every `from` in `bytes` by `to` (same length); returns how many.
fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The failure trace with 0x80240020 where it says 0x8024402C.
fn etl_with_kb_code(corpus: &Path) -> Vec<u8> {
    let mut b = read(&corpus.join(ETL));
    assert_eq!(replace(&mut b, &utf16("8024402C"), &utf16("80240020")), 20);
    b
}

/// ts-evtx's System.evtx with 0x80240020 where event 20 says 0x80073D02
/// (a HexInt32 value; the reader does not check chunk checksums).
fn evtx_with_kb_code(corpus: &Path) -> Vec<u8> {
    let mut b = read(&corpus.join("evtx/ts-evtx/System.evtx"));
    let n = replace(
        &mut b,
        &0x80073D02u32.to_le_bytes(),
        &0x80240020u32.to_le_bytes(),
    );
    assert!(n >= 1);
    b
}

fn put(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A KAPE host with only the trace, a Velociraptor one with only System.evtx.
fn hosts(corpus: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    put(
        dir.path(),
        &format!("etl-only/C/Windows/Logs/WindowsUpdate/{ETL_NAME}"),
        &etl_with_kb_code(corpus),
    );
    put(
        dir.path(),
        "evtx-only/uploads/auto/C%3A/Windows/System32/winevt/Logs/System.evtx",
        &evtx_with_kb_code(corpus),
    );
    dir
}

fn kb_log_error(host: &Value) -> &Value {
    let f = host["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KB910341")
        .unwrap();
    assert_eq!(f["verdict"], "inconclusive", "no hive: never healthy");
    f["log"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "0x80240020")
        .unwrap_or_else(|| panic!("no 0x80240020 in {}", f["log"]))
}

#[test]
fn scan_diagnoses_a_host_with_only_an_etl_or_only_system_evtx() {
    let Some(corpus) = corpus() else { return };
    let dir = hosts(&corpus);
    for (host, count, kind, time) in [
        ("etl-only", 18, "etl", "2025-04-26T12:20:45"),
        ("evtx-only", 1, "evtx", "2025-06-08T07:14:05"),
    ] {
        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .arg(dir.path().join(host))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let h = &v["hosts"][0];
        assert_eq!(h["inputs"][0]["kind"], "event-log");
        assert_eq!(h["inputs"][0]["format"], kind);
        let e = kb_log_error(h);
        assert_eq!(e["count"], count, "{host}");
        assert!(e["first"].as_str().unwrap().starts_with(time), "{e}");
        assert!(e["examples"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["source"] == kind));
        let text = util::wutriage()
            .arg("scan")
            .arg(dir.path().join(host))
            .output()
            .unwrap();
        let text = String::from_utf8(text.stdout).unwrap();
        assert!(
            text.contains("0x80240020") && text.contains(&format!("[{kind}]")),
            "{text}"
        );
    }
}

#[test]
fn triage_reports_the_codes_in_every_format() {
    let Some(corpus) = corpus() else { return };
    let dir = hosts(&corpus);
    for format in ["jsonl", "csv", "sarif", "timesketch", "table"] {
        let out = util::wutriage()
            .arg("triage")
            .arg(dir.path())
            .args(["--only", "KB910341", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        let (a, b) = match format {
            "table" => ("80240020×18", "80240020×1"),
            "csv" => ("0x80240020=18", "0x80240020=1"),
            _ => ("0x80240020 (18 lines)", "0x80240020 (1 line)"),
        };
        if format == "timesketch" {
            // One event per record or line reporting the code, per host.
            let mut per_host: std::collections::BTreeMap<String, usize> = Default::default();
            for line in text.lines() {
                let e: serde_json::Value = serde_json::from_str(line).unwrap();
                if e["error_codes"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c == "0x80240020"))
                {
                    *per_host
                        .entry(e["host"].as_str().unwrap().to_string())
                        .or_default() += 1;
                }
            }
            let counts: Vec<usize> = per_host.values().copied().collect();
            assert!(counts.contains(&18) && counts.contains(&1), "{per_host:?}");
            continue;
        }
        assert!(text.contains(a) && text.contains(b), "{format}: {text}");
    }
}

/// Get-WindowsUpdateLog output for the trace's events: local time of a
/// machine at UTC−7, as the cmdlet writes it.
fn rendered_text_log(trace: &Path) -> String {
    let mut out = String::from("\u{feff}");
    eventlog::read_file(trace, |e| {
        let local = e.time.unwrap() - chrono::Duration::hours(7);
        out.push_str(&format!(
            "{}.{:07} {:<5} {:<5} {:<15} {}\r\n",
            local.format("%Y/%m/%d %H:%M:%S"),
            chrono::Timelike::nanosecond(&local) / 100,
            e.pid.unwrap(),
            e.tid.unwrap(),
            e.component,
            e.text.replace("\r\n", " ")
        ));
    })
    .unwrap();
    out
}

#[test]
fn a_text_log_rendered_from_the_trace_is_not_counted_twice() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let trace = put(
        dir.path(),
        &format!("both/Windows/Logs/WindowsUpdate/{ETL_NAME}"),
        &etl_with_kb_code(&corpus),
    );
    put(
        dir.path(),
        "both/WindowsUpdate.log",
        rendered_text_log(&trace).as_bytes(),
    );
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(dir.path().join("both"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = kb_log_error(&v["hosts"][0]);
    assert_eq!(e["count"], 18);
    assert_eq!(e["duplicates"], 18);
    let sources: Vec<(String, u64)> = e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["format"].as_str().unwrap().into(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(sources.contains(&("win10".into(), 18)) && sources.contains(&("etl".into(), 18)));
}

#[test]
fn other_event_logs_found_in_a_collection_are_not_read() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let evtx = read(&corpus.join("evtx/zeus/System.evtx"));
    put(
        dir.path(),
        "h/C/Windows/System32/winevt/Logs/Security.evtx",
        &evtx,
    );
    put(
        dir.path(),
        "h/C/Windows/System32/winevt/Logs/System.evtx",
        &evtx,
    );
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(dir.path().join("h"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = v["hosts"][0]["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1);
    assert!(inputs[0]["path"].as_str().unwrap().ends_with("System.evtx"));
}

#[test]
fn log_json_counts_windows_update_events_and_others_apart() {
    let Some(corpus) = corpus() else { return };
    let out = util::wutriage()
        .args(["log", "--format", "json"])
        .arg(corpus.join("etl/etl-parser/AMSITrace.etl"))
        .arg(corpus.join("evt/plaso/SysEvent.Evt"))
        .arg(corpus.join("evtx/omerbenamram-evtx/system.evtx"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(&str, u64, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["format"].as_str().unwrap(),
                s["lines"].as_u64().unwrap(),
                s["other_events"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("etl", 0, 19), ("evt", 483, 5837), ("evtx", 377, 1504)]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("3 events lost") && stderr.contains("dirty"),
        "{stderr}"
    );
}

#[test]
fn an_xp_host_with_sysevent_evt() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    put(
        dir.path(),
        "xp/Windows/System32/config/SysEvent.Evt",
        &read(&corpus.join("evt/plaso/SysEvent.Evt")),
    );
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(dir.path().join("xp"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &v["hosts"][0]["inputs"][0];
    assert_eq!(
        (input["kind"].as_str(), input["format"].as_str()),
        (Some("event-log"), Some("evt"))
    );
    assert!(input["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("dirty")));
    // No failure recorded: the log evidence has no codes, and nothing is healthy for it.
    let kb = &v["hosts"][0]["findings"][0];
    assert_eq!(kb["log"]["errors"].as_array().unwrap().len(), 0);
    assert_eq!(kb["verdict"], "inconclusive");
}
