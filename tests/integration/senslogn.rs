//! The SensLogn judgement on the fixture hives and their .reg sources and exports.

use wutriage::registry::os::{identify, OsFamily};
use wutriage::registry::{open_registry, RegistrySource};
use wutriage::rules::kb910341::{judge, SensLognJudgement, Status};

use crate::util;

fn open(name: &str) -> RegistrySource {
    let path = util::fixture(&format!("registry/{name}"));
    open_registry(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn judged(name: &str) -> (OsFamily, SensLognJudgement) {
    let source = open(name);
    let os = identify(&source).unwrap();
    (os.family, judge(&source, &os).unwrap())
}

/// (value, status) for every check that is not ok.
fn problems(j: &SensLognJudgement) -> Vec<(String, Status)> {
    j.problems().map(|c| (c.value.clone(), c.status)).collect()
}

fn p(list: &[(&str, Status)]) -> Vec<(String, Status)> {
    list.iter().map(|(n, s)| (n.to_string(), *s)).collect()
}

#[test]
fn complete_sets_per_os() {
    for (name, family, count) in [
        ("win2000-complete.hive", OsFamily::Windows2000, 14),
        ("xp-complete.hive", OsFamily::WindowsXp, 17),
        ("ws2003-complete.hive", OsFamily::Server2003, 17),
    ] {
        let (fam, j) = judged(name);
        assert_eq!(fam, family, "{name}");
        assert!(j.applicable && j.present, "{name}");
        assert_eq!(j.checks.len(), count, "{name}");
        assert!(!j.deviates(), "{name}: {:?}", problems(&j));
        assert!(j.last_written.is_some(), "{name}: hives record key times");
    }
}

#[test]
fn deviations_are_named_per_value() {
    use Status::*;
    let (_, j) = judged("xp-missing-values.hive");
    assert_eq!(
        problems(&j),
        p(&[("Impersonate", Missing), ("Logon", Missing), ("Startup", Missing)])
    );
    let (_, j) = judged("xp-wrong-type.hive");
    assert_eq!(problems(&j), p(&[("Impersonate", WrongType), ("MaxWait", WrongType)]));
    let maxwait = j.checks.iter().find(|c| c.value == "MaxWait").unwrap();
    assert_eq!(maxwait.actual.as_ref().unwrap().ty, "REG_SZ");
    let (_, j) = judged("xp-wrong-data.hive");
    assert_eq!(
        problems(&j),
        p(&[("DLLName", WrongData), ("Logoff", WrongData), ("MaxWait", WrongData)])
    );
    let dll = j.checks.iter().find(|c| c.value == "DLLName").unwrap();
    assert_eq!(dll.actual.as_ref().unwrap().data, "WlNotify2.dll");
    let (_, j) = judged("win2000-missing-values.hive");
    assert_eq!(j.checks.len(), 14);
    assert_eq!(problems(&j), p(&[("DLLName", Missing), ("MaxWait", Missing)]));
}

#[test]
fn absent_key_or_notify_makes_every_value_missing() {
    for name in ["xp-key-absent.hive", "xp-notify-absent.hive"] {
        let (_, j) = judged(name);
        assert!(!j.present, "{name}");
        assert_eq!(j.checks.len(), 17);
        assert!(j.checks.iter().all(|c| c.status == Status::Missing), "{name}");
    }
    let (_, j) = judged("xp-notify-absent.hive");
    assert!(j.notes.iter().any(|n| n.contains("Notify is absent")), "{:?}", j.notes);
}

#[test]
fn tolerated_variants() {
    // REG_EXPAND_SZ DLLName: accepted, with a note.
    let (_, j) = judged("xp-expandsz-dllname.hive");
    assert!(!j.deviates(), "{:?}", problems(&j));
    assert!(j.notes.iter().any(|n| n.contains("REG_EXPAND_SZ")));
    // Extra values are listed, not problems.
    let (_, j) = judged("xp-extra-values.hive");
    assert!(!j.deviates());
    assert!(!j.extra_values.is_empty());
    // Names and string data compare case-insensitively.
    let (_, j) = judged("xp-case.hive");
    assert!(!j.deviates(), "{:?}", problems(&j));
    // Windows 2000 judged against its own 14; the XP-only three are extras.
    let (fam, j) = judged("win2000-with-xp-values.hive");
    assert_eq!(fam, OsFamily::Windows2000);
    assert!(!j.deviates());
    let mut extras = j.extra_values.clone();
    extras.sort();
    assert_eq!(extras, ["Disconnect", "PostShell", "Reconnect"]);
}

#[test]
fn vista_and_later_is_not_applicable() {
    let (fam, j) = judged("win7.hive");
    assert_eq!(fam, OsFamily::VistaOrLater);
    assert!(!j.applicable);
    assert!(j.checks.is_empty());
}

#[test]
fn unknown_os_uses_the_xp_table_with_a_note() {
    let source = open("no-os.hive");
    let os = identify(&source).unwrap();
    assert_eq!(os.family, OsFamily::Unknown);
    assert!(os.note.is_some());
    let j = judge(&source, &os).unwrap();
    assert_eq!(j.table.as_deref(), Some("xp-2003"));
    assert!(j.notes.iter().any(|n| n.contains("unknown")));
    assert!(!j.deviates());
}

#[test]
fn hive_and_reg_give_the_same_judgement() {
    let dir = util::fixture("registry");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".hive") else { continue };
        let source = dir.join(format!("{stem}.reg"));
        if !source.exists() || stem == "system-min" {
            continue;
        }
        let mut hive = judged(&name).1;
        let mut reg = judged(&format!("{stem}.reg")).1;
        // Exports carry no key times.
        hive.last_written = None;
        reg.last_written = None;
        assert_eq!(hive, reg, "{stem}");
        compared += 1;
    }
    assert!(compared >= 14, "{compared}");
    // regedit's own encodings of the same content, and the dirty copy.
    let (_, base) = judged("xp-missing-values.hive");
    for other in [
        "xp-missing-values.v5-utf16.reg",
        "xp-missing-values.regedit4.reg",
        "xp-missing-values-dirty.hive",
    ] {
        let (_, j) = judged(other);
        assert_eq!(problems(&j), problems(&base), "{other}");
        assert_eq!(j.checks, base.checks, "{other}");
    }
}

#[test]
fn subtree_export_is_judged() {
    // Only the Winlogon key of xp-wrong-data: no OS values, so the XP table with a note.
    let (fam, j) = judged("winlogon-only.v5-utf16.reg");
    assert_eq!(fam, OsFamily::Unknown);
    assert_eq!(
        problems(&j),
        p(&[
            ("DLLName", Status::WrongData),
            ("Logoff", Status::WrongData),
            ("MaxWait", Status::WrongData)
        ])
    );
}

#[test]
fn dirty_copy_is_flagged() {
    let source = open("xp-missing-values-dirty.hive");
    let hive = source.as_hive().unwrap();
    assert!(hive.is_dirty());
}
