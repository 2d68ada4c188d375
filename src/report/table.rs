//! Table output for many hosts: one line per host with its worst finding
//! (rule, verdict, severity, codes), fitted to a width, coloured by severity.

use super::escape::escape_text;
use crate::finding::{Finding, Severity};
use crate::scan::HostReport;

/// A host's headline finding: the most severe (the first of equals).
pub fn headline(host: &HostReport) -> Option<&Finding> {
    host.findings.iter().rev().max_by_key(|f| f.severity)
}

/// Width used when the terminal's is unknown, and the widest used otherwise.
pub const DEFAULT_WIDTH: usize = 120;
const MAX_HOST_WIDTH: usize = 28;
const MAX_RULE_WIDTH: usize = 22;
/// The narrowest last column kept.
const MIN_DETAILS: usize = 12;

/// The columns' layout, fixed before the first row so rows can be streamed.
#[derive(Debug, Clone)]
pub struct Table {
    host_width: usize,
    rule_width: usize,
    width: usize,
    color: bool,
    /// The `--min-severity` in force (said on hosts with nothing left).
    min: Option<Severity>,
}

fn widest<'a>(items: impl IntoIterator<Item = &'a str>, min: usize, max: usize) -> usize {
    let w = items.into_iter().map(|n| n.chars().count()).max();
    w.unwrap_or(0).clamp(min, max)
}

/// `s` cut to `n` characters, `…` marking the cut.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The ANSI colour of a severity (none for info).
fn paint(sev: Option<Severity>) -> Option<&'static str> {
    match sev? {
        Severity::High => Some("\x1b[1;31m"),
        Severity::Medium => Some("\x1b[33m"),
        Severity::Low => Some("\x1b[36m"),
        Severity::Info => None,
    }
}

impl Table {
    /// A layout for hosts `names` and rules `rules` in `width` columns.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        rules: impl IntoIterator<Item = &'a str>,
        width: usize,
        color: bool,
        min: Option<Severity>,
    ) -> Self {
        Self {
            host_width: widest(names, 4, MAX_HOST_WIDTH),
            rule_width: widest(rules, 4, MAX_RULE_WIDTH),
            width,
            color,
            min,
        }
    }

    /// The header line.
    pub fn header(&self) -> String {
        self.line("HOST", "RULE", "VERDICT", "SEVERITY", "DETAILS", None)
    }

    /// One line for a host.
    pub fn row(&self, host: &HostReport) -> String {
        let bad = host.input_errors().count();
        let mut details = Vec::new();
        let (rule, verdict, severity) = match headline(host) {
            Some(f) => {
                details.push(codes(f));
                (f.rule.as_str(), f.verdict.as_str(), Some(f.severity))
            }
            None if host.findings.is_empty() && self.min.is_some() => {
                let min = self.min.unwrap_or(Severity::Info);
                details.push(format!("nothing at or above {min}"));
                ("-", "-", None)
            }
            None => {
                details.push("not analysed".to_string());
                ("-", "-", None)
            }
        };
        details.retain(|d| !d.is_empty());
        if bad > 0 {
            details.push(format!("{bad} unreadable input(s)"));
        }
        details.extend(host.computer_name.iter().cloned());
        details.push(
            host.os
                .as_ref()
                .map(|o| o.description.clone())
                .unwrap_or_else(|| "OS unknown".to_string()),
        );
        let sev = severity.map(Severity::as_str).unwrap_or("-");
        self.line(
            &host.host,
            rule,
            verdict,
            sev,
            &details.join(" · "),
            severity,
        )
    }

    fn line(
        &self,
        host: &str,
        rule: &str,
        verdict: &str,
        sev: &str,
        details: &str,
        severity: Option<Severity>,
    ) -> String {
        // Host names, computer names and OS descriptions come from the evidence.
        // A narrow terminal takes from the host and rule columns.
        let avail = self.width.saturating_sub(30 + MIN_DETAILS);
        let (mut hw, mut rw) = (self.host_width, self.rule_width);
        if hw + rw > avail {
            rw = rw.min((avail / 2).max(8));
            hw = hw.min(avail.saturating_sub(rw).max(8));
        }
        let host = fit(&escape_text(host), hw);
        let rule = fit(&escape_text(rule), rw);
        let room = self.width.saturating_sub(hw + rw + 30).max(MIN_DETAILS);
        let details = fit(&escape_text(details), room);
        let text = format!("{host:<hw$}  {rule:<rw$}  {verdict:<14}  {sev:<8}  {details}");
        let text = text.trim_end();
        match paint(severity).filter(|_| self.color) {
            Some(c) => format!("{c}{text}\x1b[0m\n"),
            None => format!("{text}\n"),
        }
    }
}

/// `800704DD×20 80240020×12`, registry problems, or the finding's codes.
fn codes(f: &Finding) -> String {
    let errors = f
        .log
        .as_ref()
        .map(|l| l.errors.as_slice())
        .unwrap_or_default();
    let mut parts: Vec<String> = errors
        .iter()
        .map(|e| format!("{:08X}×{}", e.code.0, e.count))
        .collect();
    parts.extend(
        f.registry_errors
            .iter()
            .map(|r| format!("{:08X} (registry)", r.code.0)),
    );
    let codes = parts.join(" ");
    let problems = f.registry.as_ref().map(|r| r.problems.len()).unwrap_or(0);
    match problems {
        0 => codes,
        n if codes.is_empty() => format!("{n} registry problem(s)"),
        n => format!("{codes} · {n} registry problem(s)"),
    }
}

/// The terminal's width: `COLUMNS` when set to a number, else the size of
/// the terminal on standard output, else `DEFAULT_WIDTH`.
pub fn terminal_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    ioctl_width().unwrap_or(DEFAULT_WIDTH)
}

#[cfg(unix)]
fn ioctl_width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; fd 1 may not be a
    // terminal, in which case the call fails and nothing is read.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

#[cfg(not(unix))]
fn ioctl_width() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_cuts_with_a_mark() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }

    #[test]
    fn rows_fit_the_width_and_colour_only_when_asked() {
        let host = HostReport {
            host: "h".repeat(60),
            computer_name: Some("PC".into()),
            inputs: Vec::new(),
            os: None,
            findings: Vec::new(),
            occurrences: None,
        };
        for width in [60, 80, 120] {
            let t = Table::new(
                ["x"; 1].into_iter().chain([host.host.as_str()]),
                ["KB910341"],
                width,
                false,
                None,
            );
            let row = t.row(&host);
            assert!(row.trim_end().chars().count() <= width, "{row}");
        }
        let t = Table::new([host.host.as_str()], ["KB910341"], 80, true, None);
        assert!(!t.row(&host).contains('\x1b'), "info is not coloured");
    }
}
