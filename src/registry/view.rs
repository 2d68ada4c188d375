//! The small read-only registry view that every reader implements.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::value::Value;
use super::RegistryError;

/// One key as read from a source: its path (hive-relative, with the source's
/// own spelling), its last-written time where the source has one, its values
/// in stored order and the names of its subkeys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Key {
    /// The key's path, hive-relative, as the source spells it.
    pub path: String,
    /// When the key was last written, where the source records it.
    pub last_written: Option<DateTime<Utc>>,
    /// The key's values, in stored order.
    pub values: Vec<Value>,
    /// The names of the key's subkeys.
    pub subkeys: Vec<String>,
    /// Problems met while reading this key (a value whose data could not be
    /// read, a damaged subkey list); the rest of the key was still read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What of this key could not be read: a check on it cannot be judged.
    #[serde(skip)]
    pub damage: Vec<Damage>,
    /// Where the source holds this key (a hive's cell offset): the same
    /// number means the same key, however it was reached.
    #[serde(skip)]
    pub cell: Option<usize>,
}

/// A part of a key that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The value concerned; `None` when the whole value list is in doubt
    /// (any value of the key may be there or not).
    pub value: Option<String>,
    /// What failed, in words.
    pub reason: String,
    /// The source does not cover it (an export that only implies the key):
    /// nothing is wrong with the input, the evidence just does not say.
    pub uncovered: bool,
}

impl Key {
    /// A value by name, compared case-insensitively as Windows does.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|v| eq_ignore_case(&v.name, name))
    }

    /// A value by name as far as it could be read: `Err` with the reason
    /// when the value, or the list that would hold it, could not be read.
    pub fn value_read(&self, name: &str) -> Result<Option<&Value>, &Damage> {
        if let Some(v) = self.value(name) {
            return Ok(Some(v));
        }
        let damage = self
            .damage
            .iter()
            .find(|d| d.value.as_deref().is_none_or(|n| eq_ignore_case(n, name)));
        match damage {
            Some(d) => Err(d),
            None => Ok(None),
        }
    }

    /// Notes a part of this key that could not be read.
    pub fn damaged(&mut self, value: Option<&str>, reason: String) {
        self.notes.push(reason.clone());
        self.damage.push(Damage {
            value: value.map(str::to_string),
            reason,
            uncovered: false,
        });
    }
}

/// A problem met while reading that did not stop the read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReaderWarning {
    /// Line number in a text source (1-based); absent for binary sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

/// As a report's warning: the line number, when there is one, before the message.
impl From<ReaderWarning> for crate::warning::Warning {
    fn from(w: ReaderWarning) -> Self {
        let message = match w.line {
            Some(l) => format!("line {l}: {}", w.message),
            None => w.message,
        };
        crate::warning::Warning::new(crate::warning::WarningCode::RegistryReader, message)
    }
}

/// Read-only access to one hive's keys, whatever the source.
///
/// Paths are hive-relative (`Microsoft\Windows NT\CurrentVersion`), separated
/// by backslashes and compared case-insensitively; the empty path is the root.
pub trait RegistryView {
    /// The key at `path`, `Ok(None)` when it is absent.
    fn key(&self, path: &str) -> Result<Option<Key>, RegistryError>;

    /// Problems met while reading that did not stop it.
    fn warnings(&self) -> Vec<ReaderWarning> {
        Vec::new()
    }

    /// Why the absence of the key at `path` proves nothing (an export that
    /// does not cover that part of the hive); `None` when absent means absent.
    fn absence_unknown(&self, _path: &str) -> Option<String> {
        None
    }
}

/// Deepest nesting `walk` follows (real hives stay far below; a damaged
/// hive whose subkey lists loop would otherwise never end).
pub const MAX_DEPTH: usize = 512;

