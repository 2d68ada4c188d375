//! Writing `.reg` files that regedit imports (version 5), for example remedy
//! files restoring the SensLogn values.
//!
//! The output follows regedit's own exports: the version 5 header, CRLF line
//! ends, one `[path]` section per key followed by a blank line, strings as
//! `"name"="data"` with `\\` and `\"` escaped, `dword:` for four-byte
//! DWORDs, and every other type as a `hex:` / `hex(N):` byte list wrapped
//! with `\` continuations near 80 columns. Data that a quoted string or
//! `dword:` would not reproduce byte for byte (a string without its
//! terminating NUL, a DWORD of odd length) is written as a hex list, so that
//! reading the file back gives the same bytes.

use super::roots::split_root;
use super::text::{utf16le, HEADER_V5};
use crate::registry::value::{utf16_until_nul, Value};

/// One change inside a key's section. Names are written as they are (with
/// `\\` and `\"` escaped) and must not contain line breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueEdit {
    /// Set the value (`""` is the default value) to this type number and
    /// on-disk bytes (UTF-16LE for strings).
    Set {
        /// The value's name (`""` for the default value).
        name: String,
        /// Its type number (`REG_SZ` is 1 …).
        raw_type: u32,
        /// Its data in on-disk form (UTF-16LE strings, little-endian numbers).
        raw: Vec<u8>,
    },
    /// Delete the value: `"name"=-`.
    Delete(String),
}

/// One key section of a file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegKeyEdit {
    /// The full path with its root (`HKEY_LOCAL_MACHINE\SOFTWARE\…`; `HKLM\…`
    /// and the other abbreviations are written out in full). A path without
    /// a root is written as given, which regedit refuses to import.
    pub path: String,
    /// Write `[-path]` (delete the key and its subtree) instead of a section.
    pub delete: bool,
    /// The changes, written in this order.
    pub values: Vec<ValueEdit>,
}

impl RegKeyEdit {
    /// A section for the key at `path` (created on import if absent).
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            delete: false,
            values: Vec::new(),
        }
    }

    /// A `[-path]` line deleting the key at `path` with its subtree.
    pub fn delete_key(path: impl Into<String>) -> Self {
        Self {
            delete: true,
            ..Self::new(path)
        }
    }

    /// Sets a value from its type number and on-disk bytes.
    pub fn raw(mut self, name: impl Into<String>, raw_type: u32, raw: Vec<u8>) -> Self {
        self.values.push(ValueEdit::Set {
            name: name.into(),
            raw_type,
            raw,
        });
        self
    }

    /// Sets a value to a copy of one read from a hive or an export.
    pub fn value(self, value: &Value) -> Self {
        self.raw(value.name.clone(), value.raw_type, value.raw.clone())
    }

    /// REG_SZ, stored NUL-terminated as regedit does.
    pub fn string(self, name: impl Into<String>, data: &str) -> Self {
        self.raw(name, 1, sz(data))
    }

    /// REG_EXPAND_SZ, stored NUL-terminated.
    pub fn expand_string(self, name: impl Into<String>, data: &str) -> Self {
        self.raw(name, 2, sz(data))
    }

    /// REG_MULTI_SZ: each string NUL-terminated, then an empty string.
    pub fn multi_string(self, name: impl Into<String>, data: &[&str]) -> Self {
        let mut raw: Vec<u8> = data.iter().flat_map(|s| sz(s)).collect();
        raw.extend_from_slice(&[0, 0]);
        self.raw(name, 7, raw)
    }

    /// REG_DWORD.
    pub fn dword(self, name: impl Into<String>, data: u32) -> Self {
        self.raw(name, 4, data.to_le_bytes().to_vec())
    }

    /// REG_QWORD (written as `hex(b):`, as regedit does).
    pub fn qword(self, name: impl Into<String>, data: u64) -> Self {
        self.raw(name, 11, data.to_le_bytes().to_vec())
    }

    /// REG_BINARY.
    pub fn binary(self, name: impl Into<String>, data: Vec<u8>) -> Self {
        self.raw(name, 3, data)
    }

    /// Deletes a value: `"name"=-`.
    pub fn delete_value(mut self, name: impl Into<String>) -> Self {
        self.values.push(ValueEdit::Delete(name.into()));
        self
    }
}

