//! Recognising a `.reg` export and decoding its text.
//!
//! regedit writes version 5 exports in UTF-16LE with a byte-order mark and
//! REGEDIT4 exports in the ANSI code page (Windows-1252 here). Other tools
//! write UTF-8, with or without a BOM. The encoding is chosen from the first
//! bytes: a BOM wins; zero bytes at odd offsets mean UTF-16LE without BOM;
//! otherwise text that is valid UTF-8 is read as UTF-8 and anything else as
//! Windows-1252.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// The header line of a REGEDIT4 export.
pub const HEADER_V4: &str = "REGEDIT4";
/// The header line of a version 5 export.
pub const HEADER_V5: &str = "Windows Registry Editor Version 5.00";

/// Which flavour of export a file is, from its header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum RegVersion {
    /// `REGEDIT4`: ANSI text; `hex(1)`, `hex(2)` and `hex(7)` payloads are ANSI.
    Regedit4,
    /// `Windows Registry Editor Version 5.00`: Unicode text; string payloads are UTF-16LE.
    V5,
}

impl RegVersion {
    /// The header line that introduces this version.
    pub fn header(self) -> &'static str {
        match self {
            Self::Regedit4 => HEADER_V4,
            Self::V5 => HEADER_V5,
        }
    }
}

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TextEncoding {
    /// UTF-16, little-endian (as regedit writes version 5).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-8.
    Utf8,
    /// Windows-1252 (REGEDIT4 and ANSI exports).
    Windows1252,
}

/// How many bytes are decoded to recognise the header.
const SNIFF_BYTES: usize = 1024;

/// Picks the encoding of `bytes` and how many leading bytes (a BOM) to skip.
fn detect(bytes: &[u8]) -> (TextEncoding, usize) {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return (TextEncoding::Utf16Le, 2);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return (TextEncoding::Utf16Be, 2);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (TextEncoding::Utf8, 3);
    }
    if looks_utf16le(bytes) {
        return (TextEncoding::Utf16Le, 0);
    }
    if std::str::from_utf8(bytes).is_ok() {
        (TextEncoding::Utf8, 0)
    } else {
        (TextEncoding::Windows1252, 0)
    }
}

/// UTF-16LE without BOM: ASCII text puts a zero at every odd offset.
fn looks_utf16le(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    let pairs = head.len() / 2;
    if pairs == 0 {
        return false;
    }
    let odd_zero = head.chunks_exact(2).filter(|p| p[1] == 0).count();
    let even_zero = head.chunks_exact(2).filter(|p| p[0] == 0).count();
    odd_zero * 4 >= pairs * 3 && even_zero * 4 < pairs
}

fn encoding(enc: TextEncoding) -> &'static Encoding {
    match enc {
        TextEncoding::Utf16Le => UTF_16LE,
        TextEncoding::Utf16Be => UTF_16BE,
        TextEncoding::Utf8 => UTF_8,
        TextEncoding::Windows1252 => WINDOWS_1252,
    }
}

/// Decodes a whole file; malformed sequences become U+FFFD.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    let (enc, skip) = detect(bytes);
    let (text, _) = encoding(enc).decode_without_bom_handling(&bytes[skip..]);
    (text.into_owned(), enc)
}

/// The version named by the first non-blank line of `text`, if it is a header.
pub fn header_version(text: &str) -> Option<RegVersion> {
    let first = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .lines()
        .next()?
        .trim();
    if first.eq_ignore_ascii_case(HEADER_V4) {
        Some(RegVersion::Regedit4)
    } else if first.eq_ignore_ascii_case(HEADER_V5) {
        Some(RegVersion::V5)
    } else {
        None
    }
}

/// True when the bytes start like a regedit export (by content only).
pub fn looks_like_reg_export(bytes: &[u8]) -> bool {
    let (enc, skip) = detect(&bytes[..bytes.len().min(SNIFF_BYTES)]);
    let end = bytes.len().min(skip + SNIFF_BYTES);
    let (text, _) = encoding(enc).decode_without_bom_handling(&bytes[skip..end]);
    header_version(&text).is_some()
}

