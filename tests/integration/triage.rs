//! `wutriage triage ROOT` over plain, KAPE-style and Velociraptor-style hosts
//! and a broken one: every format parsed back and checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use wutriage::finding::Verdict;
use wutriage::report::csv::COLUMNS;
use wutriage::report::sarif::{fingerprint, FINGERPRINT_KEY, INPUT_RULE};
use wutriage::report::timesketch::{TimesketchEvent as Event, ERROR_LOGGED, KEY_WRITTEN};
use wutriage::scan::{HostReport, InputKind};

use crate::util::{self, copy_tree};

const SENSLOGN: &str =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn";

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

/// A hive transaction log: a base block whose file type (offset 28) says log.
fn fake_transaction_log(hive: &Path) -> Vec<u8> {
    let mut b = util::read(hive)[..4096].to_vec();
    b[28..32].copy_from_slice(&1u32.to_le_bytes());
    b
}

/// The test ROOT: five hosts in three layouts, one with junk evidence, one
/// empty, and a file that is not a host.
fn batch_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Plain: Windows/... as on the disk.
    copy_tree(&util::fixture("hosts/xp-broken"), &root.join("alpha-plain"));
    // KAPE: the volume as a folder named after its letter.
    let kape = root.join("bravo-kape/C");
    copy(
        &util::fixture("registry/xp-complete.hive"),
        &kape.join("Windows/System32/config/SOFTWARE"),
    );
    copy(
        &util::fixture("hosts/xp-healthy/Windows/WindowsUpdate.log"),
        &kape.join("Windows/WindowsUpdate.log"),
    );
    std::fs::write(kape.join("$MFT"), vec![0u8; 8192]).unwrap();
    // Velociraptor: percent-encoded names under uploads/auto, a dirty hive with a log beside it.
    let velo = root.join("charlie-velo");
    let c = velo.join("uploads/auto/C%3A");
    let hive = util::fixture("registry/xp-missing-values-dirty.hive");
    copy(&hive, &c.join("Windows/System32/config/SOFTWARE"));
    std::fs::write(
        c.join("Windows/System32/config/SOFTWARE.LOG1"),
        fake_transaction_log(&hive),
    )
    .unwrap();
    copy(
        &util::fixture("hosts/xp-broken/Windows/WindowsUpdate.log"),
        &c.join("Windows/WindowsUpdate.log"),
    );
    std::fs::write(velo.join("uploads.json"), b"{\"Type\":\"uploads\"}\n").unwrap();
    // Broken: junk named like evidence.
    copy_tree(&util::fixture("hosts/garbage"), &root.join("delta-broken"));
    // Empty.
    std::fs::create_dir(root.join("echo-empty")).unwrap();
    std::fs::write(root.join("README.txt"), b"collected 2024-01-01\n").unwrap();
    dir
}

