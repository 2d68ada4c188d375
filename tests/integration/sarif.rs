//! SARIF for code scanning: Microsoft's SARIF Multitool finds nothing to
//! warn about, every result names its rule, only problems are results
//! (unless `--sarif-all`), log lines are regions, and a run stays within
//! GitHub's limit.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util;

/// `Sarif.Multitool` as `.ci/run` installs it (or `$WUTRIAGE_SARIF_MULTITOOL`).
/// `None` (with a line saying why) when absent; under `CI=true` absence fails.
fn multitool() -> Option<PathBuf> {
    let tool = std::env::var_os("WUTRIAGE_SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            util::root()
                .join("target/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
        });
    if tool.is_file() {
        return Some(tool);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "SARIF Multitool not found at {} (required under CI=true)",
            tool.display()
        );
    }
    eprintln!(
        "skipping: SARIF Multitool not found at {} (.ci/run installs it)",
        tool.display()
    );
    None
}

/// Runs `wutriage` in the crate's folder; returns standard output.
fn run(args: &[&str]) -> String {
    let out = util::wutriage()
        .current_dir(util::root())
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn triage(extra: &[&str]) -> Value {
    let mut args = vec!["triage", "fixtures/hosts", "-q", "--format", "sarif"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run(&args)).unwrap()
}

fn scan(extra: &[&str]) -> Value {
    let mut hosts: Vec<String> = std::fs::read_dir(util::fixture("hosts"))
        .unwrap()
        .map(|e| {
            format!(
                "fixtures/hosts/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    hosts.sort();
    let mut args = vec!["scan", "--format", "sarif"];
    args.extend_from_slice(extra);
    args.extend(hosts.iter().map(String::as_str));
    serde_json::from_str(&run(&args)).unwrap()
}

/// What the Multitool's `validate` reports at level warning or error.
fn complaints(tool: &Path, log: &Value) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.sarif");
    let output = dir.path().join("out.sarif");
    std::fs::write(&input, serde_json::to_vec(log).unwrap()).unwrap();
    let out = std::process::Command::new(tool)
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&util::read(&output))
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let results = report["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    results
        .iter()
        // A result without a level is a warning.
        .filter(|r| !matches!(r["level"].as_str(), Some("note" | "none")))
        .map(|r| format!("{} {}", r["ruleId"], r["message"]))
        .collect()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn the_multitool_finds_nothing_to_warn_about() {
    let Some(tool) = multitool() else { return };
    for (what, log) in [
        ("triage", triage(&[])),
        ("triage --sarif-all", triage(&["--sarif-all"])),
        ("triage, truncated", triage(&["--sarif-max-results", "4"])),
        ("scan", scan(&[])),
        ("scan --sarif-all", scan(&["--sarif-all"])),
    ] {
        assert!(!results(&log).is_empty(), "{what}");
        let c = complaints(&tool, &log);
        assert!(c.is_empty(), "{what}: {} complaints: {c:#?}", c.len());
    }
}

#[test]
fn every_result_names_its_rule_and_rule_names_are_not_ids() {
    for log in [triage(&["--sarif-all"]), scan(&[])] {
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        for r in rules {
            assert_ne!(r["name"], r["id"]);
            assert!(r["name"]
                .as_str()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_alphanumeric()));
        }
        let mut inputs = 0;
        for r in results(&log) {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"], "{r}");
            inputs += usize::from(r["ruleId"] == "WUTRIAGE-INPUT");
        }
        assert_eq!(inputs, 2, "the garbage host's two unreadable files");
    }
}

#[test]
fn the_rules_table_is_the_rule_set_used() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(util::root().join("rules/bits-missing.toml")).unwrap();
    let text = text.replace("id = \"BITS-MISSING\"", "id = \"SITE-BITS-MISSING\"");
    std::fs::write(dir.path().join("site.toml"), text).unwrap();
    let d = dir.path().to_str().unwrap();
    let log = triage(&[
        "--rules",
        d,
        "--only",
        "KB910341",
        "--only",
        "SITE-BITS-MISSING",
    ]);
    let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KB910341", "SITE-BITS-MISSING", "WUTRIAGE-INPUT"]);
    let site: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r["ruleId"] == "SITE-BITS-MISSING")
        .collect();
    assert!(
        !site.is_empty(),
        "the rules/bits-missing host is a result of the site rule"
    );
    assert!(site.iter().all(|r| r["ruleIndex"] == 1));
}

#[test]
fn only_problems_are_results_unless_sarif_all() {
    let problems = triage(&[]);
    for r in results(&problems) {
        let verdict = r["properties"]["verdict"].as_str().unwrap_or("input");
        match r["kind"].as_str().unwrap() {
            "fail" => assert!(["confirmed", "latent", "other-cause", "input"].contains(&verdict)),
            "review" => {
                assert_eq!(verdict, "inconclusive");
                assert!(r["properties"]["errorCodes"].is_string(), "{r}");
            }
            k => panic!("a {k} result without --sarif-all: {r}"),
        }
    }
    // --sarif-all: one result per finding and per unreadable input, as jsonl tells them.
    let all = triage(&["--sarif-all"]);
    let jsonl = run(&["triage", "fixtures/hosts", "-q", "--format", "jsonl"]);
    let (mut findings, mut errors, mut problem_findings) = (0, 0, 0);
    for line in jsonl.lines() {
        let host: wutriage::scan::HostReport = serde_json::from_str(line).unwrap();
        findings += host.findings.len();
        errors += host.input_errors().count();
        problem_findings += host
            .findings
            .iter()
            .filter(|f| wutriage::report::sarif::select::points_at_problem(f))
            .count();
    }
    assert_eq!(results(&all).len(), findings + errors);
    assert_eq!(results(&problems).len(), problem_findings + errors);
    assert!(results(&problems).len() < results(&all).len() / 4);
}

#[test]
fn log_lines_are_regions_with_their_text() {
    let log = triage(&[]);
    let root = util::fixture("hosts");
    let mut lines = 0;
    for r in results(&log) {
        let related = r["relatedLocations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for loc in r["locations"].as_array().unwrap().iter().chain(&related) {
            let phys = &loc["physicalLocation"];
            let region = &phys["region"];
            assert!(region.is_object(), "{r}");
            let Some(n) = region["startLine"].as_u64() else {
                assert_eq!(region["byteOffset"], 0);
                continue;
            };
            let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
            let text = String::from_utf8_lossy(&util::read(&root.join(uri))).into_owned();
            let line = text.lines().nth(n as usize - 1).unwrap().trim_end();
            match region["snippet"]["text"].as_str() {
                Some(snippet) => assert_eq!(snippet, line),
                None => assert!(line.len() > 200, "only cut lines lack a snippet: {line}"),
            }
            lines += 1;
        }
    }
    assert!(lines > 20, "{lines} log lines located");
    // xp-broken's KB910341 result: the hive first, the key logical, the log lines related.
    let xp = results(&log)
        .iter()
        .find(|r| r["properties"]["host"] == "xp-broken" && r["ruleId"] == "KB910341")
        .unwrap();
    let loc = &xp["locations"][0];
    assert!(loc["logicalLocations"][0]["fullyQualifiedName"]
        .as_str()
        .unwrap()
        .ends_with("\\SensLogn"));
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "xp-broken/Windows/System32/config/SOFTWARE"
    );
    assert_eq!(
        xp["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        68
    );
}

#[test]
fn beyond_the_limit_the_worst_results_are_kept_and_the_run_says_so() {
    let full = triage(&[]);
    let cut = triage(&["--sarif-max-results", "4"]);
    assert_eq!(results(&cut).len(), 4);
    assert!(results(&cut).iter().all(|r| r["level"] == "error"));
    let left = results(&full).len() - 4;
    let note = &cut["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    assert_eq!(note["properties"]["resultsLeftOut"], left as u64);
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{left} results left out")));
    assert!(full["runs"][0]["invocations"][0]
        .get("toolExecutionNotifications")
        .is_none());
}
