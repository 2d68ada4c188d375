//! The HTML report: one self-contained file (no network, no external
//! script, style or font) with the fleet overview, a chart of error lines
//! over time, a sortable, filterable, paginated host table and each host's
//! details, built when its row is opened.
//!
//! The data is embedded once, as JSON in a `<script type="application/json">`
//! element in which `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
//! escapes, so no evidence text can close the element. The page's script
//! puts evidence into the page as text only (`textContent`), never as
//! markup, and a Content-Security-Policy allows no script or style but the
//! page's own (by hash) and no network at all.
//!
//! Written as a stream: `begin`, `host` for each host (what the page needs
//! of it, bounded: see `data`), `end` (the overview and the chart's days).

mod chart;
mod data;

use std::collections::BTreeMap;
use std::io::{self, Write};

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Tool;
use crate::finding::Verdict;
use crate::report::sarif::select::points_at_problem;
use crate::rules::spec::Rule;
use crate::scan::HostReport;
use chart::Days;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// JSON made safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and
/// U+2029 (only ever inside strings) become `\uXXXX` escapes.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn csp_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[derive(Serialize)]
struct RuleInfo<'a> {
    id: &'a str,
    title: &'a str,
}

/// Hosts per verdict of one rule.
#[derive(Serialize, Default)]
struct RuleCounts {
    rule: String,
    verdicts: BTreeMap<Verdict, u64>,
}

#[derive(Serialize, Default)]
struct Totals {
    hosts: u64,
    needing_action: u64,
    with_input_errors: u64,
    input_errors: u64,
}

/// An HTML report being written: `begin`, `host` for each host, `end`.
pub struct HtmlWriter {
    tool: Tool,
    rules: Vec<Rule>,
    hosts: u64,
    overview: Vec<RuleCounts>,
    days: Days,
    totals: Totals,
}

impl HtmlWriter {
    /// `rules` is the rule set evaluated (the overview's rows).
    pub fn new(tool: Tool, rules: &[Rule]) -> Self {
        Self {
            tool,
            rules: rules.to_vec(),
            hosts: 0,
            overview: rules
                .iter()
                .map(|r| RuleCounts {
                    rule: r.id.clone(),
                    ..RuleCounts::default()
                })
                .collect(),
            days: Days::default(),
            totals: Totals::default(),
        }
    }

    /// Writes the document's start.
    pub fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let csp = format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
            csp_hash(SCRIPT),
            csp_hash(STYLE)
        );
        let rules: Vec<RuleInfo> = self
            .rules
            .iter()
            .map(|r| RuleInfo {
                id: &r.id,
                title: &r.title,
            })
            .collect();
        let tool = serde_json::to_string(&self.tool)?;
        write!(
            w,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>wutriage report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <noscript>This report needs JavaScript to show its data.</noscript>\n\
             <script type=\"application/json\" id=\"wutriage-data\">{{\"tool\":{},\"rules\":{},\"hosts\":[",
            script_json(&tool),
            script_json(&serde_json::to_string(&rules)?)
        )
    }

    fn count(&mut self, host: &HostReport) {
        self.totals.hosts += 1;
        let problems = host.findings.iter().any(points_at_problem);
        let errors = host.input_errors().count() as u64;
        self.totals.needing_action += u64::from(problems || errors > 0);
        self.totals.input_errors += errors;
        self.totals.with_input_errors += u64::from(errors > 0);
        for f in &host.findings {
            let i = match self.overview.iter().position(|c| c.rule == f.rule) {
                Some(i) => i,
                None => {
                    self.overview.push(RuleCounts {
                        rule: f.rule.clone(),
                        ..RuleCounts::default()
                    });
                    self.overview.len() - 1
                }
            };
            *self.overview[i].verdicts.entry(f.verdict).or_default() += 1;
        }
        self.days.add(host);
    }

    /// Writes what the page needs of one host.
    pub fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        self.count(host);
        let sep = if self.hosts == 0 { "\n" } else { ",\n" };
        self.hosts += 1;
        let json = serde_json::to_string(&data::page_host(host))?;
        write!(w, "{sep}{}", script_json(&json))
    }

    /// Closes the data (overview, chart, totals) and writes the page's script.
    pub fn end(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let tail = serde_json::json!({
            "overview": self.overview,
            "days": self.days,
            "totals": self.totals,
        });
        let tail = serde_json::to_string(&tail)?;
        // The tail object's members continue the data object.
        let members = tail.trim_start_matches('{');
        write!(
            w,
            "\n],{}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            script_json(members)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element_and_stays_json() {
        let hostile = "</script><!-- \u{2028}\u{2029} & >";
        let json = serde_json::to_string(&hostile).unwrap();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, hostile);
    }
}