const HOSTS: [(&str, Verdict); 5] = [
    ("alpha-plain", Verdict::Confirmed),
    ("bravo-kape", Verdict::Healthy),
    ("charlie-velo", Verdict::Confirmed),
    ("delta-broken", Verdict::Inconclusive),
    ("echo-empty", Verdict::Inconclusive),
];

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// `wutriage triage ROOT ARGS…` with the KB910341 rule only (the batch
/// mechanics are checked against one rule; `all_rules_*` runs them all).
fn triage(root: &Path, args: &[&str]) -> Run {
    let out = util::wutriage()
        .arg("triage")
        .arg(root)
        .args(["--only", "KB910341"])
        .args(args)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

fn jsonl(root: &Path) -> Vec<HostReport> {
    let run = triage(root, &["--format", "jsonl"]);
    assert_eq!(
        run.code, 2,
        "delta-broken has unreadable inputs: {}",
        run.stderr
    );
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn jsonl_has_one_typed_host_per_line_in_name_order() {
    let root = batch_root();
    let hosts = jsonl(root.path());
    let got: Vec<(&str, Verdict)> = hosts
        .iter()
        .map(|h| (h.host.as_str(), h.findings[0].verdict))
        .collect();
    assert_eq!(got, HOSTS);

    let alpha = &hosts[0];
    let reg = alpha.findings[0].registry.as_ref().unwrap();
    assert_eq!(reg.key, SENSLOGN);
    assert_eq!(reg.problems.len(), 3);

    // KAPE: both files found beneath C/, the $MFT left out.
    let bravo = &hosts[1];
    assert_eq!(bravo.inputs.len(), 2, "{:?}", bravo.inputs);
    assert!(bravo
        .inputs
        .iter()
        .all(|i| i.error.is_none() && !i.path.contains("$MFT")));

    // Velociraptor: the hive, its transaction log and the update log, all of this host.
    let charlie = &hosts[2];
    let kinds: BTreeMap<&str, InputKind> = charlie
        .inputs
        .iter()
        .map(|i| {
            (
                Path::new(&i.path).file_name().unwrap().to_str().unwrap(),
                i.kind(),
            )
        })
        .collect();
    assert_eq!(kinds["SOFTWARE"], InputKind::Hive);
    assert_eq!(kinds["SOFTWARE.LOG1"], InputKind::TransactionLog);
    assert_eq!(kinds["WindowsUpdate.log"], InputKind::UpdateLog);
    assert!(charlie.inputs.iter().all(|i| i.path.contains("C%3A")));
    let hive = charlie
        .inputs
        .iter()
        .find_map(|i| i.detail.as_hive())
        .unwrap();
    assert_eq!(hive.dirty(), Some(true));
    assert_eq!(
        charlie.findings[0]
            .registry
            .as_ref()
            .unwrap()
            .problems
            .len(),
        3
    );
    assert!(hosts.iter().filter(|h| h.host != "charlie-velo").all(|h| h
        .inputs
        .iter()
        .all(|i| i.kind() != InputKind::TransactionLog)));

    let delta = &hosts[3];
    assert_eq!(delta.input_errors().count(), 2);
    // A host folder without evidence is an error on that folder, never a silent host.
    assert_eq!(hosts[4].inputs.len(), 1);
    assert!(hosts[4].inputs[0]
        .error
        .as_deref()
        .is_some_and(|e| e.starts_with("no evidence")));
}

#[test]
fn summary_and_errors_go_to_stderr_and_quiet_silences_them() {
    let root = batch_root();
    let run = triage(root.path(), &["--format", "jsonl"]);
    assert_eq!(run.stdout.lines().count(), 5);
    assert!(run.stderr.contains("5 hosts in "), "{}", run.stderr);
    // Hosts per rule and verdict: confirmed … inconclusive.
    let want: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| HOSTS.iter().filter(|(_, h)| h == v).count().to_string())
        .collect();
    assert!(
        run.stderr.lines().any(|l| l
            .split_whitespace()
            .eq(std::iter::once("KB910341").chain(want.iter().map(String::as_str)))),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 with errors (on 2 host(s))"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("wutriage: delta-broken: ").count(),
        2,
        "{}",
        run.stderr
    );
    // Not a terminal: no progress bar drawn.
    assert!(!run.stderr.contains("hosts ("), "{}", run.stderr);

    let quiet = triage(root.path(), &["--format", "jsonl", "-q"]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, run.stdout);
    assert_eq!(quiet.code, 2);
}

#[test]
fn output_is_the_same_whatever_the_thread_count_and_chunking() {
    let root = batch_root();
    let one = triage(
        root.path(),
        &["--format", "jsonl", "--jobs", "1", "--chunk", "1"],
    );
    let two = triage(
        root.path(),
        &["--format", "jsonl", "--jobs", "2", "--chunk", "3"],
    );
    let many = triage(root.path(), &["--format", "jsonl", "--jobs", "4"]);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(triage(root.path(), &["--jobs", "0"]).code, 2);
}

#[test]
fn table_has_one_line_per_host_then_the_summary() {
    let root = batch_root();
    let run = triage(root.path(), &["--format", "table"]);
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("HOST") && lines[0].contains("VERDICT"),
        "{}",
        lines[0]
    );
    for (i, (host, verdict)) in HOSTS.iter().enumerate() {
        let cols: Vec<&str> = lines[i + 1].split_whitespace().collect();
        assert_eq!(
            (cols[0], cols[1], cols[2]),
            (*host, "KB910341", verdict.as_str()),
            "{}",
            lines[i + 1]
        );
    }
    assert!(lines[1].contains("800704DD×20 80240020×12"), "{}", lines[1]);
    assert_eq!(lines[6], "");
    assert!(lines[7].starts_with("5 hosts in "));
    assert!(run.stdout.contains("3 with errors"));
    // The summary is in the table output, not repeated on stderr.
    assert!(!run.stderr.contains("hosts in"), "{}", run.stderr);
}

