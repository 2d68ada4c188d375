//! One machine, one host: folders of several machines are split as
//! `triage` finds them, each host names its computer, bad paths are errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use wutriage::scan::HostReport;

use crate::util::{self, copy_tree};

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(args: &[&str], paths: &[&Path]) -> Run {
    let out = util::wutriage()
        .current_dir(util::root())
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

fn scan_json(paths: &[&Path]) -> (Vec<HostReport>, Run) {
    let r = run(&["scan", "--format", "json"], paths);
    let report: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    let hosts = serde_json::from_value(report["hosts"].clone()).unwrap();
    (hosts, r)
}

fn triage_jsonl(root: &Path) -> Vec<HostReport> {
    let r = run(&["triage", "-q", "--format", "jsonl"], &[root]);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The folder of machine folders each input of `host` lies in, under `base`.
fn machine_folders(host: &HostReport, base: &Path) -> BTreeSet<String> {
    host.inputs
        .iter()
        .map(|i| {
            let p = Path::new(&i.path);
            let rel = p.strip_prefix(base).unwrap_or(p);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // fixtures/hosts/<host>/… or fixtures/hosts/rules/<host>/…
            let n = if parts[0] == "rules" { 2 } else { 1 };
            parts[..n].join("/")
        })
        .collect()
}

#[test]
fn a_folder_of_three_hosts_gives_three_hosts_as_triage_finds_them() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("batch");
    for (name, from) in [
        ("pc-1", "hosts/xp-broken"),
        ("pc-2", "hosts/xp-healthy"),
        ("pc-3", "hosts/rules/bits-missing"),
    ] {
        copy_tree(&util::fixture(from), &batch.join(name));
    }
    let (hosts, r) = scan_json(&[&batch]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<&str> = hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(names, ["pc-1", "pc-2", "pc-3"]);
    for h in &hosts {
        assert!(
            h.inputs
                .iter()
                .all(|i| i.path.contains(&format!("/{}/", h.host))),
            "{}: {:?}",
            h.host,
            h.inputs
        );
    }
    let verdict = |h: &HostReport| h.findings[0].verdict.as_str();
    assert_eq!(verdict(&hosts[0]), "confirmed");
    assert_eq!(verdict(&hosts[1]), "healthy");
    let triaged: Vec<String> = triage_jsonl(&batch).into_iter().map(|h| h.host).collect();
    assert_eq!(triaged, names);
}

#[test]
fn readme_examples_on_fixture_hosts_give_one_host_per_machine() {
    let base = util::fixture("hosts");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    // `scan fixtures/hosts/*/`: `rules` holds 15 machines' folders.
    let rules = std::fs::read_dir(base.join("rules")).unwrap().count();
    let paths: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let (hosts, _) = scan_json(&paths);
    assert_eq!(hosts.len(), dirs.len() - 1 + rules);
    for h in &hosts {
        let folders = machine_folders(h, &base);
        assert_eq!(folders.len(), 1, "{} merges {folders:?}", h.host);
    }
    // `triage fixtures/hosts` finds the same hosts.
    let mut scanned: Vec<String> = hosts.iter().map(|h| h.host.clone()).collect();
    scanned.sort();
    let triaged: Vec<String> = triage_jsonl(&base).into_iter().map(|h| h.host).collect();
    assert_eq!(triaged, scanned);
    // README's first example: four folders, four hosts.
    let four = ["xp-broken", "xp-healthy", "win2000-broken", "win7"].map(|h| base.join(h));
    let paths: Vec<&Path> = four.iter().map(PathBuf::as_path).collect();
    let (hosts, r) = scan_json(&paths);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(hosts.len(), 4);
    // One host's own folder is one host, not a host called `Windows`.
    let (hosts, _) = scan_json(&[&base.join("xp-regexport")]);
    assert_eq!(hosts.len(), 1);
    assert_eq!(hosts[0].host, "xp-regexport");
}

#[test]
fn triage_of_one_machines_folder_says_so_and_makes_one_host() {
    let r = run(
        &["triage", "--format", "jsonl"],
        &[Path::new("fixtures/hosts/xp-broken")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("is one machine's folder"), "{}", r.stderr);
    let hosts: Vec<HostReport> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hosts.len(), 1);
    assert_eq!(hosts[0].host, "xp-broken");
    assert_eq!(hosts[0].findings[0].verdict.as_str(), "confirmed");
}

#[test]
fn two_machines_system_hives_in_one_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let host = tmp.path().join("mixed");
    std::fs::create_dir(&host).unwrap();
    for (from, to) in [("clean-xp", "SYSTEM"), ("clean-win7", "SYSTEM-other")] {
        let src = util::fixture(&format!(
            "hosts/rules/{from}/Windows/System32/config/SYSTEM"
        ));
        std::fs::copy(src, host.join(to)).unwrap();
    }
    let (hosts, r) = scan_json(&[&host]);
    assert_eq!(r.code, 2);
    assert!(hosts[0].findings.is_empty(), "not judged");
    assert_eq!(hosts[0].computer_name, None);
    for name in ["XPCLIENT01", "WIN7-PC07", "wutriage triage"] {
        assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
    }
}

#[test]
fn every_format_names_the_computer() {
    let host = Path::new("fixtures/hosts/with-system-hive");
    let (hosts, _) = scan_json(&[host]);
    assert_eq!(hosts[0].computer_name.as_deref(), Some("XPCLIENT01"));
    let (no_system, _) = scan_json(&[Path::new("fixtures/hosts/xp-broken")]);
    assert_eq!(no_system[0].computer_name, None);

    let text = run(&["scan"], &[host]).stdout;
    assert!(
        text.lines().next().unwrap().contains("computer XPCLIENT01"),
        "{text}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_tree(&util::fixture("hosts/with-system-hive"), &root.join("pc-1"));
    copy_tree(&util::fixture("hosts/xp-broken"), &root.join("pc-2"));
    let table = run(&["triage", "--format", "table"], &[&root]).stdout;
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].contains("DETAILS"), "{table}");
    assert!(lines[1].contains("XPCLIENT01"), "{table}");
    let csv = run(&["triage", "--format", "csv"], &[&root]).stdout;
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"computer_name"), "new column last");
    assert_eq!(header[0], "host");
    assert!(
        csv.lines().nth(1).unwrap().ends_with(",XPCLIENT01"),
        "{csv}"
    );
    let sarif: Value = serde_json::from_str(
        &run(&["triage", "--format", "sarif", "--sarif-all"], &[&root]).stdout,
    )
    .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["properties"]["computerName"] == "XPCLIENT01"));
    let ts = run(&["triage", "--format", "timesketch"], &[&root]).stdout;
    let events: Vec<Value> = ts
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.iter().any(|e| e["computer_name"] == "XPCLIENT01"));
    assert!(events
        .iter()
        .filter(|e| e["host"] == "pc-2")
        .all(|e| e.get("computer_name").is_none()));
}

#[test]
fn bad_paths_are_errors_never_invented_hosts() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexistent");
    let r = run(&["scan"], &[&missing]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "", "no report for a host that does not exist");
    assert!(r.stderr.contains("no such file or folder"), "{}", r.stderr);

    for opt in ["--log", "--software"] {
        let r = run(&["scan", opt], &[&tmp.path().join("missing.log")]);
        assert_eq!(r.code, 2, "{opt}");
        assert_eq!(r.stdout, "", "{opt}");
        assert!(r.stderr.contains("missing.log"), "{opt}: {}", r.stderr);
    }

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = run(&["scan"], &[&empty]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no evidence"), "{}", r.stderr);

    // A bad PATH does not lose the rest of the batch.
    let (hosts, r) = scan_json(&[Path::new("fixtures/hosts/xp-broken"), &missing]);
    assert_eq!(r.code, 2);
    let names: Vec<&str> = hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(names, ["xp-broken"]);
}
