//! A reader that goes away, and rule ids that must be unique and well formed.

use std::process::Stdio;

use crate::hostile_fs::host_from;
use crate::util;

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["rules", "list"][..],
        &["rules", "list", "--format", "json"][..],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wutriage"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_ne!(out.status.code(), Some(101), "{out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn rule_ids_are_unique_and_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(util::root().join("rules/wu-access-disabled.toml")).unwrap();
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    let extra = good.replace("id = \"WU-ACCESS-DISABLED\"", "id = \"LOCAL-1\"");
    std::fs::write(&a, &extra).unwrap();
    std::fs::write(&b, &extra).unwrap();
    let lint = util::wutriage()
        .args(["rules", "lint"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1));
    let said = String::from_utf8_lossy(&lint.stdout);
    assert!(
        said.contains("rule id LOCAL-1 is already used by"),
        "{said}"
    );

    let lower = good.replace("id = \"WU-ACCESS-DISABLED\"", "id = \"local\\u001b\"");
    std::fs::write(&b, lower).unwrap();
    let lint = util::wutriage()
        .args(["rules", "lint"])
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&lint.stdout).contains("must be one word of A-Z, 0-9 and '-'"));

    // A --rules file with a built-in rule's id stops the scan.
    std::fs::write(&b, &good).unwrap();
    let host = host_from(dir.path(), "pc", "xp-broken");
    let scan = util::wutriage()
        .arg("scan")
        .arg(&host)
        .arg("--rules")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(2));
    let err = String::from_utf8_lossy(&scan.stderr);
    assert!(
        err.contains("rule id LOCAL-1 is already used by")
            || err.contains("WU-ACCESS-DISABLED is already used by the built-in rules"),
        "{err}"
    );
    std::fs::remove_file(&a).unwrap();
    let scan = util::wutriage()
        .arg("scan")
        .arg(&host)
        .arg("--rules")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&scan.stderr)
        .contains("WU-ACCESS-DISABLED is already used by the built-in rules"));
}
