//! SARIF 2.1.0 output for code scanning and CI dashboards: the run's head
//! (the rules of the rule set used), then the results, the artifacts (each
//! input with its SHA-256) and the invocation.
//!
//! By default only findings that point at a problem become results
//! ([`select::points_at_problem`]); `all` keeps every finding (healthy ones
//! as `pass`, not-applicable ones as `notApplicable`). Every unreadable
//! input is a result of the rule `WUTRIAGE-INPUT`. Results are held until
//! the end, at most `limit` of them (GitHub's 25,000 by default): beyond
//! that the least severe are left out and the invocation says how many.
//! Fingerprints are the SHA-256 of rule id, host and registry key (or error
//! codes, or input path), so the same problem keeps its identity across runs.

mod ids;
mod locate;
mod model;
mod rules;
pub mod select;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Tool;
use crate::finding::Finding;
use crate::rules::spec::Rule;
use crate::scan::{HostReport, Input};
pub use ids::{FINGERPRINT_KEY, INPUT_RULE, ROOT_BASE};
use model::{text, Artifact, Driver, Location, ResultOut, ToolOut};
pub use rules::rule_name;
pub use select::GITHUB_MAX_RESULTS;
use select::{kind_and_level, points_at_problem, rank, Kept};

/// What goes into a SARIF log.
#[derive(Debug, Clone)]
pub struct SarifOptions {
    /// A result for every finding, not only those that point at a problem.
    pub all: bool,
    /// Results kept at most (the worst first).
    pub limit: usize,
}

impl Default for SarifOptions {
    fn default() -> Self {
        Self {
            all: false,
            limit: GITHUB_MAX_RESULTS,
        }
    }
}

/// SHA-256 over the parts, separated by NUL, as hex.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p.as_bytes());
    }
    crate::evidence::digest::hex(&h.finalize())
}

/// A SARIF log being written: `begin`, `host` for each host, `end`.
pub struct SarifWriter {
    paths: locate::Paths,
    tool: Tool,
    rules: Vec<Rule>,
    /// Rule id → index in the rules table.
    index: HashMap<String, usize>,
    opts: SarifOptions,
    kept: Kept,
    /// Inputs seen, for the closing `artifacts` (path, size, hash only).
    artifacts: Vec<Artifact>,
}

impl SarifWriter {
    /// Artifact locations are given relative to `root` (the `ROOT` base);
    /// `rules` is the rule set evaluated.
    pub fn new(root: &Path, tool: Tool, rules: &[Rule], opts: SarifOptions) -> Self {
        let mut index: HashMap<String, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        index.insert(INPUT_RULE.to_string(), rules.len());
        Self {
            paths: locate::Paths::new(root),
            tool,
            rules: rules.to_vec(),
            index,
            kept: Kept::new(opts.limit),
            opts,
            artifacts: Vec::new(),
        }
    }

