//! What a parsed `.reg` export holds: its keys, its warnings, the deletions it asks for.

use serde::Serialize;

use super::text::{RegVersion, TextEncoding};
use super::tree::Tree;
use crate::registry::view::ReaderWarning;

/// Most warnings kept for one file; the rest are counted in a last warning.
pub const MAX_WARNINGS: usize = 1000;

/// A key removed by a `[-path]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedKey {
    /// The root it is under (`HKEY_LOCAL_MACHINE\SOFTWARE`; empty for an unnamed hive).
    pub root: String,
    /// The path below the root, as spelled in the file.
    pub path: String,
    /// 1-based line of the section.
    pub line: usize,
}

/// A value removed by a `"name"=-` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedValue {
    /// The root the key is under, as in [`DeletedKey::root`].
    pub root: String,
    /// The key's path below the root.
    pub key: String,
    /// The value's name (`""` for the default value).
    pub name: String,
    /// 1-based line of the `"name"=-` line.
    pub line: usize,
}

/// A parsed `.reg` export: the keys it sets, as a [`RegistryView`](crate::registry::RegistryView) of the
/// hive its first section names, and the deletions it asks for.
#[derive(Debug, Clone)]
pub struct RegExport {
    pub(super) version: RegVersion,
    pub(super) encoding: TextEncoding,
    pub(super) tree: Tree,
    /// The root the view reads (`HKEY_LOCAL_MACHINE\SOFTWARE`) and its hive name.
    pub(super) primary: Option<(String, String)>,
    pub(super) warnings: Vec<ReaderWarning>,
    pub(super) deleted_keys: Vec<DeletedKey>,
    pub(super) deleted_values: Vec<DeletedValue>,
}
