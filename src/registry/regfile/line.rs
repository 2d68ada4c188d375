//! Parsing the lines of a `.reg` export: section headers and value lines.
//!
//! Every function here returns a message instead of failing; the caller turns
//! it into a warning carrying the line number.

use super::text::{ansi_to_utf16le, utf16le, RegVersion};

/// What a value line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueLine {
    /// `"name"=-`: delete the value.
    Delete,
    /// Set the value to this type number and on-disk (UTF-16LE) bytes.
    Set { raw_type: u32, raw: Vec<u8> },
}

/// A section header: `[path]` or `[-path]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    pub delete: bool,
    pub path: &'a str,
}

/// Parses a trimmed line that starts with `[`.
pub fn parse_section(line: &str) -> Result<Section<'_>, String> {
    let inner = line.strip_prefix('[').unwrap_or(line);
    let Some(close) = inner.rfind(']') else {
        return Err("section header without closing `]`".to_string());
    };
    let after = inner[close + 1..].trim();
    if !after.is_empty() && !after.starts_with(';') {
        return Err(format!("text after the section header: {}", excerpt(after)));
    }
    let inner = &inner[..close];
    let (delete, path) = match inner.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    if path.trim().is_empty() {
        return Err("section header names no key".to_string());
    }
    Ok(Section { delete, path })
}

/// Splits a value line into its name (`""` for `@`) and the text after `=`.
pub fn split_name(line: &str) -> Result<(String, &str), String> {
    let line = line.trim_start();
    let (name, rest) = if let Some(rest) = line.strip_prefix('@') {
        (String::new(), rest)
    } else if let Some(body) = line.strip_prefix('"') {
        unquote(body).ok_or_else(|| "value name has no closing quote".to_string())?
    } else {
        return Err(format!(
            "not a section, comment or value line: {}",
            excerpt(line)
        ));
    };
    let rest = rest.trim_start();
    let Some(data) = rest.strip_prefix('=') else {
        return Err(format!("value {name:?}: `=` expected after the name"));
    };
    Ok((name, data.trim_start()))
}

/// True when the data text is a hex list that may continue on later lines.
pub fn is_hex_data(data: &str) -> bool {
    data.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("hex"))
}

/// Parses the data after `=`. `data` of hex lists is the joined logical line
/// (continuation backslashes removed).
pub fn parse_data(name: &str, data: &str, version: RegVersion) -> Result<ValueLine, String> {
    let data = data.trim();
    if data == "-" {
        return Ok(ValueLine::Delete);
    }
    if let Some(body) = data.strip_prefix('"') {
        let (s, rest) =
            unquote(body).ok_or_else(|| format!("value {name:?}: string has no closing quote"))?;
        expect_end(name, rest)?;
        let mut raw = utf16le(&s);
        raw.extend_from_slice(&[0, 0]);
        return Ok(ValueLine::Set { raw_type: 1, raw });
    }
    if let Some(digits) = strip_prefix_ci(data, "dword:") {
        let v = parse_number(name, digits, 8)?;
        return Ok(ValueLine::Set {
            raw_type: 4,
            raw: (v as u32).to_le_bytes().to_vec(),
        });
    }
    if let Some(digits) = strip_prefix_ci(data, "qword:") {
        let v = parse_number(name, digits, 16)?;
        return Ok(ValueLine::Set {
            raw_type: 11,
            raw: v.to_le_bytes().to_vec(),
        });
    }
    if let Some(list) = strip_prefix_ci(data, "hex:") {
        let raw = parse_hex_list(name, list)?;
        return Ok(ValueLine::Set { raw_type: 3, raw });
    }
    if let Some(rest) = strip_prefix_ci(data, "hex(") {
        let close = rest
            .find(')')
            .ok_or_else(|| format!("value {name:?}: `hex(` without `)`"))?;
        let ty = &rest[..close];
        let raw_type = u32::from_str_radix(ty.trim(), 16)
            .ok()
            .filter(|_| !ty.trim().starts_with('+'))
            .ok_or_else(|| format!("value {name:?}: bad type number in hex({})", excerpt(ty)))?;
        let list = rest[close + 1..]
            .trim_start()
            .strip_prefix(':')
            .ok_or_else(|| format!("value {name:?}: `:` expected after hex({ty})"))?;
        let mut raw = parse_hex_list(name, list)?;
        if version == RegVersion::Regedit4 && matches!(raw_type, 1 | 2 | 7) {
            raw = ansi_to_utf16le(&raw);
        }
        return Ok(ValueLine::Set { raw_type, raw });
    }
    Err(format!(
        "value {name:?}: data {} is not a quoted string, dword:, hex:, hex(N): or -",
        excerpt(data)
    ))
}

/// Reads a quoted string body (after the opening quote) up to the closing
/// quote, undoing `\\` and `\"`; other backslashes are kept as they are.
/// Returns the string and the text after the closing quote.
pub fn unquote(body: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => return None,
            },
            _ => out.push(c),
        }
    }
    None
}

