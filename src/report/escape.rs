//! Safe display of text taken from evidence.
//!
//! Key names, value data, log lines, host and file names come from machines
//! that may be hostile. Text and table output show control characters as
//! visible escapes (`\x1b`, `\u{202e}`; a tab is kept), so nothing in the evidence can move
//! the cursor, clear lines or reorder what the analyst reads. JSON output is
//! left exact (its encoder escapes control characters itself). CSV cells a
//! spreadsheet would evaluate as a formula are neutralised as OWASP
//! recommends.

use std::borrow::Cow;
use std::fmt::Write;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// True for characters shown as an escape: C0 and C1 controls but tab, DEL,
/// and the Unicode bidirectional and line/paragraph separator controls.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `s` with control characters shown as `\xNN` (below U+0100) or `\u{…}`.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// A copy of `value` with every string in it escaped by [`escape_text`]:
/// renderers of text call this once on what they print, so that no field,
/// present or future, reaches the screen raw.
pub fn escaped<T: Serialize + DeserializeOwned + Clone>(value: &T) -> T {
    let Ok(mut json) = serde_json::to_value(value) else {
        return value.clone();
    };
    escape_value(&mut json);
    serde_json::from_value(json).unwrap_or_else(|_| value.clone())
}

fn escape_value(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Cow::Owned(e) = escape_text(s) {
                *s = e;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_value),
        Value::Object(map) => map.values_mut().for_each(escape_value),
        _ => {}
    }
}

/// A CSV cell a spreadsheet would not evaluate: one starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP, CSV
/// injection). Quoting is left to the CSV writer.
pub fn neutralise_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible() {
        assert_eq!(escape_text("plain \\ text é\t"), "plain \\ text é\t");
        assert_eq!(
            escape_text("\x1b[1A\x1b[2K\r KB910341 HEALTHY\n"),
            "\\x1b[1A\\x1b[2K\\x0d KB910341 HEALTHY\\x0a"
        );
        assert_eq!(escape_text("a\u{202e}b\u{85}\x7f"), "a\\u{202e}b\\x85\\x7f");
    }

    #[test]
    fn every_string_of_a_structure_is_escaped() {
        let v: Vec<(String, u32)> = vec![("\x07bell".into(), 7)];
        assert_eq!(escaped(&v), vec![("\\x07bell".to_string(), 7)]);
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise_cell(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise_cell("pc-1"), "pc-1");
        assert_eq!(neutralise_cell(""), "");
    }
}