    /// Writes the document's start (the tool and the run).
    pub fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let tool = ToolOut {
            driver: Driver {
                name: self.tool.name.clone(),
                version: self.tool.version.clone(),
                semantic_version: self.tool.version.clone(),
                information_uri: "https://support.microsoft.com/kb/910341",
                rules: rules::descriptors(&self.rules),
            },
        };
        let bases = serde_json::json!({ ROOT_BASE: { "uri": self.paths.root_uri() } });
        write!(
            w,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\n\"tool\":{},\n\"originalUriBaseIds\":{},\n\"columnKind\":\"unicodeCodePoints\",\n\"results\":[",
            serde_json::to_string(&tool)?,
            bases
        )
    }

    fn finding_result(&self, host: &HostReport, f: &Finding, art: &locate::Artifacts) -> ResultOut {
        let (kind, level) = kind_and_level(f);
        let codes: Vec<String> = f
            .log
            .iter()
            .flat_map(|l| &l.errors)
            .map(|e| e.code.to_string())
            .collect();
        let what = match &f.registry {
            Some(r) => r.key.clone(),
            None => codes.join(","),
        };
        let mut properties = BTreeMap::new();
        properties.insert("host", host.host.clone());
        if let Some(name) = &host.computer_name {
            properties.insert("computerName", name.clone());
        }
        properties.insert("verdict", f.verdict.to_string());
        properties.insert("severity", f.severity.to_string());
        if let Some(os) = &host.os {
            properties.insert("os", os.description.clone());
        }
        if !codes.is_empty() {
            properties.insert("errorCodes", codes.join(","));
        }
        let (locations, related_locations) = self.paths.finding_locations(f, art);
        ResultOut {
            rule_index: self.index.get(&f.rule).copied(),
            rule_id: f.rule.clone(),
            kind,
            level,
            message: text(format!("{}: {}: {}", host.host, f.verdict, f.summary)),
            locations,
            related_locations,
            fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprint(&[&f.rule, &host.host, &what]),
            )]),
            properties,
        }
    }

    fn input_result(&self, host: &HostReport, input: &Input, art: &locate::Artifacts) -> ResultOut {
        let rel = self.paths.location(&input.path, None).uri;
        ResultOut {
            rule_id: INPUT_RULE.to_string(),
            rule_index: self.index.get(INPUT_RULE).copied(),
            kind: "fail",
            level: "error",
            message: text(format!(
                "{}: {}: {}",
                host.host,
                input.path,
                input.error.as_deref().unwrap_or("")
            )),
            locations: vec![Location {
                id: None,
                physical_location: Some(self.paths.whole(&input.path, art)),
                logical_locations: Vec::new(),
                message: None,
            }],
            related_locations: Vec::new(),
            fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprint(&[INPUT_RULE, &host.host, &rel]),
            )]),
            properties: BTreeMap::from([("host", host.host.clone())]),
        }
    }

    fn keep(&mut self, r: &ResultOut, rank: u8) -> io::Result<()> {
        self.kept.push(rank, serde_json::to_string(r)?);
        Ok(())
    }

    /// Takes a host's results and remembers its inputs as artifacts.
    /// Nothing is written until `end`.
    pub fn host(&mut self, _w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        let mut art = locate::Artifacts::default();
        for input in &host.inputs {
            let (i, a) = self.paths.artifact(input, self.artifacts.len());
            art.insert(&input.path, i, input.size);
            self.artifacts.push(a);
        }
        for f in &host.findings {
            if self.opts.all || points_at_problem(f) {
                let r = self.finding_result(host, f, &art);
                let rank = rank(r.kind, r.level);
                self.keep(&r, rank)?;
            }
        }
        for input in host.input_errors() {
            let r = self.input_result(host, input, &art);
            self.keep(&r, rank("input", "error"))?;
        }
        Ok(())
    }

    /// Writes the results kept, the artifacts and the invocation (with a
    /// notification when results were left out).
    pub fn end(&mut self, w: &mut dyn Write, successful: bool) -> io::Result<()> {
        let kept = std::mem::replace(&mut self.kept, Kept::new(0));
        let (dropped, worst) = (kept.dropped, kept.worst_dropped);
        for (i, r) in kept.into_ordered().iter().enumerate() {
            let sep = if i == 0 { "\n" } else { ",\n" };
            write!(w, "{sep}{r}")?;
        }
        write!(w, "\n],\n\"artifacts\":[")?;
        for (i, a) in self.artifacts.iter().enumerate() {
            let sep = if i == 0 { "\n" } else { ",\n" };
            write!(w, "{sep}{}", serde_json::to_string(a)?)?;
        }
        let mut invocation = serde_json::json!({ "executionSuccessful": successful });
        if dropped > 0 {
            let what = match worst {
                Some(r) if r >= rank("fail", "warning") => "some of them failures",
                _ => "the least severe",
            };
            invocation["toolExecutionNotifications"] = serde_json::json!([{
                "level": "warning",
                "message": { "text": format!(
                    "{dropped} results left out ({what}): a run holds at most {} results; the most severe were kept. Use another format (jsonl, csv) for every finding.",
                    self.opts.limit
                ) },
                "properties": { "resultsLeftOut": dropped }
            }]);
        }
        writeln!(w, "\n],\n\"invocations\":[{invocation}]\n}}]}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["x"]).len(), 64);
    }
}
