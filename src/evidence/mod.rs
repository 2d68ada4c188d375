//! Evidence: finding files beneath a host folder and recognising them by content.

pub mod discover;
pub mod hive_kind;
pub mod open;
pub mod walk;

pub use hive_kind::{hive_kind, HiveKind};
