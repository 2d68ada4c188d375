//! From the registry judgement and the log errors to a finding.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::remedy::remedy;
use super::senslogn::{SensLognJudgement, Status};
use crate::finding::{
    Finding, LogError, LogEvidence, RegistryEvidence, Severity, ValueProblem, Verdict,
};
use crate::registry::os::{OsFamily, OsInfo};

pub const RULE_ID: &str = "KB910341";
pub const TITLE: &str =
    "Automatic Updates cannot impersonate the logged-on user: SensLogn values missing or wrong";

/// The error codes the article names: ERROR_NOT_LOGGED_ON and WU_E_NO_INTERACTIVE_USER.
pub const CODES: [&str; 2] = ["0x800704DD", "0x80240020"];

/// The SOFTWARE side of a host, when it could be read.
pub struct RegistryFacts<'a> {
    /// The input the hive or export came from.
    pub source: String,
    pub os: &'a OsInfo,
    pub senslogn: &'a SensLognJudgement,
}

fn steps_not_checkable(family: Option<OsFamily>) -> Vec<String> {
    let mut steps = vec![
        "Step 1: log on as a member of the local Administrators group and try Windows Update again from Internet Explorer run as that user.".to_string(),
    ];
    if matches!(family, Some(OsFamily::Windows2000) | None) {
        steps.extend([
            "Step 2 (Windows 2000): Client for Microsoft Networks is installed and enabled on the network connection.".to_string(),
            "Step 3 (Windows 2000): the System Event Notification service and BITS are set to Automatic and started.".to_string(),
            "Step 4 (Windows 2000 Server): try again from the console session, not a Terminal Services session.".to_string(),
        ]);
    }
    steps.extend([
        "After changing SensLogn: restart the computer, then try the update again.".to_string(),
        "Workaround: configure Automatic Updates to download the updates and install them on a schedule.".to_string(),
    ]);
    steps
}

fn problem_name(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Missing => "missing",
        Status::WrongType => "wrong-type",
        Status::WrongData => "wrong-data",
    }
}

fn registry_evidence(facts: &RegistryFacts) -> RegistryEvidence {
    let j = facts.senslogn;
    RegistryEvidence {
        source: facts.source.clone(),
        key: format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\{}", j.key),
        present: j.present,
        last_written: j.last_written,
        table: j.table.clone(),
        problems: j
            .problems()
            .map(|c| ValueProblem {
                value: c.value.clone(),
                problem: problem_name(c.status).to_string(),
                expected: c.expected.clone(),
                actual: c.actual.clone(),
            })
            .collect(),
        ok: j
            .checks
            .iter()
            .filter(|c| c.status == Status::Ok)
            .map(|c| c.value.clone())
            .collect(),
        extra_values: j.extra_values.clone(),
        notes: j.notes.clone(),
    }
}

/// "0x800704DD (12 lines) and 0x80240020 (3 lines)"
fn describe_errors(errors: &[LogError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            let lines = if e.count == 1 { "line" } else { "lines" };
            format!("{} ({} {lines})", e.code, e.count)
        })
        .collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        _ => format!("{} and {}", parts[..parts.len() - 1].join(", "), parts[parts.len() - 1]),
    }
}

fn describe_problems(j: &SensLognJudgement) -> String {
    if !j.present {
        return "the SensLogn key is absent".to_string();
    }
    let mut parts = Vec::new();
    for status in [Status::Missing, Status::WrongType, Status::WrongData] {
        let names: Vec<&str> = j
            .checks
            .iter()
            .filter(|c| c.status == status)
            .map(|c| c.value.as_str())
            .collect();
        if !names.is_empty() {
            let what = match status {
                Status::Missing => "missing",
                Status::WrongType => "of the wrong type",
                _ => "with wrong data",
            };
            parts.push(format!("{} {what} ({})", names.len(), names.join(", ")));
        }
    }
    format!(
        "SensLogn has {} of its {} values",
        parts.join(", "),
        j.checks.len()
    )
}

/// Parses a log time as written in a `LogError` (RFC 3339 UTC, or local without offset).
fn parse_log_time(s: &str) -> Option<(NaiveDateTime, bool)> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t.with_timezone(&Utc).naive_utc(), true));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| (t, false))
}

