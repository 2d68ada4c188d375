//! The closing summary of a batch: hosts per verdict, inputs with errors, time.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use crate::finding::{Severity, Verdict};
use crate::report::table::headline;
use crate::scan::HostReport;

/// Counts over a batch, added to host by host (no report is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Hosts analysed.
    pub hosts: usize,
    /// Hosts by the verdict of their most severe finding.
    pub verdicts: BTreeMap<Verdict, usize>,
    /// Hosts without any finding (their analysis failed).
    pub no_finding: usize,
    /// Inputs read or refused.
    pub inputs: usize,
    /// Inputs that could not be read.
    pub input_errors: usize,
    /// Hosts with at least one input that could not be read.
    pub hosts_with_input_errors: usize,
    /// The most severe finding seen.
    pub worst: Option<Severity>,
    /// How long the batch took.
    pub elapsed: Duration,
}

impl Summary {
    /// Counts one more host.
    pub fn add(&mut self, host: &HostReport) {
        self.hosts += 1;
        match headline(host) {
            Some(f) => *self.verdicts.entry(f.verdict).or_default() += 1,
            None => self.no_finding += 1,
        }
        self.inputs += host.inputs.len();
        let errors = host.input_errors().count();
        self.input_errors += errors;
        self.hosts_with_input_errors += usize::from(errors > 0);
        let worst = host.findings.iter().map(|f| f.severity).max();
        self.worst = self.worst.max(worst);
    }

    /// Hosts whose most severe finding has this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.verdicts.get(&verdict).copied().unwrap_or(0)
    }

    /// True when a finding reached `level`.
    pub fn reached(&self, level: Severity) -> bool {
        self.worst.is_some_and(|w| w >= level)
    }

    /// The summary as lines of text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let secs = self.elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.hosts as f64 / secs
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "{} hosts in {secs:.1} s ({rate:.0} hosts/s)",
            self.hosts
        );
        for v in Verdict::ALL {
            let _ = writeln!(out, "  {:<16}{:>8}", v.as_str(), self.count(v));
        }
        if self.no_finding > 0 {
            let _ = writeln!(out, "  {:<16}{:>8}", "not analysed", self.no_finding);
        }
        let _ = writeln!(
            out,
            "inputs: {} read, {} with errors (on {} host(s))",
            self.inputs, self.input_errors, self.hosts_with_input_errors
        );
        out
    }
}
