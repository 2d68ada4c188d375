//! Which findings a host shows in full, and in what order.

use crate::finding::{Finding, Severity, Verdict};

/// A finding whose verdict points at a problem.
fn is_problem(f: &Finding) -> bool {
    matches!(
        f.verdict,
        Verdict::Confirmed | Verdict::Latent | Verdict::OtherCause
    )
}

/// The findings a host shows in full, worst first (severity, then verdict,
/// then the rules' order): every problem, every finding that could not
/// judge what it read (damaged or partial evidence), then each `not-applicable` or
/// `inconclusive` finding whose rule's codes are logged, where it cites a
/// code no finding before it cites (so logged errors are never hidden, and
/// never repeated by every rule that shares the code).
pub(crate) fn shown_in_full(findings: &[Finding]) -> Vec<&Finding> {
    let mut shown: Vec<&Finding> = findings.iter().filter(|f| is_problem(f)).collect();
    shown.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.verdict));
    shown.extend(findings.iter().filter(|f| unjudged(f)));
    let mut cited: Vec<&str> = shown.iter().flat_map(|f| logged_codes(f)).collect();
    for f in findings
        .iter()
        .filter(|f| !is_problem(f) && !unjudged(f) && f.severity > Severity::Info)
    {
        let logged = logged_codes(f);
        if logged.iter().any(|c| !cited.contains(c)) {
            cited.extend(logged);
            shown.push(f);
        }
    }
    shown
}

/// An `inconclusive` finding that read its key but could not judge it
/// (damaged, or not in an export): what to collect again is said in full.
fn unjudged(f: &Finding) -> bool {
    f.verdict == Verdict::Inconclusive
        && f.registry.as_ref().is_some_and(|r| {
            r.unreadable.is_some()
                || r.problems
                    .iter()
                    .any(|p| matches!(p.problem.as_str(), "unreadable" | "not-in-evidence"))
        })
}

/// The codes a finding's evidence reports (log or registry).
fn logged_codes(f: &Finding) -> Vec<&str> {
    let log = f
        .log
        .iter()
        .flat_map(|l| &l.errors)
        .map(|e| e.code.as_str());
    let reg = f.registry_errors.iter().map(|r| r.code.as_str());
    log.chain(reg).collect()
}
