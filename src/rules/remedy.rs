//! Remedy files: where a finding's `.reg` text is written, and in which bytes.

/// The file name of a host's remedy for a rule: `<host>-<rule>.reg`, with
/// characters other than letters, digits, `-`, `_` and `.` replaced by `_`.
pub fn file_name(host: &str, rule: &str) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("{}-{}.reg", safe(host), safe(rule))
}

/// The file's bytes as regedit writes them: UTF-16LE with a byte-order mark.
pub fn file_bytes(reg_text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(reg_text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(file_name("pc-17", "KB910341"), "pc-17-KB910341.reg");
        assert_eq!(file_name("../x y", "KB910341"), ".._x_y-KB910341.reg");
    }

    #[test]
    fn utf16_with_bom() {
        assert_eq!(file_bytes("A"), [0xFF, 0xFE, b'A', 0]);
    }
}
