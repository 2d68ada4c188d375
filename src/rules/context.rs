//! What findings say of a rule's `[[log_context]]` and `superseded_by`:
//! where its generic codes count, what was reported outside that, and which
//! rule found the root cause instead.

use crate::finding::{Finding, RegistryResult, Severity, Verdict};

use super::spec::Rule;

/// " on a line about BITS" when every one of the rule's codes is
/// restricted to one subject; " where the rule's context allows" otherwise.
pub fn where_phrase(rule: &Rule) -> String {
    if rule.log_contexts.is_empty() {
        return String::new();
    }
    let mut abouts: Vec<&str> = rule.log_contexts.iter().map(|c| c.about.as_str()).collect();
    abouts.dedup();
    let all_restricted = rule
        .codes
        .iter()
        .all(|c| rule.contexts_of(*c).next().is_some());
    let subject = abouts.join(" or ");
    if all_restricted {
        format!(" on a line about {subject}")
    } else {
        format!(" (some codes only on lines about {subject})")
    }
}

/// "the log reports 0x… (3 lines)", "the registry records 0x80070002 as the
/// last Install error", or both; `log` is the log side already described.
pub fn reported(log: &str, registry: &[RegistryResult]) -> String {
    let reg: Vec<String> = registry
        .iter()
        .map(|r| {
            let phase = r.key.rsplit('\\').next().unwrap_or(&r.key);
            format!("{} as the last {phase} error", r.code)
        })
        .collect();
    let reg = match reg.len() {
        0 => String::new(),
        1 => reg[0].clone(),
        n => format!("{} and {}", reg[..n - 1].join(", "), reg[n - 1]),
    };
    match (log.is_empty(), reg.is_empty()) {
        (false, true) => format!("the log reports {log}"),
        (true, false) => format!("the registry records {reg}"),
        (false, false) => format!("the log reports {log}, and the registry records {reg}"),
        (true, true) => String::new(),
    }
}

/// Says in the finding's notes which of its codes the logs report only
/// outside its context, so a reader knows why they do not count.
pub fn note_outside(rule: &Rule, finding: &mut Finding) {
    let Some(log) = &finding.log else { return };
    for o in &log.outside_context {
        let lines = if o.count == 1 { "line" } else { "lines" };
        finding.notes.push(format!(
            "{} appears on {} {lines} that are not about {}: a generic code there is not evidence of this rule's cause ({}), so they are not counted",
            o.code, o.count, o.about, rule.id
        ));
    }
}

/// A rule superseded by another whose cause was found (`confirmed` or
/// `latent`) is not judged: it says which rule found the root cause instead
/// of raising a second alarm (`inconclusive`, severity info).
pub fn supersede(rules: &[Rule], findings: &mut [Finding]) {
    for (i, rule) in rules.iter().enumerate() {
        let by = rule.superseded_by.iter().find_map(|id| {
            findings
                .iter()
                .find(|f| {
                    &f.rule == id && matches!(f.verdict, Verdict::Confirmed | Verdict::Latent)
                })
                .map(|f| (f.rule.clone(), f.title.clone()))
        });
        let Some((id, title)) = by else { continue };
        let f = &mut findings[i];
        f.verdict = Verdict::Inconclusive;
        f.severity = Severity::Info;
        f.summary = format!(
            "Not judged: {id} found the root cause, {title}; this rule has nothing to check until that is fixed."
        );
        f.remedy = None;
        f.timeline.clear();
        f.unchecked_steps.clear();
    }
}
