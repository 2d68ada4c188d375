//! `.reg` exports: reading regedit's text format into the registry view, and
//! writing files that regedit (or `hivexregedit --merge`) imports.
//!
//! Both REGEDIT4 (ANSI) and version 5 (UTF-16LE, or UTF-8) exports are read.
//! Values are kept in their on-disk form (UTF-16LE strings, little-endian
//! numbers) so that the same content read from a hive or from an export gives
//! identical bytes. Malformed lines become warnings with their line number;
//! the rest of the file is still read.

mod export;
mod line;
mod parser;
mod roots;
mod text;
mod tree;
mod writer;

use super::view::{split_path, Key, ReaderWarning, RegistryView};
use super::RegistryError;
use roots::{split_root, top_long_name};

pub use export::{DeletedKey, DeletedValue, RegExport, MAX_WARNINGS};
pub use text::{looks_like_reg_export, RegVersion, TextEncoding, HEADER_V4, HEADER_V5};
pub use tree::IMPLIED_NOTE;
pub use writer::{render_reg_v5, write_reg_v5, write_reg_v5_utf8, RegKeyEdit, ValueEdit};

impl RegExport {
    /// Parses an export. Fails only when the bytes do not start with a
    /// `.reg` header; every problem after that is a warning.
    pub fn parse(bytes: &[u8]) -> Result<RegExport, RegistryError> {
        parser::parse(bytes)
    }

    /// REGEDIT4 or version 5.
    pub fn version(&self) -> RegVersion {
        self.version
    }

    /// The text encoding the file was read with.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// The hive the view's keys are under: `SOFTWARE` for
    /// `HKEY_LOCAL_MACHINE\SOFTWARE\…`, a SID for `HKEY_USERS\<sid>\…`, the
    /// long top-level name (`HKEY_CURRENT_USER`) for other roots, `""` for
    /// paths relative to an unnamed hive; `None` when the file has no section.
    pub fn hive_root(&self) -> Option<&str> {
        self.primary.as_ref().map(|(_, hive)| hive.as_str())
    }

    /// The full root the view reads: `HKEY_LOCAL_MACHINE\SOFTWARE`.
    pub fn root(&self) -> Option<&str> {
        self.primary.as_ref().map(|(root, _)| root.as_str())
    }

    /// Every root with keys in the file, in order of first appearance.
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.tree.roots()
    }

    /// Every key of the view's hive (exported or implied by a subkey),
    /// parents before children, in file order.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        let root = self.root().unwrap_or_default();
        self.keys_in(root)
    }

    /// Every key under one root (`HKEY_CURRENT_USER`, `HKEY_LOCAL_MACHINE\SYSTEM`,
    /// compared case-insensitively), as [`keys`](Self::keys) does for the view's root.
    /// Keys are built one at a time as the iterator advances.
    pub fn keys_in(&self, root: &str) -> impl Iterator<Item = Key> + '_ {
        let nodes = if self.primary.is_none() {
            Vec::new()
        } else {
            self.tree.walk(root)
        };
        nodes.into_iter().map(|id| self.tree.key(id))
    }

    /// True when the key at `path` only exists as a parent of exported keys
    /// (its own values were not exported); false when exported or absent.
    pub fn is_implied(&self, path: &str) -> bool {
        self.find(path).is_some_and(|id| self.tree.node(id).implied)
    }

    /// The `[-path]` sections, in file order.
    pub fn deleted_keys(&self) -> &[DeletedKey] {
        &self.deleted_keys
    }

    /// The `"name"=-` lines, in file order.
    pub fn deleted_values(&self) -> &[DeletedValue] {
        &self.deleted_values
    }

    /// A hive-relative path in the view's root, or a full path with its root.
    fn find(&self, path: &str) -> Option<usize> {
        let first = split_path(path).next().unwrap_or_default();
        if top_long_name(first).is_some() {
            let p = split_root(path.trim().trim_start_matches('\\'))?;
            self.tree.find(&p.root, p.components)
        } else {
            let (root, _) = self.primary.as_ref()?;
            self.tree.find(root, split_path(path))
        }
    }
}

impl RegistryView for RegExport {
    fn key(&self, path: &str) -> Result<Option<Key>, RegistryError> {
        Ok(self.find(path).map(|id| {
            let node = self.tree.node(id);
            let mut key = self.tree.key(id);
            key.cell = Some(id);
            if node.implied {
                // Its values were not exported: none of them can be judged.
                key.damage.push(crate::registry::Damage {
                    value: None,
                    reason: format!("the export does not hold key {} itself", key.path),
                    uncovered: true,
                });
            }
            key
        }))
    }

    /// Regedit exports a key with everything below it: a key absent from an
    /// export that holds one of its parents is absent; otherwise the export
    /// just does not cover it.
    fn absence_unknown(&self, path: &str) -> Option<String> {
        if self.find(path).is_some() {
            return None;
        }
        let parts: Vec<&str> = split_path(path).collect();
        let covered = (0..parts.len()).any(|n| {
            let parent = parts[..n].join("\\");
            self.find(&parent)
                .is_some_and(|id| !self.tree.node(id).implied)
        });
        (!covered).then(|| format!("the export does not contain key {path}"))
    }

    fn warnings(&self) -> Vec<ReaderWarning> {
        self.warnings.clone()
    }
}

#[cfg(test)]
mod tests;