/// Splits CSV text (RFC 4180) into records of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with a line break"
    );
    records
}

#[test]
fn csv_has_a_header_and_a_row_per_host_and_finding() {
    let root = batch_root();
    // Every finding, healthy ones included.
    let run = triage(root.path(), &["--format", "csv", "--min-severity", "info"]);
    assert!(run.stdout.ends_with("\r\n"));
    let records = parse_csv(&run.stdout);
    assert_eq!(records[0], COLUMNS);
    assert_eq!(records.len(), 1 + HOSTS.len());
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    for (row, (host, verdict)) in records[1..].iter().zip(HOSTS) {
        assert_eq!(row.len(), COLUMNS.len());
        assert_eq!(row[col("host")], host);
        assert_eq!(row[col("rule")], "KB910341");
        assert_eq!(row[col("verdict")], verdict.as_str());
    }
    let alpha = &records[1];
    assert_eq!(
        alpha[col("problems")],
        "Impersonate missing; Logon missing; Startup missing"
    );
    assert_eq!(alpha[col("error_codes")], "0x800704DD=20; 0x80240020=12");
    assert_eq!(alpha[col("key_present")], "true");
    assert!(alpha[col("first_error")] < alpha[col("last_error")]);
    // Summaries hold commas: quoted, and read back whole.
    assert!(alpha[col("summary")].contains(',') && alpha[col("summary")].ends_with('.'));
    assert_eq!(records[4][col("input_errors")], "2");
    assert_eq!(records[5][col("inputs")], "1");
    assert_eq!(records[5][col("input_errors")], "1");
}

#[test]
fn timesketch_lines_have_the_required_fields() {
    let root = batch_root();
    let run = triage(root.path(), &["--format", "timesketch"]);
    let mut per_host: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for line in run.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        for field in ["message", "datetime", "timestamp_desc"] {
            assert!(
                v[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {line}"
            );
        }
        let e: Event = serde_json::from_value(v).unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(&e.datetime).is_ok(),
            "{}",
            e.datetime
        );
        per_host.entry(e.host.clone()).or_default().push(e);
    }
    for events in per_host.values() {
        assert!(
            events.windows(2).all(|w| w[0].timestamp <= w[1].timestamp),
            "sorted"
        );
    }
    // alpha: the key's write, and each of the 32 error lines once.
    let alpha = &per_host["alpha-plain"];
    let keys: Vec<&Event> = alpha
        .iter()
        .filter(|e| e.timestamp_desc == KEY_WRITTEN)
        .collect();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].registry_key.as_deref(), Some(SENSLOGN));
    let errors: Vec<&Event> = alpha
        .iter()
        .filter(|e| e.timestamp_desc == ERROR_LOGGED)
        .collect();
    assert_eq!(errors.len(), 32);
    assert!(errors
        .iter()
        .all(|e| e.line.is_some() && !e.error_codes.is_empty()));
    assert!(errors[0].message.contains("0x800704DD"));
    // bravo (healthy, clean log): only the key's write; the broken and empty hosts: nothing.
    assert_eq!(per_host["bravo-kape"].len(), 1);
    assert_eq!(
        per_host["charlie-velo"]
            .iter()
            .filter(|e| e.timestamp_desc == KEY_WRITTEN)
            .count(),
        1
    );
    assert!(!per_host.contains_key("delta-broken") && !per_host.contains_key("echo-empty"));
}

