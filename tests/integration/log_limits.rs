//! Hostile logs: per-log state stays bounded (codes kept, examples and
//! components cut with a marker, cut lines counted), and `log` and `scan`
//! report cut lines the same way. Inputs are built here.

use std::io::Write as _;

use wutriage::wulog::{scan_file, scan_reader, ScanOptions};

use crate::util;

const HEAD: &str = "2024-03-01\t16:00:00:000\t 900\t 3a4\tAU\t";

/// One classic line holding `n` distinct failure codes (about 11 bytes each).
fn many_codes_on_one_line(n: u32) -> Vec<u8> {
    let mut s = String::from(HEAD);
    for i in 0..n {
        s.push_str(&format!("0x8{:07X} ", i + 1));
    }
    s.push('\n');
    s.into_bytes()
}

#[test]
fn twenty_thousand_codes_on_one_line_are_capped_and_counted() {
    let data = many_codes_on_one_line(20_000);
    assert!(data.len() > 200_000);
    let opts = ScanOptions::default();
    let s = scan_reader(&data[..], std::path::Path::new("x.log"), &opts).unwrap();
    assert_eq!(s.errors.len(), opts.max_codes);
    assert_eq!(s.codes_over_limit, 20_000 - opts.max_codes as u64);
    // The first codes in file order are the ones kept.
    assert_eq!(s.errors.iter().map(|e| e.code.0).min(), Some(0x8000_0001));
    assert_eq!(
        s.errors.iter().map(|e| e.code.0).max(),
        Some(0x8000_0000 + opts.max_codes as u32)
    );
    for e in &s.errors {
        assert_eq!(e.count, 1);
        let ex = &e.examples[0];
        assert!(ex.cut);
        assert!(
            ex.text.len() <= opts.example_bytes + 40,
            "{}",
            ex.text.len()
        );
        assert!(
            ex.text.ends_with("… [cut: first 1024 bytes]"),
            "{}",
            ex.text
        );
    }
    assert!(s.warnings().iter().any(|w| w
        .message
        .contains("15904 code reports of further codes counted only")));
}

#[test]
fn four_hundred_thousand_codes_one_per_line_are_capped_and_counted() {
    let mut data = Vec::with_capacity(400_000 * 60);
    for i in 0..400_000u32 {
        writeln!(data, "{HEAD}failed, hr=0x8{:07X}", i + 1).unwrap();
    }
    let opts = ScanOptions::default();
    let s = scan_reader(&data[..], std::path::Path::new("x.log"), &opts).unwrap();
    assert_eq!(s.lines, 400_000);
    assert_eq!(s.errors.len(), opts.max_codes);
    assert_eq!(s.codes_over_limit, 400_000 - opts.max_codes as u64);
    assert!(s
        .errors
        .iter()
        .all(|e| e.count == 1 && e.examples.len() == 1));
}

#[test]
fn codes_the_diagnosis_explains_are_kept_beyond_the_cap() {
    let mut data = many_codes_on_one_line(6_000);
    writeln!(data, "{HEAD}failed, hr=0x800704DD").unwrap();
    let s = scan_reader(
        &data[..],
        std::path::Path::new("x.log"),
        &ScanOptions::default(),
    )
    .unwrap();
    let dd = s.code(wutriage::wulog::E_NOT_LOGGED_ON).expect("kept");
    assert_eq!((dd.count, dd.first_line), (1, 2));
}

#[test]
fn long_components_are_cut_with_a_marker() {
    let comp = "C".repeat(500);
    let line = format!("2024-03-01\t16:00:00:000\t 900\t 3a4\t{comp}\tfailed, hr=0x80070005\n");
    let s = scan_reader(
        line.as_bytes(),
        std::path::Path::new("x.log"),
        &ScanOptions::default(),
    )
    .unwrap();
    let c = &s.errors[0].components[0];
    assert_eq!(c, &format!("{}…", &comp[..64]));
}

