//! Text encodings of log files, recognised from the first bytes.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The encoding a log file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8 (or plain ASCII) without a byte-order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 with a byte-order mark.
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    /// UTF-16 little-endian (with a BOM, or recognised by its zero bytes).
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big-endian (with a BOM, or recognised by its zero bytes).
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// The encoding's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// Recognises the encoding from the first bytes of a file; returns it and
    /// the length of its byte-order mark.
    pub fn sniff(head: &[u8]) -> (Encoding, usize) {
        match head {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8Bom, 3),
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
            [a, 0, b, 0, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Le, 0),
            [0, a, 0, b, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Be, 0),
            _ => match std::str::from_utf8(head) {
                Ok(_) => (Encoding::Utf8, 0),
                // A sequence cut off by the end of the sample is fine.
                Err(e) if e.error_len().is_none() => (Encoding::Utf8, 0),
                Err(_) => (Encoding::Windows1252, 0),
            },
        }
    }

    /// True for UTF-16: the reader converts those to UTF-8 before parsing.
    pub fn is_utf16(self) -> bool {
        matches!(self, Encoding::Utf16Le | Encoding::Utf16Be)
    }

    /// Decodes the bytes of a line as the parser sees them (UTF-16 input has
    /// already been converted to UTF-8). Invalid bytes become U+FFFD.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            Encoding::Windows1252 => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
            _ => String::from_utf8_lossy(bytes),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(Encoding::sniff(b"\xEF\xBB\xBF2023"), (Encoding::Utf8Bom, 3));
        assert_eq!(Encoding::sniff(b"\xFF\xFE{\0"), (Encoding::Utf16Le, 2));
        assert_eq!(Encoding::sniff(b"\xFE\xFF\0{"), (Encoding::Utf16Be, 2));
        assert_eq!(Encoding::sniff(b"2\x000\x00"), (Encoding::Utf16Le, 0));
        assert_eq!(Encoding::sniff(b"\x002\x000"), (Encoding::Utf16Be, 0));
        assert_eq!(Encoding::sniff(b"plain"), (Encoding::Utf8, 0));
        assert_eq!(Encoding::sniff("caf\u{e9}".as_bytes()), (Encoding::Utf8, 0));
        assert_eq!(Encoding::sniff(b"caf\xC3"), (Encoding::Utf8, 0));
        assert_eq!(Encoding::sniff(b"caf\xE9 x"), (Encoding::Windows1252, 0));
    }

    #[test]
    fn decoding_replaces() {
        assert_eq!(Encoding::Windows1252.decode(b"caf\xE9"), "caf\u{e9}");
        assert_eq!(Encoding::Utf8.decode(b"a\xFFb"), "a\u{FFFD}b");
    }
}
