//! `.reg` exports: the same content in every encoding and version reads the
//! same, matches the hive it was exported from, and what the writer writes
//! reads back (and merges with hivexregedit) identically.

use std::collections::BTreeMap;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::regfile::{
    looks_like_reg_export, write_reg_v5, write_reg_v5_utf8, RegExport, RegKeyEdit, RegVersion,
    TextEncoding,
};
use wutriage::registry::source::{sniff, RegistryFormat};
use wutriage::registry::view::walk;
use wutriage::registry::{open_registry, RegistrySource, RegistryView, ValueData};

use crate::util;

const SENS: &str = r"Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn";

/// Every key's values as (name, type number, raw bytes), by upper-cased path;
/// values sorted by name (hivex stores them sorted, exports in file order).
type Snapshot = BTreeMap<String, Vec<(String, u32, Vec<u8>)>>;

fn snapshot(view: &dyn RegistryView) -> Snapshot {
    let mut out = Snapshot::new();
    walk(view, "", &mut |k| {
        let mut values: Vec<_> = k
            .values
            .iter()
            .map(|v| (v.name.clone(), v.raw_type, v.raw.clone()))
            .collect();
        values.sort_by_key(|(name, _, _)| name.to_uppercase());
        out.insert(k.path.to_uppercase(), values);
    })
    .unwrap();
    out
}

fn utf16_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// One content written as version 5 text (payloads of hex(2)/hex(7) in
/// UTF-16LE), with a subtree-only layout, continuations and escapes.
fn v5_text() -> String {
    [
        "Windows Registry Editor Version 5.00",
        "",
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn]",
        r#""Asynchronous"=dword:00000001"#,
        r#""DLLName"="WlNotify.dll""#,
        r#""Logon"="SensLogonEvent""#,
        r#""MaxWait"=dword:00000258"#,
        r#""Owner"="Müller & Söhne""#,
        r#""Path"="C:\\WINDOWS\\system32 \"quoted\"""#,
        r#""Expand"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\"#,
        r"  74,00,25,00,5c,00,e9,00,00,00",
        r#""Multi"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00"#,
        r#""Bin"=hex:de,ad,be,ef"#,
        r#""Q"=hex(b):58,02,00,00,00,00,00,00"#,
        r#"@="default""#,
        "",
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn\Sub]",
        "",
    ]
    .join("\r\n")
}

/// The same content as REGEDIT4 (Windows-1252 text, ANSI hex(2)/hex(7)).
fn regedit4_bytes() -> Vec<u8> {
    let text = [
        "REGEDIT4",
        "",
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn]",
        r#""Asynchronous"=dword:00000001"#,
        r#""DLLName"="WlNotify.dll""#,
        r#""Logon"="SensLogonEvent""#,
        r#""MaxWait"=dword:00000258"#,
        r#""Owner"="Müller & Söhne""#,
        r#""Path"="C:\\WINDOWS\\system32 \"quoted\"""#,
        r#""Expand"=hex(2):25,53,79,73,74,65,6d,52,6f,6f,74,25,5c,e9,00"#,
        r#""Multi"=hex(7):61,00,62,63,00,00"#,
        r#""Bin"=hex:de,ad,\"#,
        r"  be,ef",
        r#""Q"=hex(b):58,02,00,00,00,00,00,00"#,
        r#"@="default""#,
        "",
        r"[HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn\Sub]",
        "",
    ]
    .join("\r\n");
    // Windows-1252: every char here is below U+0100.
    text.chars().map(|c| c as u32 as u8).collect()
}

