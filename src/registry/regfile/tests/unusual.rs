//! Parser tests: deletions, malformed and unusual files, random input.

use super::super::*;
use super::{key, lines_of, parse, utf16_bom};
use crate::registry::value::ValueData;
use crate::registry::view::MAX_DEPTH;

#[test]
fn key_deletion_removes_the_subtree_and_is_recorded() {
    let e = parse(
        "Windows Registry Editor Version 5.00\n\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"v\"=dword:1\n\n\
         [HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B\\C]\n\n\
         [-HKEY_LOCAL_MACHINE\\SOFTWARE\\a\\b]\n\"ignored\"=dword:1\n\n\
         [-HKEY_LOCAL_MACHINE\\SOFTWARE\\Never\\There]\n",
    );
    assert_eq!(e.key("A\\B").unwrap(), None);
    assert_eq!(e.key("A\\B\\C").unwrap(), None);
    let a = key(&e, "A");
    assert!(a.subkeys.is_empty());
    assert_eq!(a.values.len(), 1);
    assert_eq!(
        e.deleted_keys(),
        [
            DeletedKey {
                root: "HKEY_LOCAL_MACHINE\\SOFTWARE".into(),
                path: "a\\b".into(),
                line: 8
            },
            DeletedKey {
                root: "HKEY_LOCAL_MACHINE\\SOFTWARE".into(),
                path: "Never\\There".into(),
                line: 11
            }
        ]
    );
    assert_eq!(lines_of(&e), vec![Some(9)]);
    assert!(e.warnings()[0].message.contains("after a [-key] deletion"));
}

#[test]
fn key_recreated_after_deletion_starts_empty() {
    let e = parse(
        "REGEDIT4\n[HKLM\\SOFTWARE\\A]\n\"old\"=dword:1\n[-HKLM\\SOFTWARE\\A]\n[HKLM\\SOFTWARE\\A]\n\"new\"=dword:2\n",
    );
    let a = key(&e, "A");
    assert_eq!(a.values.len(), 1);
    assert_eq!(a.values[0].name, "new");
    assert_eq!(key(&e, "").subkeys, vec!["A"]);
}

#[test]
fn value_deletion_is_applied_and_recorded() {
    let e = parse(
        "Windows Registry Editor Version 5.00\n[HKLM\\SOFTWARE\\Notify\\SensLogn]\n\
         \"Logon\"=\"SensLogonEvent\"\n\"Lock\"=\"SensLockEvent\"\n\"LOGON\"=-\n\"Absent\"=-\n@=-\n",
    );
    let k = key(&e, "Notify\\SensLogn");
    assert_eq!(k.values.len(), 1);
    assert_eq!(k.values[0].name, "Lock");
    let d: Vec<_> = e
        .deleted_values()
        .iter()
        .map(|d| (d.key.as_str(), d.name.as_str(), d.line))
        .collect();
    assert_eq!(
        d,
        [
            ("Notify\\SensLogn", "LOGON", 5),
            ("Notify\\SensLogn", "Absent", 6),
            ("Notify\\SensLogn", "", 7)
        ]
    );
    assert_eq!(e.deleted_values()[0].root, "HKEY_LOCAL_MACHINE\\SOFTWARE");
}

#[test]
fn malformed_lines_are_warnings_with_line_numbers() {
    let text = "Windows Registry Editor Version 5.00\r\n\
\r\n\
\"Orphan\"=\"before any section\"\r\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\Sysinternals\\Process Explorer]\r\n\
\"EulaAccepted\"=1\r\n\
\"Bad\"=hex:01,0g\r\n\
\"Open\"=\"no end\r\n\
\"Good\"=dword:00000001\r\n\
garbage line\r\n\
\"Tail\"=\"x\" y\r\n\
\"NoEquals\" \"x\"\r\n\
\"Big\"=dword:100000000\r\n\
\"Last\"=\"ok\"\r\n";
    let e = RegExport::parse(&utf16_bom(text)).unwrap();
    assert_eq!(
        lines_of(&e),
        vec![
            Some(3),
            Some(5),
            Some(6),
            Some(7),
            Some(9),
            Some(10),
            Some(11),
            Some(12)
        ]
    );
    let msgs: Vec<String> = e.warnings().into_iter().map(|w| w.message).collect();
    assert!(msgs[0].contains("before any"), "{}", msgs[0]);
    assert!(msgs[1].contains("EulaAccepted"), "{}", msgs[1]);
    assert!(msgs[2].contains("0g"), "{}", msgs[2]);
    assert!(msgs[3].contains("closing quote"), "{}", msgs[3]);
    let k = key(&e, "Sysinternals\\Process Explorer");
    let names: Vec<_> = k.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Good", "Last"]);
}

