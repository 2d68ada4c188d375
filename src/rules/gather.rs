//! What a finding reports beside its verdict: facts, extra values, remedy.

use super::checks::{Outcome, Status};
use super::facts::Facts;
use super::spec::{Check, Data, Rule};
use super::verdict::is_problem;
use super::wording::{hive_of, key_of};
use crate::finding::{Fact, ReadError, RegistryEvidence, Remedy, ValueProblem};
use crate::registry::regfile::{render_reg_v5, RegKeyEdit};
use crate::registry::value::ValueType;
use crate::registry::view::eq_ignore_case;

/// The rule's facts that the host's hives hold.
pub(crate) fn read_facts(rule: &Rule, facts: &Facts) -> Vec<Fact> {
    let mut out = Vec::new();
    for f in &rule.facts {
        let hive_name = f.hive.unwrap_or(rule.hive);
        let Some(hive) = facts.hive(hive_name) else {
            continue;
        };
        let path = if hive.prefix.is_empty() {
            f.key.clone()
        } else {
            format!("{}\\{}", hive.prefix, f.key)
        };
        let Ok(Some(key)) = hive.view.key(&path) else {
            continue;
        };
        let Some(v) = key.value(&f.value) else {
            continue;
        };
        let raw = match &v.data {
            crate::registry::ValueData::Dword(d) => d.to_string(),
            other => other.display(),
        };
        let value = match f.meanings.get(&raw) {
            Some(m) => format!("{raw} ({m})"),
            None => raw,
        };
        out.push(Fact {
            name: f.label.clone(),
            value,
            key: format!("{}\\{}", hive_name.as_str(), f.key),
        });
    }
    out
}

/// Values of the key that no check of the set names.
pub(crate) fn extra_values(k: &crate::registry::Key, checks: &[Check]) -> Vec<String> {
    k.values
        .iter()
        .filter(|v| {
            !checks.iter().any(|c| {
                c.value
                    .as_deref()
                    .is_some_and(|n| eq_ignore_case(n, &v.name))
            })
        })
        .map(|v| {
            if v.name.is_empty() {
                "(Default)".to_string()
            } else {
                v.name.clone()
            }
        })
        .collect()
}

pub(crate) fn remedy_for(rule: &Rule, set: &str, checks: &[(&Check, &Outcome)]) -> Option<Remedy> {
    let mut edits: Vec<(String, RegKeyEdit)> = Vec::new();
    let mut values = Vec::new();
    for (c, o) in checks {
        if !is_problem(&o.status) {
            continue;
        }
        let (Some(name), Some(data)) = (&c.value, c.fix.as_ref().or(c.expect.equals())) else {
            continue;
        };
        let path = format!("{}\\{}", hive_of(rule, c).reg_root(), key_of(rule, c));
        let pos = match edits.iter().position(|(p, _)| *p == path) {
            Some(i) => i,
            None => {
                edits.push((path.clone(), RegKeyEdit::new(path)));
                edits.len() - 1
            }
        };
        let ty = c.types.first().copied();
        let edit = std::mem::replace(&mut edits[pos].1, RegKeyEdit::new(""));
        edits[pos].1 = match (data, ty) {
            (Data::Number(n), Some(ValueType::Qword)) => edit.qword(name.as_str(), *n),
            (Data::Number(n), _) => edit.dword(name.as_str(), *n as u32),
            (Data::Text(s), Some(ValueType::ExpandSz)) => edit.expand_string(name.as_str(), s),
            (Data::Text(s), _) => edit.string(name.as_str(), s),
        };
        values.push(name.clone());
    }
    if values.is_empty() {
        return None;
    }
    let keys: Vec<RegKeyEdit> = edits.into_iter().map(|(_, e)| e).collect();
    Some(Remedy {
        file: None,
        table: set.to_string(),
        values,
        reg: render_reg_v5(&keys),
    })
}

/// Puts each outcome where it belongs: deviations and checks not judged in
/// `problems` (with the reason), values read and right in `ok`, and what a
/// damaged input could not give in `read_errors` (once each).
pub(crate) fn record_outcomes(
    rule: &Rule,
    facts: &Facts,
    outcomes: &[(&Check, Outcome)],
    reg: &mut RegistryEvidence,
    read_errors: &mut Vec<ReadError>,
) {
    for (c, o) in outcomes {
        let other_key = key_of(rule, c) != rule.key || hive_of(rule, c) != rule.hive;
        if let Some(problem) = o.status.problem() {
            reg.problems.push(ValueProblem {
                value: o.value.clone(),
                key: other_key.then(|| format!("{}\\{}", hive_of(rule, c).as_str(), o.key)),
                problem,
                reason: o.status.unjudged().map(str::to_string),
                expected: o.expected.clone(),
                actual: o.actual.clone(),
            });
        }
        // Only what was read and is right: a check satisfied by an absent value is not listed.
        if o.status == Status::Ok && o.actual.is_some() {
            reg.ok.push(o.value.clone());
        }
        if let Status::Unreadable(r) = &o.status {
            let source = facts.hive(hive_of(rule, c)).map(|h| h.source.clone());
            let error = ReadError {
                source: source.unwrap_or_default(),
                message: r.clone(),
            };
            if !read_errors.contains(&error) {
                read_errors.push(error);
            }
        }
    }
}