fn sz(s: &str) -> Vec<u8> {
    let mut raw = utf16le(s);
    raw.extend_from_slice(&[0, 0]);
    raw
}

/// regedit breaks a hex list once a line reaches this many columns.
const HEX_WRAP: usize = 77;

/// The file as text, lines ended with CRLF.
pub fn render_reg_v5(keys: &[RegKeyEdit]) -> String {
    render(keys, false)
}

fn render(keys: &[RegKeyEdit], ascii_strings: bool) -> String {
    let mut out = String::new();
    out.push_str(HEADER_V5);
    out.push_str("\r\n\r\n");
    for key in keys {
        let path = full_path(&key.path);
        if key.delete {
            out.push_str(&format!("[-{path}]\r\n\r\n"));
            continue;
        }
        out.push_str(&format!("[{path}]\r\n"));
        for edit in &key.values {
            match edit {
                ValueEdit::Delete(name) => {
                    out.push_str(&name_field(name));
                    out.push_str("-\r\n");
                }
                ValueEdit::Set {
                    name,
                    raw_type,
                    raw,
                } => write_value(&mut out, name, *raw_type, raw, ascii_strings),
            }
        }
        out.push_str("\r\n");
    }
    out
}

/// The file as regedit writes it: UTF-16LE with a byte-order mark.
pub fn write_reg_v5(keys: &[RegKeyEdit]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(utf16le(&render_reg_v5(keys)));
    out
}

/// The same file in UTF-8 without a byte-order mark, for `hivexregedit
/// --merge` (which reads UTF-8 only, with `--prefix HKEY_LOCAL_MACHINE\SOFTWARE`).
/// hivexregedit stores each byte of a quoted string as one character, so
/// REG_SZ data that is not plain ASCII is written as a `hex(1):` list here;
/// names are written as they are and should be ASCII.
pub fn write_reg_v5_utf8(keys: &[RegKeyEdit]) -> Vec<u8> {
    render(keys, true).into_bytes()
}

