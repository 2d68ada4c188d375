//! What the page keeps of each host: enough for its row and its details,
//! each part bounded, so a report of many hosts stays small.

use serde::Serialize;

use crate::finding::{Finding, LoggedError, RegistryEvidence, Severity, Verdict};
use crate::report::sarif::select::points_at_problem;
use crate::report::table::headline;
use crate::scan::HostReport;

/// Bounds on what a host carries into the page.
const MAX_TEXT: usize = 1000;
const MAX_ITEMS: usize = 50;
const MAX_EXAMPLES: usize = 3;
const MAX_INPUTS: usize = 50;
/// A remedy larger than this is not embedded (written with `--remedy-dir`).
pub(super) const MAX_REMEDY: usize = 64 * 1024;

/// `s`, cut to `MAX_TEXT` characters with a marker.
fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => format!("{}\u{2026} [cut]", &s[..i]),
        None => s.to_string(),
    }
}

/// At most `MAX_ITEMS` of `items`, then how many were left out.
fn bounded<T, U>(items: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    items.iter().take(MAX_ITEMS).map(f).collect()
}

/// A host's headline finding: its rule, verdict and severity.
#[derive(Serialize)]
pub(super) struct Worst {
    pub rule: String,
    pub verdict: Verdict,
    pub severity: Severity,
}

/// An example log line: file, line number and text (cut).
#[derive(Serialize)]
pub(super) struct Example {
    pub file: String,
    pub line: u64,
    pub text: String,
}

/// A log error a finding cites: code, name, line count, first and last
/// time, a few examples.
#[derive(Serialize)]
pub(super) struct Error {
    pub code: String,
    pub name: Option<String>,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub examples: Vec<Example>,
}

