//! Analysing one host: its evidence read, its facts judged, its findings made.

pub mod input;
mod logs;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::evidence::discover::files_beneath;
use crate::evidence::HiveKind;
use crate::finding::Finding;
use crate::registry::os::{identify, OsInfo};
use crate::registry::RegistrySource;
use crate::rules::kb910341;
pub use input::{Input, InputKind};
use input::{open_input, Opened};

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
    files.extend(spec.software.iter().chain(&spec.logs).map(|f| (f.clone(), true)));
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

    // The SOFTWARE evidence: binary hives before exports, then by path.
    let mut software: Vec<&(usize, RegistrySource)> = registries
        .iter()
        .filter(|(i, _)| inputs[*i].hive == Some(HiveKind::Software))
        .collect();
    software.sort_by_key(|(i, s)| (s.as_hive().is_none(), inputs[*i].path.clone()));

    let mut os = None;
    let mut registry_problem = None;
    let mut judged = None;
    for (i, source) in &software {
        match identify(source).and_then(|o| kb910341::judge(source, &o).map(|j| (o, j))) {
            Ok((o, j)) => {
                judged = Some((inputs[*i].path.clone(), o.clone(), j, *i));
                os = Some(o);
                break;
            }
            Err(e) => inputs[*i].error = Some(e.to_string()),
        }
    }
    if judged.is_none() {
        let non_software: Vec<String> = registries
            .iter()
            .filter(|(i, _)| inputs[*i].hive != Some(HiveKind::Software))
            .map(|(i, _)| {
                let kind = inputs[*i].hive.map(HiveKind::name).unwrap_or("other");
                format!("{} ({kind})", inputs[*i].path)
            })
            .collect();
        registry_problem = Some(if non_software.is_empty() {
            "no readable SOFTWARE hive or .reg export was found".to_string()
        } else {
            format!(
                "no readable SOFTWARE hive or .reg export was found; other hives: {}",
                non_software.join(", ")
            )
        });
    }

    let log = logs::evidence(&summaries, &kb910341::CODES);
    let mut finding = match &judged {
        Some((source, os, j, _)) => kb910341::evaluate(
            Some(kb910341::RegistryFacts {
                source: source.clone(),
                os,
                senslogn: j,
            }),
            None,
            log,
        ),
        None => kb910341::evaluate(None, registry_problem, log),
    };
    if let Some((_, _, _, i)) = &judged {
        if inputs[*i].dirty == Some(true) && inputs[*i].recovered != Some(true) {
            finding.notes.push(format!(
                "{} is dirty: its transaction logs were not applied, so recent changes may be missing",
                inputs[*i].path
            ));
        }
        if let Some(r) = inputs[*i].recovery.as_ref().filter(|_| inputs[*i].recovered == Some(true)) {
            finding.notes.push(format!(
                "{} is dirty; judged after replaying its transaction logs in memory: {}",
                inputs[*i].path, r.description
            ));
        }
        for (j, _) in software.iter().skip(1) {
            finding
                .notes
                .push(format!("another SOFTWARE source was not used: {}", inputs[*j].path));
        }
    }
    HostReport {
        host: spec.name.clone(),
        inputs,
        os,
        findings: vec![finding],
    }
}
