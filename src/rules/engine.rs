//! Evaluating rules over a host's facts: the same verdict logic for every rule.

pub use super::facts::{Facts, HiveFacts};

use super::checks::{self, Outcome, Status};
use super::gather::{extra_values, read_facts, record_outcomes, remedy_for};
use super::spec::{Check, CheckSet, HiveName, Rule};
use super::story::{steps, timeline, timeline_key};
use super::verdict::{judge, severity, Judgement};
use super::wording::{
    describe_errors, describe_held, describe_problems, fill, hive_of, key_of, last_component,
    unjudged_summary,
};
use crate::finding::{Finding, LoggedError, RegistryEvidence, RegistryResult, Verdict};
use crate::registry::os::OsFamily;
use crate::registry::{Key, RegistryError};

/// What every phase of a rule's evaluation needs to know.
struct Context<'f> {
    log_errors: Vec<LoggedError>,
    has_errors: bool,
    errors: String,
    /// "the log reports …" or "the registry records …": where the errors are.
    reported: String,
    no_errors: String,
    family: OsFamily,
    os_description: String,
    /// The rule's own hive and its key as read there.
    main: Option<&'f HiveFacts<'f>>,
    main_key: Option<Result<Option<Key>, RegistryError>>,
}

impl<'f> Context<'f> {
    fn pairs(&self) -> [(&str, &str); 5] {
        [
            ("os_description", self.os_description.as_str()),
            ("os", self.family.describe()),
            ("errors", self.errors.as_str()),
            ("reported", self.reported.as_str()),
            ("no_errors", self.no_errors.as_str()),
        ]
    }

    /// Concludes `finding`: the verdict, the summary, the severity they
    /// have given the errors reported, and the steps to take by hand that
    /// go with the verdict (none where the rule does not apply), set
    /// together in every branch.
    fn conclude(&self, rule: &Rule, finding: &mut Finding, verdict: Verdict, summary: String) {
        finding.conclude(verdict, severity(verdict, self.has_errors), summary);
        finding.unchecked_steps = match verdict {
            Verdict::NotApplicable => Vec::new(),
            v => steps(rule, self.family, v),
        };
    }

    fn main_present(&self) -> Option<&Key> {
        match &self.main_key {
            Some(Ok(Some(k))) => Some(k),
            _ => None,
        }
    }

    /// The registry side of the finding, before any check is recorded.
    fn evidence(&self, rule: &Rule, table: Option<String>) -> Option<RegistryEvidence> {
        self.main.map(|h| RegistryEvidence {
            source: h.source.clone(),
            key: format!(
                "{}\\{}",
                rule.hive.reg_root().replace("CurrentControlSet", &h.prefix),
                rule.key
            )
            .replace("\\\\", "\\"),
            present: self.main_present().is_some(),
            unreadable: match &self.main_key {
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            },
            last_written: self.main_present().and_then(|k| k.last_written),
            table,
            problems: Vec::new(),
            ok: Vec::new(),
            extra_values: Vec::new(),
            notes: Vec::new(),
        })
    }
}

fn full_path(hive: &HiveFacts, path: &str) -> String {
    if hive.prefix.is_empty() {
        path.to_string()
    } else {
        format!("{}\\{path}", hive.prefix)
    }
}

/// The context and a finding that says nothing yet (`inconclusive`).
fn begin<'f>(rule: &Rule, facts: &'f Facts<'f>) -> (Context<'f>, Finding) {
    let codes = rule.codes.clone();
    let log = (facts.log)(rule);
    let log_errors: Vec<LoggedError> = log.as_ref().map(|l| l.errors.clone()).unwrap_or_default();
    let registry_errors: Vec<RegistryResult> = facts
        .registry_results
        .iter()
        .filter(|r| codes.contains(&r.code))
        .cloned()
        .collect();
    let no_errors = if log.is_some() {
        format!(
            "no update log reports {}{}",
            crate::finding::join_codes(&codes, " or "),
            super::context::where_phrase(rule)
        )
    } else {
        "no update log was found to show whether updates fail".to_string()
    };
    let family = facts.os.map(|o| o.family).unwrap_or(OsFamily::Unknown);
    let main = facts.hive(rule.hive);
    let ctx = Context {
        has_errors: !log_errors.is_empty() || !registry_errors.is_empty(),
        errors: describe_errors(&log_errors, &registry_errors),
        reported: super::context::reported(&describe_errors(&log_errors, &[]), &registry_errors),
        log_errors,
        no_errors,
        family,
        os_description: facts
            .os
            .map(|o| o.description.clone())
            .unwrap_or_else(|| family.describe().to_string()),
        main,
        main_key: main.map(|h| h.view.key(&full_path(h, &rule.key))),
    };
    let mut finding = Finding::new(&rule.id, &rule.title, codes);
    finding.log = log;
    finding.registry_errors = registry_errors;
    finding.facts = read_facts(rule, facts);
    (ctx, finding)
}