/// A finding's remedy, offered as a download.
#[derive(Serialize)]
pub(super) struct Remedy {
    /// The download's name: `<host>-<RULE>.reg`.
    pub name: String,
    /// The `.reg` text (the page saves it as UTF-16LE with a BOM, as regedit writes).
    pub reg: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A finding as the page shows it: healthy and not-applicable ones with
/// their rule and verdict only.
#[derive(Serialize)]
pub(super) struct PageFinding {
    pub rule: String,
    pub verdict: Verdict,
    pub severity: Severity,
    pub problem: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Error>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
    /// Parts left out to keep the page small.
    #[serde(skip_serializing_if = "is_zero")]
    pub left_out: u64,
}

/// An input as the page lists it: path, kind and why it could not be read.
#[derive(Serialize)]
pub(super) struct PageInput {
    pub path: String,
    pub kind: String,
    pub error: Option<String>,
}

/// What the page keeps of one host: its row and its details.
#[derive(Serialize)]
pub(super) struct PageHost {
    pub host: String,
    pub computer: Option<String>,
    pub os: Option<String>,
    pub worst: Option<Worst>,
    /// Findings that point at a problem.
    pub problems: usize,
    /// The error codes the findings cite, with the most lines reported.
    pub codes: Vec<(String, u64)>,
    pub input_errors: usize,
    pub findings: Vec<PageFinding>,
    pub inputs: Vec<PageInput>,
    pub inputs_left_out: usize,
}

fn values(reg: &RegistryEvidence) -> Vec<String> {
    bounded(&reg.problems, |p| {
        let key = p
            .key
            .as_deref()
            .map(|k| format!("{k}: "))
            .unwrap_or_default();
        let expected = format!("{} {}", p.expected.ty, p.expected.data);
        let actual = p
            .actual
            .as_ref()
            .map(|a| format!("{} {}", a.ty, a.data))
            .unwrap_or_else(|| "absent".to_string());
        let reason = p
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        cut(&format!(
            "{key}{}: {}{reason}; expected {expected}, found {actual}",
            p.value, p.problem
        ))
    })
}

fn error(e: &LoggedError) -> Error {
    Error {
        code: e.code.to_string(),
        name: e.name.clone(),
        count: e.count,
        first: e.first.map(|t| t.to_string()),
        last: e.last.map(|t| t.to_string()),
        examples: e
            .examples
            .iter()
            .take(MAX_EXAMPLES)
            .map(|x| Example {
                file: x.file.clone(),
                line: x.line,
                text: cut(&x.text),
            })
            .collect(),
    }
}

fn finding(host: &str, f: &Finding) -> PageFinding {
    let problem = points_at_problem(f);
    // Healthy and not-applicable findings keep their verdict and sentence only.
    let detailed = problem || f.verdict == Verdict::Inconclusive;
    let reg = f.registry.as_ref().filter(|_| detailed);
    let errors = f.log.as_ref().filter(|_| detailed).map(|l| &l.errors[..]);
    let errors = errors.unwrap_or_default();
    let remedy = f.remedy.as_ref().filter(|_| detailed);
    let mut left_out = errors.len().saturating_sub(MAX_ITEMS) as u64;
    left_out += reg.map_or(0, |r| r.problems.len().saturating_sub(MAX_ITEMS)) as u64;
    let remedy = remedy.and_then(|r| {
        let fits = r.reg.len() <= MAX_REMEDY;
        left_out += u64::from(!fits);
        fits.then(|| Remedy {
            name: format!("{host}-{}.reg", f.rule),
            reg: r.reg.clone(),
        })
    });
    PageFinding {
        rule: f.rule.clone(),
        verdict: f.verdict,
        severity: f.severity,
        problem,
        summary: if detailed {
            cut(&f.summary)
        } else {
            String::new()
        },
        key: reg.map(|r| r.key.clone()),
        source: reg.map(|r| r.source.clone()),
        values: reg.map(values).unwrap_or_default(),
        errors: bounded(errors, error),
        recorded: if detailed {
            bounded(&f.registry_errors, |r| {
                format!("{} in {} ({})", r.code, r.key, r.source)
            })
        } else {
            Vec::new()
        },
        notes: if detailed {
            bounded(&f.notes, |n| cut(n))
        } else {
            Vec::new()
        },
        remedy,
        left_out,
    }
}

/// The distinct codes of a host's findings, each with its largest line count.
fn codes(host: &HostReport) -> Vec<(String, u64)> {
    let mut codes: Vec<(String, u64)> = Vec::new();
    for e in host
        .findings
        .iter()
        .flat_map(|f| f.log.iter().flat_map(|l| &l.errors))
    {
        match codes.iter_mut().find(|(c, _)| *c == e.code.to_string()) {
            Some((_, n)) => *n = (*n).max(e.count),
            None => codes.push((e.code.to_string(), e.count)),
        }
    }
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    codes.truncate(MAX_ITEMS);
    codes
}

/// What the page keeps of `host`.
pub(super) fn page_host(host: &HostReport) -> PageHost {
    let mut findings: Vec<PageFinding> = host
        .findings
        .iter()
        .map(|f| finding(&host.host, f))
        .collect();
    // What needs action first, the most severe first; then the rest in rule order.
    findings.sort_by_key(|f| {
        (
            !f.problem,
            std::cmp::Reverse(f.problem.then_some(f.severity)),
        )
    });
    PageHost {
        host: host.host.clone(),
        computer: host.computer_name.clone(),
        os: host.os.as_ref().map(|o| o.description.clone()),
        worst: headline(host).map(|f| Worst {
            rule: f.rule.clone(),
            verdict: f.verdict,
            severity: f.severity,
        }),
        problems: host
            .findings
            .iter()
            .filter(|f| points_at_problem(f))
            .count(),
        codes: codes(host),
        input_errors: host.input_errors().count(),
        findings,
        inputs: host
            .inputs
            .iter()
            .take(MAX_INPUTS)
            .map(|i| PageInput {
                path: i.path.clone(),
                kind: serde_json::to_value(i.kind())
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                error: i.error.as_deref().map(cut),
            })
            .collect(),
        inputs_left_out: host.inputs.len().saturating_sub(MAX_INPUTS),
    }
}
