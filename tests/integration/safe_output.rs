//! Safe writes (`-o`, `--remedy-dir`, `recover -o`) and safe display.
//! Every special file is made inside a temp dir.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use serde_json::Value as Json;

use crate::hostile_fs::{host_from, mkfifo, TIMEOUT};
use crate::util;

fn scan_to(host: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    util::wutriage()
        .arg("scan")
        .arg(host)
        .args(["--format", "json", "-o"])
        .arg(out)
        .args(extra)
        .timeout(TIMEOUT)
        .output()
        .unwrap()
}

#[test]
fn output_to_a_fifo_is_written_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = scan_to(&host, &fifo, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: Json = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(report["hosts"][0]["host"], "pc");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "still a FIFO");
}

#[test]
fn output_to_a_character_device_keeps_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    // A null device of our own (major 1, minor 3), never the machine's.
    let null = dir.path().join("null");
    let c = CString::new(null.as_os_str().as_bytes()).unwrap();
    let dev = libc::makedev(1, 3);
    assert_eq!(
        unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, dev) },
        0
    );
    for extra in [&[][..], &["--force"][..]] {
        let out = scan_to(&host, &null, extra);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let meta = std::fs::symlink_metadata(&null).unwrap();
        assert!(meta.file_type().is_char_device(), "not replaced by a file");
    }
}

#[test]
fn planted_links_are_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"keep").unwrap();
    // Links at the temporary names a predictable scheme would use for the
    // next process ids.
    let next = std::process::Command::new("true").spawn().unwrap().id();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for pid in next..next + 300 {
        let name = out_dir.join(format!(".report.json.{pid}.tmp"));
        std::os::unix::fs::symlink(&victim, name).unwrap();
    }
    let target = out_dir.join("report.json");
    let out = scan_to(&host, &target, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    let report: Json = serde_json::from_slice(&util::read(&target)).unwrap();
    assert_eq!(report["hosts"][0]["host"], "pc");
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        301,
        "no temp file left"
    );

    // A link at the output path itself is refused, even with --force.
    std::fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let out = scan_to(&host, &target, extra);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to write: symbolic link to"), "{err}");
    }
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
}