fn sarif(root: &Path) -> serde_sarif::sarif::Sarif {
    let run = triage(root, &["--format", "sarif", "--sarif-all"]);
    assert_eq!(run.code, 2);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn sarif_reads_back_through_the_sarif_types() {
    let root = batch_root();
    let log = sarif(root.path());
    assert_eq!(serde_json::to_value(&log.version).unwrap(), "2.1.0");
    let run = &log.runs[0];
    let rules = run.tool.driver.rules.as_ref().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["KB910341", INPUT_RULE], "the rules used (--only)");
    for r in rules {
        assert!(r.help.as_ref().is_some_and(|h| !h.text.is_empty()));
        assert!(r.short_description.is_some());
    }
    let results = run.results.as_ref().unwrap();
    // One per host's finding, one per unreadable input.
    assert_eq!(results.len(), HOSTS.len() + 3);
    let level = |i: usize| serde_json::to_value(results[i].level).unwrap();
    let kind = |i: usize| serde_json::to_value(&results[i].kind).unwrap();
    assert_eq!((kind(0), level(0)), ("fail".into(), "error".into()));
    assert_eq!((kind(1), level(1)), ("pass".into(), "none".into()));
    assert_eq!((kind(3), level(3)), ("review".into(), "none".into()));
    let artifacts = run.artifacts.as_ref().unwrap();
    for (i, r) in results.iter().enumerate() {
        assert!(r.message.text.as_deref().is_some_and(|t| !t.is_empty()));
        let fp = &r.fingerprints.as_ref().unwrap()[FINGERPRINT_KEY];
        assert_eq!(fp.len(), 64, "result {i}");
        if let Some(loc) = r.locations.as_ref().unwrap()[0].physical_location.as_ref() {
            let al = loc.artifact_location.as_ref().unwrap();
            let a = &artifacts[al.index.unwrap() as usize];
            assert_eq!(a.location.as_ref().unwrap().uri, al.uri);
            assert_eq!(al.uri_base_id.as_deref(), Some("ROOT"));
        }
    }
    // alpha's finding: the key as a logical location, the hive as the artifact.
    let alpha = &results[0];
    assert_eq!(alpha.rule_id.as_deref(), Some("KB910341"));
    let loc = &alpha.locations.as_ref().unwrap()[0];
    let logical = &loc.logical_locations.as_ref().unwrap()[0];
    assert_eq!(logical.fully_qualified_name.as_deref(), Some(SENSLOGN));
    assert_eq!(
        alpha.fingerprints.as_ref().unwrap()[FINGERPRINT_KEY],
        fingerprint(&["KB910341", "alpha-plain", SENSLOGN])
    );
    let al = loc
        .physical_location
        .as_ref()
        .unwrap()
        .artifact_location
        .as_ref()
        .unwrap();
    assert_eq!(
        al.uri.as_deref(),
        Some("alpha-plain/Windows/System32/config/SOFTWARE")
    );
    let hive = &artifacts[al.index.unwrap() as usize];
    let want = util::read(&util::fixture(
        "hosts/xp-broken/Windows/System32/config/SOFTWARE",
    ));
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(&want)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(hive.hashes.as_ref().unwrap()["sha-256"], sha);
    assert_eq!(hive.length, Some(want.len() as i64));
    // The Velociraptor names' `%` is escaped in URIs.
    let charlie = &results[2];
    let uri = charlie.locations.as_ref().unwrap()[0]
        .physical_location
        .as_ref()
        .unwrap()
        .artifact_location
        .as_ref()
        .unwrap()
        .uri
        .clone()
        .unwrap();
    assert!(
        uri.starts_with("charlie-velo/uploads/auto/C%253A/"),
        "{uri}"
    );
    // The broken host's inputs are error results of their own rule.
    assert_eq!(results[5].rule_id.as_deref(), Some(INPUT_RULE));
    assert_eq!(serde_json::to_value(results[5].level).unwrap(), "error");
    assert!(results[5]
        .message
        .text
        .as_deref()
        .unwrap()
        .starts_with("delta-broken: "));
    let base = run.original_uri_base_ids.as_ref().unwrap();
    assert!(base["ROOT"].uri.as_deref().unwrap().starts_with("file:///"));
}

#[test]
fn sarif_fingerprints_are_stable_across_runs() {
    let root = batch_root();
    let prints = |log: &serde_sarif::sarif::Sarif| -> Vec<String> {
        log.runs[0]
            .results
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.fingerprints.as_ref().unwrap()[FINGERPRINT_KEY].clone())
            .collect()
    };
    let first = prints(&sarif(root.path()));
    let second = prints(&sarif(root.path()));
    assert_eq!(first, second);
    let distinct: std::collections::BTreeSet<&String> = first.iter().collect();
    assert_eq!(distinct.len(), first.len());
}

