//! Table output for many hosts: one line per host, the verdict first.

use super::escape::escape_text;
use crate::finding::Finding;
use crate::scan::HostReport;

/// A host's headline finding: the most severe (the first of equals).
pub fn headline(host: &HostReport) -> Option<&Finding> {
    host.findings.iter().rev().max_by_key(|f| f.severity)
}

/// The columns' layout, fixed before the first row so rows can be streamed.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    host_width: usize,
}

const MAX_HOST_WIDTH: usize = 40;

impl Table {
    /// A layout wide enough for the longest of `names` (up to a limit).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let widest = names
            .into_iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0);
        Self {
            host_width: widest.clamp(4, MAX_HOST_WIDTH),
        }
    }

    /// The header line.
    pub fn header(&self) -> String {
        self.line(
            "HOST",
            "VERDICT",
            "SEVERITY",
            "LOG ERRORS",
            "UNREADABLE",
            "COMPUTER",
            "OS",
        )
    }

    /// One line for a host.
    pub fn row(&self, host: &HostReport) -> String {
        let (verdict, severity, errors) = match headline(host) {
            Some(f) => (f.verdict.as_str(), f.severity.as_str(), log_errors(f)),
            None => ("-", "-", "-".to_string()),
        };
        let unreadable = host.input_errors().count().to_string();
        let os = host
            .os
            .as_ref()
            .map(|o| o.description.as_str())
            .unwrap_or("OS unknown");
        let computer = host.computer_name.as_deref().unwrap_or("-");
        self.line(
            &host.host,
            verdict,
            severity,
            &errors,
            &unreadable,
            computer,
            os,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn line(
        &self,
        host: &str,
        verdict: &str,
        sev: &str,
        errors: &str,
        bad: &str,
        computer: &str,
        os: &str,
    ) -> String {
        // Host names and OS descriptions come from the evidence.
        let host = escape_text(host);
        let os = escape_text(os);
        let w = self.host_width;
        format!(
            "{host:<w$}  {verdict:<14}  {sev:<8}  {errors:<24}  {bad:>10}  {computer:<15}  {os}\n"
        )
    }
}

/// `800704DD×20 80240020×12`, or `-`.
fn log_errors(f: &Finding) -> String {
    let errors = f
        .log
        .as_ref()
        .map(|l| l.errors.as_slice())
        .unwrap_or_default();
    if errors.is_empty() {
        return "-".to_string();
    }
    errors
        .iter()
        .map(|e| format!("{}×{}", e.code.trim_start_matches("0x"), e.count))
        .collect::<Vec<_>>()
        .join(" ")
}
