//! The errors of reading a log.

use std::path::PathBuf;

/// Errors reading a log. Content never causes one: lines that do not parse
/// are counted as unparsed.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The file could not be opened.
    #[error("{}: cannot open: {source}", path.display())]
    Open {
        /// The log.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Reading failed part way.
    #[error("{}: read error: {source}", path.display())]
    Read {
        /// The log.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}
