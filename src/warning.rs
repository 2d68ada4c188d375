//! Warnings: problems met while reading evidence that did not stop the
//! read, each a [`WarningCode`] (what kind of problem, a stable name) and a
//! sentence saying what happened.
//!
//! Readers produce them and reports carry them typed; the sentence is made
//! when the warning is, and is what every output shows. In JSON a warning
//! is its sentence, a string, as it was before warnings had codes.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Warnings a reader keeps per file; later ones are dropped (the counts
/// that come with them stay exact).
pub const MAX_KEPT: usize = 50;

/// What kind of problem a [`Warning`] reports. Each code has a stable
/// kebab-case name (its serde form and its `Display`); codes are added as
/// readers are, so matches need a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningCode {
    /// ETL: the file ends inside a buffer or a buffer header.
    EtlTruncated,
    /// ETL: a buffer's size cannot be read; the buffer is skipped by the
    /// trace header's buffer size, or the rest of the file is not read.
    EtlBufferSize,
    /// ETL: a compressed buffer, counted and not read.
    EtlCompressed,
    /// ETL: a record cannot be walked over; the rest of its buffer is lost.
    EtlRecord,
    /// ETL: the trace header states events lost by the session.
    EtlEventsLost,
    /// ETL: the trace header states buffers lost by the session.
    EtlBuffersLost,
    /// ETL: buffers flagged as following lost events.
    EtlBuffersAfterLoss,
    /// ETL: events older than one already released (out of time order).
    EtlLateEvents,
    /// EVT: no end-of-log cursor record; the header's offsets are used.
    EvtNoCursor,
    /// EVT: the live records do not number what the record numbers say.
    EvtRecordCount,
    /// EVT: a record cut by the end of the file could not be joined.
    EvtSplitRecord,
    /// EVT: the log is dirty (copied while in use).
    EvtDirty,
    /// EVT: records found outside the live region (in slack space).
    EvtRecoveredRecords,
    /// EVTX: a record the parser could not read, with its error.
    EvtxRecord,
    /// EVTX: how many records could not be read.
    EvtxRecordsUnread,
    /// EVTX: record numbers missing from the run (a damaged or overwritten chunk).
    EvtxRecordsMissing,
    /// An event log's Windows Update events that could not be decoded.
    EventsUndecoded,
    /// Replay: the primary file is not a registry hive; nothing replayed.
    ReplayNotAHive,
    /// Replay: the primary file's base block is not valid; it is taken
    /// from a transaction log.
    ReplayPrimaryInvalid,
    /// Replay: a transaction log (or part of it) not applied, and why.
    ReplayLogSkipped,
    /// Replay: a transaction log that could not be read.
    ReplayLogUnreadable,
    /// Replay: the logs end before the primary file's sequence number.
    ReplayLogsEndEarly,
    /// Replay: a hive bin is invalid after replay, where the primary
    /// file's chain of bins already broke.
    ReplayBinChain,
    /// Replay: an old-format log matched only by the damaged base block's time.
    ReplayDamagedTimestamp,
    /// Replay: no usable transaction log; the hive is read as on disk.
    ReplayNoUsableLog,
    /// A hive file far larger than its base block declares: only the
    /// declared hive is read.
    HiveFileLarger,
    /// A problem the registry reader met (a dirty hive, a bad checksum, a
    /// malformed `.reg` line with its number, …): the message says which.
    RegistryReader,
    /// A text log's lines not in its format.
    LogLinesUnparsed,
    /// A text log's lines too long, read only in part.
    LogLinesCut,
    /// A text log's codes beyond those kept, counted only.
    LogCodesOverLimit,
    /// The same file reached by other names (hard links), read once.
    HardLink,
    /// A warning known by its message only (declared last): one read back from a report's
    /// JSON, which carries the messages and not the codes.
    Unclassified,
}

