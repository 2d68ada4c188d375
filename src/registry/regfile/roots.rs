//! The root of a section path: `HKEY_LOCAL_MACHINE\SOFTWARE`, `HKCU`, ….
//!
//! For `HKEY_LOCAL_MACHINE` and `HKEY_USERS` the hive is the next component
//! (`SOFTWARE`, `SYSTEM`, a user's SID); the other top keys are a hive of
//! their own. A path starting with `\` (as `hivexregedit --export` writes
//! without a prefix) is relative to an unnamed hive.

use crate::registry::view::split_path;

/// The top-level keys, long name first, with their abbreviations.
const TOPS: &[(&str, &[&str])] = &[
    ("HKEY_LOCAL_MACHINE", &["HKLM"]),
    ("HKEY_CURRENT_USER", &["HKCU"]),
    ("HKEY_USERS", &["HKU"]),
    ("HKEY_CLASSES_ROOT", &["HKCR"]),
    ("HKEY_CURRENT_CONFIG", &["HKCC"]),
    ("HKEY_DYN_DATA", &["HKDD"]),
    ("HKEY_PERFORMANCE_DATA", &["HKPD"]),
];

/// The long name of a top-level key given by its long name or abbreviation.
pub fn top_long_name(name: &str) -> Option<&'static str> {
    TOPS.iter()
        .find(|(long, short)| {
            long.eq_ignore_ascii_case(name) || short.iter().any(|s| s.eq_ignore_ascii_case(name))
        })
        .map(|(long, _)| *long)
}

/// True for the top keys whose next component names a hive.
fn has_hive_below(long: &str) -> bool {
    long == "HKEY_LOCAL_MACHINE" || long == "HKEY_USERS"
}

/// A section path split into its root and hive-relative components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootedPath<'a> {
    /// The root with the long top-level name: `HKEY_LOCAL_MACHINE\SOFTWARE`,
    /// `HKEY_CURRENT_USER`; empty for a path relative to an unnamed hive.
    pub root: String,
    /// The hive name as spelled (`SOFTWARE`), or the long top-level name for
    /// top keys that are a hive of their own; empty for an unnamed hive.
    pub hive: String,
    pub components: Vec<&'a str>,
}

/// Splits `path` into root and components; `None` when its first component
/// is not a top-level key (and it does not start with `\`).
pub fn split_root(path: &str) -> Option<RootedPath<'_>> {
    let path = path.trim();
    if path.starts_with('\\') {
        return Some(RootedPath {
            root: String::new(),
            hive: String::new(),
            components: split_path(path).collect(),
        });
    }
    let mut comps = split_path(path);
    let long = top_long_name(comps.next()?)?;
    if has_hive_below(long) {
        match comps.next() {
            Some(hive) => Some(RootedPath {
                root: format!("{long}\\{hive}"),
                hive: hive.to_string(),
                components: comps.collect(),
            }),
            // The top key itself, above any hive.
            None => Some(RootedPath {
                root: long.to_string(),
                hive: long.to_string(),
                components: Vec::new(),
            }),
        }
    } else {
        Some(RootedPath {
            root: long.to_string(),
            hive: long.to_string(),
            components: comps.collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_short_roots() {
        let p = split_root("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT").unwrap();
        assert_eq!(p.root, "HKEY_LOCAL_MACHINE\\SOFTWARE");
        assert_eq!(p.hive, "SOFTWARE");
        assert_eq!(p.components, vec!["Microsoft", "Windows NT"]);
        let p = split_root("hklm\\Software\\X\\").unwrap();
        assert_eq!(
            (p.root.as_str(), p.hive.as_str()),
            ("HKEY_LOCAL_MACHINE\\Software", "Software")
        );
        assert_eq!(p.components, vec!["X"]);
        let p = split_root("HKCU\\Software\\A").unwrap();
        assert_eq!(
            (p.root.as_str(), p.hive.as_str()),
            ("HKEY_CURRENT_USER", "HKEY_CURRENT_USER")
        );
        assert_eq!(p.components, vec!["Software", "A"]);
        let p = split_root("HKU\\S-1-5-18\\Software").unwrap();
        assert_eq!(p.root, "HKEY_USERS\\S-1-5-18");
        assert_eq!(p.components, vec!["Software"]);
        let p = split_root("HKEY_CLASSES_ROOT\\.txt").unwrap();
        assert_eq!(p.root, "HKEY_CLASSES_ROOT");
    }

    #[test]
    fn top_key_alone_and_relative_paths() {
        let p = split_root("HKEY_LOCAL_MACHINE").unwrap();
        assert_eq!(p.root, "HKEY_LOCAL_MACHINE");
        assert!(p.components.is_empty());
        let p = split_root("\\Microsoft\\Windows").unwrap();
        assert_eq!(p.root, "");
        assert_eq!(p.components, vec!["Microsoft", "Windows"]);
        assert_eq!(split_root("Microsoft\\Windows"), None);
        assert_eq!(split_root("HKEY_NOPE\\X"), None);
        assert_eq!(split_root(""), None);
    }
}