#[test]
fn dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    let out = util::wutriage()
        .current_dir(dir.path())
        .arg("scan")
        .arg(&host)
        .args(["--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["hosts"][0]["host"], "pc");
    assert!(!dir.path().join("-").exists(), "no file named -");
    let triage = util::wutriage()
        .current_dir(dir.path())
        .arg("triage")
        .arg(dir.path())
        .args(["--format", "csv", "-q", "-o", "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&triage.stdout).starts_with("host,rule"));
    assert!(!dir.path().join("-").exists());
}

#[test]
fn recover_never_writes_inside_the_evidence_folder() {
    let dir = tempfile::tempdir().unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    let config = host.join("Windows/System32/config");
    let hive = config.join("SOFTWARE");
    for out in ["software.LoG1", "copy", "sub/x"] {
        if out == "sub/x" {
            std::fs::create_dir(config.join("sub")).unwrap();
        }
        let run = util::wutriage()
            .arg("recover")
            .arg(&hive)
            .arg("-o")
            .arg(config.join(out))
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{out}");
        assert!(String::from_utf8_lossy(&run.stderr).contains("inside the evidence's folder"));
        assert!(!config.join(out).exists());
    }
    let run = util::wutriage()
        .arg("recover")
        .arg(&hive)
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        run.stdout,
        util::read(&hive),
        "the hive on stdout, words on stderr"
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("written to -"));
}

fn triage_jsonl(root: &Path, extra: &[&str]) -> Vec<Json> {
    let out = util::wutriage()
        .arg("triage")
        .arg(root)
        .args(["--format", "jsonl", "-q"])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn remedy_names_are_unique_per_run_and_short() {
    let root = tempfile::tempdir().unwrap();
    let long = "h".repeat(240);
    for name in ["pc 1", "pc_1", long.as_str()] {
        host_from(root.path(), name, "xp-broken");
    }
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("remedies");
    let hosts = triage_jsonl(root.path(), &["--remedy-dir", dir.to_str().unwrap()]);
    let files: Vec<String> = hosts
        .iter()
        .map(|h| {
            h["findings"][0]["remedy"]["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names[1], "pc_1-KB910341.reg");
    assert_eq!(names[2], "pc_1-KB910341-2.reg");
    assert!(
        names[0].len() <= 200 && names[0].starts_with("hhhh"),
        "{}",
        names[0]
    );
    for f in &files {
        assert!(util::read(Path::new(f)).starts_with(&[0xFF, 0xFE]), "{f}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
}

/// The fixture's .reg export with `DLLName` set to `data` (UTF-16LE, BOM).
fn export_with_dllname(dir: &Path, data: &str) -> std::path::PathBuf {
    let raw = util::read(&util::fixture("hosts/xp-regexport/evidence/software.reg"));
    let units: Vec<u16> = raw[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    let text = text.replace(
        "\"DLLName\"=\"WlNotify.dll\"",
        &format!("\"DLLName\"=\"{data}\""),
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = dir.join("software.reg");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn control_characters_from_evidence_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "\x1b[1A\x1b[2K KB910341 HEALTHY";
    let host = dir.path().join("pc\x1b[2K");
    std::fs::create_dir(&host).unwrap();
    export_with_dllname(&host, evil);
    let text = util::wutriage().arg("scan").arg(&host).output().unwrap();
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(!shown.contains('\x1b'), "{shown}");
    assert!(shown.contains("== pc\\x1b[2K"), "{shown}");
    assert!(
        shown.contains("\\x1b[1A\\x1b[2K KB910341 HEALTHY"),
        "{shown}"
    );
    let json = util::wutriage()
        .arg("scan")
        .arg(&host)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: Json = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        report
            .to_string()
            .contains("\\u001b[1A\\u001b[2K KB910341 HEALTHY"),
        "JSON exact"
    );
    assert_eq!(report["hosts"][0]["host"], "pc\x1b[2K");
    let query = util::wutriage()
        .arg("query")
        .arg(host.join("software.reg"))
        .arg("Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn")
        .output()
        .unwrap();
    let shown = String::from_utf8(query.stdout).unwrap();
    assert!(
        !shown.contains('\x1b') && shown.contains("\\x1b[1A"),
        "{shown}"
    );
    let table = util::wutriage()
        .arg("triage")
        .arg(dir.path())
        .args(["--format", "table", "-q"])
        .output()
        .unwrap();
    let shown = String::from_utf8(table.stdout).unwrap();
    assert!(
        !shown.contains('\x1b') && shown.contains("pc\\x1b[2K"),
        "{shown}"
    );
    // Error lines on standard error too.
    std::fs::create_dir(host.join("x\x1b[2K")).unwrap();
    std::fs::write(host.join("x\x1b[2K/SOFTWARE"), b"not a hive").unwrap();
    let run = util::wutriage().arg("scan").arg(&host).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        !err.contains('\x1b') && err.contains("x\\x1b[2K/SOFTWARE"),
        "{err}"
    );
}

#[test]
fn csv_cells_a_spreadsheet_would_evaluate_are_neutralised() {
    let root = tempfile::tempdir().unwrap();
    host_from(root.path(), "=HYPERLINK(\"x\")", "xp-broken");
    host_from(root.path(), "@pc", "xp-broken");
    let out = util::wutriage()
        .arg("triage")
        .arg(root.path())
        .args(["--format", "csv", "-q"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let firsts: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(firsts.contains(&"\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(firsts.contains(&"'@pc"), "{csv}");
    assert!(!firsts.iter().any(|c| c.starts_with(['=', '@'])), "{csv}");
}