/// A log whose second line is longer than 256 KiB, with a code before
/// and one after the cut.
fn log_with_an_overlong_line() -> Vec<u8> {
    let mut data = Vec::new();
    writeln!(data, "{HEAD}failed, hr=0x80070005").unwrap();
    data.extend_from_slice(HEAD.as_bytes());
    data.extend_from_slice(b"failed, hr=0x80240020 ");
    data.extend(std::iter::repeat_n(b'y', 300 * 1024));
    data.extend_from_slice(b" error 0x8024402C\n");
    writeln!(data, "{HEAD}failed, hr=0x80070005").unwrap();
    data
}

#[test]
fn an_overlong_line_is_cut_counted_and_marked() {
    let data = log_with_an_overlong_line();
    let s = scan_reader(
        &data[..],
        std::path::Path::new("x.log"),
        &ScanOptions::default(),
    )
    .unwrap();
    assert_eq!((s.lines, s.cut, s.cut_lines.clone()), (3, 1, vec![2]));
    let niu = s.code(wutriage::wulog::WU_E_NO_INTERACTIVE_USER).unwrap();
    assert!(niu.examples[0].cut);
    assert!(niu.examples[0]
        .text
        .ends_with("… [cut: first 1024 bytes of a line over 262144 bytes]"));
    // Beyond the cut nothing is read.
    assert!(s.code(wutriage::wulog::Hresult(0x8024_402C)).is_none());
    assert_eq!(
        s.code(wutriage::wulog::Hresult(0x8007_0005)).unwrap().count,
        2
    );
}

#[test]
fn log_and_scan_report_a_cut_line_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("pc1");
    std::fs::create_dir(&host).unwrap();
    let log = host.join("WindowsUpdate.log");
    std::fs::write(&log, log_with_an_overlong_line()).unwrap();
    let want = scan_file(&log).unwrap().warnings();
    assert_eq!(want.len(), 1);
    assert!(want[0]
        .message
        .starts_with("1 lines longer than 262144 bytes"));

    let out = util::wutriage()
        .args(["log", "--format", "text"])
        .arg(&log)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("warning:   {}", want[0])), "{text}");

    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(&host)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = v
        .pointer("/hosts/0/inputs")
        .or_else(|| v.pointer("/inputs"));
    let inputs = inputs.expect("inputs").as_array().unwrap();
    let input = inputs
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("WindowsUpdate.log"))
        .unwrap();
    assert_eq!(input["warnings"], serde_json::json!(want));
    // Read once, hashed in the same pass: the hash covers the whole file
    // (the recognised head and the rest).
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(std::fs::read(&log).unwrap());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(input["sha256"], serde_json::json!(hex));
    assert_eq!(
        input["size"],
        serde_json::json!(std::fs::metadata(&log).unwrap().len())
    );
}

#[test]
fn examples_in_a_time_window_are_cut_as_the_others() {
    // Two long failures, on two days; the second and a 300 KiB one in the window.
    let long = "x".repeat(3_000);
    let huge = "y".repeat(300 * 1024);
    let log = format!(
        "2024-03-01\t16:00:00:000\t 900\t 3a4\tAU\tFATAL: 0x800704DD {long}\n\
         2024-03-02\t16:00:00:000\t 900\t 3a4\tAU\tFATAL: 0x800704DD {long}\n\
         2024-03-02\t16:00:01:000\t 900\t 3a4\tAU\tFATAL: 0x800704DD {huge}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("WindowsUpdate.log"), log).unwrap();
    let examples = |window: &[&str]| -> Vec<String> {
        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .args(window)
            .arg(dir.path())
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let kb = v["hosts"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "KB910341")
            .unwrap()
            .clone();
        let errors = kb["log"]["errors"].as_array().unwrap().clone();
        errors[0]["examples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_string())
            .collect()
    };
    let all = examples(&[]);
    let windowed = examples(&["--since", "2024-03-02"]);
    assert_eq!(all.len(), 3);
    assert_eq!(windowed, all[1..], "the same lines, cut the same way");
    assert!(
        windowed[0].ends_with("… [cut: first 1024 bytes]"),
        "{}",
        windowed[0]
    );
    assert!(
        windowed[1].contains("[cut: first 1024 bytes of a line over"),
        "{}",
        windowed[1]
    );
    assert!(windowed.iter().all(|t| t.len() < 1200));
}
