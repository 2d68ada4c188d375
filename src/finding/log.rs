//! The log side of a finding: the codes the logs report, with counts,
//! times and example lines.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::wulog::{Hresult, LogFormat, LogStamp};

/// A log line given as an example of an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogExample {
    /// The log file the line is in.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// The line's time: UTC when the log's time zone is known, else local
    /// time (RFC 3339 in reports, without offset when local).
    pub time: Option<LogStamp>,
    /// The line, decoded.
    pub text: String,
    /// The kind of event log it came from (`etl`, `evtx`, `evt`); absent
    /// for a text log (WindowsUpdate.log, ReportingEvents.log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<LogFormat>,
}

/// One error code as reported by the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedError {
    /// The code (`0x` and 8 upper-case hex digits in reports).
    pub code: Hresult,
    /// The code's symbolic name, where known.
    pub name: Option<String>,
    /// Number of log lines that report the code.
    pub count: u64,
    /// Time of the first line reporting the code (as `LogExample::time`).
    pub first: Option<LogStamp>,
    /// Time of the last line reporting the code (as `LogExample::time`).
    pub last: Option<LogStamp>,
    /// True when `first`/`last` are local times of unknown offset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_time: bool,
    /// The log's UTC offset at `first` (`-08:00`), where the log states it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "offset")]
    pub first_offset: Option<FixedOffset>,
    /// The log's UTC offset at `last`, where the log states it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "offset")]
    pub last_offset: Option<FixedOffset>,
    /// The first few lines reporting the code.
    pub examples: Vec<LogExample>,
    /// Occurrences per source format (`classic`, `win10`, `reporting-events`,
    /// `etl`, `evtx`, `evt`), before de-duplication; present when an event
    /// log reports the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceCount>,
    /// Occurrences not counted in `count`: the same failure recorded by two
    /// kinds of source (same code, same second; see docs/log.md).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicates: u64,
}

/// How many occurrences of a code one kind of source holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCount {
    /// The source format (`classic`, `evtx`, …).
    pub format: LogFormat,
    /// Occurrences of the code it holds.
    pub count: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The log side of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvidence {
    /// The log files read for this finding.
    pub files: Vec<String>,
    /// The rule's codes as the logs report them.
    pub errors: Vec<LoggedError>,
    /// The rule's codes on lines outside its `[[log_context]]`: reported by
    /// the logs, but not evidence of this rule's cause (not in `errors`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_context: Vec<OutsideContext>,
}

/// A code the logs report only on lines a rule does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutsideContext {
    /// The code (`0x` and 8 upper-case hex digits in reports).
    pub code: Hresult,
    /// Lines reporting it outside the context.
    pub count: u64,
    /// What counted lines are about (`BITS`).
    pub about: String,
}

/// A UTC offset as reports write it (`-08:00`).
mod offset {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(o: &Option<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        match o {
            Some(o) => s.collect_str(o),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FixedOffset>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| s.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}