/// The rule does not apply to this OS, or the OS is unknown and the rule
/// is for some versions only: the finding is complete.
fn out_of_scope(rule: &Rule, facts: &Facts, ctx: &Context, finding: &mut Finding) -> bool {
    if ctx.family == OsFamily::Unknown && !rule.os.contains(&ctx.family) {
        let versions: Vec<&str> = rule.os.iter().map(|o| o.describe()).collect();
        let summary = format!(
            "The OS version is unknown, and this rule applies to {} only, so it could not be checked.",
            versions.join(", ")
        );
        ctx.conclude(rule, finding, Verdict::Inconclusive, summary);
        finding.notes.extend(facts.software_problem.clone());
        return true;
    }
    if rule.os.contains(&ctx.family) {
        return false;
    }
    finding.registry = ctx.evidence(rule, None);
    if let (Some(r), Some(n)) = (&mut finding.registry, &rule.not_applicable_note) {
        r.notes.push(fill(n, &ctx.pairs()));
    }
    let t = match (&rule.summary.not_applicable_with_errors, ctx.has_errors) {
        (Some(t), true) => t,
        _ => &rule.summary.not_applicable,
    };
    ctx.conclude(rule, finding, Verdict::NotApplicable, fill(t, &ctx.pairs()));
    true
}

/// A hive the rule needs is missing, or its key is absent where every
/// whole hive has it: the finding is complete (`inconclusive`).
fn cannot_check(
    rule: &Rule,
    facts: &Facts,
    ctx: &Context,
    set: &CheckSet,
    finding: &mut Finding,
) -> bool {
    // The rule's own hive (whose key is reported) and every hive a check reads.
    let missing_hive = std::iter::once(rule.hive)
        .chain(set.checks.iter().map(|c| hive_of(rule, c)))
        .find(|h| facts.hive(*h).is_none());
    if let Some(h) = missing_hive {
        finding.notes.push(facts.problem(h));
        let t = match (&rule.summary.inconclusive_with_errors, ctx.has_errors) {
            (Some(t), true) => t,
            _ => &rule.summary.inconclusive,
        };
        ctx.conclude(rule, finding, Verdict::Inconclusive, fill(t, &ctx.pairs()));
        return true;
    }
    if rule.key_absent_is_inconclusive && ctx.main_present().is_none() {
        let summary = format!(
            "The key {} is absent from this evidence (every whole {} hive has it), so this could not be checked.",
            rule.key,
            rule.hive.as_str()
        );
        ctx.conclude(rule, finding, Verdict::Inconclusive, summary);
        return true;
    }
    false
}

/// Notes on the registry evidence: an unknown OS, an absent parent key,
/// accepted variants.
fn registry_notes(
    rule: &Rule,
    facts: &Facts,
    ctx: &Context,
    set: &CheckSet,
    outcomes: &[(&Check, Outcome)],
) -> Vec<String> {
    let mut notes = Vec::new();
    if ctx.family == OsFamily::Unknown {
        notes.push(format!(
            "the OS version is unknown ({}); judged against the {} table",
            facts
                .os
                .and_then(|o| o.note.as_deref())
                .unwrap_or("no version values"),
            set.description
        ));
    }
    if let (Some(h), Some(Ok(None))) = (ctx.main, &ctx.main_key) {
        if let Some((parent, _)) = rule.key.rsplit_once('\\') {
            let full = full_path(h, parent);
            if matches!(h.view.key(&full), Ok(None)) && h.view.absence_unknown(&full).is_none() {
                notes.push(format!("the key {parent} is absent too"));
            }
        }
    }
    for (_, o) in outcomes {
        if let Some(n) = &o.note {
            notes.push(format!("{}: {n}", o.value));
        }
    }
    notes
}

