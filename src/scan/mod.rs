//! Analysing one host: its evidence read, its facts judged, its findings made.

pub mod input;
mod logs;
mod overlap;
mod results;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::evidence::discover::files_beneath;
use crate::evidence::HiveKind;
use crate::finding::Finding;
use crate::registry::os::{identify, OsInfo};
use crate::registry::system::current_control_set;
use crate::registry::RegistrySource;
use crate::rules::engine::{self, Facts, HiveFacts};
use crate::rules::spec::{self, Rule};
use input::{open_input, Opened};
pub use input::{Input, InputKind};

/// What makes up one host: folders searched for evidence and files named explicitly.
#[derive(Debug, Clone, Default)]
pub struct HostSpec {
    pub name: String,
    pub dirs: Vec<PathBuf>,
    pub software: Vec<PathBuf>,
    pub logs: Vec<PathBuf>,
    /// Read dirty hives as they are on disk, without replaying their transaction logs.
    pub no_recover: bool,
}

/// Everything reported about one host (`hosts[]` in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostReport {
    pub host: String,
    pub inputs: Vec<Input>,
    pub os: Option<OsInfo>,
    pub findings: Vec<Finding>,
}

impl HostReport {
    /// Inputs that could not be read.
    pub fn input_errors(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|i| i.error.is_some())
    }
}

/// Reads a host's evidence and evaluates the rules on it. Never fails: what
/// cannot be read is reported on its input.
pub fn analyse(spec: &HostSpec) -> HostReport {
    analyse_with(spec, builtin_rules())
}

/// The rules shipped in the binary, parsed once.
pub fn builtin_rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| spec::builtin().expect("built-in rule files parse (tested)"))
}

/// Like `analyse`, with the given rules.
pub fn analyse_with(spec: &HostSpec, rules: &[Rule]) -> HostReport {
    let mut inputs = Vec::new();
    let mut registries: Vec<(usize, RegistrySource)> = Vec::new();
    let mut summaries = Vec::new();
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for dir in &spec.dirs {
        if dir.is_file() {
            // A single file given as a host: read it as named evidence.
            files.push((dir.clone(), true));
            continue;
        }
        match files_beneath(dir) {
            Ok(found) => files.extend(found.into_iter().map(|f| (f, false))),
            Err(e) => {
                let mut input = Input::new(dir, InputKind::Unrecognised, 0);
                input.error = Some(format!("cannot list folder: {e}"));
                inputs.push(input);
            }
        }
    }
    files.extend(
        spec.software
            .iter()
            .chain(&spec.logs)
            .map(|f| (f.clone(), true)),
    );
    for (path, explicit) in &files {
        if let Some((input, opened)) = open_input(path, *explicit, !spec.no_recover) {
            match opened {
                Opened::Registry(source) => registries.push((inputs.len(), source)),
                Opened::Log(summary) => summaries.push(*summary),
                Opened::Nothing => {}
            }
            inputs.push(input);
        }
    }

    let (software, software_problem) = pick(&inputs, &registries, HiveKind::Software);
    let (system, system_problem) = pick(&inputs, &registries, HiveKind::System);
    let mut os = None;
    if let Some(k) = software {
        match identify(&registries[k].1) {
            Ok(o) => os = Some(o),
            Err(e) => inputs[registries[k].0].error = Some(e.to_string()),
        }
    }
    let software = software.filter(|_| os.is_some());
    let software_problem = if software.is_none() && software_problem.is_none() {
        Some("the SOFTWARE hive could not be read".to_string())
    } else {
        software_problem
    };
    let hive_facts = |k: usize, prefix: String| {
        let (i, source) = &registries[k];
        HiveFacts {
            source: inputs[*i].path.clone(),
            view: source,
            prefix,
            notes: hive_notes(&inputs, &registries, k),
        }
    };
    let system_facts = system.and_then(|k| match current_control_set(&registries[k].1) {
        Ok(Some(set)) => Some(hive_facts(k, set)),
        _ => None,
    });
    let system_problem = match (&system_facts, system) {
        (None, Some(k)) => Some(format!(
            "{}: no current control set (Select\\Current) could be read",
            inputs[registries[k].0].path
        )),
        _ => system_problem,
    };
    let registry_results = software
        .map(|k| results::read(&registries[k].1, &inputs[registries[k].0].path))
        .unwrap_or_default();
    let duplicates = overlap::duplicates(&summaries);
    let log = |codes: &[String]| {
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        logs::evidence(&summaries, &codes, &duplicates)
    };
    let facts = Facts {
        os: os.as_ref(),
        software: software.map(|k| hive_facts(k, String::new())),
        system: system_facts,
        software_problem,
        system_problem,
        log: &log,
        registry_results: &registry_results,
    };
    let findings = engine::evaluate_all(rules, &facts);
    HostReport {
        host: spec.name.clone(),
        inputs,
        os,
        findings,
    }
}

/// The hive of a kind to judge: binary hives before exports, then by path;
/// `None` with the reason when there is none.
fn pick(
    inputs: &[Input],
    registries: &[(usize, RegistrySource)],
    kind: HiveKind,
) -> (Option<usize>, Option<String>) {
    let mut found: Vec<usize> = (0..registries.len())
        .filter(|k| inputs[registries[*k].0].hive == Some(kind))
        .collect();
    found.sort_by_key(|k| {
        (
            registries[*k].1.as_hive().is_none(),
            inputs[registries[*k].0].path.clone(),
        )
    });
    if let Some(k) = found.first() {
        return (Some(*k), None);
    }
    let what = match kind {
        HiveKind::Software => "SOFTWARE hive or .reg export",
        _ => "SYSTEM hive or .reg export",
    };
    let others: Vec<String> = registries
        .iter()
        .filter(|(i, _)| inputs[*i].hive != Some(kind))
        .map(|(i, _)| {
            format!(
                "{} ({})",
                inputs[*i].path,
                inputs[*i].hive.map(HiveKind::name).unwrap_or("other")
            )
        })
        .collect();
    let problem = if others.is_empty() {
        format!("no readable {what} was found")
    } else {
        format!(
            "no readable {what} was found; other hives: {}",
            others.join(", ")
        )
    };
    (None, Some(problem))
}

/// What findings that use the hive `k` should say about it.
fn hive_notes(inputs: &[Input], registries: &[(usize, RegistrySource)], k: usize) -> Vec<String> {
    let input = &inputs[registries[k].0];
    let mut notes = Vec::new();
    if input.dirty == Some(true) && input.recovered != Some(true) {
        notes.push(format!(
            "{} is dirty: its transaction logs were not applied, so recent changes may be missing",
            input.path
        ));
    }
    if let Some(r) = input
        .recovery
        .as_ref()
        .filter(|_| input.recovered == Some(true))
    {
        notes.push(format!(
            "{} is dirty; judged after replaying its transaction logs in memory: {}",
            input.path, r.description
        ));
    }
    let kind = input.hive;
    for (i, _) in registries
        .iter()
        .filter(|(i, _)| *i != registries[k].0 && inputs[*i].hive == kind)
    {
        let name = kind.map(HiveKind::name).unwrap_or("other");
        notes.push(format!(
            "another {name} source was not used: {}",
            inputs[*i].path
        ));
    }
    notes
}
