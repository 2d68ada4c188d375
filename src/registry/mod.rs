//! Registry evidence: one read-only view over binary hives and `.reg` exports.

pub mod baseblock;
pub mod file;
pub mod hive;
pub mod os;
pub mod regfile;
pub mod replay;
pub mod source;
pub mod system;
pub mod value;
pub mod view;

pub use source::{open_registry, RegistrySource};
pub use value::{Value, ValueData, ValueType};
pub use view::{Damage, Key, RegistryView, Warning};

use thiserror::Error;

/// Why a registry source could not be read (or a key in it).
#[derive(Debug, Error)]
pub enum RegistryError {
    #[error("not a registry hive or .reg export")]
    NotRegistry,
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("hive header: {0}")]
    BadHeader(String),
    #[error("unsupported hive version {major}.{minor}")]
    UnsupportedVersion { major: u32, minor: u32 },
    #[error("hive structure: {0}")]
    Corrupt(String),
    /// The hive parser (`nt-hive`) refused a structure; its error, with the
    /// offset it names, is kept as the source.
    #[error("hive structure: {0}")]
    Parser(#[source] nt_hive::NtHiveError),
    #[error("the hive reader failed unexpectedly on this input: {0}")]
    ReaderPanic(String),
    #[error(".reg export: {0}")]
    RegSyntax(String),
}
