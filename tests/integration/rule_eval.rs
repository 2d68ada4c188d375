//! Rules the engine cannot evaluate are rejected by lint, and the engine
//! never panics on any rule it is handed.

use wutriage::finding::Verdict;
use wutriage::registry::open_registry;
use wutriage::registry::os::identify;
use wutriage::rules::engine::{evaluate, Facts, HiveFacts};
use wutriage::rules::spec::{HiveName, Rule};

use crate::util;

fn access_rule_text() -> String {
    std::fs::read_to_string(util::root().join("rules/wu-access-disabled.toml")).unwrap()
}

/// The rule says `system` but every check reads `software`.
fn mismatched(text: &str) -> String {
    text.replace("hive = \"software\"", "hive = \"system\"")
        .replace("{ value =", "{ hive = \"software\", value =")
}

#[test]
fn lint_rejects_a_rule_whose_checks_never_read_its_hive() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("mismatch.toml");
    std::fs::write(&path, mismatched(&access_rule_text())).unwrap();
    let out = util::wutriage()
        .args(["rules", "lint"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("rule's own hive"), "{text}");

    // And a scan with it stops with that error instead of panicking.
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "fixtures/hosts/xp-latent", "--rules"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(101));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rule's own hive"));
}

#[test]
fn the_engine_does_not_panic_on_a_rule_lint_would_reject() {
    let mut rule = Rule::parse(&access_rule_text(), "wu-access-disabled.toml").unwrap();
    rule.hive = HiveName::System;
    for set in &mut rule.check_sets {
        for c in &mut set.checks {
            c.hive = Some(HiveName::Software);
        }
    }
    let source = open_registry(&util::fixture(
        "hosts/xp-latent/Windows/System32/config/SOFTWARE",
    ))
    .unwrap();
    let os = identify(&source).unwrap();
    let no_log = |_: &wutriage::rules::spec::Rule| None;
    let facts = Facts {
        os: Some(&os),
        software: Some(HiveFacts {
            source: "SOFTWARE".into(),
            view: &source,
            prefix: String::new(),
            notes: Vec::new(),
        }),
        system: None,
        software_problem: None,
        system_problem: None,
        log: &no_log,
        registry_results: &[],
    };
    let f = evaluate(&rule, &facts);
    assert_eq!(f.verdict, Verdict::Inconclusive, "{}", f.summary);
    assert!(
        f.notes.iter().any(|n| n.contains("SYSTEM")),
        "{:?}",
        f.notes
    );

    // No check set at all: inconclusive too.
    rule.check_sets.clear();
    assert_eq!(evaluate(&rule, &facts).verdict, Verdict::Inconclusive);
}
