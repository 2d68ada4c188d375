//! Evidence: finding files beneath a host folder and recognising them by content.

pub(crate) mod digest;
pub(crate) mod discover;
mod hive_kind;
pub(crate) mod open;
pub(crate) mod seek_hash;
pub(crate) mod walk;

pub use hive_kind::{hive_kind, HiveKind};
