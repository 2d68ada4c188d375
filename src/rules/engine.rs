//! Evaluating rules over a host's facts: the same verdict logic for every rule.

pub use super::checks::type_number;
use super::checks::{self, Outcome, Status};
use super::gather::{extra_values, read_facts, record_outcomes, remedy_for};
use super::spec::{Check, HiveName, Rule};
use super::verdict::{judge, severity, Judgement};
use super::wording::{
    describe_errors, describe_problems, fill, hive_of, key_of, last_component, timeline,
    unjudged_summary,
};
use crate::finding::{
    Finding, LogError, LogEvidence, RegistryEvidence, RegistryResult, Severity, Verdict,
};
use crate::registry::os::{OsFamily, OsInfo};
use crate::registry::RegistryView;

/// One readable hive of a host.
pub struct HiveFacts<'a> {
    /// The input it came from.
    pub source: String,
    pub view: &'a dyn RegistryView,
    /// SYSTEM: the current control set (`ControlSet001`), which check paths are below.
    pub prefix: String,
    /// Said in every finding that used this hive (dirty, logs replayed …).
    pub notes: Vec<String>,
}

/// What is known about a host.
pub struct Facts<'a> {
    pub os: Option<&'a OsInfo>,
    pub software: Option<HiveFacts<'a>>,
    pub system: Option<HiveFacts<'a>>,
    /// Why a hive is missing, for `inconclusive` findings.
    pub software_problem: Option<String>,
    pub system_problem: Option<String>,
    /// Per-code log evidence for the given codes; `None` when the host has no readable log.
    pub log: &'a dyn Fn(&[String]) -> Option<LogEvidence>,
    /// Windows Update results recorded in the SOFTWARE hive.
    pub registry_results: &'a [RegistryResult],
}

impl<'a> Facts<'a> {
    pub(crate) fn hive(&self, h: HiveName) -> Option<&HiveFacts<'a>> {
        match h {
            HiveName::Software => self.software.as_ref(),
            HiveName::System => self.system.as_ref(),
        }
    }

    fn problem(&self, h: HiveName) -> String {
        let p = match h {
            HiveName::Software => &self.software_problem,
            HiveName::System => &self.system_problem,
        };
        p.clone()
            .unwrap_or_else(|| format!("no readable {} hive was found", h.as_str()))
    }
}

