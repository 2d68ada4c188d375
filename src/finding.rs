//! Findings: what a rule concluded about a host, with the evidence behind it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wulog::Hresult;

/// A rule's conclusion about a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The registry cause is present and the log shows its errors.
    Confirmed,
    /// The registry cause is present; no such errors were seen (or no log).
    Latent,
    /// The errors are there, but the registry cause is not.
    OtherCause,
    /// Neither the cause nor its errors.
    Healthy,
    /// The rule does not apply to this OS.
    NotApplicable,
    /// The evidence needed to judge is missing or unreadable.
    Inconclusive,
}

impl Verdict {
    /// Every verdict, in the order documented.
    pub const ALL: [Verdict; 6] = [
        Self::Confirmed,
        Self::Latent,
        Self::OtherCause,
        Self::Healthy,
        Self::NotApplicable,
        Self::Inconclusive,
    ];

    /// The verdict as written in reports (`confirmed`, `other-cause`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Latent => "latent",
            Self::OtherCause => "other-cause",
            Self::Healthy => "healthy",
            Self::NotApplicable => "not-applicable",
            Self::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How urgent a finding is; ordered, so `--fail-on medium` also fails on `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Nothing to act on.
    Info,
    /// Worth a look; nothing shown to be broken.
    Low,
    /// A cause present that can fail updates.
    Medium,
    /// The failure's cause found.
    High,
}

impl Severity {
    /// The severity as written in reports (`info` … `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Self::Info),
            "low" => Ok(Self::Low),
            "medium" => Ok(Self::Medium),
            "high" => Ok(Self::High),
            _ => Err(format!("unknown severity {s:?} (info, low, medium, high)")),
        }
    }
}

/// Type and data of a registry value, as expected or as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedData {
    /// The value type (`REG_SZ`, `REG_DWORD`, …).
    #[serde(rename = "type")]
    pub ty: String,
    /// The data, in the report's words (`0x00000001`, a string).
    pub data: String,
}

/// One registry value that is not as it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueProblem {
    /// The value's name (`(key)` for checks on the key itself).
    pub value: String,
    /// The key, when it is not the finding's `registry.key` (`SYSTEM\Services\BITS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `missing`, `wrong-type` or `wrong-data`; `unreadable` (the input is
    /// damaged there) or `not-in-evidence` (an export without that key) when
    /// it could not be judged, with `reason`.
    pub problem: String,
    /// Why the value could not be judged (with `unreadable` or `not-in-evidence`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the rule expects.
    pub expected: TypedData,
    /// What the evidence holds; `None` when the value is missing.
    pub actual: Option<TypedData>,
}

/// The registry side of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEvidence {
    /// The input the key was read from.
    pub source: String,
    /// The key the rule reads, hive-relative.
    pub key: String,
    /// The key exists in the evidence.
    pub present: bool,
    /// Why the key could not be read (then `present` is false: not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// When the key was last written, where the source records it.
    pub last_written: Option<DateTime<Utc>>,
    /// The table the values were judged against (`windows-2000`, `xp-2003`).
    pub table: Option<String>,
    /// Values that are not as they should be.
    pub problems: Vec<ValueProblem>,
    /// Values that are as expected.
    pub ok: Vec<String>,
    /// Values present but not in the table (listed, not problems).
    pub extra_values: Vec<String>,
    /// Remarks on how the key was read (a dirty hive, a partial export …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A log line given as an example of an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogExample {
    /// The log file the line is in.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// RFC 3339; UTC (`Z`) when the log's time zone is known, else local time without offset.
    pub time: Option<String>,
    /// The line, decoded.
    pub text: String,
    /// The kind of event log it came from (`etl`, `evtx`, `evt`); absent
    /// for a text log (WindowsUpdate.log, ReportingEvents.log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
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
    /// Time of the first line reporting the code (RFC 3339, as `LogExample::time`).
    pub first: Option<String>,
    /// Time of the last line reporting the code (RFC 3339, as `LogExample::time`).
    pub last: Option<String>,
    /// True when `first`/`last` are local times of unknown offset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_time: bool,
    /// The log's UTC offset at `first` (`-08:00`), where the log states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_offset: Option<String>,
    /// The log's UTC offset at `last`, where the log states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_offset: Option<String>,
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
    pub format: String,
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

/// A Windows Update result the SOFTWARE hive records
/// (`…\WindowsUpdate\Auto Update\Results\{Detect,Download,Install}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryResult {
    /// The code (`0x` and 8 upper-case hex digits in reports).
    pub code: Hresult,
    /// The code's symbolic name, where known.
    pub name: Option<String>,
    /// The key, hive-relative.
    pub key: String,
    /// The input it was read from.
    pub source: String,
    /// `LastSuccessTime` as written (local time of the machine).
    pub last_success_time: Option<String>,
}

/// A setting read from the registry that bears on the finding (not judged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// What the setting is (the rule's label).
    pub name: String,
    /// The data as read, with its meaning where the rule knows it.
    pub value: String,
    /// Where it was read: hive and key.
    pub key: String,
}

/// A `.reg` file that repairs what a finding found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remedy {
    /// Where the file was written (with `--remedy-dir`), else absent.
    pub file: Option<String>,
    /// The OS table the values come from.
    pub table: String,
    /// The values the file sets.
    pub values: Vec<String>,
    /// The file's text (regedit version 5 syntax).
    pub reg: String,
}

/// One rule's conclusion about one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule's id (`KB910341`).
    pub rule: String,
    /// The rule's title.
    pub title: String,
    /// The error codes the rule explains.
    #[serde(default)]
    pub codes: Vec<Hresult>,
    /// What the rule concluded.
    pub verdict: Verdict,
    /// How urgent the finding is.
    pub severity: Severity,
    /// One or two sentences saying what was found.
    pub summary: String,
    /// What the registry showed, when a hive was read.
    pub registry: Option<RegistryEvidence>,
    /// What the logs showed, when a log was read.
    pub log: Option<LogEvidence>,
    /// Error codes the registry records as Windows Update's last results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_errors: Vec<RegistryResult>,
    /// Settings the rule reports as facts (e.g. the Automatic Updates option).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Remarks on the order of events (key written before the first error …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<String>,
    /// A `.reg` file restoring what is missing or wrong, where the rule writes one.
    pub remedy: Option<Remedy>,
    /// The article's steps that cannot be checked from collected files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked_steps: Vec<String>,
    /// Remarks on the evidence (dirty hives, sources not used …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Evidence the rule needed that could not be read: each becomes an
    /// `error` on the input it names (reported there, not here).
    #[serde(skip)]
    pub read_errors: Vec<ReadError>,
}

/// Codes as reports write them, joined: `0x800704DD or 0x80240020`.
pub fn join_codes(codes: &[Hresult], sep: &str) -> String {
    let codes: Vec<String> = codes.iter().map(Hresult::to_string).collect();
    codes.join(sep)
}

/// A part of an input that a rule needed and could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The input (as in `inputs[].path`).
    pub source: String,
    /// What could not be read, in words.
    pub message: String,
}
