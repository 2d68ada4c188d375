//! The SensLogn judgement on the fixture hives and their .reg sources and exports.

use wutriage::finding::{DataType, Finding, Problem, RegistryEvidence, Verdict};
use wutriage::registry::os::{identify, OsFamily};
use wutriage::registry::value::ValueType;
use wutriage::registry::{open_registry, RegistrySource};
use wutriage::rules::engine::{evaluate, Facts, HiveFacts};
use wutriage::scan::builtin_rules;

use crate::util;

fn open(name: &str) -> RegistrySource {
    let path = util::fixture(&format!("registry/{name}"));
    open_registry(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The KB910341 rule on one fixture, without logs.
fn finding(name: &str) -> (OsFamily, Finding) {
    let source = open(name);
    let os = identify(&source).unwrap();
    let rule = builtin_rules().iter().find(|r| r.id == "KB910341").unwrap();
    let no_log = |_: &wutriage::rules::spec::Rule| None;
    let facts = Facts {
        os: Some(&os),
        software: Some(HiveFacts {
            source: name.to_string(),
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
    (os.family, evaluate(rule, &facts))
}

/// The registry evidence of the KB910341 finding on one fixture.
fn judged(name: &str) -> (OsFamily, RegistryEvidence) {
    let (family, f) = finding(name);
    (family, f.registry.unwrap())
}

/// (value, problem) for every value that is not as expected.
fn problems(j: &RegistryEvidence) -> Vec<(String, Status)> {
    j.problems
        .iter()
        .map(|c| (c.value.clone(), c.problem))
        .collect()
}

type Status = Problem;
use Problem::{Missing, WrongData, WrongType};

fn p(list: &[(&str, Problem)]) -> Vec<(String, Status)> {
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
        assert!(j.present, "{name}");
        assert_eq!(j.ok.len(), count, "{name}");
        assert!(j.problems.is_empty(), "{name}: {:?}", problems(&j));
        assert!(j.last_written.is_some(), "{name}: hives record key times");
        assert_eq!(finding(name).1.verdict, Verdict::Healthy, "{name}");
    }
}

#[test]
fn deviations_are_named_per_value() {
    let (_, j) = judged("xp-missing-values.hive");
    assert_eq!(
        problems(&j),
        p(&[
            ("Impersonate", Missing),
            ("Logon", Missing),
            ("Startup", Missing)
        ])
    );
    let (_, j) = judged("xp-wrong-type.hive");
    assert_eq!(
        problems(&j),
        p(&[("Impersonate", WrongType), ("MaxWait", WrongType)])
    );
    let maxwait = j.problems.iter().find(|c| c.value == "MaxWait").unwrap();
    assert_eq!(
        maxwait.actual.as_ref().unwrap().ty,
        DataType::Value(ValueType::Sz)
    );
    let (_, j) = judged("xp-wrong-data.hive");
    assert_eq!(
        problems(&j),
        p(&[
            ("DLLName", WrongData),
            ("Logoff", WrongData),
            ("MaxWait", WrongData)
        ])
    );
    let dll = j.problems.iter().find(|c| c.value == "DLLName").unwrap();
    assert_eq!(dll.actual.as_ref().unwrap().data, "WlNotify2.dll");
    let (_, j) = judged("win2000-missing-values.hive");
    assert_eq!(j.ok.len() + j.problems.len(), 14);
    assert_eq!(
        problems(&j),
        p(&[("DLLName", Missing), ("MaxWait", Missing)])
    );
}

#[test]
fn absent_key_or_notify_makes_every_value_missing() {
    for name in ["xp-key-absent.hive", "xp-notify-absent.hive"] {
        let (_, j) = judged(name);
        assert!(!j.present, "{name}");
        assert_eq!(j.problems.len(), 17);
        assert!(j.problems.iter().all(|c| c.problem == Missing), "{name}");
    }
    let (_, j) = judged("xp-notify-absent.hive");
    assert!(
        j.notes.iter().any(|n| n.contains("Notify is absent")),
        "{:?}",
        j.notes
    );
}

#[test]
fn tolerated_variants() {
    // REG_EXPAND_SZ DLLName: accepted, with a note.
    let (_, j) = judged("xp-expandsz-dllname.hive");
    assert!(j.problems.is_empty(), "{:?}", problems(&j));
    assert!(j.notes.iter().any(|n| n.contains("REG_EXPAND_SZ")));
    // Extra values are listed, not problems.
    let (_, j) = judged("xp-extra-values.hive");
    assert!(j.problems.is_empty());
    assert!(!j.extra_values.is_empty());
    // Names and string data compare case-insensitively.
    let (_, j) = judged("xp-case.hive");
    assert!(j.problems.is_empty(), "{:?}", problems(&j));
    // Windows 2000 judged against its own 14; the XP-only three are extras.
    let (fam, j) = judged("win2000-with-xp-values.hive");
    assert_eq!(fam, OsFamily::Windows2000);
    assert!(j.problems.is_empty());
    let mut extras = j.extra_values.clone();
    extras.sort();
    assert_eq!(extras, ["Disconnect", "PostShell", "Reconnect"]);
}

#[test]
fn vista_and_later_is_not_applicable() {
    let (fam, f) = finding("win7.hive");
    assert_eq!(fam, OsFamily::VistaOrLater);
    assert_eq!(f.verdict, Verdict::NotApplicable);
    let j = f.registry.unwrap();
    assert!(j.table.is_none());
    assert!(j.problems.is_empty() && j.ok.is_empty());
}

#[test]
fn unknown_os_uses_the_xp_table_with_a_note() {
    let source = open("no-os.hive");
    let os = identify(&source).unwrap();
    assert_eq!(os.family, OsFamily::Unknown);
    assert!(os.note.is_some());
    let (_, j) = judged("no-os.hive");
    assert_eq!(j.table.as_deref(), Some("xp-2003"));
    assert!(j.notes.iter().any(|n| n.contains("unknown")));
    assert!(j.problems.is_empty());
}

#[test]
fn hive_and_reg_give_the_same_judgement() {
    let dir = util::fixture("registry");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".hive") else {
            continue;
        };
        let source = dir.join(format!("{stem}.reg"));
        if !source.exists() || stem == "system-min" {
            continue;
        }
        let mut hive = judged(&name).1;
        let mut reg = judged(&format!("{stem}.reg")).1;
        // Exports carry no key times; the sources differ by name.
        hive.last_written = None;
        reg.last_written = None;
        hive.source.clear();
        reg.source.clear();
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
        assert_eq!(j.ok, base.ok, "{other}");
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
            ("DLLName", WrongData),
            ("Logoff", WrongData),
            ("MaxWait", WrongData)
        ])
    );
}

#[test]
fn dirty_copy_is_flagged() {
    let source = open("xp-missing-values-dirty.hive");
    let hive = source.as_hive().unwrap();
    assert!(hive.is_dirty());
}
