//! Text output for a terminal: one block per host, the verdict first.

use std::fmt::Write;

use super::Report;
use crate::finding::{Finding, Severity, Verdict};
use crate::scan::{HostReport, Input, InputKind};

/// Whether to colour the output (only on a terminal, never with `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
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
        render_host(&mut out, host, style);
    }
    out
}

fn render_host(out: &mut String, host: &HostReport, st: Style) {
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
    // In full: findings that point at a problem, and the first finding with
    // errors for each set of codes; the others one line each.
    let mut covered: Vec<&str> = Vec::new();
    let mut full = Vec::new();
    let mut brief = Vec::new();
    for f in &host.findings {
        let problem = matches!(
            f.verdict,
            Verdict::Confirmed | Verdict::Latent | Verdict::OtherCause
        );
        let new_errors =
            f.severity > Severity::Info && f.codes.iter().any(|c| !covered.contains(&c.as_str()));
        if problem || new_errors {
            covered.extend(f.codes.iter().map(String::as_str));
            full.push(f);
        } else {
            brief.push(f);
        }
    }
    for f in full {
        render_finding(out, f, st);
    }
    if !brief.is_empty() {
        let _ = writeln!(out, "  Also checked");
    }
    for f in brief {
        let _ = writeln!(
            out,
            "    {:<30} {:<15} {}",
            f.rule,
            st.verdict(f.verdict, f.severity),
            f.summary
        );
    }
    let _ = writeln!(out, "  Inputs");
    if host.inputs.is_empty() {
        let _ = writeln!(out, "    (no evidence found)");
    }
    for input in &host.inputs {
        render_input(out, input, st);
    }
}

