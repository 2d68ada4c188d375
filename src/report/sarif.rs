//! SARIF 2.1.0 output for CI dashboards, written as a stream: the run's
//! head, one result per finding and per unreadable input, then the
//! artifacts (each input with its SHA-256) and the closing brackets.
//!
//! Results carry a `kind` and a `level`: findings that show a problem are
//! `fail` with a level from their severity (high → error, medium → warning,
//! low/info → note); healthy hosts are `pass`, not-applicable ones
//! `notApplicable`, inconclusive ones `review` (SARIF wants level `none` for
//! these). Fingerprints are the SHA-256 of rule id, host and registry key
//! (or error codes, or input path), so the same problem keeps its identity
//! across runs.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Tool;
use crate::finding::{Finding, Severity, Verdict};
use crate::scan::{HostReport, Input};

/// The rule id of results for inputs that could not be read.
pub const INPUT_RULE: &str = "WUTRIAGE-INPUT";
/// The key of `fingerprints` in each result.
pub const FINGERPRINT_KEY: &str = "wutriage/v1";
/// The `uriBaseId` artifact locations are relative to: the triage root.
pub const ROOT_BASE: &str = "ROOT";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

fn text(s: impl Into<String>) -> Message {
    Message {
        text: s.into(),
        markdown: None,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct ToolOut {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    kind: &'static str,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    fingerprints: BTreeMap<&'static str, String>,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    length: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    hashes: BTreeMap<&'static str, String>,
    roles: [&'static str; 1],
}

fn rules() -> Vec<Rule> {
    let mut rules: Vec<Rule> = crate::scan::builtin_rules()
        .iter()
        .map(|r| Rule {
            id: r.id.clone(),
            name: r.id.clone(),
            short_description: text(&r.title),
            full_description: text(&r.source),
            help: text(format!(
                "{} The finding lists the registry values expected and found, the log lines, and a remedy where one can be written.",
                r.source
            )),
            help_uri: r.source_url.clone(),
            default_configuration: Configuration { level: "error" },
        })
        .collect();
    rules.push(Rule {
        id: INPUT_RULE.to_string(),
        name: "UnreadableEvidence".to_string(),
        short_description: text("An evidence file could not be read"),
        full_description: text(
            "A file collected from the host looks like evidence (by name or content) but could not be read: a damaged hive, a truncated export, junk named like a log. The host's verdict may rest on less evidence than was collected.",
        ),
        help: text("Collect the file again from the machine, or check how it was copied (a hive copied while in use can be incomplete)."),
        help_uri: None,
        default_configuration: Configuration { level: "error" },
    });
    rules
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
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Percent-encodes a path for a URI: everything but unreserved characters
/// and `/` (so Velociraptor's `C%3A` becomes `C%253A`).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn kind_and_level(f: &Finding) -> (&'static str, &'static str) {
    match f.verdict {
        Verdict::Confirmed | Verdict::Latent | Verdict::OtherCause => (
            "fail",
            match f.severity {
                Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "note",
            },
        ),
        Verdict::Healthy => ("pass", "none"),
        Verdict::NotApplicable => ("notApplicable", "none"),
        Verdict::Inconclusive => ("review", "none"),
    }
}

/// A SARIF log being written: `begin`, `host` for each host, `end`.
pub struct SarifWriter {
    root: PathBuf,
    tool: Tool,
    results: usize,
    /// Inputs seen, for the closing `artifacts` (path, size, hash only).
    artifacts: Vec<Artifact>,
}

impl SarifWriter {
    /// Artifact locations are given relative to `root` (the `ROOT` base).
    pub fn new(root: &Path, tool: Tool) -> Self {
        Self {
            root: root.to_path_buf(),
            tool,
            results: 0,
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
                rules: rules(),
            },
        };
        let abs = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let mut root_uri = format!("file://{}", uri_path(&abs.to_string_lossy()));
        if !root_uri.ends_with('/') {
            root_uri.push('/');
        }
        let bases = serde_json::json!({ ROOT_BASE: { "uri": root_uri } });
        write!(
            w,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\n\"tool\":{},\n\"originalUriBaseIds\":{},\n\"columnKind\":\"unicodeCodePoints\",\n\"results\":[",
            serde_json::to_string(&tool)?,
            bases
        )
    }

    /// An artifact location for an input path: relative to the root when beneath it.
    fn location(&self, path: &str, index: Option<usize>) -> ArtifactLocation {
        match Path::new(path).strip_prefix(&self.root) {
            Ok(rel) => ArtifactLocation {
                uri: uri_path(&rel.to_string_lossy()),
                uri_base_id: Some(ROOT_BASE),
                index,
            },
            Err(_) => ArtifactLocation {
                uri: format!("file://{}", uri_path(path)),
                uri_base_id: None,
                index,
            },
        }
    }

    fn physical(&self, path: &str, index: Option<usize>) -> PhysicalLocation {
        PhysicalLocation {
            artifact_location: self.location(path, index),
        }
    }

    fn add_artifact(&mut self, input: &Input) -> usize {
        let mut hashes = BTreeMap::new();
        if let Some(h) = &input.sha256 {
            hashes.insert("sha-256", h.clone());
        }
        self.artifacts.push(Artifact {
            location: self.location(&input.path, None),
            length: input.size,
            hashes,
            roles: ["analysisTarget"],
        });
        self.artifacts.len() - 1
    }

    fn finding_result(
        &self,
        host: &HostReport,
        f: &Finding,
        index: &BTreeMap<&str, usize>,
    ) -> ResultOut {
        let (kind, level) = kind_and_level(f);
        let reg = f.registry.as_ref();
        let codes: Vec<&str> = f
            .log
            .iter()
            .flat_map(|l| &l.errors)
            .map(|e| e.code.as_str())
            .collect();
        let what = match reg {
            Some(r) => r.key.clone(),
            None => codes.join(","),
        };
        let evidence = reg.map(|r| r.source.as_str()).or_else(|| {
            f.log
                .as_ref()
                .and_then(|l| l.files.first())
                .map(String::as_str)
        });
        let mut logical = Vec::new();
        if let Some(r) = reg {
            logical.push(LogicalLocation {
                name: r.key.rsplit('\\').next().unwrap_or(&r.key).to_string(),
                fully_qualified_name: r.key.clone(),
                kind: "object",
            });
        }
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
        ResultOut {
            rule_index: rules().iter().position(|r| r.id == f.rule),
            rule_id: f.rule.clone(),
            kind,
            level,
            message: text(format!("{}: {}: {}", host.host, f.verdict, f.summary)),
            locations: vec![Location {
                physical_location: evidence.map(|p| self.physical(p, index.get(p).copied())),
                logical_locations: logical,
            }],
            fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprint(&[&f.rule, &host.host, &what]),
            )]),
            properties,
        }
    }

    fn input_result(&self, host: &HostReport, input: &Input, index: usize) -> ResultOut {
        let rel = self.location(&input.path, None).uri;
        ResultOut {
            rule_id: INPUT_RULE.to_string(),
            rule_index: Some(1),
            kind: "fail",
            level: "error",
            message: text(format!(
                "{}: {}: {}",
                host.host,
                input.path,
                input.error.as_deref().unwrap_or("")
            )),
            locations: vec![Location {
                physical_location: Some(self.physical(&input.path, Some(index))),
                logical_locations: Vec::new(),
            }],
            fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprint(&[INPUT_RULE, &host.host, &rel]),
            )]),
            properties: BTreeMap::from([("host", host.host.clone())]),
        }
    }

    fn write_result(&mut self, w: &mut dyn Write, r: &ResultOut) -> io::Result<()> {
        let sep = if self.results == 0 { "\n" } else { ",\n" };
        self.results += 1;
        write!(w, "{sep}{}", serde_json::to_string(r)?)
    }

    /// Writes a host's results and remembers its inputs as artifacts.
    pub fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        let mut index = BTreeMap::new();
        for input in &host.inputs {
            let i = self.add_artifact(input);
            index.insert(input.path.as_str(), i);
        }
        let mut results = Vec::new();
        for f in &host.findings {
            results.push(self.finding_result(host, f, &index));
        }
        for input in host.input_errors() {
            results.push(self.input_result(host, input, index[input.path.as_str()]));
        }
        for r in &results {
            self.write_result(w, r)?;
        }
        Ok(())
    }

    /// Closes the results and writes the artifacts and the invocation.
    pub fn end(&mut self, w: &mut dyn Write, successful: bool) -> io::Result<()> {
        write!(w, "\n],\n\"artifacts\":[")?;
        for (i, a) in self.artifacts.iter().enumerate() {
            let sep = if i == 0 { "\n" } else { ",\n" };
            write!(w, "{sep}{}", serde_json::to_string(a)?)?;
        }
        let invocation = serde_json::json!({ "executionSuccessful": successful });
        writeln!(w, "\n],\n\"invocations\":[{invocation}]\n}}]}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_percent_and_spaces_but_not_slashes() {
        assert_eq!(
            uri_path("uploads/auto/C%3A/My Docs"),
            "uploads/auto/C%253A/My%20Docs"
        );
    }

    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["x"]).len(), 64);
    }
}
