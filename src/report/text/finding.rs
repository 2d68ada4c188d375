//! One finding shown in full: verdict, summary, the registry side, the log
//! errors it cites (by their number in the host's log evidence), facts,
//! timeline, remedy, what to do by hand, notes.

use std::fmt::Write;

use super::evidence::LogCatalogue;
use super::style::{count, Style};
use crate::finding::{Finding, RegistryEvidence};
use crate::report::time;

/// Continuation lines line up under the text after a label.
const PAD: &str = "              ";

pub(super) fn render_finding(out: &mut String, f: &Finding, logs: &LogCatalogue, st: Style) {
    let _ = writeln!(
        out,
        "  {}  {}  severity {}",
        st.bold(&f.rule),
        st.verdict(f.verdict, f.severity),
        f.severity
    );
    let _ = writeln!(out, "    {}", f.summary);
    if let Some(r) = &f.registry {
        render_registry(out, r);
    }
    render_log(out, f, logs);
    for fact in &f.facts {
        let _ = writeln!(out, "    Fact      {}: {}", fact.name, fact.value);
    }
    for r in &f.registry_errors {
        let _ = writeln!(
            out,
            "    Recorded  {} {} as {} LastError (from {})",
            r.code,
            r.name.as_deref().unwrap_or(""),
            r.key.rsplit('\\').next().unwrap_or(&r.key),
            r.source
        );
    }
    for t in &f.timeline {
        let _ = writeln!(out, "    Timeline  {t}");
    }
    if let Some(r) = &f.remedy {
        let values = r.values.join(", ");
        let _ = match &r.file {
            Some(file) => writeln!(out, "    Remedy    {file} restores {values}"),
            None => writeln!(
                out,
                "    Remedy    a .reg file restoring {values} (write it with --remedy-dir DIR)"
            ),
        };
    }
    for (i, s) in f.unchecked_steps.iter().enumerate() {
        let label = if i == 0 {
            "By hand   "
        } else {
            PAD.get(4..).unwrap_or("")
        };
        let _ = writeln!(out, "    {label}- {s}");
    }
    for n in &f.notes {
        let _ = writeln!(out, "    Note      {n}");
    }
}

fn render_registry(out: &mut String, r: &RegistryEvidence) {
    let _ = writeln!(out, "    Registry  {}", r.key);
    let state = match (&r.last_written, r.present) {
        (_, false) if r.unreadable.is_some() => format!(
            "key could not be read: {}",
            r.unreadable.as_deref().unwrap_or_default()
        ),
        (_, false) => "key absent".to_string(),
        (Some(t), true) => format!("last written {}", time::utc(*t)),
        (None, true) => "last written: not recorded in this source".to_string(),
    };
    let _ = writeln!(out, "{PAD}from {}, {state}", r.source);
    if let Some(table) = &r.table {
        let total = r.ok.len() + r.problems.len();
        let _ = writeln!(
            out,
            "{PAD}{} of {total} values as expected ({table} table)",
            r.ok.len()
        );
    }
    for p in &r.problems {
        let found = match &p.actual {
            Some(a) => format!(", found {} {}", a.ty, a.data),
            None => String::new(),
        };
        let why = p
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let value = match &p.key {
            Some(k) if p.value == "(key)" => k.clone(),
            Some(k) => format!("{} ({k})", p.value),
            None => p.value.clone(),
        };
        let _ = writeln!(
            out,
            "{PAD}{:<10}  {:<16}  expected {} {}{found}{why}",
            p.problem, value, p.expected.ty, p.expected.data
        );
    }
    if !r.extra_values.is_empty() {
        let _ = writeln!(
            out,
            "{PAD}extra values (not problems): {}",
            r.extra_values.join(", ")
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "{PAD}note: {n}");
    }
}

/// The log side: each error with its count and the number of its entry in
/// the host's log evidence; or which of the rule's own codes no log reports.
fn render_log(out: &mut String, f: &Finding, logs: &LogCatalogue) {
    let Some(log) = &f.log else { return };
    if log.errors.is_empty() {
        let counted = if log.outside_context.is_empty() {
            ""
        } else {
            " counted (see the note on lines outside this rule's context)"
        };
        let _ = writeln!(
            out,
            "    Log       no {}{counted} in {}",
            f.codes.join(" or "),
            count(log.files.len() as u64, "log file", "log files")
        );
        return;
    }
    for (i, e) in log.errors.iter().enumerate() {
        let label = if i == 0 { "Log       " } else { &PAD[4..] };
        let _ = writeln!(
            out,
            "    {label}{}{}  {}  see [{}]",
            e.code,
            e.name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default(),
            count(e.count, "line", "lines"),
            logs.number(e)
        );
    }
}
