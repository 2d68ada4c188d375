//! Hostile file systems: only regular files are read, links are not
//! followed, special files never block, folders that cannot be listed are
//! named, hard links are read once. Inputs are built here, in temp dirs.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value as Json;

use crate::util;

/// A hang fails the test instead of blocking it.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "{path:?}");
}

/// A host folder holding a copy of a fixture host's files (plain layout).
pub fn host_from(root: &Path, name: &str, fixture: &str) -> PathBuf {
    let host = root.join(name);
    let config = host.join("Windows/System32/config");
    std::fs::create_dir_all(&config).unwrap();
    let from = util::fixture(&format!("hosts/{fixture}"));
    std::fs::copy(
        from.join("Windows/System32/config/SOFTWARE"),
        config.join("SOFTWARE"),
    )
    .unwrap();
    let log = from.join("Windows/WindowsUpdate.log");
    if log.is_file() {
        std::fs::copy(log, host.join("Windows/WindowsUpdate.log")).unwrap();
    }
    host
}

/// Makes a hive dirty: its secondary sequence number one above the primary,
/// the base block's checksum kept right.
pub fn make_dirty(hive: &Path) {
    let mut b = util::read(hive);
    let primary = u32::from_le_bytes(b[4..8].try_into().unwrap());
    b[8..12].copy_from_slice(&(primary.wrapping_add(1)).to_le_bytes());
    let sum = (0..127).fold(0u32, |acc, i| {
        acc ^ u32::from_le_bytes(b[i * 4..i * 4 + 4].try_into().unwrap())
    });
    b[508..512].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(hive, b).unwrap();
}

fn scan_json(args: &[&std::ffi::OsStr]) -> (Option<i32>, Json, String) {
    let out = util::wutriage()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code(), report, stderr)
}

fn input<'a>(host: &'a Json, name: &str) -> &'a Json {
    host["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no input {name} in {host:#}"))
}

fn verdict(host: &Json) -> &str {
    host["findings"][0]["verdict"].as_str().unwrap()
}

#[test]
fn a_fifo_log_beside_a_dirty_hive_does_not_stop_a_triage_batch() {
    let root = tempfile::tempdir().unwrap();
    host_from(root.path(), "a-broken", "xp-broken");
    let b = host_from(root.path(), "b-fifo", "xp-broken");
    let config = b.join("Windows/System32/config");
    make_dirty(&config.join("SOFTWARE"));
    mkfifo(&config.join("SOFTWARE.LOG1"));
    host_from(root.path(), "c-latent", "xp-latent");
    let out = util::wutriage()
        .arg("triage")
        .arg(root.path())
        .args(["--format", "jsonl", "-q"])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "an input error: exit 2");
    let hosts: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = hosts.iter().map(|h| h["host"].as_str().unwrap()).collect();
    assert_eq!(names, ["a-broken", "b-fifo", "c-latent"]);
    assert_eq!(verdict(&hosts[0]), "confirmed");
    assert_eq!(verdict(&hosts[2]), "latent");
    let fifo = input(&hosts[1], "SOFTWARE.LOG1");
    assert_eq!(fifo["error"], "not a regular file: FIFO");
    let hive = input(&hosts[1], "config/SOFTWARE");
    assert_eq!(hive["dirty"], true);
    assert_eq!(hive["recovered"], false);
    // The hive itself is still read and judged, with the log's fault noted.
    assert_eq!(verdict(&hosts[1]), "confirmed");
    let warnings = hive["recovery"]["warnings"].to_string() + &hive["warnings"].to_string();
    assert!(warnings.contains("not a regular file: FIFO"), "{hive:#}");
}

