//! Findings: what a rule concluded about a host, with the evidence behind it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wulog::Hresult;

mod log;
mod values;

pub use log::{LogEvidence, LogExample, LoggedError, OutsideContext, SourceCount};
pub use values::{DataType, Problem, TypedData, ValueProblem};

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
    /// `LastSuccessTime` (local time of the machine), written
    /// `YYYY-MM-DD HH:MM:SS` as the registry holds it; absent when the value
    /// is missing, empty or not such a time.
    #[serde(with = "registry_time")]
    pub last_success_time: Option<NaiveDateTime>,
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

impl Finding {
    /// A finding of a rule that concludes nothing yet: `inconclusive`,
    /// severity `info`, no summary and no evidence.
    pub fn new(rule: impl Into<String>, title: impl Into<String>, codes: Vec<Hresult>) -> Self {
        Finding {
            rule: rule.into(),
            title: title.into(),
            codes,
            verdict: Verdict::Inconclusive,
            severity: Severity::Info,
            summary: String::new(),
            registry: None,
            log: None,
            registry_errors: Vec::new(),
            facts: Vec::new(),
            timeline: Vec::new(),
            remedy: None,
            unchecked_steps: Vec::new(),
            notes: Vec::new(),
            read_errors: Vec::new(),
        }
    }

    /// Sets what the finding concludes: its verdict, severity and summary
    /// always together, so that no branch leaves one of them behind.
    pub fn conclude(&mut self, verdict: Verdict, severity: Severity, summary: impl Into<String>) {
        self.verdict = verdict;
        self.severity = severity;
        self.summary = summary.into();
    }
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

/// `LastSuccessTime` as the registry writes it: `2009-06-09 21:00:01`.
mod registry_time {
    use chrono::NaiveDateTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The registry's format of a time.
    pub const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.collect_str(&t.format(FORMAT)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| NaiveDateTime::parse_from_str(&s, FORMAT).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Reads `LastSuccessTime` as the registry writes it (`2009-06-09 21:00:01`).
pub fn parse_registry_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), registry_time::FORMAT).ok()
}
