//! Parser tests: one or more per syntax item.

use super::*;

mod unusual;
use crate::registry::value::{ValueData, ValueType};

const WINLOGON: &str = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
const SENS: &str = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn";

pub(super) fn utf16_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

pub(super) fn parse(text: &str) -> RegExport {
    RegExport::parse(text.as_bytes()).unwrap()
}

pub(super) fn key(e: &RegExport, path: &str) -> Key {
    e.key(path)
        .unwrap()
        .unwrap_or_else(|| panic!("no key {path}"))
}

pub(super) fn lines_of(e: &RegExport) -> Vec<Option<usize>> {
    e.warnings().iter().map(|w| w.line).collect()
}

fn sz(s: &str) -> Vec<u8> {
    let mut r = text::utf16le(s);
    r.extend([0, 0]);
    r
}

const SENS_V5: &str = "Windows Registry Editor Version 5.00\r\n\
\r\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn]\r\n\
\"Asynchronous\"=dword:00000001\r\n\
\"DLLName\"=\"WlNotify.dll\"\r\n\
\"MaxWait\"=dword:00000258\r\n\
\"Logon\"=\"SensLogonEvent\"\r\n\
\r\n";

#[test]
fn subtree_export_in_utf16_with_bom() {
    let e = RegExport::parse(&utf16_bom(SENS_V5)).unwrap();
    assert_eq!(e.version(), RegVersion::V5);
    assert_eq!(e.encoding(), TextEncoding::Utf16Le);
    assert_eq!(e.hive_root(), Some("SOFTWARE"));
    assert_eq!(e.root(), Some("HKEY_LOCAL_MACHINE\\SOFTWARE"));
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    let k = key(&e, SENS);
    assert_eq!(k.path, SENS);
    assert_eq!(k.last_written, None);
    assert!(k.subkeys.is_empty() && k.notes.is_empty());
    let names: Vec<_> = k.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Asynchronous", "DLLName", "MaxWait", "Logon"]);
    let max_wait = k.value("maxwait").unwrap();
    assert_eq!(max_wait.ty, ValueType::Dword);
    assert_eq!(max_wait.raw, vec![0x58, 2, 0, 0]);
    assert_eq!(max_wait.data, ValueData::Dword(600));
    let dll = k.value("DLLName").unwrap();
    assert_eq!((dll.ty, dll.raw_type), (ValueType::Sz, 1));
    assert_eq!(dll.raw, sz("WlNotify.dll"));
    assert_eq!(dll.data, ValueData::String("WlNotify.dll".into()));
}

#[test]
fn parents_of_a_subtree_exist_implicitly() {
    let e = RegExport::parse(&utf16_bom(SENS_V5)).unwrap();
    let notify = key(&e, &format!("{WINLOGON}\\notify"));
    assert_eq!(notify.path, format!("{WINLOGON}\\Notify"));
    assert!(notify.values.is_empty());
    assert_eq!(notify.subkeys, vec!["SensLogn"]);
    assert_eq!(notify.notes, vec![IMPLIED_NOTE]);
    assert!(e.is_implied(WINLOGON));
    assert!(!e.is_implied(SENS));
    assert!(!e.is_implied("Nope"));
    let root = key(&e, "");
    assert_eq!(root.path, "");
    assert_eq!(root.subkeys, vec!["Microsoft"]);
    assert_eq!(e.key("Microsoft\\Nope").unwrap(), None);
    assert_eq!(e.key(&format!("{SENS}\\Deeper")).unwrap(), None);
    let walked: Vec<_> = e.keys().map(|k| k.path).collect();
    assert_eq!(walked.len(), 7);
    assert_eq!(walked[0], "");
    assert_eq!(walked[6], SENS);
}

