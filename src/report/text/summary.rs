//! The closing summary of a scan of several hosts: how many need action,
//! have nothing wrong, or could not be fully checked, and the hosts that
//! need action, worst first, each with its worst finding.

use std::fmt::Write;

use super::shown::shown_in_full;
use super::style::Style;
use crate::finding::Verdict;
use crate::scan::HostReport;

pub(super) fn render_summary(out: &mut String, hosts: &[HostReport], st: Style) {
    let mut action: Vec<(&HostReport, &crate::finding::Finding)> = hosts
        .iter()
        .filter_map(|h| shown_in_full(&h.findings).first().map(|f| (h, *f)))
        .collect();
    action.sort_by_key(|(_, f)| (std::cmp::Reverse(f.severity), f.verdict));
    let unread = hosts
        .iter()
        .filter(|h| h.input_errors().next().is_some())
        .count();
    let partial = hosts
        .iter()
        .filter(|h| shown_in_full(&h.findings).is_empty())
        .filter(|h| {
            h.input_errors().next().is_some()
                || h.findings
                    .iter()
                    .any(|f| f.verdict == Verdict::Inconclusive)
        })
        .count();
    let clean = hosts.len() - action.len() - partial;
    let _ = writeln!(
        out,
        "{}",
        st.bold(&format!(
            "== Summary of {} hosts: {} need action, {} nothing wrong, {} not fully checked",
            hosts.len(),
            action.len(),
            clean,
            partial
        ))
    );
    if unread > 0 {
        let s = if unread == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "  {unread} host{s} with inputs that could not be read (see each host's Inputs)"
        );
    }
    let width = action.iter().map(|(h, _)| h.host.len()).max().unwrap_or(0);
    for (h, f) in action {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<6}  {} {}",
            h.host,
            f.severity.as_str(),
            f.rule,
            st.verdict(f.verdict, f.severity)
        );
    }
}
