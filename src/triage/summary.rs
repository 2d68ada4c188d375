//! The closing summary of a batch: hosts per rule and verdict, the hosts
//! needing action (worst first), the busiest error days, inputs with
//! errors, time, and where the output went.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use chrono::NaiveDate;

use crate::finding::{Severity, Verdict};
use crate::report::escape::escape_text;
use crate::report::table::headline;
use crate::scan::HostReport;

/// Hosts listed as needing action.
pub const ACTION_SHOWN: usize = 10;
/// Days listed as the busiest.
pub const DAYS_SHOWN: usize = 5;
/// Distinct days counted across a batch.
const MAX_DAYS: usize = 20_000;

/// A host whose worst finding is at least `low`, or with unreadable inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionHost {
    /// The host's name.
    pub host: String,
    /// Its worst finding's severity.
    pub severity: Option<Severity>,
    /// That finding's rule.
    pub rule: String,
    /// That finding's verdict.
    pub verdict: Option<Verdict>,
    /// Log lines its worst finding counts.
    pub errors: u64,
    /// Its inputs that could not be read.
    pub unreadable: usize,
}

impl ActionHost {
    /// Worst first: severity, then errors, then unreadable inputs, then name.
    fn rank(
        &self,
    ) -> (
        std::cmp::Reverse<Option<Severity>>,
        std::cmp::Reverse<u64>,
        std::cmp::Reverse<usize>,
        &str,
    ) {
        use std::cmp::Reverse;
        (
            Reverse(self.severity),
            Reverse(self.errors),
            Reverse(self.unreadable),
            &self.host,
        )
    }
}

/// Counts over a batch, added to host by host (no report is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Hosts analysed.
    pub hosts: usize,
    /// Hosts by the verdict of their most severe finding.
    pub verdicts: BTreeMap<Verdict, usize>,
    /// Per rule (in order of first appearance), hosts per verdict (`Verdict::ALL` order).
    pub by_rule: Vec<(String, [usize; 6])>,
    /// Hosts without any finding (their analysis failed, or all were filtered out).
    pub no_finding: usize,
    /// The worst hosts needing action (at most `ACTION_SHOWN`), worst first.
    pub action: Vec<ActionHost>,
    /// All hosts needing action.
    pub action_total: usize,
    /// Error occurrences per day: lines, hosts.
    pub days: BTreeMap<NaiveDate, (u64, usize)>,
    /// Hosts left out of the output (`--only-problems`).
    pub left_out: usize,
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
    /// Where the output was written (`-o`).
    pub saved: Option<String>,
}

impl Summary {
    /// Counts one more host.
    pub fn add(&mut self, host: &HostReport) {
        self.hosts += 1;
        let head = headline(host);
        match head {
            Some(f) => *self.verdicts.entry(f.verdict).or_default() += 1,
            None => self.no_finding += 1,
        }
        for f in &host.findings {
            let at = Verdict::ALL
                .iter()
                .position(|v| *v == f.verdict)
                .unwrap_or(0);
            match self.by_rule.iter_mut().find(|(r, _)| *r == f.rule) {
                Some((_, counts)) => counts[at] += 1,
                None => {
                    let mut counts = [0; 6];
                    counts[at] = 1;
                    self.by_rule.push((f.rule.clone(), counts));
                }
            }
        }
        self.inputs += host.inputs.len();
        let errors = host.input_errors().count();
        self.input_errors += errors;
        self.hosts_with_input_errors += usize::from(errors > 0);
        let worst = host.findings.iter().map(|f| f.severity).max();
        self.worst = self.worst.max(worst);
        if errors > 0 || worst.is_some_and(|w| w >= Severity::Low) {
            self.needs_action(host, errors);
        }
        for (day, n) in host.occurrences.iter().flat_map(|o| &o.days) {
            if self.days.len() < MAX_DAYS || self.days.contains_key(day) {
                let e = self.days.entry(*day).or_default();
                e.0 += n;
                e.1 += 1;
            }
        }
    }

    fn needs_action(&mut self, host: &HostReport, unreadable: usize) {
        self.action_total += 1;
        let head = headline(host);
        let errors = head
            .and_then(|f| f.log.as_ref())
            .map(|l| l.errors.iter().map(|e| e.count).sum())
            .unwrap_or(0);
        self.action.push(ActionHost {
            host: host.host.clone(),
            severity: head.map(|f| f.severity),
            rule: head.map(|f| f.rule.clone()).unwrap_or_default(),
            verdict: head.map(|f| f.verdict),
            errors,
            unreadable,
        });
        self.action.sort_by(|a, b| a.rank().cmp(&b.rank()));
        self.action.truncate(ACTION_SHOWN);
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
        self.render_rules(&mut out);
        if self.no_finding > 0 {
            let _ = writeln!(out, "  hosts without a finding: {}", self.no_finding);
        }
        self.render_action(&mut out);
        self.render_days(&mut out);
        if self.left_out > 0 {
            let _ = writeln!(
                out,
                "{} host(s) with nothing at or above low left out (--only-problems)",
                self.left_out
            );
        }
        let _ = writeln!(
            out,
            "inputs: {} read, {} with errors (on {} host(s))",
            self.inputs, self.input_errors, self.hosts_with_input_errors
        );
        if let Some(path) = &self.saved {
            let _ = writeln!(out, "output saved to {}", escape_text(path));
        }
        out
    }

    fn render_rules(&self, out: &mut String) {
        let w = self
            .by_rule
            .iter()
            .map(|(r, _)| r.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = write!(out, "hosts per rule and verdict:\n  {:<w$}", "RULE");
        for v in Verdict::ALL {
            let _ = write!(out, "  {}", v.as_str());
        }
        out.push('\n');
        for (rule, counts) in &self.by_rule {
            let _ = write!(out, "  {:<w$}", escape_text(rule));
            for (n, v) in counts.iter().zip(Verdict::ALL) {
                let cw = v.as_str().len();
                let _ = write!(out, "  {n:>cw$}");
            }
            out.push('\n');
        }
    }

    fn render_action(&self, out: &mut String) {
        if self.action_total == 0 {
            let _ = writeln!(
                out,
                "hosts needing action: none (no finding at or above low)"
            );
            return;
        }
        let _ = writeln!(
            out,
            "hosts needing action ({}), worst first:",
            self.action_total
        );
        let hw = self
            .action
            .iter()
            .map(|a| a.host.chars().count())
            .max()
            .unwrap_or(0);
        for a in &self.action {
            let sev = a.severity.map(Severity::as_str).unwrap_or("-");
            let verdict = a.verdict.map(Verdict::as_str).unwrap_or("-");
            let host = escape_text(&a.host);
            let mut line = format!("  {sev:<8} {host:<hw$}  {} {verdict}", escape_text(&a.rule));
            if a.errors > 0 {
                let _ = write!(line, ", {} error line(s)", a.errors);
            }
            if a.unreadable > 0 {
                let _ = write!(line, ", {} unreadable input(s)", a.unreadable);
            }
            let _ = writeln!(out, "{line}");
        }
        let more = self.action_total - self.action.len();
        if more > 0 {
            let _ = writeln!(out, "  … and {more} more");
        }
    }

    fn render_days(&self, out: &mut String) {
        if self.days.is_empty() {
            return;
        }
        let mut days: Vec<_> = self.days.iter().collect();
        days.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "busiest error days:");
        for (day, (lines, hosts)) in days.iter().take(DAYS_SHOWN) {
            let _ = writeln!(out, "  {day}  {lines} error line(s) on {hosts} host(s)");
        }
    }
}
