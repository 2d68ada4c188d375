//! contrib/: the Velociraptor artifacts, the KAPE target and module parsed
//! (YAML), their required fields checked, and their collection globs checked
//! against every evidence kind wutriage reads. The command lines they run
//! are run in `contrib_run`, the globs checked in `contrib_globs`.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

use crate::util;

pub const COLLECT: &str = "Windows.WUTriage.Collect";
pub const ANALYSE: &str = "Server.WUTriage.Analyse";
pub const MONITOR: &str = "Server.WUTriage.Monitor";

/// A Velociraptor artifact: the fields these artifacts may use; any other
/// (a misspelt one) fails the parse.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    pub name: String,
    pub description: String,
    pub author: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub tools: Vec<Tool>,
    pub precondition: Option<String>,
    #[serde(default)]
    pub required_permissions: Vec<String>,
    #[serde(default)]
    pub imports: Vec<String>,
    pub export: Option<String>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    pub description: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub default: Option<String>,
    #[serde(default)]
    pub choices: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub url: Option<String>,
    pub serve_locally: Option<bool>,
    pub expected_hash: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Accepted as Velociraptor allows them; nothing to check.
    #[allow(dead_code)]
    pub name: Option<String>,
    #[allow(dead_code)]
    pub precondition: Option<String>,
    pub query: String,
}

/// A KAPE target (`.tkape`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Target {
    pub description: String,
    pub author: String,
    pub version: f64,
    pub id: String,
    pub recreate_directories: bool,
    pub targets: Vec<TargetEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetEntry {
    pub name: String,
    pub category: String,
    pub path: String,
    pub file_mask: String,
    pub recursive: bool,
    pub comment: String,
}

/// A KAPE module (`.mkape`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Module {
    pub description: String,
    pub category: String,
    pub author: String,
    pub version: f64,
    pub id: String,
    pub binary_url: String,
    pub export_format: String,
    pub processors: Vec<Processor>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Processor {
    pub executable: String,
    pub command_line: String,
    pub export_format: String,
}

pub fn contrib(sub: &str) -> PathBuf {
    util::root().join("contrib").join(sub)
}

pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no .{ext} in {}", dir.display());
    v
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let text = String::from_utf8(util::read(path)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every artifact under contrib/velociraptor, by name.
pub fn artifacts() -> Vec<Artifact> {
    let dir = contrib("velociraptor");
    let all: Vec<(PathBuf, Artifact)> = files(&dir, "yaml")
        .into_iter()
        .map(|p| {
            let a = parse(&p);
            (p, a)
        })
        .collect();
    for (path, a) in &all {
        assert_eq!(path.file_stem().unwrap().to_str(), Some(a.name.as_str()));
    }
    all.into_iter().map(|(_, a)| a).collect()
}

pub fn artifact(name: &str) -> Artifact {
    artifacts().into_iter().find(|a| a.name == name).unwrap()
}

pub fn target() -> Target {
    let [path] = &files(&contrib("kape"), "tkape")[..] else {
        panic!("one target")
    };
    parse(path)
}

pub fn module() -> Module {
    let [path] = &files(&contrib("kape"), "mkape")[..] else {
        panic!("one module")
    };
    parse(path)
}

/// All the VQL of an artifact: its export and its sources.
pub fn vql(a: &Artifact) -> String {
    let mut s = a.export.clone().unwrap_or_default();
    for src in &a.sources {
        s.push_str(&src.query);
    }
    s
}

/// The `Kind,Glob` rows of the client artifact's CollectionGlobs default.
pub fn collection_globs() -> Vec<(String, String)> {
    let a = artifact(COLLECT);
    let p = a
        .parameters
        .iter()
        .find(|p| p.name == "CollectionGlobs")
        .unwrap();
    assert_eq!(p.kind.as_deref(), Some("csv"));
    let mut r = csv::Reader::from_reader(p.default.as_deref().unwrap().as_bytes());
    assert_eq!(r.headers().unwrap(), vec!["Kind", "Glob"]);
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

#[test]
fn velociraptor_artifacts_parse_with_their_required_fields() {
    let all = artifacts();
    let kinds: Vec<(&str, &str)> = all
        .iter()
        .map(|a| (a.name.as_str(), a.kind.as_str()))
        .collect();
    for want in [
        (COLLECT, "CLIENT"),
        (ANALYSE, "SERVER"),
        (MONITOR, "SERVER_EVENT"),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
    for a in &all {
        assert!(
            !a.description.trim().is_empty() && !a.sources.is_empty(),
            "{}",
            a.name
        );
        assert!(
            a.author.as_deref().is_some_and(|s| !s.is_empty()),
            "{}",
            a.name
        );
        for t in &a.tools {
            // No upstream URL: the admin uploads the build, served by the server.
            assert_eq!(
                (t.serve_locally, &t.url, &t.expected_hash),
                (Some(true), &None, &None)
            );
        }
        for p in &a.parameters {
            assert!(!p.description.trim().is_empty(), "{}.{}", a.name, p.name);
            if let (Some(d), false) = (&p.default, p.choices.is_empty()) {
                assert!(p.choices.contains(d), "{}.{}", a.name, p.name);
            }
        }
        for i in &a.imports {
            let from = all
                .iter()
                .find(|b| &b.name == i)
                .unwrap_or_else(|| panic!("{i}"));
            assert!(from.export.is_some(), "{i} exports nothing");
        }
        check_brackets(&a.name, &vql(a));
    }
    let c = artifact(COLLECT);
    assert!(c.precondition.unwrap().contains("OS = 'windows'"));
    let q = vql(&artifact(COLLECT));
    assert!(
        q.contains("glob(globs=specs.Glob, accessor=Accessor)") && q.contains("upload(file=OSPath")
    );
    let acc = c.parameters.iter().find(|p| p.name == "Accessor").unwrap();
    assert_eq!(acc.default.as_deref(), Some("ntfs"), "raw NTFS by default");
}

#[test]
fn server_artifacts_declare_the_tool_and_execve() {
    for name in [ANALYSE, MONITOR] {
        let a = artifact(name);
        assert!(
            a.required_permissions.iter().any(|p| p == "EXECVE"),
            "{name}"
        );
        let q = vql(&a);
        for t in &a.tools {
            assert!(
                q.contains(&format!("ToolName=\"{}\"", t.name)),
                "{name} uses {}",
                t.name
            );
        }
        assert_eq!(
            a.tools.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["WUTriage"]
        );
        let per_flow = "WUTriageFlow(Binary=Binary, ClientId=ClientId, FlowId=FlowId)";
        assert!(q.contains(per_flow), "{name} runs wutriage per flow");
    }
    let m = artifact(MONITOR);
    assert_eq!(m.imports, [ANALYSE]);
    let q = vql(&m);
    assert!(q.contains("watch_monitoring(artifact=\"System.Flow.Completion\")"));
    let re = m
        .parameters
        .iter()
        .find(|p| p.name == "ArtifactNameRegex")
        .unwrap();
    let re = Regex::new(re.default.as_deref().unwrap()).unwrap();
    assert!(re.is_match(COLLECT) && !re.is_match("Windows.KapeFiles.Targets"));
    let a = artifact(ANALYSE);
    for p in ["ClientId", "FlowId", "HuntId", "WUTriageBinary"] {
        assert!(a.parameters.iter().any(|x| x.name == p), "{p}");
    }
    assert!(vql(&a).contains("hunt_flows(hunt_id=HuntId)"));
    assert!(vql(&a).contains("workers=Workers"));
    let export = a.export.as_deref().unwrap();
    assert!(
        export.contains("LET WUTriageFlow(")
            && export.contains("WUTriageRun(Binary=Binary, Dir=Dir)")
    );
    // VQL evaluates columns lazily: the copy's WHERE must read the copy.
    assert!(export.contains("WHERE Copied.Error"));
    let execs: usize = artifacts()
        .iter()
        .map(|a| vql(a).matches("execve(").count())
        .sum();
    assert_eq!(execs, 1, "one command line, shared through the export");
}

/// Brackets of each kind balance outside string literals and comments.
fn check_brackets(name: &str, q: &str) {
    let (mut stack, mut quote) = (vec![], None::<char>);
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '-' | '/') if chars.peek() == Some(&c) => {
                chars.by_ref().find(|&c| c == '\n');
            }
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => stack.push(c),
            (None, ')' | ']' | '}') => {
                let open = stack.pop().unwrap_or_else(|| panic!("{name}: stray {c}"));
                assert_eq!(open, matching(c), "{name}: {open} closed by {c}");
            }
            _ => {}
        }
    }
    assert!(
        stack.is_empty() && quote.is_none(),
        "{name}: unclosed {stack:?} {quote:?}"
    );
}

fn matching(close: char) -> char {
    match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}