#[test]
fn output_file_is_written_atomically_and_not_overwritten() {
    let root = batch_root();
    let out_dir = tempfile::tempdir().unwrap();
    let out: PathBuf = out_dir.path().join("batch.jsonl");
    let o = out.to_str().unwrap();
    let run = triage(root.path(), &["--format", "jsonl", "-o", o]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 5);
    assert_eq!(written, triage(root.path(), &["--format", "jsonl"]).stdout);

    let again = triage(root.path(), &["--format", "csv", "-o", o]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    triage(root.path(), &["--format", "csv", "-o", o, "--force"]);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("host,rule,"));
    assert_eq!(
        std::fs::read_dir(out_dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn exit_codes_follow_scan() {
    let root = batch_root();
    // Unreadable inputs win over --fail-on.
    assert_eq!(triage(root.path(), &["-q", "--fail-on", "high"]).code, 2);
    std::fs::remove_dir_all(root.path().join("delta-broken")).unwrap();
    // A host folder without evidence is an error too.
    assert_eq!(triage(root.path(), &["-q", "--format", "csv"]).code, 2);
    std::fs::remove_dir_all(root.path().join("echo-empty")).unwrap();
    assert_eq!(triage(root.path(), &["-q", "--format", "csv"]).code, 0);
    assert_eq!(triage(root.path(), &["-q", "--fail-on", "high"]).code, 1);
    std::fs::remove_dir_all(root.path().join("alpha-plain")).unwrap();
    std::fs::remove_dir_all(root.path().join("charlie-velo")).unwrap();
    // bravo healthy (info): below medium.
    assert_eq!(triage(root.path(), &["-q", "--fail-on", "medium"]).code, 0);
    assert_eq!(triage(root.path(), &["-q", "--fail-on", "info"]).code, 1);

    let empty = tempfile::tempdir().unwrap();
    let run = triage(empty.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no host folders"), "{}", run.stderr);
    assert_eq!(triage(&root.path().join("README.txt"), &[]).code, 2);
}

#[test]
fn remedy_files_for_hosts_that_need_them() {
    let root = batch_root();
    let dir = tempfile::tempdir().unwrap();
    let remedies = dir.path().join("remedies");
    let run = triage(
        root.path(),
        &[
            "--format",
            "jsonl",
            "-q",
            "--remedy-dir",
            remedies.to_str().unwrap(),
        ],
    );
    let mut names: Vec<String> = std::fs::read_dir(&remedies)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["alpha-plain-KB910341.reg", "charlie-velo-KB910341.reg"]
    );
    let alpha: HostReport = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let file = alpha.findings[0]
        .remedy
        .as_ref()
        .unwrap()
        .file
        .clone()
        .unwrap();
    assert_eq!(Path::new(&file), remedies.join("alpha-plain-KB910341.reg"));
    // Existing remedy files are kept without --force, and that is an error.
    let again = triage(
        root.path(),
        &[
            "--format",
            "jsonl",
            "--remedy-dir",
            remedies.to_str().unwrap(),
        ],
    );
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(again.code, 2);
}

#[test]
fn all_rules_give_a_csv_row_per_host_and_rule() {
    let root = batch_root();
    let rules = util::wutriage()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&rules.stdout).unwrap();
    assert!(rules.len() > 10);
    let out = util::wutriage()
        .arg("triage")
        .arg(root.path())
        .args(["--format", "csv", "--min-severity", "info", "-q"])
        .output()
        .unwrap();
    let records = parse_csv(&String::from_utf8(out.stdout).unwrap());
    let col = COLUMNS.iter().position(|c| *c == "rule").unwrap();
    for (host, _) in HOSTS {
        let rows: Vec<&Vec<String>> = records[1..].iter().filter(|r| r[0] == *host).collect();
        if rows.len() == 1 && rows[0][col].is_empty() {
            continue; // a host whose analysis gave no finding
        }
        let ids: Vec<&str> = rows.iter().map(|r| r[col].as_str()).collect();
        let want: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, want, "{host}");
    }
}
