//! Rules as data: the rule files, the `rules` command, and KB910341 unchanged by the move.

use std::path::Path;

use serde_json::Value as Json;

use crate::util;

fn rule_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(util::root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_rule_file_lints_clean_and_is_built_in() {
    let files = rule_files();
    assert!(files.len() >= 12, "{files:?}");
    let out = util::wutriage()
        .args(["rules", "lint"])
        .args(&files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains(": ok (")).count(),
        files.len()
    );
    let listed = util::wutriage()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let listed: Vec<Json> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed.len(),
        files.len(),
        "every file in rules/ is embedded"
    );
    for rule in &listed {
        assert!(!rule["source"].as_str().unwrap().is_empty(), "{rule}");
        assert!(!rule["codes"].as_array().unwrap().is_empty(), "{rule}");
    }
}

fn lint(text: &str) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("broken.toml");
    std::fs::write(&path, text).unwrap();
    let out = util::wutriage()
        .args(["rules", "lint"])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[test]
fn broken_rules_name_their_file_and_line() {
    let good = std::fs::read_to_string(util::root().join("rules/wu-access-disabled.toml")).unwrap();
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    let bad_code = good.replace("\"0x8024002F\"", "\"0x8024002\"");
    let (code, out) = lint(&bad_code);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "broken.toml:{}:",
            line_of(&bad_code, "0x8024002\"")
        )),
        "{out}"
    );
    assert!(out.contains("8 hex digits"), "{out}");

    let bad_hive = good.replace("hive = \"software\"", "hive = \"registry\"");
    let (code, out) = lint(&bad_hive);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(":{}:", line_of(&bad_hive, "hive = \"registry\""))),
        "{out}"
    );

    let two_expects = good.replace("expect = { not = 1 }", "expect = { not = 1, equals = 0 }");
    let (code, out) = lint(&two_expects);
    assert_eq!(code, 1);
    assert!(out.contains("exactly one"), "{out}");

    let bad_type = good.replace("types = [\"REG_DWORD\"]", "types = [\"REG_WORD\"]");
    let (code, out) = lint(&bad_type);
    assert_eq!(code, 1);
    assert!(out.contains("REG_WORD"), "{out}");

    let bad_os = good.replace("\"windows-xp\", ", "\"windows-xq\", ");
    assert_eq!(lint(&bad_os).0, 1);
    let unknown_field = format!("{good}\nseverity = \"high\"\n");
    assert_eq!(
        lint(&unknown_field).0,
        1,
        "unknown fields are errors, not ignored"
    );
}

#[test]
fn rules_dir_adds_and_replaces_rules_and_broken_files_stop_the_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(util::root().join("rules/wu-access-disabled.toml")).unwrap();
    let extra = good.replace("id = \"WU-ACCESS-DISABLED\"", "id = \"LOCAL-ACCESS\"");
    std::fs::write(tmp.path().join("local.toml"), extra).unwrap();
    let out = util::wutriage()
        .current_dir(util::root())
        .args([
            "scan",
            "fixtures/hosts/xp-healthy",
            "--format",
            "json",
            "--rules",
        ])
        .arg(tmp.path())
        .args(["--only", "KB910341", "--only", "LOCAL-ACCESS"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = report["hosts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KB910341", "LOCAL-ACCESS"]);

    std::fs::write(tmp.path().join("zz-broken.toml"), "id = \"X\"\n").unwrap();
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "fixtures/hosts/xp-healthy", "--rules"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zz-broken.toml"));
}

/// The KB910341 finding of every fixture host equals what the hand-written
/// evaluator gave before the rule became a file (`golden/`), new fields aside.
#[test]
fn kb910341_findings_unchanged_by_the_move_to_rule_files() {
    let golden = util::root().join("tests/integration/golden");
    let mut compared = 0;
    for entry in std::fs::read_dir(&golden).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap();
        let host = name.strip_prefix("kb910341-").unwrap();
        let want: Json = serde_json::from_slice(&util::read(&path)).unwrap();
        let out = util::wutriage()
            .current_dir(util::root())
            .args(["scan", "--format", "json"])
            .arg(Path::new("fixtures/hosts").join(host))
            .output()
            .unwrap();
        let report: Json = serde_json::from_slice(&out.stdout).unwrap();
        let mut got = report["hosts"][0]["findings"][0].clone();
        let obj = got.as_object_mut().unwrap();
        // Fields added since.
        obj.remove("codes");
        obj.remove("registry_errors");
        obj.remove("facts");
        assert_eq!(&got, &want[0], "{host}");
        compared += 1;
    }
    assert_eq!(compared, 10);
}