#[test]
fn lookups_are_case_insensitive_and_accept_full_paths() {
    let e = RegExport::parse(&utf16_bom(SENS_V5)).unwrap();
    let lower = SENS.to_lowercase();
    assert_eq!(key(&e, &lower).path, SENS);
    assert_eq!(key(&e, &format!("\\{SENS}\\")).path, SENS);
    assert_eq!(key(&e, &format!("HKLM\\software\\{SENS}")).path, SENS);
    assert_eq!(key(&e, &format!("\\HKLM\\software\\{SENS}")).path, SENS);
    assert_eq!(
        key(&e, &format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\{SENS}")).path,
        SENS
    );
    assert_eq!(e.key(&format!("HKLM\\SYSTEM\\{SENS}")).unwrap(), None);
}

#[test]
fn only_winlogon_exported() {
    let e = parse(
        "Windows Registry Editor Version 5.00\n\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n\
         \"Shell\"=\"explorer.exe\"\n\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify]\n\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn]\n\
         \"DLLName\"=\"WlNotify.dll\"\n",
    );
    assert_eq!(e.encoding(), TextEncoding::Utf8);
    let w = key(&e, WINLOGON);
    assert!(w.notes.is_empty());
    assert_eq!(w.subkeys, vec!["Notify"]);
    assert_eq!(
        w.value("shell").unwrap().data,
        ValueData::String("explorer.exe".into())
    );
    assert!(!e.is_implied(&format!("{WINLOGON}\\Notify")));
    assert!(e.is_implied("Microsoft"));
}

#[test]
fn regedit4_reads_ansi_text_and_payloads() {
    // "Ärger" in Windows-1252, and an ANSI REG_EXPAND_SZ "%a%é".
    let mut bytes =
        b"REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\K\xc4]\r\n\"N\xe4me\"=\"\xc4rger\"\r\n"
            .to_vec();
    bytes.extend_from_slice(b"\"E\"=hex(2):25,61,25,e9,00\r\n\"M\"=hex(7):61,00,62,00,00\r\n");
    let e = RegExport::parse(&bytes).unwrap();
    assert_eq!(e.version(), RegVersion::Regedit4);
    assert_eq!(e.encoding(), TextEncoding::Windows1252);
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    let k = key(&e, "KÄ");
    let v = k.value("Näme").unwrap();
    assert_eq!(v.raw, sz("Ärger"));
    assert_eq!(v.data, ValueData::String("Ärger".into()));
    let exp = k.value("E").unwrap();
    assert_eq!(exp.raw, sz("%a%é"));
    assert_eq!(exp.data, ValueData::String("%a%é".into()));
    let m = k.value("M").unwrap();
    assert_eq!(m.raw, [sz("a"), sz("b"), vec![0, 0]].concat());
    assert_eq!(m.data, ValueData::MultiString(vec!["a".into(), "b".into()]));
}

#[test]
fn v5_in_utf8_with_and_without_bom_and_utf16_without_bom() {
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(SENS_V5.as_bytes());
    let no_bom: Vec<u8> = SENS_V5.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let reference = RegExport::parse(&utf16_bom(SENS_V5)).unwrap();
    for bytes in [
        with_bom,
        SENS_V5.as_bytes().to_vec(),
        no_bom,
        SENS_V5.replace("\r\n", "\n").into_bytes(),
    ] {
        let e = RegExport::parse(&bytes).unwrap();
        assert!(e.warnings().is_empty());
        assert_eq!(key(&e, SENS), key(&reference, SENS));
    }
}

#[test]
fn v5_hex2_and_hex7_payloads_are_utf16() {
    let e = parse(
        "Windows Registry Editor Version 5.00\r\n[HKLM\\SOFTWARE\\K]\r\n\
         \"E\"=hex(2):25,00,61,00,25,00,00,00\r\n\
         \"M\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n",
    );
    let k = key(&e, "K");
    assert_eq!(k.value("E").unwrap().data, ValueData::String("%a%".into()));
    assert_eq!(k.value("E").unwrap().ty, ValueType::ExpandSz);
    assert_eq!(
        k.value("M").unwrap().data,
        ValueData::MultiString(vec!["a".into(), "b".into()])
    );
}

#[test]
fn continuation_lines_join_a_hex_list() {
    let e = parse(
        "Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\K]\r\n\
         \"Bin\"=hex:01,02,\\\r\n  03,04,\\\r\n\t05\r\n\
         \"After\"=dword:00000001\r\n\
         \"Bad\"=hex:01,\\\r\n  0g\r\n",
    );
    let k = key(&e, "K");
    assert_eq!(k.value("Bin").unwrap().raw, vec![1, 2, 3, 4, 5]);
    assert_eq!(k.value("After").unwrap().data, ValueData::Dword(1));
    // The warning names the first physical line of the continued line.
    assert_eq!(lines_of(&e), vec![Some(8)]);
    assert!(e.warnings()[0].message.contains("0g"));
}

#[test]
fn dangling_continuation_keeps_the_data_and_warns() {
    let e = parse(
        "REGEDIT4\n[HKLM\\SOFTWARE\\K]\n\"Bin\"=hex:01,02,\\\n\n\"Next\"=\"x\"\n\"End\"=hex:03,\\",
    );
    let k = key(&e, "K");
    assert_eq!(k.value("Bin").unwrap().raw, vec![1, 2]);
    assert_eq!(k.value("Next").unwrap().data, ValueData::String("x".into()));
    assert_eq!(k.value("End").unwrap().raw, vec![3]);
    assert_eq!(lines_of(&e), vec![Some(3), Some(6)]);
}

#[test]
fn quoted_names_and_data_escapes() {
    let e = parse(
        "Windows Registry Editor Version 5.00\r\n[HKLM\\SOFTWARE\\K]\r\n\
         \"a\\\\b\\\"c\"=\"C:\\\\Windows\\\\ \\\"x\\\"\"\r\n\
         \"semi;colon=\"=\"[not a section]\"\r\n",
    );
    let k = key(&e, "K");
    assert_eq!(k.values[0].name, "a\\b\"c");
    assert_eq!(
        k.values[0].data,
        ValueData::String("C:\\Windows\\ \"x\"".into())
    );
    assert_eq!(k.values[1].name, "semi;colon=");
    assert_eq!(
        k.values[1].data,
        ValueData::String("[not a section]".into())
    );
    assert!(e.warnings().is_empty());
}

#[test]
fn default_value() {
    let e = parse("REGEDIT4\n[HKLM\\SOFTWARE\\K]\n@=\"dflt\"\n");
    let k = key(&e, "K");
    assert_eq!(k.values[0].name, "");
    assert_eq!(k.value("").unwrap().data, ValueData::String("dflt".into()));
}

#[test]
fn every_hex_type_keeps_its_number() {
    let mut text = String::from("Windows Registry Editor Version 5.00\n[HKLM\\SOFTWARE\\K]\n");
    for n in 0..=11u32 {
        text.push_str(&format!("\"t{n}\"=hex({n:x}):01,00,00,00,00,00,00,00\n"));
    }
    text.push_str("\"big\"=hex(ffff0012):00\n\"bin\"=hex:ab\n");
    let e = parse(&text);
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    let k = key(&e, "K");
    for n in 0..=11u32 {
        let v = k.value(&format!("t{n}")).unwrap();
        assert_eq!(v.raw_type, n);
        assert_eq!(v.ty, ValueType::from_raw(n));
        assert_eq!(v.raw, vec![1, 0, 0, 0, 0, 0, 0, 0]);
    }
    assert_eq!(k.value("t11").unwrap().data, ValueData::Qword(1));
    let big = k.value("big").unwrap();
    assert_eq!(
        (big.raw_type, big.ty),
        (0xffff0012, ValueType::Other(0xffff0012))
    );
    assert_eq!(k.value("bin").unwrap().ty, ValueType::Binary);
}
