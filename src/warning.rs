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

/// Declares the codes once: the enum, its `ALL` list and each code's name.
macro_rules! warning_codes {
    ($( $(#[doc = $doc:literal])* $code:ident => $name:literal, )*) => {
        /// What kind of problem a [`Warning`] reports. Each code has a stable
        /// kebab-case name (its serde form and its `Display`); codes are added as
        /// readers are, so matches need a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum WarningCode {
            $( $(#[doc = $doc])* #[serde(rename = $name)] $code, )*
        }

        impl WarningCode {
            /// Every code, in the order declared.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$code),*];

            /// The code's stable name (its serde form and its `Display`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(WarningCode::$code => $name,)*
                }
            }
        }
    };
}

warning_codes! {
    /// ETL: the file ends inside a buffer or a buffer header.
    EtlTruncated => "etl-truncated",
    /// ETL: a buffer's size cannot be read; the buffer is skipped by the
    /// trace header's buffer size, or the rest of the file is not read.
    EtlBufferSize => "etl-buffer-size",
    /// ETL: a compressed buffer, counted and not read.
    EtlCompressed => "etl-compressed",
    /// ETL: a record cannot be walked over; the rest of its buffer is lost.
    EtlRecord => "etl-record",
    /// ETL: the trace header states events lost by the session.
    EtlEventsLost => "etl-events-lost",
    /// ETL: the trace header states buffers lost by the session.
    EtlBuffersLost => "etl-buffers-lost",
    /// ETL: buffers flagged as following lost events.
    EtlBuffersAfterLoss => "etl-buffers-after-loss",
    /// ETL: events older than one already released (out of time order).
    EtlLateEvents => "etl-late-events",
    /// EVT: no end-of-log cursor record; the header's offsets are used.
    EvtNoCursor => "evt-no-cursor",
    /// EVT: the live records do not number what the record numbers say.
    EvtRecordCount => "evt-record-count",
    /// EVT: a record cut by the end of the file could not be joined.
    EvtSplitRecord => "evt-split-record",
    /// EVT: the log is dirty (copied while in use).
    EvtDirty => "evt-dirty",
    /// EVT: records found outside the live region (in slack space).
    EvtRecoveredRecords => "evt-recovered-records",
    /// EVTX: a record the parser could not read, with its error.
    EvtxRecord => "evtx-record",
    /// EVTX: how many records could not be read.
    EvtxRecordsUnread => "evtx-records-unread",
    /// EVTX: record numbers missing from the run (a damaged or overwritten chunk).
    EvtxRecordsMissing => "evtx-records-missing",
    /// An event log's Windows Update events that could not be decoded.
    EventsUndecoded => "events-undecoded",
    /// Replay: the primary file is not a registry hive; nothing replayed.
    ReplayNotAHive => "replay-not-a-hive",
    /// Replay: the primary file's base block is not valid; it is taken
    /// from a transaction log.
    ReplayPrimaryInvalid => "replay-primary-invalid",
    /// Replay: a transaction log (or part of it) not applied, and why.
    ReplayLogSkipped => "replay-log-skipped",
    /// Replay: a transaction log that could not be read.
    ReplayLogUnreadable => "replay-log-unreadable",
    /// Replay: the logs end before the primary file's sequence number.
    ReplayLogsEndEarly => "replay-logs-end-early",
    /// Replay: a hive bin is invalid after replay, where the primary
    /// file's chain of bins already broke.
    ReplayBinChain => "replay-bin-chain",
    /// Replay: an old-format log matched only by the damaged base block's time.
    ReplayDamagedTimestamp => "replay-damaged-timestamp",
    /// Replay: no usable transaction log; the hive is read as on disk.
    ReplayNoUsableLog => "replay-no-usable-log",
    /// A hive file far larger than its base block declares: only the
    /// declared hive is read.
    HiveFileLarger => "hive-file-larger",
    /// A problem the registry reader met (a dirty hive, a bad checksum, a
    /// malformed `.reg` line with its number, …): the message says which.
    RegistryReader => "registry-reader",
    /// A text log's lines not in its format.
    LogLinesUnparsed => "log-lines-unparsed",
    /// A text log's lines too long, read only in part.
    LogLinesCut => "log-lines-cut",
    /// A text log's codes beyond those kept, counted only.
    LogCodesOverLimit => "log-codes-over-limit",
    /// The same file reached by other names (hard links), read once.
    HardLink => "hard-link",
    /// A warning known by its message only (declared last): one read back from a report's
    /// JSON, which carries the messages and not the codes.
    Unclassified => "unclassified",
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
