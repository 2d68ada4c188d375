//! `--format junit`: structure checked here, and the documents read back by
//! an independent reader (the `junitparser` Python package, which `.ci/run`
//! installs into target/junit-venv).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::fleet::{fleet, wutriage};
use crate::util;
use crate::util::copy_tree;

/// A Python with `junitparser`: `$WUTRIAGE_JUNIT_PYTHON`, else
/// target/junit-venv. `None` (with a line saying why) when there is none;
/// under `CI=true` its absence fails.
fn junit_python() -> Option<PathBuf> {
    let python = std::env::var_os("WUTRIAGE_JUNIT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| util::root().join("target/junit-venv/bin/python"));
    let ok = Command::new(&python)
        .args(["-c", "import junitparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "junitparser not found at {} (required under CI=true)",
            python.display()
        );
    }
    eprintln!(
        "skipping: junitparser not found at {} (.ci/run installs it)",
        python.display()
    );
    None
}

const READER: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
out = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        texts = [r.text or "" for r in case.result]
        cases.append({"name": case.name, "classname": case.classname, "results": kinds, "texts": texts})
    out.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                "errors": suite.errors, "skipped": suite.skipped, "cases": cases})
print(json.dumps(out))
"#;

/// The document read back by junitparser, as JSON.
fn read_back(python: &Path, xml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new(python)
        .args(["-c", READER])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Test cases of a suite in the document text: (name, result element or "").
fn cases<'a>(xml: &'a str, host: &str) -> Vec<(&'a str, &'a str)> {
    let start = xml.find(&format!("<testsuite name=\"{host}\"")).unwrap();
    let end = start + xml[start..].find("</testsuite>").unwrap();
    xml[start..end]
        .split("<testcase ")
        .skip(1)
        .map(|c| {
            let name = c
                .split("name=\"")
                .nth(2)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let result = ["<failure", "<skipped", "<error"]
                .into_iter()
                .find(|r| c.contains(r));
            (name, result.unwrap_or(""))
        })
        .collect()
}

