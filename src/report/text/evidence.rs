//! Evidence shown once per host: the log errors the shown findings cite
//! (numbered, referenced by each finding as `[1]`), and the inputs.

use std::fmt::Write;

use super::style::{count, Style};
use crate::finding::{Finding, LoggedError};
use crate::report::time;
use crate::scan::{Input, InputDetail, InputKind};

/// The distinct log errors of a host's shown findings, in order of first
/// citation. Two findings citing the same lines share one entry.
#[derive(Default)]
pub(super) struct LogCatalogue<'r> {
    entries: Vec<&'r LoggedError>,
}

impl<'r> LogCatalogue<'r> {
    pub(super) fn new(findings: &[&'r Finding]) -> Self {
        let mut c = LogCatalogue::default();
        for e in findings
            .iter()
            .filter_map(|f| f.log.as_ref())
            .flat_map(|l| &l.errors)
        {
            if !c.entries.contains(&e) {
                c.entries.push(e);
            }
        }
        c
    }

    /// The number `e` is listed under (from 1).
    pub(super) fn number(&self, e: &LoggedError) -> usize {
        self.entries.iter().position(|x| *x == e).unwrap_or(0) + 1
    }

    pub(super) fn render(&self, out: &mut String, st: Style) {
        if self.entries.is_empty() {
            return;
        }
        let _ = writeln!(out, "  Log evidence");
        for (i, e) in self.entries.iter().enumerate() {
            let first = e.first.map(|t| time::log(t, e.first_offset));
            let last = e.last.map(|t| time::log(t, e.last_offset));
            let when = match (first, last) {
                (Some(f), Some(l)) if f == l => format!(", at {f}"),
                (Some(f), Some(l)) => format!(", first {f}, last {l}"),
                (Some(f), None) => format!(", first {f}"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "    [{}] {}{}  {}{when}",
                i + 1,
                e.code,
                e.name
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default(),
                count(e.count, "line", "lines"),
            );
            if !e.sources.is_empty() || e.duplicates > 0 {
                let by: Vec<String> = e
                    .sources
                    .iter()
                    .map(|s| format!("{} {}", s.format, s.count))
                    .collect();
                let _ = writeln!(
                    out,
                    "        sources: {}; {} counted once as recorded by two kinds of source",
                    by.join(", "),
                    e.duplicates
                );
            }
            for ex in &e.examples {
                let shown = ex.text.trim().replace('\t', "  ");
                let kind = ex.source.map(|k| format!(" [{k}]")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "        {}:{}{kind}  {}",
                    ex.file,
                    ex.line,
                    st.dim(&shown)
                );
            }
        }
    }
}

fn kind_label(i: &Input) -> String {
    let kind = match i.kind() {
        InputKind::Hive => "hive",
        InputKind::RegExport => ".reg export",
        InputKind::TransactionLog => "transaction log",
        InputKind::UpdateLog => "update log",
        InputKind::EventLog => "event log",
        InputKind::Unrecognised => "unrecognised",
    };
    let mut detail = Vec::new();
    if let Some(h) = i.hive() {
        detail.push(h.name().to_string());
    }
    if let Some(f) = i.detail.log_format() {
        detail.push(f.as_str().to_string());
    }
    if let InputDetail::Hive(h) = &i.detail {
        match (h.dirty(), h.recovered()) {
            (Some(true), true) => detail.push("dirty, logs replayed".into()),
            (Some(true), false) => detail.push("dirty, logs not applied".into()),
            _ => {}
        }
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} ({})", detail.join(", "))
    }
}

pub(super) fn render_inputs(out: &mut String, inputs: &[Input], st: Style) {
    let _ = writeln!(out, "  Inputs");
    if inputs.is_empty() {
        let _ = writeln!(out, "    (no evidence found)");
    }
    for i in inputs {
        let _ = writeln!(
            out,
            "    {:<28}  {}  {} bytes",
            kind_label(i),
            i.path,
            i.size
        );
        if let Some(r) = i.detail.as_hive().and_then(|h| h.recovery.as_ref()) {
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
}
