//! `wutriage query`: an offline `reg query` over hives and exports.

use serde_json::Value as Json;

use crate::util;

const SENSLOGN: &str =
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn";

fn query_json(file: &str, key: &str) -> (Json, i32) {
    let out = util::wutriage()
        .arg("query")
        .arg(util::fixture(file))
        .arg(key)
        .args(["--format", "json"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn hive_and_export_list_the_same_values() {
    let (hive, code) = query_json("registry/xp-wrong-data.hive", SENSLOGN);
    assert_eq!(code, 0);
    assert_eq!(hive["source"], "hive");
    assert_eq!(hive["dirty"], false);
    let key = &hive["keys"][0];
    assert_eq!(
        key["path"],
        "Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn"
    );
    assert!(key["last_written"].as_str().unwrap().starts_with("20"));
    let dll = key["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "DLLName")
        .unwrap();
    assert_eq!(dll["type"], "REG_SZ");
    assert_eq!(dll["raw_type"], 1);
    assert_eq!(dll["data"], "WlNotify2.dll");
    let maxwait = key["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "MaxWait")
        .unwrap();
    assert_eq!(maxwait["data"], 0x12c);

    let (export, code) = query_json("registry/winlogon-only.v5-utf16.reg", SENSLOGN);
    assert_eq!(code, 0);
    assert_eq!(export["source"], "reg-export");
    let ekey = &export["keys"][0];
    assert!(ekey["last_written"].is_null(), "exports carry no times");
    assert_eq!(ekey["values"], key["values"]);
}

#[test]
fn text_output_and_case_insensitive_paths() {
    let out = util::wutriage()
        .arg("query")
        .arg(util::fixture("registry/xp-missing-values.regedit4.reg"))
        .arg("microsoft\\WINDOWS NT\\currentversion")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("CurrentVersion"), "{text}");
    assert!(text.contains("REG_SZ"), "{text}");
    assert!(text.contains("5.1"), "{text}");
    assert!(text.contains("[Winlogon]"), "subkeys listed: {text}");
}

#[test]
fn missing_key_and_non_registry_input() {
    let (_, code) = query_json("registry/xp-key-absent.hive", SENSLOGN);
    assert_eq!(code, 1);
    let out = util::wutriage()
        .arg("query")
        .arg(util::root().join("Cargo.toml"))
        .arg("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a registry hive or .reg export"));
}

#[test]
fn malformed_export_lines_are_warnings_with_line_numbers() {
    let (json, code) = query_json("registry/malformed.reg", SENSLOGN);
    assert_eq!(code, 0);
    let lines: Vec<u64> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["line"].as_u64())
        .collect();
    assert_eq!(lines, [4, 36]);
    assert_eq!(json["keys"][0]["values"].as_array().unwrap().len(), 17);
}

#[test]
fn recurse_lists_the_subtree() {
    let (json, code) = query_json(
        "registry/xp-complete.hive",
        "Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
    );
    assert_eq!(code, 0);
    let paths: Vec<&str> = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 1);
    let out = util::wutriage()
        .arg("query")
        .arg(util::fixture("registry/xp-complete.hive"))
        .args([
            "Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
            "-s",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: Json = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("Notify\\SensLogn")),
        "{paths:?}"
    );
    assert!(paths.len() > 5);
}

#[test]
fn non_ascii_key_paths_do_not_panic() {
    for file in ["registry/xp-complete.hive", "registry/xp-complete.reg"] {
        for key in ["Программы", "Прогр\\x", "HKLM\\Программы\\x", "ß\\Straße"]
        {
            let out = util::wutriage()
                .arg("query")
                .arg(util::fixture(file))
                .arg(key)
                .output()
                .unwrap();
            // Absent: a named error (exit 1), never a panic (101).
            assert_eq!(out.status.code(), Some(1), "{file} {key}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("key not found"), "{file} {key}: {stderr}");
        }
    }
}