/// The verdict and its summary, from every outcome.
fn conclude(
    rule: &Rule,
    ctx: &Context,
    plain: &[Outcome],
    judgement: &Judgement,
) -> (Verdict, String) {
    let problems = describe_problems(rule, plain, ctx.main_present().is_some());
    let held = describe_held(rule, plain);
    let count = plain
        .iter()
        .filter(|o| o.status != Status::Skipped)
        .count()
        .to_string();
    let base = ctx.pairs();
    let pairs: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .chain([
            ("problems", problems.as_str()),
            ("held", held.as_str()),
            ("count", count.as_str()),
            ("key_name", last_component(&rule.key)),
        ])
        .collect();
    match (judgement, ctx.has_errors) {
        (Judgement::Unjudged(u), _) => (
            Verdict::Inconclusive,
            unjudged_summary(u, plain, &problems, &ctx.reported),
        ),
        (Judgement::Deviates, true) => (Verdict::Confirmed, fill(&rule.summary.confirmed, &pairs)),
        (Judgement::Deviates, false) => (Verdict::Latent, fill(&rule.summary.latent, &pairs)),
        (Judgement::AllRight, true) => {
            (Verdict::OtherCause, fill(&rule.summary.other_cause, &pairs))
        }
        (Judgement::AllRight, false) => (Verdict::Healthy, fill(&rule.summary.healthy, &pairs)),
    }
}

/// Evaluates one rule. What cannot be read makes it `inconclusive` and is
/// listed in `read_errors` for its input; nothing fails.
pub fn evaluate(rule: &Rule, facts: &Facts) -> Finding {
    let (ctx, mut finding) = begin(rule, facts);
    if out_of_scope(rule, facts, &ctx, &mut finding) {
        return finding;
    }
    let Some(set) = rule
        .check_sets
        .iter()
        .find(|s| s.os.contains(&ctx.family))
        .or(rule.check_sets.first())
    else {
        let summary = "The rule has no checks, so nothing could be checked.".into();
        ctx.conclude(rule, &mut finding, Verdict::Inconclusive, summary);
        return finding;
    };
    if cannot_check(rule, facts, &ctx, set, &mut finding) {
        return finding;
    }
    let outcomes: Vec<(&Check, Outcome)> = set
        .checks
        .iter()
        .filter_map(|c| {
            let hive = facts.hive(hive_of(rule, c))?;
            let outcome = checks::evaluate(c, key_of(rule, c), hive.view, &hive.prefix);
            Some((c, outcome))
        })
        .collect();
    // A table name only means something where the rule has one per OS.
    let table = (rule.check_sets.len() > 1).then(|| set.name.clone());
    let Some(mut reg) = ctx.evidence(rule, table) else {
        return finding;
    };
    record_outcomes(rule, facts, &outcomes, &mut reg, &mut finding.read_errors);
    if rule.list_extra_values {
        if let Some(k) = ctx.main_present() {
            reg.extra_values = extra_values(k, &set.checks);
        }
    }
    reg.notes = registry_notes(rule, facts, &ctx, set, &outcomes);
    let plain: Vec<Outcome> = outcomes.iter().map(|(_, o)| o.clone()).collect();
    let judgement = judge(&plain);
    let (verdict, summary) = conclude(rule, &ctx, &plain, &judgement);
    ctx.conclude(rule, &mut finding, verdict, summary);
    let (key, written) = timeline_key(rule, ctx.main_present(), &outcomes, |c, key| {
        let h = facts.hive(hive_of(rule, c))?;
        h.view.key(&full_path(h, key)).ok().flatten()?.last_written
    });
    finding.timeline = timeline(last_component(key), written, &ctx.log_errors, verdict);
    if rule.remedy && !matches!(judgement, Judgement::Unjudged(_)) {
        let pairs: Vec<(&Check, &Outcome)> = outcomes.iter().map(|(c, o)| (*c, o)).collect();
        finding.remedy = remedy_for(rule, &set.name, &pairs);
    }
    for h in [HiveName::Software, HiveName::System] {
        if set.checks.iter().any(|c| hive_of(rule, c) == h) || rule.hive == h {
            if let Some(f) = facts.hive(h) {
                finding.notes.extend(f.notes.iter().cloned());
            }
        }
    }
    finding.registry = Some(reg);
    finding
}

/// Evaluates every rule; an `other-cause` finding names the causes its
/// related rules found.
pub fn evaluate_all(rules: &[Rule], facts: &Facts) -> Vec<Finding> {
    let mut findings: Vec<Finding> = rules
        .iter()
        .map(|r| {
            let mut f = evaluate(r, facts);
            super::context::note_outside(r, &mut f);
            f
        })
        .collect();
    super::context::supersede(rules, &mut findings);
    super::story::name_related(rules, &mut findings);
    findings
}
