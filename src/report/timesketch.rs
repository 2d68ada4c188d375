//! Timesketch output: flat JSON Lines, one event per line with the three
//! fields Timesketch requires (`message`, `datetime`, `timestamp_desc`).
//! Events: the first and last occurrence of each error code in the logs,
//! and the last write of the SensLogn key.

use chrono::{DateTime, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::scan::HostReport;

/// `timestamp_desc` of an error code's first occurrence.
pub const FIRST_ERROR: &str = "First Error Occurrence";
/// `timestamp_desc` of an error code's last occurrence.
pub const LAST_ERROR: &str = "Last Error Occurrence";
/// `timestamp_desc` of the SensLogn key's last write.
pub const KEY_WRITTEN: &str = "Registry Key Last Written";

/// One Timesketch event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// What happened, in one line.
    pub message: String,
    /// ISO 8601: UTC with `Z`, or local time without offset (`local_time`).
    pub datetime: String,
    /// What the time is (`First Error Occurrence`, …).
    pub timestamp_desc: String,
    /// Microseconds since 1970 (local times taken as UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// True when `datetime` is a local time of unknown offset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_time: bool,
    /// The event's kind (`wutriage:finding`, …).
    pub data_type: String,
    /// The host's name.
    pub host: String,
    /// The machine's name from its SYSTEM hive, where one was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_name: Option<String>,
    /// The rule's id.
    pub rule: String,
    /// The finding's verdict.
    pub verdict: String,
    /// The finding's severity.
    pub severity: String,
    /// The error code, for log events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// How many lines report the code, for log events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_count: Option<u64>,
    /// The registry key, for key events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_key: Option<String>,
    /// The evidence file the time was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Microseconds since 1970 of an RFC 3339 time, or of a local time without offset.
fn micros(datetime: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(datetime)
        .map(|t| t.timestamp_micros())
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(datetime, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc().timestamp_micros())
        })
}

fn event(host: &HostReport, f: &Finding, datetime: String, desc: &str, message: String) -> Event {
    Event {
        message,
        timestamp: micros(&datetime),
        datetime,
        timestamp_desc: desc.to_string(),
        local_time: false,
        data_type: "wutriage:finding".to_string(),
        host: host.host.clone(),
        computer_name: host.computer_name.clone(),
        rule: f.rule.clone(),
        verdict: f.verdict.to_string(),
        severity: f.severity.to_string(),
        error_code: None,
        error_count: None,
        registry_key: None,
        source: None,
    }
}

/// A host's events, in the order of its findings: key write, then each code's first and last.
pub fn events(host: &HostReport) -> Vec<Event> {
    let mut out = Vec::new();
    for f in &host.findings {
        if let Some(reg) = &f.registry {
            if let Some(t) = reg.last_written {
                let message = format!(
                    "{}: {} last written ({} {}: {} problem(s))",
                    host.host,
                    reg.key,
                    f.rule,
                    f.verdict,
                    reg.problems.len()
                );
                let mut e = event(
                    host,
                    f,
                    t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                    KEY_WRITTEN,
                    message,
                );
                e.data_type = "wutriage:registry:key".to_string();
                e.registry_key = Some(reg.key.clone());
                e.source = Some(reg.source.clone());
                out.push(e);
            }
        }
        let Some(log) = &f.log else { continue };
        for err in &log.errors {
            let name = err
                .name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            for (time, desc, which) in [
                (&err.first, FIRST_ERROR, "first"),
                (&err.last, LAST_ERROR, "last"),
            ] {
                let Some(time) = time else { continue };
                let message = format!(
                    "{}: {}{name} {which} reported ({} line(s) in all; {} {})",
                    host.host, err.code, err.count, f.rule, f.verdict
                );
                let mut e = event(host, f, time.clone(), desc, message);
                e.data_type = "wutriage:windowsupdate:error".to_string();
                e.local_time = err.local_time;
                e.error_code = Some(err.code.clone());
                e.error_count = Some(err.count);
                e.source = (log.files.len() == 1).then(|| log.files[0].clone());
                out.push(e);
            }
        }
    }
    out
}

/// A host's events as JSON lines.
pub fn lines(host: &HostReport) -> String {
    events(host)
        .iter()
        .map(|e| serde_json::to_string(e).expect("events serialise") + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_with_and_without_offset_have_a_timestamp() {
        assert_eq!(micros("1970-01-01T00:00:01Z"), Some(1_000_000));
        assert_eq!(micros("1970-01-01T00:00:01.5"), Some(1_500_000));
        assert_eq!(micros("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(micros("yesterday"), None);
    }
}
