//! What could not be read is never right: damaged hives and partial exports
//! make the rules that need them `inconclusive`, and damage is an input
//! `error` (exit 2), in text and JSON alike. Inputs are built here from the
//! fixture hosts.

use std::path::{Path, PathBuf};

use wutriage::finding::{Finding, Problem, Verdict};
use wutriage::report::Report;

use crate::util;

const NK_NAME_OFFSET: usize = 0x4C;

/// The offset of the `nk` cell (its signature) of the key named `name`.
pub fn nk_of(hive: &[u8], name: &[u8]) -> usize {
    let mut from = 0;
    while let Some(i) = find(&hive[from..], name).map(|i| i + from) {
        if i >= NK_NAME_OFFSET && &hive[i - NK_NAME_OFFSET..i - NK_NAME_OFFSET + 2] == b"nk" {
            return i - NK_NAME_OFFSET;
        }
        from = i + 1;
    }
    panic!("no nk cell named {}", String::from_utf8_lossy(name));
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A host holding the xp-latent SOFTWARE hive changed by `damage`.
pub fn damaged_host(dir: &Path, damage: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let mut hive = util::read(&util::fixture(
        "hosts/xp-latent/Windows/System32/config/SOFTWARE",
    ));
    damage(&mut hive);
    let config = dir.join("host/Windows/System32/config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("SOFTWARE"), hive).unwrap();
    dir.join("host")
}

fn scan_json(host: &Path) -> (Option<i32>, Report) {
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(host)
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn scan_text(host: &Path) -> (Option<i32>, String) {
    let out = util::wutriage().arg("scan").arg(host).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

fn finding<'r>(report: &'r Report, rule: &str) -> &'r Finding {
    report.hosts[0]
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap()
}

/// KB910341 on the damaged host is inconclusive, names `what`, and the hive has an error.
fn assert_unreadable(host: &Path, what: &str) {
    let (code, report) = scan_json(host);
    assert_eq!(code, Some(2));
    let f = finding(&report, "KB910341");
    assert_eq!(f.verdict, Verdict::Inconclusive, "{}", f.summary);
    assert!(f.summary.contains(what), "{}", f.summary);
    let reg = f.registry.as_ref().unwrap();
    assert!(reg.ok.is_empty(), "{:?}", reg.ok);
    assert!(reg
        .problems
        .iter()
        .all(|p| p.problem == Problem::Unreadable));
    assert!(f.remedy.is_none());
    let input = &report.hosts[0].inputs[0];
    let error = input.error.as_deref().unwrap_or_default();
    assert!(error.contains(what), "{error:?}");

    let (code, text) = scan_text(host);
    assert_eq!(code, Some(2));
    assert!(
        text.contains("KB910341") && text.contains("INCONCLUSIVE"),
        "{text}"
    );
    assert!(!text.contains("HEALTHY         SensLogn"), "{text}");
    assert!(text.contains(what), "{text}");
}

#[test]
fn the_undamaged_fixture_is_latent() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |_| {});
    let (code, report) = scan_json(&host);
    assert_eq!(code, Some(0));
    assert_eq!(finding(&report, "KB910341").verdict, Verdict::Latent);
}

#[test]
fn a_value_list_offset_of_ffffffff_is_inconclusive_and_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |h| {
        let nk = nk_of(h, b"SensLogn");
        h[nk + 0x28..nk + 0x2C].copy_from_slice(&[0xFF; 4]);
    });
    assert_unreadable(&host, "no value list");
}

#[test]
fn a_damaged_nk_signature_is_inconclusive_and_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |h| {
        let nk = nk_of(h, b"SensLogn");
        h[nk..nk + 2].copy_from_slice(b"xx");
    });
    assert_unreadable(&host, "signature");
}

#[test]
fn a_value_cell_out_of_range_is_inconclusive_and_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |h| {
        // The first entry of SensLogn's value list points past the hive.
        let nk = nk_of(h, b"SensLogn");
        let list = u32::from_le_bytes(h[nk + 0x28..nk + 0x2C].try_into().unwrap()) as usize;
        let entry = 4096 + list + 4;
        h[entry..entry + 4].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
    });
    assert_unreadable(&host, "value list damaged");
}