fn render_finding(out: &mut String, f: &Finding, st: Style) {
    let _ = writeln!(
        out,
        "  {}  {}  severity {}",
        st.bold(&f.rule),
        st.verdict(f.verdict, f.severity),
        f.severity
    );
    let _ = writeln!(out, "    {}", f.summary);
    if let Some(r) = &f.registry {
        let _ = writeln!(out, "  Registry  {}", r.key);
        let _ = writeln!(out, "            from {}", r.source);
        match (&r.last_written, r.present) {
            (_, false) if r.unreadable.is_some() => {
                let why = r.unreadable.as_deref().unwrap_or_default();
                let _ = writeln!(out, "            key could not be read: {why}");
            }
            (_, false) => {
                let _ = writeln!(out, "            key absent");
            }
            (Some(t), true) => {
                let _ = writeln!(
                    out,
                    "            last written {}",
                    t.format("%Y-%m-%d %H:%M:%S UTC")
                );
            }
            (None, true) => {
                let _ = writeln!(out, "            last written: not recorded in this source");
            }
        }
        if let Some(table) = &r.table {
            let total = r.ok.len() + r.problems.len();
            let _ = writeln!(
                out,
                "            {} of {total} values as expected ({table} table)",
                r.ok.len()
            );
        }
        for p in &r.problems {
            let found = match &p.actual {
                Some(a) => format!(", found {} {}", a.ty, a.data),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "            {:<10}  {:<16}  expected {} {}{found}",
                p.problem, p.value, p.expected.ty, p.expected.data
            );
        }
        if !r.extra_values.is_empty() {
            let _ = writeln!(
                out,
                "            extra values (not problems): {}",
                r.extra_values.join(", ")
            );
        }
        for n in &r.notes {
            let _ = writeln!(out, "            note: {n}");
        }
    }
    if let Some(log) = &f.log {
        if log.errors.is_empty() {
            let _ = writeln!(
                out,
                "  Log       no 0x800704DD or 0x80240020 in {} file(s)",
                log.files.len()
            );
        }
        for e in &log.errors {
            let zone = if e.local_time { " (local time)" } else { "" };
            let _ = writeln!(
                out,
                "  Log       {} {}  {} line(s), first {}, last {}{zone}",
                e.code,
                e.name.as_deref().unwrap_or(""),
                e.count,
                e.first.as_deref().unwrap_or("?"),
                e.last.as_deref().unwrap_or("?"),
            );
            if !e.sources.is_empty() || e.duplicates > 0 {
                let by: Vec<String> = e
                    .sources
                    .iter()
                    .map(|s| format!("{} {}", s.format, s.count))
                    .collect();
                let _ = writeln!(
                    out,
                    "            sources: {}; {} counted once as recorded by two kinds of source",
                    by.join(", "),
                    e.duplicates
                );
            }
            for ex in &e.examples {
                let shown = ex.text.trim().replace('\t', "  ");
                let kind = ex
                    .source
                    .as_deref()
                    .map(|k| format!(" [{k}]"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "            {}:{}{kind}  {}",
                    ex.file,
                    ex.line,
                    st.dim(&shown)
                );
            }
        }
    }
    for fact in &f.facts {
        let _ = writeln!(out, "  Fact      {}: {}", fact.name, fact.value);
    }
    for r in &f.registry_errors {
        let _ = writeln!(
            out,
            "  Recorded  {} {} as {} LastError (from {})",
            r.code,
            r.name.as_deref().unwrap_or(""),
            r.key.rsplit('\\').next().unwrap_or(&r.key),
            r.source
        );
    }
    for t in &f.timeline {
        let _ = writeln!(out, "  Timeline  {t}");
    }
    if let Some(r) = &f.remedy {
        match &r.file {
            Some(file) => {
                let _ = writeln!(out, "  Remedy    {file} restores {}", r.values.join(", "));
            }
            None => {
                let _ = writeln!(
                    out,
                    "  Remedy    a .reg file restoring {} (write it with --remedy-dir DIR)",
                    r.values.join(", ")
                );
            }
        }
    }
    if !f.unchecked_steps.is_empty() {
        let _ = writeln!(out, "  By hand (collected files cannot show or fix this):");
        for s in &f.unchecked_steps {
            let _ = writeln!(out, "    - {s}");
        }
    }
    for n in &f.notes {
        let _ = writeln!(out, "  Note      {n}");
    }
}

fn kind_label(i: &Input) -> String {
    let kind = match i.kind {
        InputKind::Hive => "hive",
        InputKind::RegExport => ".reg export",
        InputKind::TransactionLog => "transaction log",
        InputKind::UpdateLog => "update log",
        InputKind::EventLog => "event log",
        InputKind::Unrecognised => "unrecognised",
    };
    let mut label = kind.to_string();
    let mut detail = Vec::new();
    if let Some(h) = i.hive {
        detail.push(h.name().to_string());
    }
    if let Some(f) = &i.format {
        if matches!(i.kind, InputKind::UpdateLog | InputKind::EventLog) {
            detail.push(f.clone());
        }
    }
    match (i.dirty, i.recovered) {
        (Some(true), Some(true)) => detail.push("dirty, logs replayed".into()),
        (Some(true), _) => detail.push("dirty, logs not applied".into()),
        _ => {}
    }
    if !detail.is_empty() {
        label.push_str(&format!(" ({})", detail.join(", ")));
    }
    label
}

fn render_input(out: &mut String, i: &Input, st: Style) {
    let _ = writeln!(
        out,
        "    {:<28}  {}  {} bytes",
        kind_label(i),
        i.path,
        i.size
    );
    if let Some(r) = &i.recovery {
        let _ = writeln!(out, "      recovery: {}", r.description);
        for w in &r.warnings {
            let _ = writeln!(out, "      recovery warning: {w}");
        }
    }
    if let Some(e) = &i.error {
        let _ = writeln!(out, "      {} {e}", st.paint("1;31", "error:"));
    }
    for w in i.warnings.iter().take(5) {
        let _ = writeln!(out, "      warning: {w}");
    }
    if i.warnings.len() > 5 {
        let _ = writeln!(out, "      … and {} more warnings", i.warnings.len() - 5);
    }
}