/// Comma-separated hex bytes; whitespace around bytes, a trailing comma and
/// a `;` comment after the list are allowed.
pub fn parse_hex_list(name: &str, list: &str) -> Result<Vec<u8>, String> {
    let list = match list.find(';') {
        Some(i) => &list[..i],
        None => list,
    };
    let list = list.trim();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let list = list.strip_suffix(',').unwrap_or(list);
    let mut out = Vec::with_capacity(list.len() / 3 + 1);
    for (i, tok) in list.split(',').enumerate() {
        let tok = tok.trim();
        let ok = (1..=2).contains(&tok.len()) && tok.bytes().all(|b| b.is_ascii_hexdigit());
        match ok.then(|| u8::from_str_radix(tok, 16).ok()).flatten() {
            Some(b) => out.push(b),
            None => {
                return Err(format!(
                    "value {name:?}: bad hex byte {} at position {}",
                    excerpt(tok),
                    i + 1
                ))
            }
        }
    }
    Ok(out)
}

fn parse_number(name: &str, digits: &str, max: usize) -> Result<u64, String> {
    let digits = match digits.find(';') {
        Some(i) => &digits[..i],
        None => digits,
    }
    .trim();
    let ok = (1..=max).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| u64::from_str_radix(digits, 16).ok())
        .flatten()
        .ok_or_else(|| {
            format!(
                "value {name:?}: bad number {} (1 to {max} hex digits expected)",
                excerpt(digits)
            )
        })
}