/// Visits the key at `path` and every key below it, depth first, parents
/// before children, subkeys in stored order. Each key is visited once: a
/// key listed twice, or reached again through a loop in a damaged hive, is
/// skipped (its cell is remembered), so the walk is linear in the keys.
pub fn walk(
    view: &dyn RegistryView,
    path: &str,
    f: &mut dyn FnMut(Key),
) -> Result<(), RegistryError> {
    struct Walk<'a> {
        view: &'a dyn RegistryView,
        seen: HashSet<usize>,
    }
    fn visit(
        w: &mut Walk,
        path: &str,
        depth: usize,
        f: &mut dyn FnMut(Key),
    ) -> Result<(), RegistryError> {
        let Some(key) = w.view.key(path)? else {
            return Ok(());
        };
        if let Some(cell) = key.cell {
            if !w.seen.insert(cell) {
                return Ok(());
            }
        }
        if depth >= MAX_DEPTH {
            return Err(RegistryError::Corrupt(format!(
                "keys nested deeper than {MAX_DEPTH} levels below {path:?} (a loop?)"
            )));
        }
        let base = key.path.clone();
        let mut names: Vec<&String> = Vec::new();
        for s in &key.subkeys {
            if !names.iter().any(|n| eq_ignore_case(n, s)) {
                names.push(s);
            }
        }
        let children: Vec<String> = names
            .into_iter()
            .map(|s| {
                if base.is_empty() {
                    s.clone()
                } else {
                    format!("{base}\\{s}")
                }
            })
            .collect();
        f(key);
        for child in children {
            visit(w, &child, depth + 1, f)?;
        }
        Ok(())
    }
    let mut w = Walk {
        view,
        seen: HashSet::new(),
    };
    visit(&mut w, path, 0, f)
}

/// Case-insensitive comparison as the registry does it: each character is
/// upper-cased on its own (one character to one, so `ß` stays `ß`).
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().map(upcase).eq(b.chars().map(upcase))
}

/// The simple (one-to-one) upper case of a character.
fn upcase(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Splits a key path into components, ignoring empty ones (leading, trailing
/// or doubled backslashes).
pub fn split_path(path: &str) -> impl Iterator<Item = &str> {
    path.split('\\').filter(|c| !c.is_empty())
}

/// Strips a leading `HKEY_LOCAL_MACHINE\SOFTWARE` / `HKLM\SOFTWARE` (or SYSTEM)
/// root so that users can paste full paths. Returns the hive-relative rest.
pub fn strip_hive_root(path: &str) -> &str {
    let trimmed = path.trim_matches('\\');
    for root in ["HKEY_LOCAL_MACHINE\\", "HKLM\\"] {
        if trimmed
            .get(..root.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(root))
        {
            let rest = &trimmed[root.len()..];
            // Drop the hive name itself (SOFTWARE, SYSTEM, …).
            return match rest.find('\\') {
                Some(i) => &rest[i + 1..],
                None => "",
            };
        }
    }
    trimmed
}

/// Windows FILETIME (100 ns ticks since 1601-01-01 UTC) to UTC; `None` for 0
/// and for values chrono cannot represent.
pub fn filetime_to_utc(ft: u64) -> Option<DateTime<Utc>> {
    if ft == 0 {
        return None;
    }
    const EPOCH_DIFF_SECS: i64 = 11_644_473_600;
    let secs = (ft / 10_000_000) as i64 - EPOCH_DIFF_SECS;
    let nanos = ((ft % 10_000_000) * 100) as u32;
    DateTime::from_timestamp(secs, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetime_epoch_and_known_value() {
        assert_eq!(filetime_to_utc(0), None);
        // 2006-03-22T00:00:00Z
        let t = filetime_to_utc(127_874_592_000_000_000).unwrap();
        assert_eq!(t.to_rfc3339(), "2006-03-22T00:00:00+00:00");
    }

    #[test]
    fn strips_roots() {
        assert_eq!(
            strip_hive_root("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\X"),
            "Microsoft\\X"
        );
        assert_eq!(strip_hive_root("hklm\\software\\Microsoft"), "Microsoft");
        assert_eq!(strip_hive_root("Microsoft\\Windows"), "Microsoft\\Windows");
        assert_eq!(strip_hive_root("HKLM\\SOFTWARE"), "");
    }

    #[test]
    fn case_insensitive_names() {
        assert!(eq_ignore_case("DLLName", "dllname"));
        assert!(eq_ignore_case("Ärger", "äRGER"));
        assert!(!eq_ignore_case("SensLogn", "SensLog"));
        assert!(!eq_ignore_case("straße", "STRASSE"));
        assert!(eq_ignore_case("straße", "STRAßE"));
    }
}
