//! Why a transaction log, or part of it, was not replayed.

use thiserror::Error;

/// Why a transaction log (or part of it) was not replayed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TxLogError {
    #[error("not a transaction log (no `regf` base block in its first sector)")]
    NotALog,
    #[error("its base block checksum is wrong")]
    BadChecksum,
    #[error("file type {0} in its base block is not a transaction log's")]
    WrongFileType(u32),
    #[error("its base block sequence numbers differ ({seq1}/{seq2}): the log itself was not completely written")]
    LogIncomplete { seq1: u32, seq2: u32 },
    #[error("hive bins size {0} in its base block is not a positive multiple of 4096")]
    BadHiveBinsSize(u32),
    #[error("truncated: {0}")]
    Truncated(String),
    #[error(
        "neither format: no dirty vector (`DIRT`) nor log entries (`HvLE`) after the base block"
    )]
    UnknownFormat,
    #[error(
        "log entry at offset 0x{offset:x}: {why}; it and the entries after it were not applied"
    )]
    BadEntry { offset: usize, why: String },
    #[error("holds no valid log entries")]
    NoEntries,
    #[error("its first log entry has sequence number {entry}, its base block says {header}; not applied")]
    FirstEntryMismatch { entry: u32, header: u32 },
    #[error("its entries continue at sequence number {found}, expected {expected}; not applied")]
    Gap { expected: u32, found: u32 },
    #[error("its last-written time differs from the primary file's: it belongs to another state of the hive; not applied")]
    TimestampMismatch,
    #[error("it grows the hive bins to {0} bytes, more than the primary file and logs can fill; not applied")]
    TooLarge(u64),
    #[error("after replay the hive bin at offset 0x{0:x} is invalid; not applied")]
    BadBin(usize),
    #[error("after replay the cells of the hive bin at offset 0x{0:x} do not fit it; not applied")]
    BadCells(usize),
    #[error("it holds nothing newer than the primary file (secondary sequence number {0})")]
    NothingNew(u32),
}