#[test]
fn bad_sections_skip_their_values() {
    let e = parse(
        "REGEDIT4\n[HKLM\\SOFTWARE\\A]\n\"a\"=dword:1\n[NoRoot\\X]\n\"x\"=dword:1\n\"y\"=dword:1\n\
         [HKLM\\SOFTWARE\\Open\n\"z\"=dword:1\n[HKLM\\SOFTWARE\\B]\n\"b\"=dword:2\n",
    );
    assert_eq!(lines_of(&e), vec![Some(4), Some(7)]);
    assert_eq!(key(&e, "B").values.len(), 1);
    assert_eq!(key(&e, "").subkeys, vec!["A", "B"]);
}

#[test]
fn comments_and_blank_lines_are_skipped() {
    let e = parse(
        "\r\n  \r\nREGEDIT4\r\n; a comment\r\n[HKLM\\SOFTWARE\\K] ; trailing\r\n  ; indented comment\r\n\
         \"a\"=dword:1 ; note\r\n\"h\"=hex:01 ; note\r\n",
    );
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    let k = key(&e, "K");
    assert_eq!(k.values.len(), 2);
    assert_eq!(k.value("h").unwrap().raw, vec![1]);
}

#[test]
fn repeated_headers_and_nul_padding() {
    let e = parse(
        "Windows Registry Editor Version 5.00\r\n[HKLM\\SOFTWARE\\A]\r\n\"a\"=dword:1\r\n\r\n\
         Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\B]\r\n\"b\"=dword:2\r\n\
         REGEDIT4\r\n\0\r\n",
    );
    assert_eq!(lines_of(&e), vec![Some(9)]);
    assert!(e.warnings()[0].message.contains("REGEDIT4"));
    assert_eq!(key(&e, "B").values.len(), 1);
    assert_eq!(key(&e, "").subkeys, vec!["A", "B"]);
}

#[test]
fn duplicate_sections_merge_with_later_values_winning() {
    let e = parse(
        "REGEDIT4\n[HKLM\\SOFTWARE\\K]\n\"a\"=dword:1\n\"b\"=\"x\"\n[hklm\\software\\k]\n\"A\"=dword:2\n\"c\"=\"y\"\n",
    );
    let k = key(&e, "K");
    let got: Vec<_> = k
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.data.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("a", ValueData::Dword(2)),
            ("b", ValueData::String("x".into())),
            ("c", ValueData::String("y".into()))
        ]
    );
    assert_eq!(key(&e, "").subkeys, vec!["K"]);
}

#[test]
fn other_roots_are_kept_with_their_root() {
    let e = parse(
        "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE]\n[HKLM\\SOFTWARE\\A]\n\"a\"=dword:1\n\
         [HKEY_CURRENT_USER\\Software\\U]\n\"u\"=dword:2\n[HKU\\S-1-5-18\\X]\n",
    );
    assert_eq!(e.hive_root(), Some("SOFTWARE"));
    assert_eq!(
        e.roots().collect::<Vec<_>>(),
        [
            "HKEY_LOCAL_MACHINE",
            "HKEY_LOCAL_MACHINE\\SOFTWARE",
            "HKEY_CURRENT_USER",
            "HKEY_USERS\\S-1-5-18"
        ]
    );
    assert_eq!(e.key("Software\\U").unwrap(), None);
    let u = key(&e, "HKCU\\Software\\U");
    assert_eq!(u.path, "Software\\U");
    assert_eq!(u.values[0].data, ValueData::Dword(2));
    let in_cu: Vec<_> = e.keys_in("HKEY_CURRENT_USER").map(|k| k.path).collect();
    assert_eq!(in_cu, ["", "Software", "Software\\U"]);
    assert!(key(&e, "HKEY_USERS\\S-1-5-18\\X").values.is_empty());
    assert_eq!(lines_of(&e), vec![Some(2), Some(5), Some(7)]);
    assert!(e.warnings()[1].message.contains("HKEY_CURRENT_USER"));
}

#[test]
fn hive_of_other_top_keys() {
    let e = parse("REGEDIT4\n[HKEY_CURRENT_USER\\Software\\U]\n\"u\"=dword:2\n");
    assert_eq!(e.hive_root(), Some("HKEY_CURRENT_USER"));
    assert_eq!(key(&e, "Software\\U").values.len(), 1);
    let e = parse("REGEDIT4\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\X]\n");
    assert_eq!(e.hive_root(), Some("SYSTEM"));
    assert_eq!(e.key("").unwrap(), None);
}

