//! Timesketch output: flat JSON Lines, one event per line with the three
//! fields Timesketch requires (`message`, `datetime`, `timestamp_desc`).
//! Events: every log line a finding counts as evidence (once, whatever the
//! number of rules counting it), the last write of each registry key a
//! finding read (once per key), sorted by time; at most
//! `MAX_EVENTS_PER_HOST` log lines per host, then one event saying how many
//! were left out.

use std::collections::BTreeSet;

use chrono::{NaiveTime, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::scan::{HostReport, Occurrence, Occurrences};
use crate::wulog::LogStamp;

/// Error lines kept per host (the earliest ones).
pub const MAX_EVENTS_PER_HOST: usize = 10_000;
/// `timestamp_desc` of a log line reporting an error.
pub const ERROR_LOGGED: &str = "Error Logged";
/// `timestamp_desc` of a registry key's last write.
pub const KEY_WRITTEN: &str = "Registry Key Last Written";
/// `timestamp_desc` of the event saying how many error lines were left out.
pub const LEFT_OUT: &str = "Events Left Out";

/// One Timesketch event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimesketchEvent {
    /// What happened, in one line.
    pub message: String,
    /// ISO 8601 with offset (`+00:00`). A log time whose offset is unknown
    /// is given as if UTC, with `local_time`.
    pub datetime: String,
    /// What the time is (`First Error Occurrence`, …).
    pub timestamp_desc: String,
    /// Microseconds since 1970.
    pub timestamp: i64,
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
    /// The rules the event is evidence for, comma-separated.
    pub rule: String,
    /// Verdict and severity of the worst of those rules' findings.
    pub verdict: String,
    /// The finding's severity.
    pub severity: String,
    /// The error codes a log line reports (that the rules count).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<String>,
    /// The registry key, for key events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_key: Option<String>,
    /// The evidence file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The line in `source` (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// A time as ISO 8601 with offset and microseconds since 1970; a local
/// time (offset unknown) is taken as UTC.
fn datetime(time: LogStamp) -> (String, i64) {
    let utc = match time {
        LogStamp::Utc(t) => t,
        LogStamp::Local(t) => t.and_utc(),
    };
    (
        utc.to_rfc3339_opts(SecondsFormat::Millis, false),
        utc.timestamp_micros(),
    )
}

fn base(
    host: &HostReport,
    worst: Option<&Finding>,
    rules: String,
    at: (String, i64),
) -> TimesketchEvent {
    TimesketchEvent {
        message: String::new(),
        datetime: at.0,
        timestamp_desc: String::new(),
        timestamp: at.1,
        local_time: false,
        data_type: String::new(),
        host: host.host.clone(),
        computer_name: host.computer_name.clone(),
        rule: rules,
        verdict: worst.map(|f| f.verdict.to_string()).unwrap_or_default(),
        severity: worst.map(|f| f.severity.to_string()).unwrap_or_default(),
        error_codes: Vec::new(),
        registry_key: None,
        source: None,
        line: None,
    }
}

/// The worst of `host`'s findings of `rules`.
fn worst<'a>(host: &'a HostReport, rules: &[&str]) -> Option<&'a Finding> {
    host.findings
        .iter()
        .filter(|f| rules.contains(&f.rule.as_str()))
        .max_by_key(|f| f.severity)
}

fn key_events(host: &HostReport, out: &mut Vec<TimesketchEvent>) {
    let mut seen = BTreeSet::new();
    for reg in host.findings.iter().filter_map(|f| f.registry.as_ref()) {
        let Some(t) = reg.last_written else { continue };
        if !seen.insert((reg.source.clone(), reg.key.clone())) {
            continue;
        }
        let readers: Vec<&str> = host
            .findings
            .iter()
            .filter(|f| {
                f.registry
                    .as_ref()
                    .is_some_and(|r| r.key == reg.key && r.source == reg.source)
            })
            .map(|f| f.rule.as_str())
            .collect();
        let problems: usize = reg.problems.len();
        let at = (
            t.to_rfc3339_opts(SecondsFormat::Millis, false),
            t.timestamp_micros(),
        );
        let mut e = base(host, worst(host, &readers), readers.join(","), at);
        e.message = format!(
            "{}: {} last written ({problems} problem(s) found in it)",
            host.host, reg.key
        );
        e.timestamp_desc = KEY_WRITTEN.to_string();
        e.data_type = "wutriage:registry:key".to_string();
        e.registry_key = Some(reg.key.clone());
        e.source = Some(reg.source.clone());
        out.push(e);
    }
}

fn error_event(host: &HostReport, o: &Occurrence) -> Option<TimesketchEvent> {
    // Only the rules whose findings the output keeps (--min-severity).
    let rules: Vec<&str> = o
        .rules
        .iter()
        .map(String::as_str)
        .filter(|r| host.findings.iter().any(|f| f.rule == *r))
        .collect();
    let worst = worst(host, &rules)?;
    let at = datetime(o.time);
    let mut e = base(host, Some(worst), rules.join(","), at);
    let zone = if o.time.is_local() {
        " (local time, offset unknown)"
    } else {
        ""
    };
    e.message = format!(
        "{}: {}{zone}: {}",
        host.host,
        crate::finding::join_codes(&o.codes, " "),
        o.text
    );
    e.timestamp_desc = ERROR_LOGGED.to_string();
    e.data_type = "wutriage:windowsupdate:error".to_string();
    e.local_time = o.time.is_local();
    e.error_codes = o.codes.iter().map(ToString::to_string).collect();
    e.source = Some(o.file.clone());
    e.line = Some(o.line);
    Some(e)
}

/// The closing event when lines were left out: at the last kept line's time.
fn left_out_event(
    host: &HostReport,
    occ: &Occurrences,
    last: Option<&TimesketchEvent>,
) -> Option<TimesketchEvent> {
    if occ.left_out == 0 && occ.untimed == 0 {
        return None;
    }
    let at = last
        .map(|e| (e.datetime.clone(), e.timestamp))
        .or_else(|| {
            let day = occ.days.keys().next_back()?;
            Some(datetime(LogStamp::Local(day.and_time(NaiveTime::MIN))))
        })?;
    let mut e = base(host, None, String::new(), at);
    e.message = format!(
        "{}: {} later error line(s) left out (at most {} per host), {} without a time; {} in all",
        host.host, occ.left_out, MAX_EVENTS_PER_HOST, occ.untimed, occ.total
    );
    e.timestamp_desc = LEFT_OUT.to_string();
    e.data_type = "wutriage:windowsupdate:left-out".to_string();
    Some(e)
}

/// A host's events, sorted by time.
pub fn events(host: &HostReport) -> Vec<TimesketchEvent> {
    let mut out = Vec::new();
    key_events(host, &mut out);
    if let Some(occ) = &host.occurrences {
        out.extend(occ.kept.iter().filter_map(|o| error_event(host, o)));
        out.sort_by_key(|e| e.timestamp);
        let last = out.iter().rev().find(|e| e.line.is_some()).cloned();
        out.extend(left_out_event(host, occ, last.as_ref()));
    }
    out.sort_by_key(|e| e.timestamp);
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
    fn times_get_an_offset_and_a_timestamp() {
        let at = |s: &str| datetime(s.parse().unwrap());
        assert_eq!(
            at("1970-01-01T00:00:01Z"),
            ("1970-01-01T00:00:01.000+00:00".into(), 1_000_000)
        );
        assert_eq!(at("1970-01-01T00:00:01.5").1, 1_500_000);
        assert_eq!(at("1970-01-01T01:00:00+01:00").1, 0);
    }
}
