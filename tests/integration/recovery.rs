//! Dirty hives in `scan` and `recover`: transaction logs replayed in memory, evidence untouched.

use wutriage::finding::Verdict;
use wutriage::registry::replay::testing::old_format_pair;
use wutriage::registry::replay::TxLogFormat;
use wutriage::report::Report;

use crate::util;

/// A host whose SOFTWARE primary still holds the complete SensLogn, while its
/// old-format `.LOG` holds the later write that removed three values.
fn host_with_change_only_in_log(dir: &std::path::Path) -> std::path::PathBuf {
    let clean = util::read(&util::fixture("registry/xp-complete.hive"));
    let modified = util::read(&util::fixture("registry/xp-missing-values.hive"));
    let (dirty, log) = old_format_pair(&clean, &modified).unwrap();
    let host = dir.join("pc-dirty");
    let config = host.join("Windows/System32/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("SOFTWARE"), &dirty).unwrap();
    std::fs::write(config.join("SOFTWARE.LOG"), &log).unwrap();
    std::fs::copy(
        util::fixture("hosts/xp-broken/Windows/WindowsUpdate.log"),
        host.join("Windows/WindowsUpdate.log"),
    )
    .unwrap();
    host
}

fn scan(host: &std::path::Path, extra: &[&str]) -> Report {
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(host)
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| (p.display().to_string(), util::read(&p)))
        .collect();
    files.sort();
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn change_only_in_the_log_is_diagnosed_from_the_recovered_state() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host_with_change_only_in_log(tmp.path());
    let before = snapshot(&host);

    let report = scan(&host, &[]);
    let h = &report.hosts[0];
    let f = &h.findings[0];
    assert_eq!(f.verdict, Verdict::Confirmed, "{}", f.summary);
    let missing: Vec<&str> = f
        .registry
        .as_ref()
        .unwrap()
        .problems
        .iter()
        .map(|p| p.value.as_str())
        .collect();
    assert_eq!(missing, ["Impersonate", "Logon", "Startup"]);
    let hive = h
        .inputs
        .iter()
        .find(|i| i.path.ends_with("SOFTWARE"))
        .unwrap();
    let detail = hive.detail.as_hive().unwrap();
    assert_eq!(detail.dirty(), Some(true));
    assert!(detail.recovered());
    let rec = detail.recovery.as_ref().unwrap();
    assert_eq!(rec.log_format, Some(TxLogFormat::Old));
    assert_eq!(rec.logs_used.len(), 1);
    assert!(rec.logs_used[0].ends_with("SOFTWARE.LOG"));
    assert_ne!(rec.sequence_before[0], rec.sequence_before[1]);
    assert_eq!(rec.sequence_after[0], rec.sequence_after[1]);
    assert!(
        f.notes.iter().any(|n| n.contains("replaying")),
        "{:?}",
        f.notes
    );

    // Without replay, the primary alone looks complete: the errors then point elsewhere.
    let report = scan(&host, &["--no-recover"]);
    let h = &report.hosts[0];
    assert_eq!(h.findings[0].verdict, Verdict::OtherCause);
    let hive = h
        .inputs
        .iter()
        .find(|i| i.path.ends_with("SOFTWARE"))
        .unwrap();
    let detail = hive.detail.as_hive().unwrap();
    assert_eq!(detail.dirty(), Some(true));
    assert_eq!(detail.recovery, None);
    assert!(h.findings[0]
        .notes
        .iter()
        .any(|n| n.contains("not applied")));

    assert_eq!(snapshot(&host), before, "evidence is never modified");
}

#[test]
fn corrupted_log_gives_a_warning_and_the_primary_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let host = host_with_change_only_in_log(tmp.path());
    let log = host.join("Windows/System32/config/SOFTWARE.LOG");
    let mut bytes = util::read(&log);
    bytes[0x200] ^= 0xFF; // the DIRT signature
    std::fs::write(&log, &bytes).unwrap();
    let report = scan(&host, &[]);
    let hive = report.hosts[0]
        .inputs
        .iter()
        .find(|i| i.path.ends_with("SOFTWARE"))
        .unwrap();
    let recovery = hive.detail.as_hive().unwrap().recovery.as_ref().unwrap();
    assert!(!recovery.recovered());
    assert!(!recovery.warnings.is_empty());
    assert_eq!(report.hosts[0].findings[0].verdict, Verdict::OtherCause);
}

#[test]
fn recover_command_writes_a_copy_elsewhere() {
    let Some(corpus) = util::corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("recovered");
    let hive = corpus.join("hives/yarp/NewDirtyHive1/NewDirtyHive");
    let run = util::wutriage()
        .arg("recover")
        .arg(&hive)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("recovered"), "{stdout}");
    let ours = util::read(&out);
    let windows = util::read(&corpus.join("hives/yarp/NewDirtyHive1/RecoveredHive_Windows10"));
    assert_eq!(ours[4096..], windows[4096..]);
    // Refuses to overwrite without --force, and never writes onto evidence.
    let again = util::wutriage()
        .arg("recover")
        .arg(&hive)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let log1 = corpus.join("hives/yarp/NewDirtyHive1/NewDirtyHive.LOG1");
    let onto = util::wutriage()
        .arg("recover")
        .arg(&hive)
        .arg("-o")
        .arg(&log1)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(onto.status.code(), Some(2));
}

#[test]
fn json_reports_of_dirty_hives_read_back_into_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let replayed = host_with_change_only_in_log(&tmp.path().join("a"));
    let unusable = host_with_change_only_in_log(&tmp.path().join("b"));
    let log = unusable.join("Windows/System32/config/SOFTWARE.LOG");
    let mut bytes = util::read(&log);
    bytes[0x200] ^= 0xFF;
    std::fs::write(&log, &bytes).unwrap();
    let others = ["hosts/xp-regexport", "hosts/log-only", "hosts/garbage"].map(util::fixture);
    for extra in [&[][..], &["--no-recover"]] {
        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .args([&replayed, &unusable])
            .args(&others)
            .args(extra)
            .output()
            .unwrap();
        let report: Report = serde_json::from_slice(&out.stdout).unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let replay =
            text.contains(r#""log_format": "old""#) && text.contains(r#""log_format": null"#);
        assert_eq!(replay, extra.is_empty(), "{text}");
        assert_eq!(wutriage::report::json::render(&report), text, "{extra:?}");
    }
}