#[test]
fn hive_relative_sections_as_hivexregedit_writes_them() {
    let e = parse("Windows Registry Editor Version 5.00\n\n[\\Microsoft\\X]\n\"a\"=\"b\"\n");
    assert_eq!(e.hive_root(), Some(""));
    assert_eq!(e.root(), Some(""));
    assert_eq!(key(&e, "Microsoft\\X").values.len(), 1);
}

#[test]
fn header_only_and_missing_header() {
    let e = parse("REGEDIT4\r\n");
    assert_eq!(e.hive_root(), None);
    assert_eq!(e.key("").unwrap(), None);
    assert_eq!(e.keys().count(), 0);
    assert!(matches!(
        RegExport::parse(b"[HKLM\\SOFTWARE]"),
        Err(RegistryError::NotRegistry)
    ));
    assert!(matches!(
        RegExport::parse(b""),
        Err(RegistryError::NotRegistry)
    ));
}

#[test]
fn too_deep_sections_are_skipped() {
    let deep = vec!["k"; MAX_DEPTH + 1].join("\\");
    let e = parse(&format!(
        "REGEDIT4\n[HKLM\\SOFTWARE\\{deep}]\n\"a\"=dword:1\n"
    ));
    assert_eq!(lines_of(&e), vec![Some(2)]);
    assert_eq!(e.key("k").unwrap(), None);
}

#[test]
fn warnings_are_capped() {
    let mut text = String::from("REGEDIT4\n");
    for _ in 0..MAX_WARNINGS + 10 {
        text.push_str("junk\n");
    }
    let e = parse(&text);
    let w = e.warnings();
    assert_eq!(w.len(), MAX_WARNINGS + 1);
    assert_eq!(w.last().unwrap().line, None);
    assert!(w.last().unwrap().message.starts_with("10 more"));
}

#[test]
fn v5_in_ansi_bytes_is_read_with_a_warning() {
    let e = RegExport::parse(
        b"Windows Registry Editor Version 5.00\n[HKLM\\SOFTWARE\\K]\n\"a\"=\"\xe9\"\n",
    )
    .unwrap();
    assert_eq!(e.encoding(), TextEncoding::Windows1252);
    assert_eq!(lines_of(&e), vec![Some(1)]);
    assert_eq!(key(&e, "K").values[0].data, ValueData::String("é".into()));
}

/// A small deterministic generator for the robustness tests.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn exercise(bytes: &[u8]) {
    if let Ok(e) = RegExport::parse(bytes) {
        for k in e.keys() {
            let _ = e.key(&k.path);
        }
        let _ = e.warnings();
        let _ = e.key("a\\b\\c");
    }
    let _ = looks_like_reg_export(bytes);
}

#[test]
fn never_panics_on_random_truncated_or_mutated_input() {
    let sample = "Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\A\\B]\r\n\
        \"x\"=hex(2):25,00,61,00,\\\r\n  00,00\r\n@=\"q\\\\\\\"\"\r\n\"d\"=dword:00000258\r\n[-HKLM\\SOFTWARE\\A]\r\n\
        [HKCU\\é]\r\n\"m\"=-\r\n";
    let utf16 = utf16_bom(sample);
    for cut in 0..=utf16.len() {
        exercise(&utf16[..cut]);
    }
    for cut in 0..=sample.len() {
        exercise(&sample.as_bytes()[..cut]);
    }
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"[]\\\"@=-:,;hexdword()0123456789abcfgHKLM \r\n\t\xff\x00\xe9";
    for round in 0..2000 {
        let len = (rng.next() % 200) as usize;
        let mut bytes = if round % 2 == 0 {
            b"REGEDIT4\n".to_vec()
        } else {
            sample.as_bytes().to_vec()
        };
        for _ in 0..len {
            let r = rng.next();
            let b = if r % 3 == 0 {
                r as u8
            } else {
                alphabet[(r >> 8) as usize % alphabet.len()]
            };
            if round % 2 == 0 || bytes.is_empty() {
                bytes.push(b);
            } else {
                let at = (r >> 16) as usize % bytes.len();
                bytes[at] = b;
            }
        }
        exercise(&bytes);
        let mut as_utf16 = vec![0xFF, 0xFE];
        as_utf16.extend(bytes.iter().flat_map(|&b| [b, (rng.next() % 4 == 0) as u8]));
        exercise(&as_utf16);
    }
}