impl WarningCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [WarningCode] = {
        use WarningCode::*;
        &[
            EtlTruncated,
            EtlBufferSize,
            EtlCompressed,
            EtlRecord,
            EtlEventsLost,
            EtlBuffersLost,
            EtlBuffersAfterLoss,
            EtlLateEvents,
            EvtNoCursor,
            EvtRecordCount,
            EvtSplitRecord,
            EvtDirty,
            EvtRecoveredRecords,
            EvtxRecord,
            EvtxRecordsUnread,
            EvtxRecordsMissing,
            EventsUndecoded,
            ReplayNotAHive,
            ReplayPrimaryInvalid,
            ReplayLogSkipped,
            ReplayLogUnreadable,
            ReplayLogsEndEarly,
            ReplayBinChain,
            ReplayDamagedTimestamp,
            ReplayNoUsableLog,
            HiveFileLarger,
            RegistryReader,
            LogLinesUnparsed,
            LogLinesCut,
            LogCodesOverLimit,
            HardLink,
            Unclassified,
        ]
    };

    /// The code's stable name (`etl-truncated`, `replay-log-skipped`, …).
    pub const fn name(self) -> &'static str {
        use WarningCode::*;
        match self {
            EtlTruncated => "etl-truncated",
            EtlBufferSize => "etl-buffer-size",
            EtlCompressed => "etl-compressed",
            EtlRecord => "etl-record",
            EtlEventsLost => "etl-events-lost",
            EtlBuffersLost => "etl-buffers-lost",
            EtlBuffersAfterLoss => "etl-buffers-after-loss",
            EtlLateEvents => "etl-late-events",
            EvtNoCursor => "evt-no-cursor",
            EvtRecordCount => "evt-record-count",
            EvtSplitRecord => "evt-split-record",
            EvtDirty => "evt-dirty",
            EvtRecoveredRecords => "evt-recovered-records",
            EvtxRecord => "evtx-record",
            EvtxRecordsUnread => "evtx-records-unread",
            EvtxRecordsMissing => "evtx-records-missing",
            EventsUndecoded => "events-undecoded",
            ReplayNotAHive => "replay-not-a-hive",
            ReplayPrimaryInvalid => "replay-primary-invalid",
            ReplayLogSkipped => "replay-log-skipped",
            ReplayLogUnreadable => "replay-log-unreadable",
            ReplayLogsEndEarly => "replay-logs-end-early",
            ReplayBinChain => "replay-bin-chain",
            ReplayDamagedTimestamp => "replay-damaged-timestamp",
            ReplayNoUsableLog => "replay-no-usable-log",
            HiveFileLarger => "hive-file-larger",
            RegistryReader => "registry-reader",
            LogLinesUnparsed => "log-lines-unparsed",
            LogLinesCut => "log-lines-cut",
            LogCodesOverLimit => "log-codes-over-limit",
            HardLink => "hard-link",
            Unclassified => "unclassified",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem met while reading that did not stop the read: its kind and
/// the sentence saying what happened (which `Display` shows).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Warning {
    /// What kind of problem it is.
    pub code: WarningCode,
    /// What happened, in words (offsets, counts and names included).
    pub message: String,
}

impl Warning {
    /// A warning of kind `code` saying `message`.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A warning is its message in serialised reports.
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.message)
    }
}

/// A message read back from a report: [`WarningCode::Unclassified`].
impl<'de> Deserialize<'de> for Warning {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|m| Warning::new(WarningCode::Unclassified, m))
    }
}

/// Adds `w` to `list` unless it holds [`MAX_KEPT`] warnings already.
pub(crate) fn push_capped(list: &mut Vec<Warning>, w: Warning) {
    if list.len() < MAX_KEPT {
        list.push(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for &code in WarningCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<WarningCode>(&json).unwrap(), code);
            assert!(seen.insert(code.name()), "{code} twice");
        }
    }

    #[test]
    fn all_lists_every_code_in_order() {
        for (i, &code) in WarningCode::ALL.iter().enumerate() {
            assert_eq!(code as usize, i, "{code}");
        }
        // `Unclassified` is declared last: a code added after it is missed here.
        assert_eq!(
            WarningCode::ALL.len(),
            WarningCode::Unclassified as usize + 1
        );
    }

    #[test]
    fn a_warning_shows_and_serialises_as_its_message() {
        let w = Warning::new(WarningCode::EvtDirty, "the log is dirty");
        assert_eq!(w.to_string(), "the log is dirty");
        let json = serde_json::to_string(&vec![w.clone()]).unwrap();
        assert_eq!(json, r#"["the log is dirty"]"#);
        let back: Vec<Warning> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0].message, w.message);
        assert_eq!(back[0].code, WarningCode::Unclassified);
    }

    #[test]
    fn lists_are_capped() {
        let mut list = Vec::new();
        for i in 0..MAX_KEPT + 3 {
            push_capped(
                &mut list,
                Warning::new(WarningCode::EtlRecord, i.to_string()),
            );
        }
        assert_eq!(list.len(), MAX_KEPT);
        assert_eq!(list[MAX_KEPT - 1].message, (MAX_KEPT - 1).to_string());
    }
}