/// Windows-1252 bytes (an ANSI payload of a REGEDIT4 export) to UTF-16LE.
pub fn ansi_to_utf16le(ansi: &[u8]) -> Vec<u8> {
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(ansi);
    utf16le(&text)
}

/// A string as UTF-16LE bytes (no terminator added).
pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(utf16le(s));
        out
    }

    #[test]
    fn recognises_v5_in_every_encoding() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE]\r\n";
        assert!(looks_like_reg_export(&utf16(text, true)));
        assert!(looks_like_reg_export(&utf16(text, false)));
        assert!(looks_like_reg_export(text.as_bytes()));
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert!(looks_like_reg_export(&bom8));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert!(looks_like_reg_export(&be));
    }

    #[test]
    fn recognises_regedit4_and_leading_blank_lines() {
        assert!(looks_like_reg_export(
            b"REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE]"
        ));
        assert!(looks_like_reg_export(b"\r\n\n  \tREGEDIT4  \n"));
        assert!(looks_like_reg_export(&utf16("\r\n\r\nREGEDIT4\r\n", true)));
        assert!(looks_like_reg_export(b"REGEDIT4"));
    }

    #[test]
    fn rejects_other_content() {
        assert!(!looks_like_reg_export(b""));
        assert!(!looks_like_reg_export(b"regf\0\0\0\0"));
        assert!(!looks_like_reg_export(b"REGEDIT5\r\n"));
        assert!(!looks_like_reg_export(b"; REGEDIT4\r\n"));
        assert!(!looks_like_reg_export(
            b"[HKEY_LOCAL_MACHINE\\SOFTWARE]\r\nREGEDIT4\r\n"
        ));
        assert!(!looks_like_reg_export(
            b"Windows Registry Editor Version 5.00 extra\r\n"
        ));
        assert!(!looks_like_reg_export(&[0xFF, 0xFE]));
        assert!(!looks_like_reg_export(&[0xFF, 0xFE, b'R']));
        assert!(!looks_like_reg_export(&[0u8; 300]));
    }

    #[test]
    fn decodes_by_bom_and_content() {
        let (t, e) = decode(&utf16("REGEDIT4\r\n\"a\"=\"é\"", true));
        assert_eq!(
            (t.as_str(), e),
            ("REGEDIT4\r\n\"a\"=\"é\"", TextEncoding::Utf16Le)
        );
        let (t, e) = decode(b"REGEDIT4\r\n\"a\"=\"\xe9\"");
        assert_eq!(
            (t.as_str(), e),
            ("REGEDIT4\r\n\"a\"=\"é\"", TextEncoding::Windows1252)
        );
        let (t, e) = decode("REGEDIT4\n\"a\"=\"é\"".as_bytes());
        assert_eq!(
            (t.as_str(), e),
            ("REGEDIT4\n\"a\"=\"é\"", TextEncoding::Utf8)
        );
        let (t, e) = decode(b"\xEF\xBB\xBFREGEDIT4");
        assert_eq!((t.as_str(), e), ("REGEDIT4", TextEncoding::Utf8));
    }

    #[test]
    fn header_versions() {
        assert_eq!(header_version("REGEDIT4\r\n"), Some(RegVersion::Regedit4));
        assert_eq!(header_version("\n\nregedit4"), Some(RegVersion::Regedit4));
        assert_eq!(header_version(HEADER_V5), Some(RegVersion::V5));
        assert_eq!(
            header_version("\u{feff}Windows Registry Editor Version 5.00\r\n"),
            Some(RegVersion::V5)
        );
        assert_eq!(header_version(""), None);
    }

    #[test]
    fn ansi_payload_becomes_utf16() {
        assert_eq!(ansi_to_utf16le(b"a\xe9\0"), vec![b'a', 0, 0xE9, 0, 0, 0]);
        // 0x80 is the euro sign in Windows-1252.
        assert_eq!(ansi_to_utf16le(b"\x80"), vec![0xAC, 0x20]);
    }
}
