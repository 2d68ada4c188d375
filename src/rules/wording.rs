//! The words of findings: summaries, problem lists, what holds.

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

/// What holds, check by check, where every check holds: each passing
/// check's `ok_label`, or its `absent_label` where the value (or its key)
/// was not there to read, so nothing is claimed of what was not read.
pub(crate) fn describe_held(rule: &Rule, outcomes: &[Outcome]) -> String {
    let checks: Vec<&Check> = rule.check_sets.iter().flat_map(|s| &s.checks).collect();
    let parts: Vec<String> = outcomes
        .iter()
        .filter(|o| o.status == Status::Ok)
        .filter_map(|o| {
            let c = checks.iter().find(|c| {
                c.value.as_deref().unwrap_or("(key)") == o.value && key_of(rule, c) == o.key
            })?;
            match (&o.actual, &c.absent_label) {
                (None, Some(absent)) => Some(absent.clone()),
                _ => c.ok_label.clone(),
            }
        })
        .collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
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
    reported: &str,
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
    if !reported.is_empty() {
        s.push_str(&format!("; {reported}"));
    }
    s.push('.');
    s
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

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
id = "T"
title = "t"
source = "s"
os = ["windows-xp"]
codes = ["0x80070422"]
hive = "system"
key = 'Services\A'
[[check_set]]
name = "all"
description = "all"
os = ["windows-xp"]
check = [
    { value = "Start", types = ["REG_DWORD"], expect = { not = 4 }, ok_label = "A is not disabled", absent_label = "A has no Start value" },
    { key = 'Services\B', value = "Start", types = ["REG_DWORD"], expect = { not = 4 }, ok_label = "B is not disabled" },
]
[summary]
confirmed = "c"
latent = "l"
other_cause = "o"
healthy = "{held}."
not_applicable = "n"
inconclusive = "i"
"#;

    fn outcome(key: &str, actual: bool) -> Outcome {
        let data = crate::finding::TypedData {
            ty: crate::finding::DataType::Value(crate::registry::value::ValueType::Dword),
            data: "0x00000002".into(),
        };
        Outcome {
            value: "Start".into(),
            key: key.into(),
            status: Status::Ok,
            expected: data.clone(),
            actual: actual.then_some(data),
            note: None,
        }
    }

    #[test]
    fn held_says_what_was_read_and_what_was_absent() {
        let rule = Rule::parse(RULE, "t.toml").unwrap();
        let read = [outcome("Services\\A", true), outcome("Services\\B", true)];
        assert_eq!(
            describe_held(&rule, &read),
            "A is not disabled and B is not disabled"
        );
        // Absent: its absent_label; without one, the ok_label.
        let absent = [outcome("Services\\A", false), outcome("Services\\B", false)];
        assert_eq!(
            describe_held(&rule, &absent),
            "A has no Start value and B is not disabled"
        );
    }

    #[test]
    fn held_needs_every_checks_ok_label() {
        let text = RULE.replace(r#", ok_label = "B is not disabled""#, "");
        let err = Rule::parse(&text, "t.toml").unwrap_err();
        assert!(err.message.contains("ok_label"), "{err}");
    }
}
