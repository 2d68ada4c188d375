//! The hives a host is judged on: one SOFTWARE hive (which tells the OS and
//! the last update results) and one SYSTEM hive (with its current control
//! set), each with what findings should say of it, or why there is none.

use crate::evidence::HiveKind;
use crate::finding::RegistryResult;
use crate::registry::os::{identify, OsInfo};
use crate::registry::system::current_control_set;
use crate::registry::RegistrySource;
use crate::rules::engine::HiveFacts;

use super::input::{HiveDetail, Input};
use super::results;

/// The hives chosen for judging, and what was read of them.
pub(super) struct Chosen<'a> {
    /// The OS, from the SOFTWARE hive.
    pub os: Option<OsInfo>,
    /// The SOFTWARE hive, when one told the OS.
    pub software: Option<HiveFacts<'a>>,
    /// Why there is no SOFTWARE hive.
    pub software_problem: Option<String>,
    /// The SYSTEM hive, when one with a current control set was read.
    pub system: Option<HiveFacts<'a>>,
    /// Why there is no SYSTEM hive.
    pub system_problem: Option<String>,
    /// Windows Update's last results, from the SOFTWARE hive.
    pub registry_results: Vec<RegistryResult>,
}

/// Chooses the SOFTWARE and SYSTEM hives among `registries` (by input
/// position); a SOFTWARE hive whose OS cannot be read gets the error on its
/// input and is not used.
pub(super) fn choose<'a>(
    inputs: &mut [Input],
    registries: &'a [(usize, RegistrySource)],
) -> Chosen<'a> {
    let (software, software_problem) = pick(inputs, registries, HiveKind::Software);
    let (system, system_problem) = pick(inputs, registries, HiveKind::System);
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
    let (system, system_problem) = with_control_set(inputs, registries, system, system_problem);
    Chosen {
        os,
        registry_results: software
            .map(|k| results::read(&registries[k].1, &inputs[registries[k].0].path))
            .unwrap_or_default(),
        software: software.map(|k| hive_facts(inputs, registries, k, String::new())),
        software_problem,
        system,
        system_problem,
    }
}

/// The SYSTEM hive `system` with its current control set, or why it cannot
/// be used (`problem` when there was no SYSTEM hive at all).
fn with_control_set<'a>(
    inputs: &[Input],
    registries: &'a [(usize, RegistrySource)],
    system: Option<usize>,
    problem: Option<String>,
) -> (Option<HiveFacts<'a>>, Option<String>) {
    let Some(k) = system else {
        return (None, problem);
    };
    match current_control_set(&registries[k].1) {
        Ok(Some(set)) => (Some(hive_facts(inputs, registries, k, set)), problem),
        _ => (
            None,
            Some(format!(
                "{}: no current control set (Select\\Current) could be read",
                inputs[registries[k].0].path
            )),
        ),
    }
}

/// The hive `k` as the rules read it, check paths below `prefix`.
fn hive_facts<'a>(
    inputs: &[Input],
    registries: &'a [(usize, RegistrySource)],
    k: usize,
    prefix: String,
) -> HiveFacts<'a> {
    let (i, source) = &registries[k];
    HiveFacts {
        source: inputs[*i].path.clone(),
        view: source,
        prefix,
        notes: hive_notes(inputs, registries, k),
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
        .filter(|k| inputs[registries[*k].0].hive() == Some(kind))
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
        .filter(|(i, _)| inputs[*i].hive() != Some(kind))
        .map(|(i, _)| {
            format!(
                "{} ({})",
                inputs[*i].path,
                inputs[*i].hive().map(HiveKind::name).unwrap_or("other")
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
    let hive = input.detail.as_hive();
    if hive.is_some_and(HiveDetail::dirty_unrecovered) {
        notes.push(format!(
            "{} is dirty: its transaction logs were not applied, so recent changes may be missing",
            input.path
        ));
    }
    if let Some(r) = hive
        .and_then(|h| h.recovery.as_ref())
        .filter(|r| r.recovered())
    {
        notes.push(format!(
            "{} is dirty; judged after replaying its transaction logs in memory: {}",
            input.path, r.description
        ));
    }
    let kind = input.hive();
    for (i, _) in registries
        .iter()
        .filter(|(i, _)| *i != registries[k].0 && inputs[*i].hive() == kind)
    {
        let name = kind.map(HiveKind::name).unwrap_or("other");
        notes.push(format!(
            "another {name} source was not used: {}",
            inputs[*i].path
        ));
    }
    notes
}