#[test]
fn v5_utf16_and_regedit4_of_the_same_content_read_the_same() {
    let v5 = RegExport::parse(&utf16_bom(&v5_text())).unwrap();
    let v4 = RegExport::parse(&regedit4_bytes()).unwrap();
    assert_eq!(
        (v5.version(), v5.encoding()),
        (RegVersion::V5, TextEncoding::Utf16Le)
    );
    assert_eq!(
        (v4.version(), v4.encoding()),
        (RegVersion::Regedit4, TextEncoding::Windows1252)
    );
    assert!(v5.warnings().is_empty(), "{:?}", v5.warnings());
    assert!(v4.warnings().is_empty(), "{:?}", v4.warnings());
    let a = snapshot(&v5);
    assert_eq!(a, snapshot(&v4));
    assert_eq!(a.len(), 8, "root, five implied parents, SensLogn, Sub");

    let sens = v4.key(SENS).unwrap().unwrap();
    assert_eq!(sens.subkeys, ["Sub"]);
    assert_eq!(
        sens.value("owner").unwrap().data,
        ValueData::String("Müller & Söhne".into())
    );
    assert_eq!(
        sens.value("Expand").unwrap().data,
        ValueData::String(r"%SystemRoot%\é".into())
    );
    assert_eq!(
        sens.value("Multi").unwrap().data,
        ValueData::MultiString(vec!["a".into(), "bc".into()])
    );
    assert_eq!(sens.value("Q").unwrap().data, ValueData::Qword(600));
    assert_eq!(sens.value("MaxWait").unwrap().raw, [0x58, 2, 0, 0]);
    assert_eq!(
        sens.value("Path").unwrap().data,
        ValueData::String(r#"C:\WINDOWS\system32 "quoted""#.into())
    );
}

#[test]
fn utf8_and_lf_variants_read_the_same() {
    let reference = snapshot(&RegExport::parse(&utf16_bom(&v5_text())).unwrap());
    let text = v5_text();
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    for bytes in [
        bom8,
        text.clone().into_bytes(),
        text.replace("\r\n", "\n").into_bytes(),
    ] {
        assert!(looks_like_reg_export(&bytes));
        let e = RegExport::parse(&bytes).unwrap();
        assert_eq!(e.encoding(), TextEncoding::Utf8);
        assert_eq!(snapshot(&e), reference);
    }
}

#[test]
fn opened_from_a_file_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evidence.txt");
    std::fs::write(&path, utf16_bom(&v5_text())).unwrap();
    assert_eq!(
        sniff(&std::fs::read(&path).unwrap()),
        Some(RegistryFormat::RegExport)
    );
    let source = open_registry(&path).unwrap();
    assert_eq!(source.format(), RegistryFormat::RegExport);
    let sens = source.key(SENS).unwrap().unwrap();
    assert_eq!(
        sens.value("DLLName").unwrap().data,
        ValueData::String("WlNotify.dll".into())
    );
    assert!(source
        .key(r"Microsoft\Windows NT\CurrentVersion")
        .unwrap()
        .is_some());
}

#[test]
fn malformed_lines_warn_and_the_rest_is_read() {
    let text = v5_text().replace(
        r#""Logon"="SensLogonEvent""#,
        "\"EulaAccepted\"=1\r\n\"Bad\"=hex:01,zz\r\n\"Logon\"=\"SensLogonEvent\"",
    );
    let e = RegistrySource::from_bytes(utf16_bom(&text)).unwrap();
    let lines: Vec<_> = e.warnings().iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(6), Some(7)]);
    let sens = e.key(SENS).unwrap().unwrap();
    assert_eq!(sens.values.len(), 11);
    assert!(sens.value("EulaAccepted").is_none());
}

#[test]
fn never_panics_on_truncated_exports() {
    let bytes = utf16_bom(&v5_text());
    for cut in (0..bytes.len()).step_by(3) {
        if let Ok(e) = RegExport::parse(&bytes[..cut]) {
            let _ = snapshot(&e);
        }
    }
}

