//! One host: its header, the findings that need action (worst first), the
//! other rules folded by verdict (or one line each with `-v`), the log
//! evidence the findings cite, the inputs.

use std::fmt::Write;

use super::evidence::{render_inputs, LogCatalogue};
use super::finding::render_finding;
use super::shown::shown_in_full;
use super::style::Style;
use crate::finding::{Finding, Verdict};
use crate::scan::HostReport;

pub(super) fn render_host(out: &mut String, host: &HostReport, st: Style) {
    let os = host
        .os
        .as_ref()
        .map(|o| o.description.clone())
        .unwrap_or_else(|| "OS unknown".to_string());
    let os = match &host.computer_name {
        Some(name) => format!("computer {name}  {os}"),
        None => os,
    };
    let _ = writeln!(
        out,
        "{}  {}",
        st.bold(&format!("== {}", host.host)),
        st.dim(&os)
    );
    let action = shown_in_full(&host.findings);
    let others: Vec<&Finding> = host
        .findings
        .iter()
        .filter(|f| !action.iter().any(|a| std::ptr::eq(*a, *f)))
        .collect();
    let logs = LogCatalogue::new(&action);
    for f in &action {
        render_finding(out, f, &logs, st);
    }
    let clean = action.is_empty()
        && host.input_errors().next().is_none()
        && others.iter().all(|f| f.verdict != Verdict::Inconclusive);
    if clean {
        let _ = writeln!(out, "  {}", nothing_wrong(&others));
    }
    if st.verbose {
        render_each(out, &others, st);
    } else if !clean {
        render_folded(out, &others, action.is_empty(), host.findings.len());
    }
    logs.render(out, st);
    render_inputs(out, &host.inputs, st);
}

/// "Nothing wrong: 9 rules healthy, 3 not applicable."
fn nothing_wrong(findings: &[&Finding]) -> String {
    let healthy = findings
        .iter()
        .filter(|f| f.verdict == Verdict::Healthy)
        .count();
    let na = findings.len() - healthy;
    let rules = if healthy == 1 { "rule" } else { "rules" };
    let mut s = format!("Nothing wrong: {healthy} {rules} healthy");
    if na > 0 {
        s.push_str(&format!(", {na} not applicable"));
    }
    s.push('.');
    s
}

/// The verdicts of folded lines, in the order shown, with their labels.
const FOLDED: [(Verdict, &str); 3] = [
    (Verdict::Inconclusive, "Inconclusive"),
    (Verdict::Healthy, "Healthy"),
    (Verdict::NotApplicable, "Not applicable"),
];

/// One line per verdict: the rules that came out so.
fn render_folded(out: &mut String, others: &[&Finding], nothing_to_act_on: bool, total: usize) {
    if others.is_empty() {
        return;
    }
    if nothing_to_act_on
        && others.len() == total
        && others.iter().all(|f| f.verdict == Verdict::Inconclusive)
    {
        let _ = writeln!(
            out,
            "  Nothing could be checked: all {total} rules are inconclusive  (-v: why)"
        );
        return;
    }
    if nothing_to_act_on {
        let _ = writeln!(
            out,
            "  Nothing needs action, but not everything could be checked:"
        );
    }
    for (verdict, label) in FOLDED {
        let rules: Vec<&str> = others
            .iter()
            .filter(|f| f.verdict == verdict)
            .map(|f| f.rule.as_str())
            .collect();
        if rules.is_empty() {
            continue;
        }
        let hint = if verdict == Verdict::Inconclusive {
            "  (-v: why)"
        } else {
            ""
        };
        let listed = if rules.len() == total && total > 1 {
            format!("all {total} rules")
        } else {
            format!("{} ({})", rules.join(", "), rules.len())
        };
        let _ = writeln!(out, "  {:<15} {listed}{hint}", format!("{label}:"));
    }
}

/// `-v`: every other rule on a line of its own, with its summary.
fn render_each(out: &mut String, others: &[&Finding], st: Style) {
    if others.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Also checked");
    for f in others {
        let _ = writeln!(
            out,
            "    {:<30} {:<15} {}",
            f.rule,
            st.verdict(f.verdict, f.severity),
            f.summary
        );
    }
}
