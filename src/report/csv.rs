//! CSV output (RFC 4180): a header, then one row per host and finding.

use std::borrow::Cow;

use super::escape::neutralise_cell;
use crate::finding::{Finding, Severity};
use crate::scan::HostReport;

/// The columns, in order.
pub const COLUMNS: [&str; 17] = [
    "host",
    "rule",
    "verdict",
    "severity",
    "os",
    "registry_source",
    "key_present",
    "key_last_written",
    "problems",
    "log_files",
    "error_codes",
    "first_error",
    "last_error",
    "inputs",
    "input_errors",
    "summary",
    "computer_name",
];

/// The header row.
pub fn header() -> String {
    row(COLUMNS.iter().map(|c| c.to_string()).collect())
}

/// The `--min-severity` of CSV when none is given: the findings that point
/// at a problem.
pub const DEFAULT_MIN: Severity = Severity::Low;

/// A host's rows: one per finding it still has (the caller leaves out those
/// below `min`), or one with empty finding columns saying that nothing was
/// found at or above `min` (or that the host could not be analysed).
pub fn rows(host: &HostReport, min: Severity) -> String {
    if host.findings.is_empty() {
        let mut fields = host_row(host, None);
        let analysed = host.input_errors().next().is_none() || host.os.is_some();
        fields[15] = if analysed {
            format!("no finding at or above {min}")
        } else {
            "not analysed: see input_errors".to_string()
        };
        return row(fields);
    }
    host.findings
        .iter()
        .map(|f| row(host_row(host, Some(f))))
        .collect()
}

fn host_row(host: &HostReport, f: Option<&Finding>) -> Vec<String> {
    let os = host
        .os
        .as_ref()
        .map(|o| o.description.clone())
        .unwrap_or_default();
    let reg = f.and_then(|f| f.registry.as_ref());
    let log = f.and_then(|f| f.log.as_ref());
    let errors = log.map(|l| l.errors.as_slice()).unwrap_or_default();
    let problems = reg
        .map(|r| {
            r.problems
                .iter()
                .map(|p| format!("{} {}", p.value, p.problem))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let codes = errors
        .iter()
        .map(|e| format!("{}={}", e.code, e.count))
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        host.host.clone(),
        f.map(|f| f.rule.clone()).unwrap_or_default(),
        f.map(|f| f.verdict.to_string()).unwrap_or_default(),
        f.map(|f| f.severity.to_string()).unwrap_or_default(),
        os,
        reg.map(|r| r.source.clone()).unwrap_or_default(),
        reg.map(|r| r.present.to_string()).unwrap_or_default(),
        reg.and_then(|r| r.last_written)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        problems,
        log.map(|l| l.files.join("; ")).unwrap_or_default(),
        codes,
        errors
            .iter()
            .filter_map(|e| e.first.map(|t| t.to_string()))
            .min()
            .unwrap_or_default(),
        errors
            .iter()
            .filter_map(|e| e.last.map(|t| t.to_string()))
            .max()
            .unwrap_or_default(),
        host.inputs.len().to_string(),
        host.input_errors().count().to_string(),
        f.map(|f| f.summary.clone()).unwrap_or_default(),
        host.computer_name.clone().unwrap_or_default(),
    ]
}

fn row(fields: Vec<String>) -> String {
    let mut line = fields
        .iter()
        .map(|f| quote(&neutralise_cell(f)).into_owned())
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A field, quoted when it holds a comma, a quote, a line break or edge
/// spaces; quotes inside are doubled.
pub fn quote(field: &str) -> Cow<'_, str> {
    let needs =
        field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ');
    if needs {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote(""), "");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote(" edge"), "\" edge\"");
    }

    #[test]
    fn header_names_every_column() {
        assert_eq!(header(), format!("{}\r\n", COLUMNS.join(",")));
    }
}
