//! The fleet view: `triage`'s table and summary, --min-severity,
//! --only-problems, --since/--until, colour, width and the CSV row model.

use std::path::Path;

use serde_json::Value;

use crate::util::{self, copy_tree};

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn wutriage(args: &[&str], root: &Path, env: &[(&str, &str)]) -> Run {
    let mut cmd = util::wutriage();
    cmd.args(args)
        .arg(root)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

/// A root of copies of fixture hosts: broken, healthy, latent, Windows 7.
pub fn fleet() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for h in ["xp-broken", "xp-healthy", "xp-latent", "win7", "clean-xp"] {
        let from = if h == "clean-xp" {
            util::fixture("hosts/rules/clean-xp")
        } else {
            util::fixture(&format!("hosts/{h}"))
        };
        copy_tree(&from, &dir.path().join(h));
    }
    dir
}

fn table_rows(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .take_while(|l| !l.is_empty())
        .skip(1)
        .collect()
}

#[test]
fn the_table_names_the_worst_rule_and_fits_the_width() {
    let root = fleet();
    for cols in ["80", "100", "140"] {
        let r = wutriage(
            &["triage", "--format", "table"],
            root.path(),
            &[("COLUMNS", cols)],
        );
        let width: usize = cols.parse().unwrap();
        let rows = table_rows(&r.stdout);
        assert_eq!(rows.len(), 5, "{}", r.stdout);
        for l in &rows {
            assert!(l.chars().count() <= width, "{cols}: {l}");
        }
        let broken = rows.iter().find(|l| l.starts_with("xp-broken")).unwrap();
        let cells: Vec<&str> = broken.split_whitespace().collect();
        assert_eq!(&cells[1..4], ["KB910341", "confirmed", "high"], "{broken}");
        assert!(broken.contains("800704DD×20"), "{broken}");
    }
    // Unknown width (not a terminal, no COLUMNS): at most 120.
    let r = wutriage(&["triage", "--format", "table"], root.path(), &[]);
    assert!(table_rows(&r.stdout)
        .iter()
        .all(|l| l.chars().count() <= 120));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_without_no_color() {
    let root = fleet();
    let piped = wutriage(&["triage", "--format", "table"], root.path(), &[]);
    assert!(!piped.stdout.contains('\x1b'), "not a terminal: no colour");
    let always = wutriage(
        &["triage", "--format", "table", "--color", "always"],
        root.path(),
        &[],
    );
    let broken = always
        .stdout
        .lines()
        .find(|l| l.contains("xp-broken"))
        .unwrap();
    assert!(
        broken.starts_with("\x1b[1;31m") && broken.ends_with("\x1b[0m"),
        "{broken:?}"
    );
    let healthy = always
        .stdout
        .lines()
        .find(|l| l.starts_with("xp-healthy"))
        .unwrap();
    assert!(!healthy.contains('\x1b'), "info is not coloured");
    let never = wutriage(
        &["triage", "--format", "table", "--color", "never"],
        root.path(),
        &[],
    );
    assert!(!never.stdout.contains('\x1b'));
    let auto_no_color = wutriage(
        &["triage", "--format", "table", "--color", "auto"],
        root.path(),
        &[("NO_COLOR", "1")],
    );
    assert!(!auto_no_color.stdout.contains('\x1b'));
}

#[test]
fn the_summary_counts_rules_by_verdict_and_lists_hosts_needing_action() {
    let root = fleet();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("fleet.jsonl");
    let r = wutriage(
        &["triage", "--format", "jsonl", "-o", file.to_str().unwrap()],
        root.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = &r.stderr;
    let kb = s
        .lines()
        .find(|l| l.trim_start().starts_with("KB910341 "))
        .unwrap();
    // confirmed latent other-cause healthy not-applicable inconclusive
    let counts: Vec<usize> = kb
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 0, 2, 1, 0], "{s}");
    let action: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.starts_with("hosts needing action"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(s.contains("hosts needing action (3), worst first:"), "{s}");
    assert!(
        action[0].contains("xp-broken") && action[0].contains("high"),
        "{action:?}"
    );
    assert!(
        action[1].contains("xp-latent") && action[1].contains("medium"),
        "{action:?}"
    );
    assert!(
        action[2].contains("win7") && action[2].contains("low"),
        "{action:?}"
    );
    assert!(s.contains("busiest error days:\n  2009-06-10"), "{s}");
    assert!(
        s.contains(&format!("output saved to {}", file.display())),
        "{s}"
    );
}

fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn min_severity_leaves_findings_out_and_fail_on_still_sees_them() {
    let root = fleet();
    let r = wutriage(
        &["triage", "--format", "jsonl", "--min-severity", "medium"],
        root.path(),
        &[],
    );
    let hosts = jsonl(&r.stdout);
    assert_eq!(hosts.len(), 5);
    let sevs: Vec<&str> = hosts
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sevs.len(), 2, "xp-broken high, xp-latent medium");
    assert!(sevs.iter().all(|s| *s == "high" || *s == "medium"));
    // --fail-on judges every finding: win7's low one fails the run.
    let r = wutriage(
        &[
            "triage",
            "--format",
            "jsonl",
            "--min-severity",
            "high",
            "--fail-on",
            "low",
            "-q",
        ],
        root.path(),
        &[],
    );
    assert_eq!(r.code, 1);
    let r = wutriage(
        &["scan", "--format", "json", "--min-severity", "high"],
        root.path(),
        &[],
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let n: usize = doc["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 1, "only xp-broken's confirmed finding");
}

#[test]
fn only_problems_leaves_out_hosts_with_nothing_at_or_above_low() {
    let root = fleet();
    let r = wutriage(
        &["triage", "--format", "table", "--only-problems"],
        root.path(),
        &[],
    );
    let names: Vec<&str> = table_rows(&r.stdout)
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["win7", "xp-broken", "xp-latent"], "{}", r.stdout);
    assert!(r
        .stdout
        .contains("2 host(s) with nothing at or above low left out"));
}

#[test]
fn a_time_window_counts_only_the_log_lines_inside_it() {
    let host = util::fixture("hosts/xp-broken");
    let count = |args: &[&str]| -> (u64, String) {
        let mut all = vec!["scan", "--format", "json", "--only", "KB910341"];
        all.extend_from_slice(args);
        let r = wutriage(&all, &host, &[]);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        let f = &doc["hosts"][0]["findings"][0];
        let errors = f["log"]["errors"].as_array().unwrap();
        let n = errors.iter().map(|e| e["count"].as_u64().unwrap()).sum();
        (n, f["verdict"].as_str().unwrap().to_string())
    };
    let (all, _) = count(&[]);
    let (day1, _) = count(&["--until", "2009-06-10"]);
    let (day2, _) = count(&["--since", "2009-06-11"]);
    assert!(day1 > 0 && day2 > 0, "{day1} {day2}");
    assert_eq!(day1 + day2, all);
    // Nothing in the window: the registry cause stays, the errors go.
    let (none, verdict) = count(&["--since", "2020-01-01T00:00:00Z"]);
    assert_eq!((none, verdict.as_str()), (0, "latent"));
    // First and last follow the window.
    let r = wutriage(
        &[
            "scan",
            "--format",
            "json",
            "--only",
            "KB910341",
            "--since",
            "2009-06-11",
        ],
        &host,
        &[],
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let first = doc["hosts"][0]["findings"][0]["log"]["errors"][0]["first"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(first.starts_with("2009-06-11"), "{first}");
    let bad = wutriage(&["scan", "--since", "last week"], &host, &[]);
    assert_eq!(bad.code, 2);
    let reversed = wutriage(
        &["triage", "--since", "2009-06-12", "--until", "2009-06-11"],
        &host,
        &[],
    );
    assert_eq!(reversed.code, 2);
    assert!(
        reversed.stderr.contains("--since is not before --until"),
        "{}",
        reversed.stderr
    );
}

#[test]
fn csv_has_a_row_per_problem_and_one_per_host_with_nothing_wrong() {
    let root = fleet();
    let r = wutriage(&["triage", "--format", "csv"], root.path(), &[]);
    let rows: Vec<&str> = r.stdout.lines().skip(1).collect();
    let per_host = |h: &str| {
        rows.iter()
            .filter(|l| l.starts_with(&format!("{h},")))
            .count()
    };
    // Every rule is evaluated on every host; only problems get rows.
    assert_eq!(per_host("xp-healthy"), 1);
    assert!(rows
        .iter()
        .any(|l| l.starts_with("xp-healthy,,,,") && l.contains("no finding at or above low")));
    assert!(rows
        .iter()
        .any(|l| l.starts_with("xp-broken,KB910341,confirmed,high")));
    assert!(
        rows.iter()
            .all(|l| !l.contains(",healthy,") && !l.contains(",info,")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.lines().next().unwrap().ends_with(",computer_name"));
    assert!(rows
        .iter()
        .any(|l| l.starts_with("clean-xp,") && l.ends_with(",XPCLIENT01")));
    // --min-severity info: every finding has its row again.
    let all = wutriage(
        &["triage", "--format", "csv", "--min-severity", "info"],
        root.path(),
        &[],
    );
    assert!(all.stdout.lines().count() > r.stdout.lines().count() + 20);
}