#[test]
fn a_suite_per_host_a_case_per_rule_failures_from_medium() {
    let root = fleet();
    let r = wutriage(&["triage", "--format", "junit", "-q"], root.path(), &[]);
    assert_eq!(r.code, 0, "junit alone never fails the run: --fail-on does");
    let xml = &r.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(xml.ends_with("</testsuites>\n"));
    assert_eq!(xml.matches("<testsuite ").count(), 5);
    let broken = cases(xml, "xp-broken");
    let rules = util::wutriage()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<Value> = serde_json::from_slice(&rules.stdout).unwrap();
    assert_eq!(broken.len(), rules.len(), "one case per rule");
    assert_eq!(broken[0].1, "<failure", "{:?}", broken[0]);
    assert!(broken[0].0.starts_with("KB910341: "));
    // latent (medium) fails at the default level; win7's low finding does not.
    assert_eq!(cases(xml, "xp-latent")[0].1, "<failure");
    assert_eq!(cases(xml, "win7")[0].1, "<skipped");
    assert!(cases(xml, "xp-healthy").iter().all(|c| c.1 != "<failure"));
    // The evidence is in the failure text.
    let text = &xml[xml.find("<failure").unwrap()..xml.find("</failure>").unwrap()];
    for needle in [
        "0x800704DD",
        "on 20 line(s)",
        "Impersonate missing",
        "WindowsUpdate.log:",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // --fail-on moves the line; --min-severity drops cases.
    let high = wutriage(
        &["triage", "--format", "junit", "-q", "--fail-on", "high"],
        root.path(),
        &[],
    );
    assert_eq!(cases(&high.stdout, "xp-latent")[0].1, "");
    assert_eq!(high.code, 1, "xp-broken is high");
    let min = wutriage(
        &[
            "triage",
            "--format",
            "junit",
            "-q",
            "--min-severity",
            "medium",
        ],
        root.path(),
        &[],
    );
    assert_eq!(cases(&min.stdout, "xp-broken").len(), 1);
    assert!(cases(&min.stdout, "xp-healthy").is_empty());
}

#[test]
fn junitparser_reads_what_triage_and_scan_write() {
    let Some(python) = junit_python() else { return };
    let root = fleet();
    let r = wutriage(&["triage", "--format", "junit", "-q"], root.path(), &[]);
    let doc = read_back(&python, &r.stdout);
    let suites = doc.as_array().unwrap();
    assert_eq!(suites.len(), 5);
    let broken = suites.iter().find(|s| s["name"] == "xp-broken").unwrap();
    assert_eq!(broken["failures"], 1);
    assert_eq!(broken["errors"], 0);
    let first = &broken["cases"][0];
    assert_eq!(first["results"], serde_json::json!(["Failure"]));
    assert!(first["texts"][0].as_str().unwrap().contains("0x80240020"));
    for s in suites {
        let cases = s["cases"].as_array().unwrap();
        assert_eq!(s["tests"].as_u64().unwrap() as usize, cases.len());
        let failed = cases
            .iter()
            .filter(|c| c["results"] == serde_json::json!(["Failure"]))
            .count();
        assert_eq!(s["failures"].as_u64().unwrap() as usize, failed);
    }
    let scan = wutriage(
        &["scan", "--format", "junit"],
        &util::fixture("hosts/xp-latent"),
        &[],
    );
    let doc = read_back(&python, &scan.stdout);
    assert_eq!(doc[0]["name"], "xp-latent");
    assert_eq!(doc[0]["failures"], 1);
}

/// A host named with markup whose log lines hold control characters and
/// markup, and a second host with an unreadable input.
fn hostile_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("a&b<c>\"d'");
    copy_tree(&util::fixture("hosts/xp-broken"), &host);
    let mut log = String::new();
    for (i, junk) in [
        "\u{1}\u{7}",
        "\u{1b}[31m<red>",
        "]]> &amp; \u{c}",
        "\u{fffe}\u{ffff}",
    ]
    .iter()
    .enumerate()
    {
        log.push_str(&format!(
            "2009-06-10\t08:19:0{i}:562\t1044\t5b4\tAU\tWARNING: {junk} token failed, hr=800704DD\r\n"
        ));
    }
    std::fs::write(host.join("Windows/WindowsUpdate.log"), log).unwrap();
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(bad.join("Windows/System32/config")).unwrap();
    std::fs::write(
        bad.join("Windows/System32/config/SOFTWARE"),
        b"regf\0\0\0\0garbage",
    )
    .unwrap();
    dir
}

#[test]
fn evidence_with_control_characters_and_markup_stays_valid_xml() {
    let root = hostile_root();
    let r = wutriage(&["triage", "--format", "junit", "-q"], root.path(), &[]);
    let xml = &r.stdout;
    let forbidden =
        |c: char| (c < ' ' && !matches!(c, '\t' | '\n')) || c == '\u{fffe}' || c == '\u{ffff}';
    assert!(!xml.chars().any(forbidden), "{xml:?}");
    assert!(xml.contains("[U+0001][U+0007]") && xml.contains("[U+001B][31m&lt;red&gt;"));
    assert!(xml.contains("name=\"a&amp;b&lt;c&gt;&quot;d&apos;\""));
    assert!(!xml.contains("]]>"), "no raw CDATA end");
    assert!(
        xml.contains("name=\"inputs\"><error"),
        "the unreadable input is an error case"
    );
    if let Some(python) = junit_python() {
        let doc = read_back(&python, xml);
        let names: Vec<&str> = doc
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a&b<c>\"d'", "bad"]);
        let bad = &doc[1];
        assert_eq!(bad["errors"], 1);
        let text = doc[0]["cases"][0]["texts"][0].as_str().unwrap();
        assert!(text.contains("[U+001B][31m<red>"), "{text}");
    }
}