/// `HKLM\X` → `HKEY_LOCAL_MACHINE\X`; other paths unchanged.
fn full_path(path: &str) -> String {
    match split_root(path) {
        Some(p) if !p.root.is_empty() => {
            let mut s = p.root;
            for c in p.components {
                s.push('\\');
                s.push_str(c);
            }
            s
        }
        _ => path.trim().to_string(),
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `"name"=` or `@=`.
fn name_field(name: &str) -> String {
    if name.is_empty() {
        "@=".to_string()
    } else {
        format!("\"{}\"=", escape(name))
    }
}

/// The string a REG_SZ's bytes hold when a quoted string reproduces them
/// exactly: one terminating NUL, no other NUL, no line break.
fn plain_string(raw: &[u8]) -> Option<String> {
    if raw.len() < 2 || raw.len() % 2 != 0 || !raw.ends_with(&[0, 0]) {
        return None;
    }
    let s = utf16_until_nul(raw);
    let ok = !s.contains(['\r', '\n', '\u{FFFD}']) && utf16le(&s).len() + 2 == raw.len();
    ok.then_some(s)
}

fn write_value(out: &mut String, name: &str, raw_type: u32, raw: &[u8], ascii_strings: bool) {
    let field = name_field(name);
    out.push_str(&field);
    if raw_type == 1 {
        if let Some(s) = plain_string(raw).filter(|s| !ascii_strings || s.is_ascii()) {
            out.push_str(&format!("\"{}\"\r\n", escape(&s)));
            return;
        }
    }
    if raw_type == 4 && raw.len() == 4 {
        let d = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
        out.push_str(&format!("dword:{d:08x}\r\n"));
        return;
    }
    let prefix = if raw_type == 3 {
        "hex:".to_string()
    } else {
        format!("hex({raw_type:x}):")
    };
    out.push_str(&prefix);
    let mut col = field.chars().count() + prefix.len();
    for (i, b) in raw.iter().enumerate() {
        out.push_str(&format!("{b:02x}"));
        if i + 1 == raw.len() {
            break;
        }
        out.push(',');
        col += 3;
        if col >= HEX_WRAP {
            out.push_str("\\\r\n  ");
            col = 2;
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::regfile::RegExport;
    use crate::registry::view::RegistryView;

    const SENS: &str = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn";

    #[test]
    fn renders_like_regedit() {
        let keys = [RegKeyEdit::new(SENS)
            .string("DLLName", "WlNotify.dll")
            .dword("MaxWait", 600)
            .string("", "default")
            .string("Path", "C:\\a \"q\"")
            .delete_value("Stale")];
        let text = render_reg_v5(&keys);
        assert_eq!(
            text,
            format!(
                "Windows Registry Editor Version 5.00\r\n\r\n[{SENS}]\r\n\
                 \"DLLName\"=\"WlNotify.dll\"\r\n\"MaxWait\"=dword:00000258\r\n\
                 @=\"default\"\r\n\"Path\"=\"C:\\\\a \\\"q\\\"\"\r\n\"Stale\"=-\r\n\r\n"
            )
        );
        let bytes = write_reg_v5(&keys);
        assert_eq!(&bytes[..4], &[0xFF, 0xFE, b'W', 0]);
        assert_eq!(write_reg_v5_utf8(&keys), text.into_bytes());
    }

    #[test]
    fn utf8_variant_writes_non_ascii_strings_as_hex() {
        let keys = [RegKeyEdit::new("HKLM\\SOFTWARE\\K")
            .string("a", "ä")
            .string("b", "x")];
        let utf8 = String::from_utf8(write_reg_v5_utf8(&keys)).unwrap();
        assert!(
            utf8.contains("\"a\"=hex(1):e4,00,00,00\r\n\"b\"=\"x\"\r\n"),
            "{utf8}"
        );
        assert!(render_reg_v5(&keys).contains("\"a\"=\"ä\"\r\n"));
    }

    #[test]
    fn abbreviated_roots_are_written_in_full_and_deletions() {
        let keys = [
            RegKeyEdit::new("HKLM\\SOFTWARE\\A\\\\B\\"),
            RegKeyEdit::delete_key("hkcu\\Software\\X"),
        ];
        let text = render_reg_v5(&keys);
        assert!(
            text.contains("\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B]\r\n\r\n"),
            "{text}"
        );
        assert!(
            text.ends_with("[-HKEY_CURRENT_USER\\Software\\X]\r\n\r\n"),
            "{text}"
        );
    }

    #[test]
    fn hex_lists_wrap_as_regedit_does() {
        // regedit puts 20 bytes after `"ImagePath"=hex(2):` and 25 on each
        // continuation line.
        let long = "%SystemRoot%\\System32\\svchost.exe -k netsvcs -p";
        let keys = [RegKeyEdit::new("HKLM\\SYSTEM\\S").expand_string("ImagePath", long)];
        let text = render_reg_v5(&keys);
        let lines: Vec<&str> = text
            .split("\r\n")
            .skip_while(|l| !l.starts_with("\"ImagePath\""))
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(lines[0].starts_with("\"ImagePath\"=hex(2):25,00,53,00,"));
        assert_eq!(lines[0].matches(',').count(), 20);
        assert!(lines[0].ends_with(",\\") && lines[0].len() == 79 + 1);
        for l in &lines[1..lines.len() - 1] {
            assert!(l.starts_with("  ") && l.ends_with(",\\"), "{l}");
            assert_eq!(l.len(), 2 + 25 * 3 + 1);
        }
        let last = lines.last().unwrap();
        assert!(
            last.ends_with("00") && !last.ends_with('\\') && last.len() <= 79,
            "{last:?}"
        );
        let joined: String = lines.concat().replace(['\\', ' '], "");
        let list = joined.strip_prefix("\"ImagePath\"=hex(2):").unwrap();
        assert_eq!(list.split(',').count(), (long.len() + 1) * 2);
    }

    #[test]
    fn types_that_a_string_or_dword_would_not_reproduce_are_hex() {
        let keys = [RegKeyEdit::new("HKLM\\SOFTWARE\\K")
            .raw("NoNul", 1, utf16le("ab"))
            .raw("Empty", 1, vec![])
            .raw("Line", 1, sz("a\r\nb"))
            .raw("Short", 4, vec![1, 2])
            .raw("Odd", 0xffff0012, vec![7])
            .binary("Bin", vec![])
            .qword("Q", 1)
            .multi_string("M", &["a", "b"])];
        let text = render_reg_v5(&keys);
        for expected in [
            "\"NoNul\"=hex(1):61,00,62,00\r\n",
            "\"Empty\"=hex(1):\r\n",
            "\"Line\"=hex(1):61,00,0d,00,0a,00,62,00,00,00\r\n",
            "\"Short\"=hex(4):01,02\r\n",
            "\"Odd\"=hex(ffff0012):07\r\n",
            "\"Bin\"=hex:\r\n",
            "\"Q\"=hex(b):01,00,00,00,00,00,00,00\r\n",
            "\"M\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
    }

    #[test]
    fn what_is_written_reads_back_identically() {
        let mut big = Vec::new();
        for i in 0..1000u32 {
            big.push((i * 7) as u8);
        }
        let keys = vec![
            RegKeyEdit::new(SENS)
                .dword("Asynchronous", 1)
                .string("DLLName", "WlNotify.dll")
                .string("Quote\"and\\slash", "x\\\"y\\")
                .string("", "")
                .string("Unicode", "Ärger ✓ 𝄞")
                .expand_string("Exp", "%SystemRoot%\\system32")
                .multi_string("Multi", &["a", "", "c"])
                .binary("Big", big)
                .qword("Q", u64::MAX - 5)
                .raw("None", 0, vec![])
                .raw("Weird", 0x1234_5678, vec![1, 2, 3])
                .raw("NoNul", 1, utf16le("ab"))
                .raw("BE", 5, vec![0, 0, 2, 0x58]),
            RegKeyEdit::new("HKLM\\SOFTWARE\\Other").dword("x", 0),
        ];
        for bytes in [write_reg_v5(&keys), write_reg_v5_utf8(&keys)] {
            let export = RegExport::parse(&bytes).unwrap();
            assert_eq!(export.warnings(), vec![]);
            assert_eq!(export.hive_root(), Some("SOFTWARE"));
            let key = export
                .key("Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn")
                .unwrap()
                .unwrap();
            let ValueEdit::Set { .. } = &keys[0].values[0] else {
                unreachable!()
            };
            assert_eq!(key.values.len(), keys[0].values.len());
            for (edit, got) in keys[0].values.iter().zip(&key.values) {
                let ValueEdit::Set {
                    name,
                    raw_type,
                    raw,
                } = edit
                else {
                    unreachable!()
                };
                assert_eq!((&got.name, got.raw_type, &got.raw), (name, *raw_type, raw));
            }
            assert_eq!(
                export.key("Other").unwrap().unwrap().values[0].raw,
                vec![0; 4]
            );
        }
    }

    #[test]
    fn deletions_read_back() {
        let keys = [
            RegKeyEdit::delete_key("HKLM\\SOFTWARE\\Gone"),
            RegKeyEdit::new("HKLM\\SOFTWARE\\K")
                .delete_value("v")
                .delete_value(""),
        ];
        let export = RegExport::parse(&write_reg_v5(&keys)).unwrap();
        assert_eq!(export.deleted_keys().len(), 1);
        assert_eq!(export.deleted_keys()[0].path, "Gone");
        let names: Vec<_> = export
            .deleted_values()
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, vec!["v", ""]);
    }
}
