//! Text output for people: per host, what needs action first (worst
//! first), the other rules folded into one line per verdict, the log
//! evidence once, the inputs; a closing summary when there are several hosts.

mod evidence;
mod finding;
mod host;
mod summary;

use super::Report;
use crate::finding::{Finding, Severity, Verdict};

/// How to show the text: colour (only on a terminal, never with
/// `NO_COLOR`), and every rule's summary instead of folded lines (`-v`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Colour the output with ANSI escapes.
    pub color: bool,
    /// Every rule's summary instead of folded lines.
    pub verbose: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    fn verdict(&self, v: Verdict, sev: Severity) -> String {
        let code = match sev {
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;36",
            Severity::Info => "1;32",
        };
        self.paint(code, &v.as_str().to_uppercase())
    }
}

/// The whole report as text (control characters from the evidence escaped).
pub fn render(report: &Report, style: Style) -> String {
    let report = &super::escape::escaped(report);
    let mut out = String::new();
    for (i, host) in report.hosts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        host::render_host(&mut out, host, style);
    }
    if report.hosts.len() > 1 {
        out.push('\n');
        summary::render_summary(&mut out, &report.hosts, style);
    }
    out
}

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

/// "1 line", "12 lines".
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
