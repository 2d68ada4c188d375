//! Registry evidence: one read-only view over binary hives and `.reg` exports.

pub(crate) mod baseblock;
pub(crate) mod file;
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
pub use view::{Damage, Key, ReaderWarning, RegistryView};

use thiserror::Error;

/// Why a registry source could not be read (or a key in it).
#[derive(Debug, Error)]
pub enum RegistryError {
    /// The bytes are neither a hive nor a `.reg` export.
    #[error("not a registry hive or .reg export")]
    NotRegistry,
    /// The file could not be read.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The hive's base block is not valid.
    #[error("hive header: {0}")]
    BadHeader(String),
    /// A hive format version this reader does not know.
    #[error("unsupported hive version {major}.{minor}")]
    UnsupportedVersion {
        /// Major version (1 for every known hive).
        major: u32,
        /// Minor version.
        minor: u32,
    },
    /// A hive structure is damaged (found by this crate's own checks).
    #[error("hive structure: {0}")]
    Corrupt(String),
    /// The hive parser (`nt-hive`) refused a structure; its error, with the
    /// offset it names, is kept as the source.
    #[error("hive structure: {0}")]
    Parser(#[source] nt_hive::NtHiveError),
    /// The hive parser panicked; the input is damaged in a way it does not expect.
    #[error("the hive reader failed unexpectedly on this input: {0}")]
    ReaderPanic(String),
    /// A `.reg` export could not be parsed at all.
    #[error(".reg export: {0}")]
    RegSyntax(String),
}
