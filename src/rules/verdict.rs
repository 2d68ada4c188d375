//! A rule's verdict as a function of all its check outcomes.

use super::checks::{Outcome, Status};
use crate::finding::{Severity, Verdict};

pub(crate) fn is_problem(s: &Status) -> bool {
    matches!(s, Status::Deviates(_))
}

/// What a rule's outcomes say together. Every outcome counts: one that could
/// not be judged makes the whole unjudged, and no outcome at all is not "right".
pub(crate) enum Judgement<'o> {
    /// Some checks could not be judged (the outcomes concerned).
    Unjudged(Vec<&'o Outcome>),
    /// Every check was judged, and some deviate.
    Deviates,
    /// Every check was judged (or does not apply), none deviates.
    AllRight,
}

pub(crate) fn judge(outcomes: &[Outcome]) -> Judgement<'_> {
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

pub(crate) fn severity(verdict: Verdict, has_errors: bool) -> Severity {
    match verdict {
        Verdict::Confirmed => Severity::High,
        Verdict::Latent | Verdict::OtherCause => Severity::Medium,
        Verdict::Healthy => Severity::Info,
        Verdict::NotApplicable | Verdict::Inconclusive if has_errors => Severity::Low,
        Verdict::NotApplicable | Verdict::Inconclusive => Severity::Info,
    }
}