#[test]
fn links_and_special_files_named_as_evidence_are_reported_not_read() {
    let root = tempfile::tempdir().unwrap();
    let host = host_from(root.path(), "pc", "xp-latent");
    let config = host.join("Windows/System32/config");
    make_dirty(&config.join("SOFTWARE"));
    std::os::unix::fs::symlink("/dev/zero", config.join("SOFTWARE.LOG1")).unwrap();
    std::os::unix::fs::symlink("/etc/shadow", config.join("SOFTWARE.LOG2")).unwrap();
    // A log outside the host, full of errors: a link to it must not count.
    let outside = root.path().join("outside.log");
    std::fs::copy(
        util::fixture("hosts/xp-broken/Windows/WindowsUpdate.log"),
        &outside,
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, host.join("Windows/WindowsUpdate.log")).unwrap();
    mkfifo(&config.join("SYSTEM"));
    let (code, report, stderr) = scan_json(&[host.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    let h = &report["hosts"][0];
    assert_eq!(
        input(h, "SOFTWARE.LOG1")["error"],
        "not a regular file: symbolic link to /dev/zero"
    );
    assert_eq!(
        input(h, "SOFTWARE.LOG2")["error"],
        "not a regular file: symbolic link to /etc/shadow"
    );
    let log = input(h, "WindowsUpdate.log");
    assert!(log["error"]
        .as_str()
        .unwrap()
        .starts_with("not a regular file: symbolic link to "));
    assert_eq!(log["sha256"], Json::Null, "never read");
    assert_eq!(
        input(h, "config/SYSTEM")["error"],
        "not a regular file: FIFO"
    );
    assert!(
        stderr.contains("SOFTWARE.LOG1: not a regular file"),
        "{stderr}"
    );
    // The latent host's log was only the linked one: no log errors counted.
    assert_eq!(verdict(h), "latent");
    assert!(h["findings"][0]["log"]["errors"]
        .as_array()
        .is_none_or(|e| e.is_empty()));
}

#[test]
fn a_fifo_named_as_evidence_on_the_command_line_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("WindowsUpdate.log");
    mkfifo(&fifo);
    let soft = dir.path().join("SOFTWARE");
    mkfifo(&soft);
    let (code, report, _) = scan_json(&[
        "--software".as_ref(),
        soft.as_os_str(),
        "--log".as_ref(),
        fifo.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    let h = &report["hosts"][0];
    assert_eq!(
        input(h, "WindowsUpdate.log")["error"],
        "not a regular file: FIFO"
    );
    assert_eq!(input(h, "SOFTWARE")["error"], "not a regular file: FIFO");
    // `query` and `log` refuse it too, without blocking.
    let q = util::wutriage()
        .args(["query"])
        .arg(&soft)
        .arg("Microsoft")
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(q.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&q.stderr).contains("not a regular file: FIFO"));
    let l = util::wutriage()
        .arg("log")
        .arg(&fifo)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(l.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&l.stderr).contains("not a regular file: FIFO"));
}

#[test]
fn a_symlinked_host_folder_is_reported_not_entered() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    host_from(root.path(), "a-real", "xp-broken");
    let target = host_from(elsewhere.path(), "secret", "xp-broken");
    std::os::unix::fs::symlink(&target, root.path().join("b-link")).unwrap();
    let out = util::wutriage()
        .arg("triage")
        .arg(root.path())
        .args(["--format", "jsonl", "-q"])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let hosts: Vec<Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hosts.len(), 2);
    assert_eq!(verdict(&hosts[0]), "confirmed");
    let inputs = hosts[1]["inputs"].as_array().unwrap();
    assert_eq!(
        inputs.len(),
        1,
        "nothing behind the link is read: {inputs:?}"
    );
    let e = inputs[0]["error"].as_str().unwrap();
    assert_eq!(
        e,
        format!("not followed: symbolic link to {}", target.display())
    );
}

/// A folder whose path is longer than PATH_MAX: it cannot be listed (even
/// by root), and is made with relative `mkdir`s from inside it.
fn too_deep(base: &Path) -> PathBuf {
    let part = "d".repeat(200);
    let status = std::process::Command::new("sh")
        .current_dir(base)
        .args([
            "-c",
            &format!("for i in $(seq 24); do mkdir {part} && cd -P {part} || exit 1; done"),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let mut p = base.to_path_buf();
    for _ in 0..24 {
        p.push(&part);
    }
    p
}

#[test]
fn a_folder_that_cannot_be_listed_is_named_and_the_host_still_analysed() {
    let root = tempfile::tempdir().unwrap();
    let host = host_from(root.path(), "pc", "xp-broken");
    let deep = too_deep(&host.join("Windows"));
    let (code, report, stderr) = scan_json(&[host.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    let h = &report["hosts"][0];
    assert_eq!(verdict(h), "confirmed", "the rest of the host is judged");
    let failed: Vec<&Json> = h["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["error"].is_string())
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let path = failed[0]["path"].as_str().unwrap();
    assert!(
        path.len() > 4096 && deep.starts_with(path),
        "names the folder, not the host"
    );
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot list folder: "));
}

#[test]
fn hard_links_to_one_hive_are_read_once() {
    let root = tempfile::tempdir().unwrap();
    let host = host_from(root.path(), "pc", "xp-broken");
    let hive = host.join("Windows/System32/config/SOFTWARE");
    let copies = host.join("copies");
    std::fs::create_dir(&copies).unwrap();
    for i in 0..200 {
        std::fs::hard_link(&hive, copies.join(format!("SOFTWARE-{i:03}"))).unwrap();
    }
    let (code, report, stderr) = scan_json(&[host.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
    let h = &report["hosts"][0];
    let inputs = h["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2, "one hive and the log: {inputs:?}");
    let read = input(h, "config/SOFTWARE");
    let warnings = read["warnings"].to_string();
    assert!(warnings.contains("and 197 more; read once"), "{warnings}");
    assert_eq!(verdict(h), "confirmed");
}

/// Sets a file's access time far back; `accessed` tells whether it moved.
fn age(path: &Path) {
    let old = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000);
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_times(std::fs::FileTimes::new().set_accessed(old))
        .unwrap();
}

fn accessed(path: &Path) -> bool {
    let old = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000);
    std::fs::metadata(path).unwrap().accessed().unwrap() != old
}

#[test]
fn recover_does_not_open_the_logs_of_a_clean_hive() {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"x").unwrap();
    age(&probe);
    std::fs::read(&probe).unwrap();
    if !accessed(&probe) {
        eprintln!("skipping: this file system does not record access times");
        return;
    }
    let host = host_from(dir.path(), "pc", "xp-broken");
    let config = host.join("Windows/System32/config");
    let log = config.join("SOFTWARE.LOG1");
    std::fs::write(&log, vec![0u8; 4096]).unwrap();
    let recover = |out: &str| {
        util::wutriage()
            .arg("recover")
            .arg(config.join("SOFTWARE"))
            .arg("-o")
            .arg(dir.path().join(out))
            .timeout(TIMEOUT)
            .output()
            .unwrap()
    };
    age(&log);
    assert_eq!(recover("clean").status.code(), Some(0));
    assert!(!accessed(&log), "the log of a clean hive was read");
    // A dirty hive's logs are read (so the check above can fail).
    make_dirty(&config.join("SOFTWARE"));
    recover("dirty");
    assert!(accessed(&log));
}
