//! Asserts through the library facade alone, as an external crate.

use std::path::Path;

use wutriage::{HostSpec, RegistryView, Severity, Verdict};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/hosts"))
}

#[test]
fn xp_broken_is_a_confirmed_kb910341() {
    let spec = HostSpec::from_dir(fixtures().join("xp-broken")).expect("a folder");
    let report = wutriage::analyse(&spec);
    assert_eq!(report.host, "xp-broken");
    assert!(report.input_errors().next().is_none(), "{:?}", report.inputs);
    let kb = report
        .findings
        .iter()
        .find(|f| f.rule == "KB910341")
        .expect("a KB910341 finding");
    assert_eq!(kb.verdict, Verdict::Confirmed);
    assert_eq!(kb.severity, Severity::High);
}

#[test]
fn xp_healthy_is_not_confirmed() {
    let report = wutriage::analyse(&HostSpec::from_dir(fixtures().join("xp-healthy")).unwrap());
    let kb = report.findings.iter().find(|f| f.rule == "KB910341").unwrap();
    assert_eq!(kb.verdict, Verdict::Healthy);
}

#[test]
fn the_readers_and_the_rules_are_reachable() {
    let host = fixtures().join("xp-broken/Windows");
    let hive = wutriage::open_registry(&host.join("System32/config/SOFTWARE")).unwrap();
    let notify = hive
        .key(r"Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn")
        .unwrap()
        .expect("the SensLogn key");
    assert!(notify.value("Logon").is_none());
    let log = wutriage::read_log(host.join("WindowsUpdate.log")).unwrap();
    assert!(log.code(wutriage::wulog::E_NOT_LOGGED_ON).is_some());
    let rules = wutriage::builtin_rules();
    assert!(rules.iter().any(|r| r.id == "KB910341"));
    let report = wutriage::analyse_with(&HostSpec::from_dir(fixtures().join("xp-broken")).unwrap(), rules);
    assert_eq!(report.findings.len(), rules.len());
}
