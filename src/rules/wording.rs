//! The words of findings: summaries, problem lists, the timeline remark.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::checks::{Deviation, Outcome, Status};
use super::spec::{Check, HiveName, Rule};
use super::verdict::is_problem;
use crate::finding::{LoggedError, RegistryResult};

pub(crate) fn key_of<'r>(rule: &'r Rule, c: &'r Check) -> &'r str {
    c.key.as_deref().unwrap_or(&rule.key)
}

pub(crate) fn hive_of(rule: &Rule, c: &Check) -> HiveName {
    c.hive.unwrap_or(rule.hive)
}

pub(crate) fn last_component(path: &str) -> &str {
    path.rsplit('\\').next().unwrap_or(path)
}

/// "0x800704DD (12 lines) and 0x80240020 (3 lines)"
pub(crate) fn describe_errors(log: &[LoggedError], reg: &[RegistryResult]) -> String {
    let mut parts: Vec<String> = log
        .iter()
        .map(|e| {
            let lines = if e.count == 1 { "line" } else { "lines" };
            format!("{} ({} {lines})", e.code, e.count)
        })
        .collect();
    for r in reg {
        parts.push(format!(
            "{} (as {} in the registry)",
            r.code,
            last_component(&r.key)
        ));
    }
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

pub(crate) fn describe_problems(rule: &Rule, outcomes: &[Outcome], key_present: bool) -> String {
    let labels: Vec<String> = rule_checks_labels(rule, outcomes);
    if !labels.is_empty() {
        return labels.join("; ");
    }
    let key_name = last_component(&rule.key);
    if !key_present {
        return format!("the {key_name} key is absent");
    }
    let mut parts = Vec::new();
    for d in Deviation::ALL {
        let names: Vec<&str> = outcomes
            .iter()
            .filter(|o| o.status == Status::Deviates(d))
            .map(|o| o.value.as_str())
            .collect();
        if !names.is_empty() {
            parts.push(format!(
                "{} {} ({})",
                names.len(),
                d.words(),
                names.join(", ")
            ));
        }
    }
    let counted = outcomes
        .iter()
        .filter(|o| o.status != Status::Skipped)
        .count();
    format!(
        "{key_name} has {} of its {counted} values",
        parts.join(", ")
    )
}

/// The labels of failing checks that have one (kept in `Outcome` order).
pub(crate) fn rule_checks_labels(rule: &Rule, outcomes: &[Outcome]) -> Vec<String> {
    let checks: Vec<&Check> = rule.check_sets.iter().flat_map(|s| &s.checks).collect();
    outcomes
        .iter()
        .filter(|o| is_problem(&o.status))
        .filter_map(|o| {
            checks
                .iter()
                .find(|c| {
                    c.value.as_deref().unwrap_or("(key)") == o.value && key_of(rule, c) == o.key
                })
                .and_then(|c| c.label.clone())
        })
        .collect()
}

/// "Microsoft\…\SensLogn: value list unreadable: …; …"
pub(crate) fn describe_unjudged(unjudged: &[&Outcome]) -> String {
    let mut reasons: Vec<&str> = Vec::new();
    for o in unjudged {
        if let Some(r) = o.status.unjudged() {
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
    }
    if reasons.is_empty() {
        "the rule has no check that applies".to_string()
    } else {
        reasons.join("; ")
    }
}

/// The summary of a rule some of whose checks could not be judged.
pub(crate) fn unjudged_summary(
    unjudged: &[&Outcome],
    all: &[Outcome],
    problems: &str,
    errors: &str,
) -> String {
    let reasons = describe_unjudged(unjudged);
    let damaged = unjudged
        .iter()
        .any(|o| matches!(o.status, Status::Unreadable(_)));
    let mut s = if damaged {
        format!("Part of the evidence this rule needs could not be read ({reasons}), so this could not be checked")
    } else {
        format!("The evidence does not hold what this rule needs ({reasons}), so this could not be checked")
    };
    if all.iter().any(|o| is_problem(&o.status)) {
        s.push_str(&format!("; of what was read, {problems}"));
    }
    if !errors.is_empty() {
        s.push_str(&format!("; the log reports {errors}"));
    }
    s.push('.');
    s
}

pub(crate) fn parse_log_time(s: &str) -> Option<(NaiveDateTime, bool)> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t.with_timezone(&Utc).naive_utc(), true));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| (t, false))
}

pub(crate) fn timeline(
    key_name: &str,
    written: Option<DateTime<Utc>>,
    errors: &[LoggedError],
) -> Vec<String> {
    let Some(written) = written else {
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
        format!(
            "{} local time (the log's time zone is unknown)",
            first_time.format("%Y-%m-%d %H:%M:%S")
        )
    };
    // Without the offset, local time may be up to 14 hours off UTC.
    let slack = if is_utc {
        chrono::Duration::zero()
    } else {
        chrono::Duration::hours(14)
    };
    let w = written.naive_utc();
    let code = &err.code;
    let remark = if w + slack < first_time {
        format!("The {key_name} key was last written at {written_s}, before the first {code} at {first_s}: consistent with the change to {key_name} causing the errors.")
    } else if w > first_time + slack {
        format!("The {key_name} key was last written at {written_s}, after the first {code} at {first_s}: it changed since the errors began (a repair attempt, or a later change).")
    } else {
        format!("The {key_name} key was last written at {written_s}, close to the first {code} at {first_s}; without the log's time zone their order cannot be told.")
    };
    vec![remark]
}

/// Fills `{name}` placeholders; the sentence starts with a capital letter.
pub(crate) fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in pairs {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => s,
    }
}