fn expect_end(name: &str, rest: &str) -> Result<(), String> {
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with(';') {
        Ok(())
    } else {
        Err(format!(
            "value {name:?}: text after the closing quote: {}",
            excerpt(rest)
        ))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// A short quoted excerpt of untrusted text for a message.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut:?}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(raw_type: u32, raw: &[u8]) -> ValueLine {
        ValueLine::Set {
            raw_type,
            raw: raw.to_vec(),
        }
    }

    #[test]
    fn sections() {
        assert_eq!(
            parse_section("[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]"),
            Ok(Section {
                delete: false,
                path: "HKEY_LOCAL_MACHINE\\SOFTWARE\\X"
            })
        );
        assert_eq!(
            parse_section("[-HKLM\\SOFTWARE\\X]"),
            Ok(Section {
                delete: true,
                path: "HKLM\\SOFTWARE\\X"
            })
        );
        // Key names may contain `]`: the last one closes the header.
        assert_eq!(parse_section("[HKCU\\a]b]").unwrap().path, "HKCU\\a]b");
        assert_eq!(parse_section("[HKCU\\a] ; note").unwrap().path, "HKCU\\a");
        assert!(parse_section("[HKCU\\a").is_err());
        assert!(parse_section("[HKCU\\a] x").is_err());
        assert!(parse_section("[]").is_err());
        assert!(parse_section("[-]").is_err());
        // `[\]` is the root of a hive-relative export (hivexregedit).
        assert_eq!(parse_section("[\\]").unwrap().path, "\\");
    }

    #[test]
    fn names_and_escapes() {
        assert_eq!(
            split_name("\"DLLName\"=\"x\""),
            Ok(("DLLName".into(), "\"x\""))
        );
        assert_eq!(split_name("@=\"x\""), Ok((String::new(), "\"x\"")));
        assert_eq!(
            split_name("\"a\\\\b\\\"c\" = dword:1"),
            Ok(("a\\b\"c".into(), "dword:1"))
        );
        assert!(split_name("\"open=1").is_err());
        assert!(split_name("\"a\" \"b\"").is_err());
        assert!(split_name("junk").is_err());
        assert_eq!(unquote("a\\qb\"rest"), Some(("a\\qb".into(), "rest")));
        assert_eq!(unquote("ends with \\"), None);
    }

    #[test]
    fn strings() {
        let v4 = RegVersion::Regedit4;
        assert_eq!(
            parse_data("n", "\"WlNotify.dll\"", RegVersion::V5),
            Ok(set(
                1,
                &[
                    b'W', 0, b'l', 0, b'N', 0, b'o', 0, b't', 0, b'i', 0, b'f', 0, b'y', 0, b'.',
                    0, b'd', 0, b'l', 0, b'l', 0, 0, 0
                ]
            ))
        );
        assert_eq!(parse_data("n", "\"\"", v4), Ok(set(1, &[0, 0])));
        assert_eq!(
            parse_data("n", "\"C:\\\\x \\\"q\\\"\"", v4),
            Ok(ValueLine::Set {
                raw_type: 1,
                raw: {
                    let mut r = utf16le("C:\\x \"q\"");
                    r.extend([0, 0]);
                    r
                }
            })
        );
        assert!(parse_data("n", "\"abc", v4)
            .unwrap_err()
            .contains("no closing quote"));
        assert!(parse_data("n", "\"abc\" x", v4)
            .unwrap_err()
            .contains("after the closing quote"));
        assert!(parse_data("n", "\"abc\" ; fine", v4).is_ok());
    }

    #[test]
    fn dwords_and_qwords() {
        let v = RegVersion::V5;
        assert_eq!(
            parse_data("n", "dword:00000258", v),
            Ok(set(4, &[0x58, 2, 0, 0]))
        );
        assert_eq!(parse_data("n", "DWORD:1", v), Ok(set(4, &[1, 0, 0, 0])));
        assert_eq!(parse_data("n", "dword:ffffffff", v), Ok(set(4, &[0xff; 4])));
        assert!(parse_data("n", "dword:", v).is_err());
        assert!(parse_data("n", "dword:123456789", v).is_err());
        assert!(parse_data("n", "dword:12g4", v).is_err());
        assert!(parse_data("n", "dword:+1", v).is_err());
        assert_eq!(
            parse_data("n", "qword:0000000100000002", v),
            Ok(set(11, &[2, 0, 0, 0, 1, 0, 0, 0]))
        );
    }

    #[test]
    fn hex_lists() {
        let v = RegVersion::V5;
        assert_eq!(
            parse_data("n", "hex:01,ab,FF", v),
            Ok(set(3, &[1, 0xab, 0xff]))
        );
        assert_eq!(parse_data("n", "hex:", v), Ok(set(3, &[])));
        assert_eq!(parse_data("n", "hex: 01 , 2 ,", v), Ok(set(3, &[1, 2])));
        assert_eq!(parse_data("n", "hex(0):", v), Ok(set(0, &[])));
        assert_eq!(
            parse_data("n", "hex(b):01,00,00,00,00,00,00,00", v),
            Ok(set(11, &[1, 0, 0, 0, 0, 0, 0, 0]))
        );
        assert_eq!(
            parse_data("n", "hex(ffff0012):00", v),
            Ok(set(0xffff0012, &[0]))
        );
        assert_eq!(
            parse_data("n", "HEX(2):41,00,00,00", v),
            Ok(set(2, &[0x41, 0, 0, 0]))
        );
        assert_eq!(
            parse_data("n", "hex:01,02 ; comment", v),
            Ok(set(3, &[1, 2]))
        );
        assert!(parse_data("n", "hex:01,zz", v)
            .unwrap_err()
            .contains("bad hex byte \"zz\" at position 2"));
        assert!(parse_data("n", "hex:01,,02", v).is_err());
        assert!(parse_data("n", "hex:123", v).is_err());
        assert!(parse_data("n", "hex(x):00", v).is_err());
        assert!(parse_data("n", "hex(2:00", v).is_err());
        assert!(parse_data("n", "hex(2)00", v).is_err());
        assert!(parse_data("n", "hex(123456789):00", v).is_err());
    }

    #[test]
    fn regedit4_ansi_payloads_become_utf16() {
        let v4 = RegVersion::Regedit4;
        // "%a%\xe9" + NUL in ANSI.
        assert_eq!(
            parse_data("n", "hex(2):25,61,25,e9,00", v4),
            Ok(set(2, &[0x25, 0, 0x61, 0, 0x25, 0, 0xe9, 0, 0, 0]))
        );
        assert_eq!(
            parse_data("n", "hex(7):61,00,62,00,00", v4),
            Ok(set(7, &[0x61, 0, 0, 0, 0x62, 0, 0, 0, 0, 0]))
        );
        // Binary and other types are left alone.
        assert_eq!(parse_data("n", "hex:61,00", v4), Ok(set(3, &[0x61, 0])));
        assert_eq!(
            parse_data("n", "hex(2):25,00,00,00", RegVersion::V5),
            Ok(set(2, &[0x25, 0, 0, 0]))
        );
    }

    #[test]
    fn deletion_and_bad_data() {
        let v = RegVersion::V5;
        assert_eq!(parse_data("n", "-", v), Ok(ValueLine::Delete));
        assert_eq!(parse_data("n", " - ", v), Ok(ValueLine::Delete));
        let e = parse_data("EulaAccepted", "1", v).unwrap_err();
        assert!(e.contains("EulaAccepted") && e.contains("\"1\""), "{e}");
        assert!(parse_data("n", "", v).is_err());
        assert!(parse_data("n", "str:x", v).is_err());
        assert!(
            is_hex_data("hex(7):00")
                && is_hex_data("HEX:")
                && !is_hex_data("he")
                && !is_hex_data("\"hex\"")
        );
    }

    #[test]
    fn excerpts_are_short() {
        let long = "x".repeat(100);
        assert!(excerpt(&long).chars().count() < 50);
        assert_eq!(excerpt("é"), "\"é\"");
    }
}