#[test]
fn checks_on_absent_values_are_not_listed_as_ok() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |_| {});
    let (_, report) = scan_json(&host);
    // No policy key in this hive: the rule holds, but nothing was read to list.
    let f = finding(&report, "WU-ACCESS-DISABLED");
    assert_eq!(f.verdict, Verdict::Healthy, "{}", f.summary);
    assert!(f.registry.as_ref().unwrap().ok.is_empty());
    // Values read and right are listed.
    let ok = &finding(&report, "KB910341").registry.as_ref().unwrap().ok;
    assert!(ok.iter().any(|v| v == "Asynchronous"), "{ok:?}");
}

/// An export of the version key and SensLogn only (no whole-hive root).
fn partial_export(dir: &Path) -> PathBuf {
    let host = dir.join("partial");
    std::fs::create_dir_all(&host).unwrap();
    let cv = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    let text = format!(
        "Windows Registry Editor Version 5.00\r\n\r\n\
         [{cv}]\r\n\"CurrentVersion\"=\"5.1\"\r\n\"ProductName\"=\"Microsoft Windows XP\"\r\n\
         \"CurrentBuildNumber\"=\"2600\"\r\n\"CSDVersion\"=\"Service Pack 3\"\r\n\r\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\r\n\
         \"UseWUServer\"=dword:00000001\r\n\r\n"
    );
    std::fs::write(host.join("SOFTWARE.reg"), text).unwrap();
    host
}

#[test]
fn an_export_without_the_keys_a_rule_needs_is_inconclusive_not_healthy() {
    let tmp = tempfile::tempdir().unwrap();
    let host = partial_export(tmp.path());
    let (code, report) = scan_json(&host);
    // Not damage: the export just does not cover those keys.
    assert_eq!(code, Some(0), "{:?}", report.hosts[0].inputs);
    assert!(report.hosts[0].inputs[0].error.is_none());
    for rule in ["WU-ACCESS-DISABLED", "WU-INTERNET-LOCATIONS-BLOCKED"] {
        // The Policies\…\WindowsUpdate key is only implied by its AU subkey.
        let f = finding(&report, rule);
        assert_eq!(f.verdict, Verdict::Inconclusive, "{rule}: {}", f.summary);
        assert!(f.summary.contains("does not hold"), "{}", f.summary);
        let reg = f.registry.as_ref().unwrap();
        assert!(reg
            .problems
            .iter()
            .all(|p| p.problem == Problem::NotInEvidence));
    }
    // WUServer's key is implied only: whether it is set is unknown.
    let f = finding(&report, "WSUS-SERVER-NOT-SET");
    assert_eq!(f.verdict, Verdict::Inconclusive, "{}", f.summary);
    let (_, text) = scan_text(&host);
    assert!(!text.contains("HEALTHY"), "{text}");
}

#[test]
fn a_damaged_version_key_is_an_input_error_not_an_unknown_os() {
    let tmp = tempfile::tempdir().unwrap();
    let host = damaged_host(tmp.path(), |h| {
        // `CurrentVersion` names two keys; the one under `Windows NT` holds the version.
        let nt = nk_of(h, b"Windows NT");
        let list = u32::from_le_bytes(h[nt + 0x1C..nt + 0x20].try_into().unwrap()) as usize;
        let first = u32::from_le_bytes(h[4096 + list + 8..4096 + list + 12].try_into().unwrap());
        let nk = 4096 + first as usize + 4;
        assert_eq!(&h[nk..nk + 2], b"nk");
        h[nk + 0x28..nk + 0x2C].copy_from_slice(&[0xFF; 4]);
    });
    let (code, report) = scan_json(&host);
    assert_eq!(code, Some(2));
    let error = report.hosts[0].inputs[0]
        .error
        .as_deref()
        .unwrap_or_default();
    assert!(error.contains("no value list"), "{error}");
    assert!(report.hosts[0].os.is_none());
    assert_eq!(finding(&report, "KB910341").verdict, Verdict::Inconclusive);
}
