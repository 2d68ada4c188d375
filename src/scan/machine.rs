//! Which machine a host's evidence comes from: the computer names its
//! SYSTEM sources record. Evidence of two machines is never merged.

use crate::evidence::HiveKind;
use crate::registry::system::{computer_name, current_control_set};
use crate::registry::RegistrySource;

use super::input::Input;

/// The computer name a SYSTEM source records, if it can be read.
fn name_of(source: &RegistrySource) -> Option<String> {
    let set = current_control_set(source).ok()??;
    computer_name(source, &set).ok()?
}

/// The distinct computer names (compared case-insensitively, first
/// spelling kept, in path order) of the host's SYSTEM sources. When there
/// are several, each SYSTEM input gets an error naming the machines, so the
/// host is not judged.
pub fn names(inputs: &mut [Input], registries: &[(usize, RegistrySource)]) -> Vec<String> {
    let mut named: Vec<(usize, String)> = registries
        .iter()
        .filter(|(i, _)| inputs[*i].hive() == Some(HiveKind::System))
        .filter_map(|(i, s)| name_of(s).map(|n| (*i, n)))
        .collect();
    named.sort_by(|a, b| inputs[a.0].path.cmp(&inputs[b.0].path));
    let mut distinct: Vec<String> = Vec::new();
    for (_, n) in &named {
        if !distinct.iter().any(|d| d.eq_ignore_ascii_case(n)) {
            distinct.push(n.clone());
        }
    }
    if distinct.len() > 1 {
        let all: Vec<String> = named
            .iter()
            .map(|(i, n)| format!("{} ({n})", inputs[*i].path))
            .collect();
        let message = format!(
            "SYSTEM hives of {} different machines in one host: {}; evidence of two machines \
             is never merged: put each machine's evidence in its own folder and run \
             `wutriage triage` on the folder holding them",
            distinct.len(),
            all.join(", ")
        );
        for (i, _) in &named {
            inputs[*i].error = Some(message.clone());
        }
    }
    distinct
}
