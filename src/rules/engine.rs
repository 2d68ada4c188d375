//! Evaluating rules over a host's facts: the same verdict logic for every rule.

use chrono::{DateTime, NaiveDateTime, Utc};

pub use super::checks::type_number;
use super::checks::{self, Deviation, Outcome, Status};
use super::spec::{Check, Data, HiveName, Rule};
use crate::finding::{
    Fact, Finding, LogError, LogEvidence, ReadError, RegistryEvidence, RegistryResult, Remedy,
    Severity, ValueProblem, Verdict,
};
use crate::registry::os::{OsFamily, OsInfo};
use crate::registry::regfile::{render_reg_v5, RegKeyEdit};
use crate::registry::view::eq_ignore_case;
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
    fn hive(&self, h: HiveName) -> Option<&HiveFacts<'a>> {
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

fn key_of<'r>(rule: &'r Rule, c: &'r Check) -> &'r str {
    c.key.as_deref().unwrap_or(&rule.key)
}

fn hive_of(rule: &Rule, c: &Check) -> HiveName {
    c.hive.unwrap_or(rule.hive)
}

fn last_component(path: &str) -> &str {
    path.rsplit('\\').next().unwrap_or(path)
}

/// "0x800704DD (12 lines) and 0x80240020 (3 lines)"
fn describe_errors(log: &[LogError], reg: &[RegistryResult]) -> String {
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

fn describe_problems(rule: &Rule, outcomes: &[Outcome], key_present: bool) -> String {
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
            parts.push(format!("{} {} ({})", names.len(), d.words(), names.join(", ")));
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
fn rule_checks_labels(rule: &Rule, outcomes: &[Outcome]) -> Vec<String> {
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

fn is_problem(s: &Status) -> bool {
    matches!(s, Status::Deviates(_))
}

/// What a rule's outcomes say together. Every outcome counts: one that could
/// not be judged makes the whole unjudged, and no outcome at all is not "right".
enum Judgement<'o> {
    /// Some checks could not be judged (the outcomes concerned).
    Unjudged(Vec<&'o Outcome>),
    /// Every check was judged, and some deviate.
    Deviates,
    /// Every check was judged (or does not apply), none deviates.
    AllRight,
}

fn judge(outcomes: &[Outcome]) -> Judgement<'_> {
    let unjudged: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.status.unjudged().is_some())
        .collect();
    if !unjudged.is_empty() || outcomes.is_empty() {
        return Judgement::Unjudged(unjudged);
    }
    if outcomes.iter().any(|o| is_problem(&o.status)) {
        Judgement::Deviates
    } else {
        Judgement::AllRight
    }
}

/// "Microsoft\…\SensLogn: value list unreadable: …; …"
fn describe_unjudged(unjudged: &[&Outcome]) -> String {
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

fn parse_log_time(s: &str) -> Option<(NaiveDateTime, bool)> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t.with_timezone(&Utc).naive_utc(), true));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| (t, false))
}

fn timeline(key_name: &str, written: Option<DateTime<Utc>>, errors: &[LogError]) -> Vec<String> {
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

fn remedy_for(rule: &Rule, set: &str, checks: &[(&Check, &Outcome)]) -> Option<Remedy> {
    let mut edits: Vec<(String, RegKeyEdit)> = Vec::new();
    let mut values = Vec::new();
    for (c, o) in checks {
        if !is_problem(&o.status) {
            continue;
        }
        let (Some(name), Some(data)) = (&c.value, c.fix.as_ref().or(c.expect.equals.as_ref()))
        else {
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
        let ty = c.types.first().and_then(|t| type_number(t));
        let edit = std::mem::replace(&mut edits[pos].1, RegKeyEdit::new(""));
        edits[pos].1 = match (data, ty) {
            (Data::Number(n), Some(11)) => edit.qword(name.as_str(), *n),
            (Data::Number(n), _) => edit.dword(name.as_str(), *n as u32),
            (Data::Text(s), Some(2)) => edit.expand_string(name.as_str(), s),
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

/// Fills `{name}` placeholders; the sentence starts with a capital letter.
fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
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

fn severity(verdict: Verdict, has_errors: bool) -> Severity {
    match verdict {
        Verdict::Confirmed => Severity::High,
        Verdict::Latent | Verdict::OtherCause => Severity::Medium,
        Verdict::Healthy => Severity::Info,
        Verdict::NotApplicable | Verdict::Inconclusive if has_errors => Severity::Low,
        Verdict::NotApplicable | Verdict::Inconclusive => Severity::Info,
    }
}

/// The rule's facts that the host's hives hold.
fn read_facts(rule: &Rule, facts: &Facts) -> Vec<Fact> {
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
            (c, checks::evaluate(c, key_of(rule, c), hive.view, &hive.prefix))
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
    for (c, o) in &outcomes {
        let other_key = key_of(rule, c) != rule.key || hive_of(rule, c) != rule.hive;
        let problem = |reason: Option<&str>| ValueProblem {
            value: o.value.clone(),
            key: other_key.then(|| format!("{}\\{}", hive_of(rule, c).as_str(), o.key)),
            problem: o.status.problem().to_string(),
            reason: reason.map(str::to_string),
            expected: o.expected.clone(),
            actual: o.actual.clone(),
        };
        match &o.status {
            Status::Deviates(_) => reg.problems.push(problem(None)),
            Status::Unreadable(r) | Status::NotInEvidence(r) => reg.problems.push(problem(Some(r))),
            // Only what was read and is right: a check satisfied by an absent value is not listed.
            Status::Ok if o.actual.is_some() => reg.ok.push(o.value.clone()),
            Status::Ok | Status::Skipped => {}
        }
        if let Status::Unreadable(r) = &o.status {
            let source = facts.hive(hive_of(rule, c)).map(|h| h.source.clone());
            let error = ReadError {
                source: source.unwrap_or_default(),
                message: r.clone(),
            };
            if !finding.read_errors.contains(&error) {
                finding.read_errors.push(error);
            }
        }
    }
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
        (Judgement::AllRight, true) => (
            Verdict::OtherCause,
            fill(&rule.summary.other_cause, &pairs),
        ),
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

/// The summary of a rule some of whose checks could not be judged.
fn unjudged_summary(unjudged: &[&Outcome], all: &[Outcome], problems: &str, errors: &str) -> String {
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

/// Values of the key that no check of the set names.
fn extra_values(k: &crate::registry::Key, checks: &[Check]) -> Vec<String> {
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
