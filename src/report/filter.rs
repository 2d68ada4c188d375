//! What the output keeps: findings at or above a severity, and with
//! `only_problems` only hosts with something at or above `low`.

use crate::finding::Severity;
use crate::scan::HostReport;

/// `--min-severity` and `--only-problems`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Findings below it are left out of the output.
    pub min_severity: Option<Severity>,
    /// Hosts with no finding at or above `low` (and no unreadable input) are left out.
    pub only_problems: bool,
}

impl Filter {
    /// True when `host` is left out of the output altogether.
    pub fn drops(&self, host: &HostReport) -> bool {
        self.only_problems
            && host.input_errors().next().is_none()
            && host.findings.iter().all(|f| f.severity < Severity::Low)
    }

    /// Leaves out the findings below `min_severity`; returns how many.
    pub fn apply(&self, host: &mut HostReport) -> usize {
        let before = host.findings.len();
        if let Some(min) = self.min_severity {
            host.findings.retain(|f| f.severity >= min);
        }
        before - host.findings.len()
    }
}