fn timeline(key_written: Option<DateTime<Utc>>, errors: &[LogError]) -> Vec<String> {
    let Some(written) = key_written else {
        return Vec::new();
    };
    let first = errors
        .iter()
        .filter_map(|e| e.first.as_deref().and_then(parse_log_time).map(|t| (t, e)))
        .min_by_key(|((t, _), _)| *t);
    let Some(((first_time, is_utc), err)) = first else {
        return Vec::new();
    };
    let written_s = written.format("%Y-%m-%d %H:%M:%S UTC");
    let first_s = if is_utc {
        first_time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    } else {
        format!("{} local time (the log's time zone is unknown)", first_time.format("%Y-%m-%d %H:%M:%S"))
    };
    let naive_written = written.naive_utc();
    let slack = if is_utc { chrono::Duration::zero() } else { chrono::Duration::hours(14) };
    let remark = if naive_written + slack < first_time {
        format!(
            "The SensLogn key was last written at {written_s}, before the first {} at {first_s}: consistent with the change to SensLogn causing the errors.",
            err.code
        )
    } else if naive_written > first_time + slack {
        format!(
            "The SensLogn key was last written at {written_s}, after the first {} at {first_s}: it changed since the errors began (a repair attempt, or a later change).",
            err.code
        )
    } else {
        format!(
            "The SensLogn key was last written at {written_s}, close to the first {} at {first_s}; without the log's time zone their order cannot be told.",
            err.code
        )
    };
    vec![remark]
}

/// Evaluates KB910341 for one host.
///
/// `registry` is `None` when no SOFTWARE evidence could be read
/// (`registry_problem` then says why); `log` is `None` when the host has no
/// update log; its `errors` hold only this rule's codes.
pub fn evaluate(
    registry: Option<RegistryFacts>,
    registry_problem: Option<String>,
    log: Option<LogEvidence>,
) -> Finding {
    let errors: &[LogError] = log.as_ref().map(|l| l.errors.as_slice()).unwrap_or(&[]);
    let has_errors = !errors.is_empty();
    let errs = describe_errors(errors);
    let no_errors = if log.is_some() {
        "no update log reports 0x800704DD or 0x80240020"
    } else {
        "no update log was found to show whether updates fail"
    };
    let family = registry.as_ref().map(|r| r.os.family);
    let mut notes = Vec::new();

    let (verdict, severity, summary) = match &registry {
        None => {
            notes.extend(registry_problem);
            let summary = if has_errors {
                format!("No readable SOFTWARE hive or export, so SensLogn could not be checked; the log reports {errs}.")
            } else {
                "No readable SOFTWARE hive or export, so SensLogn could not be checked.".to_string()
            };
            let severity = if has_errors { Severity::Low } else { Severity::Info };
            (Verdict::Inconclusive, severity, summary)
        }
        Some(r) if !r.senslogn.applicable => {
            let mut summary = format!(
                "{} has no Winlogon notification packages, so KB910341 does not apply",
                r.os.description
            );
            let severity = if has_errors {
                summary.push_str(&format!("; the log still reports {errs}, from another cause"));
                Severity::Low
            } else {
                Severity::Info
            };
            summary.push('.');
            (Verdict::NotApplicable, severity, summary)
        }
        Some(r) => {
            let os = r.os.family.describe();
            let table = if r.os.family == OsFamily::Windows2000 { 14 } else { 17 };
            match (r.senslogn.deviates(), has_errors) {
                (true, true) => (
                    Verdict::Confirmed,
                    Severity::High,
                    format!(
                        "{} for {os}, and the log reports {errs}: Automatic Updates cannot impersonate the logged-on user.",
                        describe_problems(r.senslogn)
                    ),
                ),
                (true, false) => (
                    Verdict::Latent,
                    Severity::Medium,
                    format!(
                        "{} for {os}, but {no_errors}: updates that need the logged-on user will fail.",
                        describe_problems(r.senslogn)
                    ),
                ),
                (false, true) => (
                    Verdict::OtherCause,
                    Severity::Medium,
                    format!(
                        "The log reports {errs}, but SensLogn holds all {table} values right for {os}: look at the article's other causes (services, console session, workaround)."
                    ),
                ),
                (false, false) => (
                    Verdict::Healthy,
                    Severity::Info,
                    format!("SensLogn holds all {table} values right for {os}, and {no_errors}."),
                ),
            }
        }
    };

    let registry_evidence = registry.as_ref().map(registry_evidence);
    let timeline = match &registry {
        Some(r) if r.senslogn.applicable => timeline(r.senslogn.last_written, errors),
        _ => Vec::new(),
    };
    let remedy = registry
        .as_ref()
        .filter(|r| r.senslogn.applicable)
        .and_then(|r| remedy(r.senslogn, r.os.family));
    let unchecked_steps = match verdict {
        Verdict::NotApplicable | Verdict::Healthy => Vec::new(),
        _ => steps_not_checkable(family),
    };
    Finding {
        rule: RULE_ID.to_string(),
        title: TITLE.to_string(),
        verdict,
        severity,
        summary,
        registry: registry_evidence,
        log,
        timeline,
        remedy,
        unchecked_steps,
        notes,
    }
}