/// Evaluates one rule. Registry read errors become notes; nothing fails.
pub fn evaluate(rule: &Rule, facts: &Facts) -> Finding {
    let codes: Vec<String> = rule.codes.iter().map(|c| c.to_string()).collect();
    let log = (facts.log)(&codes);
    let log_errors: Vec<LogError> = log.as_ref().map(|l| l.errors.clone()).unwrap_or_default();
    let registry_errors: Vec<RegistryResult> = facts
        .registry_results
        .iter()
        .filter(|r| codes.contains(&r.code))
        .cloned()
        .collect();
    let has_errors = !log_errors.is_empty() || !registry_errors.is_empty();
    let errors = describe_errors(&log_errors, &registry_errors);
    let or_codes = codes.join(" or ");
    let no_errors = if log.is_some() {
        format!("no update log reports {or_codes}")
    } else {
        "no update log was found to show whether updates fail".to_string()
    };
    let family = facts.os.map(|o| o.family).unwrap_or(OsFamily::Unknown);
    let os_description = facts
        .os
        .map(|o| o.description.clone())
        .unwrap_or_else(|| family.describe().to_string());
    let mut notes = Vec::new();
    let mut finding = Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        codes: codes.clone(),
        verdict: Verdict::Inconclusive,
        severity: Severity::Info,
        summary: String::new(),
        registry: None,
        log,
        registry_errors,
        facts: read_facts(rule, facts),
        timeline: Vec::new(),
        remedy: None,
        unchecked_steps: Vec::new(),
        notes: Vec::new(),
        read_errors: Vec::new(),
    };
    let base_pairs = [
        ("os_description", os_description.as_str()),
        ("os", family.describe()),
        ("errors", errors.as_str()),
        ("no_errors", no_errors.as_str()),
    ];
    let main = facts.hive(rule.hive);
    let main_key = main.map(|h| {
        let full = if h.prefix.is_empty() {
            rule.key.clone()
        } else {
            format!("{}\\{}", h.prefix, rule.key)
        };
        (h, h.view.key(&full))
    });
    let evidence = |present: bool, last_written, table: Option<String>| {
        main.map(|h| RegistryEvidence {
            source: h.source.clone(),
            key: format!(
                "{}\\{}",
                rule.hive.reg_root().replace("CurrentControlSet", &h.prefix),
                rule.key
            )
            .replace("\\\\", "\\"),
            present,
            last_written,
            table,
            unreadable: None,
            problems: Vec::new(),
            ok: Vec::new(),
            extra_values: Vec::new(),
            notes: Vec::new(),
        })
    };

    // The OS is unknown and the rule is for some versions only: cannot tell.
    if family == OsFamily::Unknown && !rule.os.contains(&family) {
        let versions: Vec<&str> = rule.os.iter().map(|o| o.describe()).collect();
        finding.verdict = Verdict::Inconclusive;
        finding.severity = severity(finding.verdict, has_errors);
        finding.summary = format!(
            "The OS version is unknown, and this rule applies to {} only, so it could not be checked.",
            versions.join(", ")
        );
        finding.notes.extend(facts.software_problem.clone());
        return finding;
    }
    // Not for this OS.
    if !rule.os.contains(&family) {
        let present = matches!(&main_key, Some((_, Ok(Some(_)))));
        let written = match &main_key {
            Some((_, Ok(Some(k)))) => k.last_written,
            _ => None,
        };
        finding.registry = evidence(present, written, None);
        if let (Some(r), Some(n)) = (&mut finding.registry, &rule.not_applicable_note) {
            r.notes.push(fill(n, &base_pairs));
        }
        finding.verdict = Verdict::NotApplicable;
        let t = match (&rule.summary.not_applicable_with_errors, has_errors) {
            (Some(t), true) => t,
            _ => &rule.summary.not_applicable,
        };
        finding.summary = fill(t, &base_pairs);
        finding.severity = severity(finding.verdict, has_errors);
        return finding;
    }

    let Some(set) = rule
        .check_sets
        .iter()
        .find(|s| s.os.contains(&family))
        .or(rule.check_sets.first())
    else {
        finding.summary = "The rule has no checks, so nothing could be checked.".into();
        finding.severity = severity(finding.verdict, has_errors);
        return finding;
    };
    // The rule's own hive (whose key is reported) and every hive a check reads.
    let missing_hive = std::iter::once(rule.hive)
        .chain(set.checks.iter().map(|c| hive_of(rule, c)))
        .find(|h| facts.hive(*h).is_none());
    let steps = |fam: OsFamily| -> Vec<String> {
        rule.unchecked_steps
            .iter()
            .filter(|s| s.os.as_ref().is_none_or(|os| os.contains(&fam)))
            .map(|s| s.text.clone())
            .collect()
    };
    if let Some(h) = missing_hive {
        notes.push(facts.problem(h));
        finding.verdict = Verdict::Inconclusive;
        let t = match (&rule.summary.inconclusive_with_errors, has_errors) {
            (Some(t), true) => t,
            _ => &rule.summary.inconclusive,
        };
        finding.summary = fill(t, &base_pairs);
        finding.severity = severity(finding.verdict, has_errors);
        finding.unchecked_steps = steps(family);
        finding.notes = notes;
        return finding;
    }

    let main_present = matches!(&main_key, Some((_, Ok(Some(_)))));
    if rule.key_absent_is_inconclusive && !main_present {
        finding.verdict = Verdict::Inconclusive;
        finding.severity = severity(finding.verdict, has_errors);
        finding.summary = format!(
            "The key {} is absent from this evidence (every whole {} hive has it), so this could not be checked.",
            rule.key,
            rule.hive.as_str()
        );
        finding.notes = notes;
        return finding;
    }
    let mut reg_notes = Vec::new();
    if family == OsFamily::Unknown {
        reg_notes.push(format!(
            "the OS version is unknown ({}); judged against the {} table",
            facts
                .os
                .and_then(|o| o.note.as_deref())
                .unwrap_or("no version values"),
            set.description
        ));
    }
    let outcomes: Vec<(&Check, Outcome)> = set
        .checks
        .iter()
        .map(|c| {
            let hive = facts.hive(hive_of(rule, c)).expect("checked above");
            (
                c,
                checks::evaluate(c, key_of(rule, c), hive.view, &hive.prefix),
            )
        })
        .collect();
    let (present, written) = match &main_key {
        Some((_, Ok(Some(k)))) => (true, k.last_written),
        _ => (false, None),
    };
    if !present {
        if let Some((h, Ok(None))) = &main_key {
            if let Some((parent, _)) = rule.key.rsplit_once('\\') {
                let full = if h.prefix.is_empty() {
                    parent.to_string()
                } else {
                    format!("{}\\{parent}", h.prefix)
                };
                if matches!(h.view.key(&full), Ok(None)) && h.view.absence_unknown(&full).is_none()
                {
                    reg_notes.push(format!("the key {parent} is absent too"));
                }
            }
        }
    }
    for (_, o) in &outcomes {
        if let Some(n) = &o.note {
            reg_notes.push(format!("{}: {n}", o.value));
        }
    }
    // A table name only means something where the rule has one per OS.
    let table = (rule.check_sets.len() > 1).then(|| set.name.clone());
    let mut reg = evidence(present, written, table).expect("main hive present");
    if let Some((_, Err(e))) = &main_key {
        reg.unreadable = Some(e.to_string());
    }
    record_outcomes(rule, facts, &outcomes, &mut reg, &mut finding.read_errors);
    if rule.list_extra_values {
        if let Some((_, Ok(Some(k)))) = &main_key {
            reg.extra_values = extra_values(k, &set.checks);
        }
    }
    reg.notes = reg_notes;
    let plain: Vec<Outcome> = outcomes.iter().map(|(_, o)| o.clone()).collect();
    let problems = describe_problems(rule, &plain, present);
    let count = plain
        .iter()
        .filter(|o| o.status != Status::Skipped)
        .count()
        .to_string();
    let key_name = last_component(&rule.key);
    let pairs: Vec<(&str, &str)> = base_pairs
        .iter()
        .copied()
        .chain([
            ("problems", problems.as_str()),
            ("count", count.as_str()),
            ("key_name", key_name),
        ])
        .collect();
    let judgement = judge(&plain);
    let (verdict, summary) = match (&judgement, has_errors) {
        (Judgement::Unjudged(u), _) => (
            Verdict::Inconclusive,
            unjudged_summary(u, &plain, &problems, &errors),
        ),
        (Judgement::Deviates, true) => (Verdict::Confirmed, fill(&rule.summary.confirmed, &pairs)),
        (Judgement::Deviates, false) => (Verdict::Latent, fill(&rule.summary.latent, &pairs)),
        (Judgement::AllRight, true) => {
            (Verdict::OtherCause, fill(&rule.summary.other_cause, &pairs))
        }
        (Judgement::AllRight, false) => (Verdict::Healthy, fill(&rule.summary.healthy, &pairs)),
    };
    finding.verdict = verdict;
    finding.severity = severity(verdict, has_errors);
    finding.summary = summary;
    finding.timeline = timeline(key_name, written, &log_errors);
    if rule.remedy && !matches!(judgement, Judgement::Unjudged(_)) {
        let pairs: Vec<(&Check, &Outcome)> = outcomes.iter().map(|(c, o)| (*c, o)).collect();
        finding.remedy = remedy_for(rule, &set.name, &pairs);
    }
    if !matches!(verdict, Verdict::Healthy) {
        finding.unchecked_steps = steps(family);
    }
    for h in [HiveName::Software, HiveName::System] {
        if set.checks.iter().any(|c| hive_of(rule, c) == h) || rule.hive == h {
            if let Some(f) = facts.hive(h) {
                notes.extend(f.notes.iter().cloned());
            }
        }
    }
    finding.registry = Some(reg);
    finding.notes = notes;
    finding
}

/// Evaluates every rule; an `other-cause` finding names the causes its
/// related rules found.
pub fn evaluate_all(rules: &[Rule], facts: &Facts) -> Vec<Finding> {
    let mut findings: Vec<Finding> = rules.iter().map(|r| evaluate(r, facts)).collect();
    for (i, rule) in rules.iter().enumerate() {
        if findings[i].verdict != Verdict::OtherCause {
            continue;
        }
        let found: Vec<String> = rule
            .related
            .iter()
            .filter_map(|id| findings.iter().find(|f| &f.rule == id))
            .filter(|f| matches!(f.verdict, Verdict::Confirmed | Verdict::Latent))
            .map(|f| format!("{} ({})", f.title, f.rule))
            .collect();
        if !found.is_empty() {
            findings[i]
                .summary
                .push_str(&format!(" Found: {}.", found.join("; ")));
        }
    }
    findings
}
