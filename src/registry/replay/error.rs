//! Why a transaction log, or part of it, was not replayed.

use thiserror::Error;

/// Why a transaction log (or part of it) was not replayed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxLogError {
    /// No `regf` base block in the first sector.
    #[error("not a transaction log (no `regf` base block in its first sector)")]
    NotALog,
    /// The base block checksum is wrong.
    #[error("its base block checksum is wrong")]
    BadChecksum,
    /// The base block's file type is not a transaction log's.
    #[error("file type {0} in its base block is not a transaction log's")]
    WrongFileType(u32),
    /// The log's own sequence numbers differ: it was not completely written.
    #[error("its base block sequence numbers differ ({seq1}/{seq2}): the log itself was not completely written")]
    LogIncomplete {
        /// Primary sequence number.
        seq1: u32,
        /// Secondary sequence number.
        seq2: u32,
    },
    /// The hive bins size is not a positive multiple of 4096.
    #[error("hive bins size {0} in its base block is not a positive multiple of 4096")]
    BadHiveBinsSize(u32),
    /// The log ends before a structure it announces.
    #[error("truncated: {0}")]
    Truncated(String),
    #[error(
        "neither format: no dirty vector (`DIRT`) nor log entries (`HvLE`) after the base block"
    )]
    /// Neither old-format (`DIRT`) nor new-format (`HvLE`) content.
    UnknownFormat,
    #[error(
        "log entry at offset 0x{offset:x}: {why}; it and the entries after it were not applied"
    )]
    /// A log entry is damaged; it and the later ones are not applied.
    BadEntry {
        /// Where the entry starts in the log file.
        offset: usize,
        /// What is wrong with it.
        why: String,
    },
    /// A new-format log without valid entries.
    #[error("holds no valid log entries")]
    NoEntries,
    /// The first entry's sequence number is not the one the base block announces.
    #[error("its first log entry has sequence number {entry}, its base block says {header}; not applied")]
    FirstEntryMismatch {
        /// The first entry's sequence number.
        entry: u32,
        /// The one the base block announces.
        header: u32,
    },
    /// Entries do not continue the sequence.
    #[error("its entries continue at sequence number {found}, expected {expected}; not applied")]
    Gap {
        /// The sequence number that should come next.
        expected: u32,
        /// The one that does.
        found: u32,
    },
    /// The log belongs to another state of the hive.
    #[error("its last-written time differs from the primary file's: it belongs to another state of the hive; not applied")]
    TimestampMismatch,
    /// Replay would grow the hive past what the inputs can fill.
    #[error("it grows the hive bins to {0} bytes, more than the primary file and logs can fill; not applied")]
    TooLarge(u64),
    /// A hive bin is invalid after replay.
    #[error("after replay the hive bin at offset 0x{0:x} is invalid; not applied")]
    BadBin(usize),
    /// A replayed bin is not tiled exactly by its cells.
    #[error("after replay the cells of the hive bin at offset 0x{0:x} do not fit it; not applied")]
    BadCells(usize),
    /// The log holds nothing newer than the primary file.
    #[error("it holds nothing newer than the primary file (secondary sequence number {0})")]
    NothingNew(u32),
}
