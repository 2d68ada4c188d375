//! The "never counts" rules of docs/log.md, one test each: the decoy line
//! reports nothing, and the same number where it does count (the control
//! line, differing only in what the rule is about) is counted.

use wutriage::wulog::{scan_reader, Hresult, LogSummary, ScanOptions};

use crate::util;

fn summary(text: &str) -> LogSummary {
    let log = format!("2024-03-01\t16:00:00:000\t 900\t 3a4\tAU\t{text}\n");
    let s = scan_reader(
        log.as_bytes(),
        std::path::Path::new("x.log"),
        &ScanOptions::default(),
    )
    .unwrap();
    assert_eq!((s.lines, s.unparsed), (1, 0), "{text}");
    s
}

/// All codes (failure and success) a one-line log reports.
fn codes(text: &str) -> Vec<u32> {
    let s = summary(text);
    s.errors
        .iter()
        .chain(&s.success_codes)
        .map(|e| e.code.0)
        .collect()
}

fn decoy(decoy: &str, control: &str, code: u32) {
    assert_eq!(codes(decoy), Vec::<u32>::new(), "decoy: {decoy}");
    assert_eq!(codes(control), vec![code], "control: {control}");
}

#[test]
fn never_digits_glued_to_letters() {
    decoy("hash a800704DD seen", "hash 0x800704DD seen", 0x800704DD);
    decoy("error 800704DDa", "error 800704DD", 0x800704DD);
}

#[test]
fn never_digits_glued_to_underscore() {
    decoy("error _0x80240020", "error 0x80240020", 0x80240020);
}

#[test]
fn never_digits_glued_to_hyphen() {
    decoy(
        "UpdateId=80240020-1A3D-4A53-9F3F-7DBAD3472C59 hr",
        "UpdateId hr=80240020 1A3D",
        0x80240020,
    );
}

#[test]
fn never_digits_glued_to_braces() {
    decoy(
        "ServiceID = {800704DD-E39D-4DA6-8A4B-B43877BCB1B7} error",
        "ServiceID error 800704DD (E39D)",
        0x800704DD,
    );
    decoy("error {800704DD}", "error (800704DD)", 0x800704DD);
}

#[test]
fn never_digits_glued_to_backslash() {
    decoy(
        "Download\\800704DD error",
        "Download error 800704DD",
        0x800704DD,
    );
}

#[test]
fn never_digits_glued_to_slash() {
    decoy(
        "failed: c/0x80070005/x",
        "failed: c 0x80070005 x",
        0x80070005,
    );
}

#[test]
fn never_digits_followed_by_dot_digit() {
    decoy("hr=80240020.200", "hr=80240020. 200", 0x80240020);
}

#[test]
fn never_device_status_flags() {
    decoy(
        "Device instance USB\\VID_0BDA&PID_8153 Status: 0x80240020, problem 0",
        "Device instance USB\\VID_0BDA&PID_8153 error: 0x80240020, problem 0",
        0x80240020,
    );
    decoy(
        "device status = 0x180200a",
        "device error = 0x180200a",
        0x180200A,
    );
}

#[test]
fn never_zero() {
    decoy(
        "Exit code = 0x00000000, hr:0x0",
        "Exit code = 0x00000001, hr:0x0",
        1,
    );
    decoy(
        "finishing event handling. (00000000)",
        "error (00000001)",
        1,
    );
}

#[test]
fn never_short_or_bare_hex_without_a_trigger() {
    decoy("for reason 0x40 (Power)", "error 0x40 (Power)", 0x40);
    decoy(
        "update 80240020 installed",
        "update error 80240020 installed",
        0x80240020,
    );
}

#[test]
fn success_codes_are_kept_apart_from_errors() {
    let s = summary("Service exit [Exit code = 0x240001] error 0x80070005");
    let errors: Vec<Hresult> = s.errors.iter().map(|e| e.code).collect();
    assert_eq!(errors, [Hresult(0x8007_0005)]);
    assert_eq!(s.success_codes.len(), 1);
    assert_eq!(s.success_codes[0].code, Hresult(0x0024_0001));
    assert_eq!(
        s.success_codes[0].name.as_deref(),
        Some("WU_S_SERVICE_STOP")
    );

    // `log` shows them in a table of their own.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("WindowsUpdate.log");
    std::fs::write(
        &log,
        "2024-03-01\t16:00:00:000\t 900\t 3a4\tService\tService exit [Exit code = 0x240001]\n",
    )
    .unwrap();
    let out = util::wutriage().arg("log").arg(&log).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("codes:     none"), "{text}");
    assert!(text.contains("SUCCESS CODE  NAME"), "{text}");
    assert!(text.contains("0x00240001    WU_S_SERVICE_STOP"), "{text}");
}

#[test]
fn winerror_table_is_what_the_script_generates() {
    let header = std::path::Path::new("/usr/share/mingw-w64/include/winerror.h");
    if !header.exists() {
        eprintln!(
            "skipped: {} absent (Debian package mingw-w64-common)",
            header.display()
        );
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(util::root().join("scripts/gen_winerror.py"))
        .arg(header)
        .output()
        .expect("python3");
    assert!(out.status.success());
    let committed = std::fs::read(util::root().join("src/wulog/winerror_table.rs")).unwrap();
    assert!(
        out.stdout == committed,
        "src/wulog/winerror_table.rs is stale"
    );
}