fn sens_remedy() -> Vec<RegKeyEdit> {
    vec![
        RegKeyEdit::new(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft"),
        RegKeyEdit::new(format!(r"HKLM\SOFTWARE\{SENS}"))
            .dword("Asynchronous", 1)
            .string("DLLName", "WlNotify.dll")
            .dword("Impersonate", 1)
            .string("Logon", "SensLogonEvent")
            .dword("MaxWait", 0x258)
            .expand_string("Exp", r"%SystemRoot%\system32\WlNotify.dll")
            .multi_string("Multi", &["a", "b"])
            .string("Owner", "Müller & Söhne")
            .string("Quote", r#"a\"b"#)
            .qword("Q", 7)
            .binary("Bin", (0..=255).collect()),
    ]
}

#[test]
fn written_remedy_reads_back_identically() {
    let edits = sens_remedy();
    for bytes in [write_reg_v5(&edits), write_reg_v5_utf8(&edits)] {
        assert!(looks_like_reg_export(&bytes));
        let e = RegExport::parse(&bytes).unwrap();
        assert!(e.warnings().is_empty(), "{:?}", e.warnings());
        let sens = e.key(SENS).unwrap().unwrap();
        let got: Vec<_> = sens
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.raw_type, &v.raw))
            .collect();
        let want: Vec<_> = edits[1]
            .values
            .iter()
            .map(|v| match v {
                wutriage::registry::regfile::ValueEdit::Set {
                    name,
                    raw_type,
                    raw,
                } => (name.as_str(), *raw_type, raw),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(got, want);
    }
}

/// Parents of the remedy's keys, as hivexregedit needs them to exist.
fn with_parents(edits: Vec<RegKeyEdit>) -> Vec<RegKeyEdit> {
    let mut out = Vec::new();
    let mut path = String::from(r"HKEY_LOCAL_MACHINE\SOFTWARE");
    for part in SENS.split('\\').take(5) {
        path = format!(r"{path}\{part}");
        out.push(RegKeyEdit::new(path.clone()));
    }
    out.extend(edits);
    out
}

#[test]
fn hivexregedit_merges_the_utf8_remedy_into_a_hive_with_the_same_bytes() {
    let Some(corpus) = util::corpus() else { return };
    if !util::have_hivexregedit() {
        eprintln!("skipping: hivexregedit not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hive_path = dir.path().join("SOFTWARE");
    std::fs::copy(corpus.join("hives/hivex/minimal"), &hive_path).unwrap();
    let reg_path = dir.path().join("remedy.reg");
    let edits = with_parents(sens_remedy());
    let bytes = write_reg_v5_utf8(&edits);
    std::fs::write(&reg_path, &bytes).unwrap();
    let status = std::process::Command::new("hivexregedit")
        .arg("--merge")
        .arg("--prefix")
        .arg(r"HKEY_LOCAL_MACHINE\SOFTWARE")
        .arg(&hive_path)
        .arg(&reg_path)
        .status()
        .unwrap();
    assert!(status.success());

    let hive = BinaryHive::from_bytes(std::fs::read(&hive_path).unwrap()).unwrap();
    let from_reg = RegExport::parse(&bytes).unwrap();
    let from_hive = snapshot(&hive);
    assert_eq!(from_hive, snapshot(&from_reg));
    assert_eq!(from_hive[&SENS.to_uppercase()].len(), 11);

    // And hivexregedit's own export of that hive (hive-relative `[\…]`
    // sections, strings as hex(1)) reads back to the same bytes.
    let out = std::process::Command::new("hivexregedit")
        .arg("--export")
        .arg(&hive_path)
        .arg("\\")
        .output()
        .unwrap();
    assert!(out.status.success());
    let exported = RegExport::parse(&out.stdout).unwrap();
    assert!(exported.warnings().is_empty(), "{:?}", exported.warnings());
    assert_eq!(snapshot(&exported), from_hive);
}

/// The project's fixtures: a hive and its regedit exports hold the same keys.
#[test]
fn fixture_exports_match_their_hive() {
    let hive_path = util::fixture("registry/xp-missing-values.hive");
    let v5_path = util::fixture("registry/xp-missing-values.v5-utf16.reg");
    let v4_path = util::fixture("registry/xp-missing-values.regedit4.reg");
    if !(hive_path.is_file() && v5_path.is_file() && v4_path.is_file()) {
        eprintln!("skipping: registry fixtures not built");
        return;
    }
    let hive = BinaryHive::from_bytes(util::read(&hive_path)).unwrap();
    let v5 = RegExport::parse(&util::read(&v5_path)).unwrap();
    let v4 = RegExport::parse(&util::read(&v4_path)).unwrap();
    assert_eq!(v5.encoding(), TextEncoding::Utf16Le);
    assert_eq!(v4.version(), RegVersion::Regedit4);
    assert!(v5.warnings().is_empty(), "{:?}", v5.warnings());
    assert!(v4.warnings().is_empty(), "{:?}", v4.warnings());
    let expected = snapshot(&hive);
    assert_eq!(snapshot(&v5), expected);
    assert_eq!(snapshot(&v4), expected);
    let sens = v4.key(SENS).unwrap().unwrap();
    assert_eq!(sens.values.len(), 14);
    assert!(sens.value("Impersonate").is_none());
}

#[test]
fn fixture_malformed_export_warns_on_its_two_bad_lines() {
    let path = util::fixture("registry/malformed.reg");
    if !path.is_file() {
        eprintln!("skipping: registry fixtures not built");
        return;
    }
    let e = RegExport::parse(&util::read(&path)).unwrap();
    let lines: Vec<_> = e.warnings().iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(4), Some(36)]);
    assert_eq!(e.key(SENS).unwrap().unwrap().values.len(), 17);
}

#[test]
fn fixture_subtree_export_implies_its_parents() {
    let path = util::fixture("registry/winlogon-only.v5-utf16.reg");
    if !path.is_file() {
        eprintln!("skipping: registry fixtures not built");
        return;
    }
    let e = RegExport::parse(&util::read(&path)).unwrap();
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    assert_eq!(e.hive_root(), Some("SOFTWARE"));
    let cv = e
        .key(r"Microsoft\Windows NT\CurrentVersion")
        .unwrap()
        .unwrap();
    assert!(cv.values.is_empty());
    assert_eq!(cv.subkeys, ["Winlogon"]);
    assert!(e.is_implied(r"Microsoft\Windows NT\CurrentVersion"));
    let sens = e.key(SENS).unwrap().unwrap();
    assert_eq!(
        sens.value("DLLName").unwrap().data,
        ValueData::String("WlNotify2.dll".into())
    );
}
