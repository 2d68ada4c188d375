//! What is known about a host when its rules are evaluated: its hives, OS,
//! log evidence and recorded results.

use super::spec::{HiveName, Rule};
use crate::finding::{LogEvidence, RegistryResult};
use crate::registry::os::OsInfo;
use crate::registry::RegistryView;

/// One readable hive of a host.
pub struct HiveFacts<'a> {
    /// The input it came from.
    pub source: String,
    /// The hive, read through the registry view.
    pub view: &'a dyn RegistryView,
    /// SYSTEM: the current control set (`ControlSet001`), which check paths are below.
    pub prefix: String,
    /// Said in every finding that used this hive (dirty, logs replayed …).
    pub notes: Vec<String>,
}

/// What is known about a host.
pub struct Facts<'a> {
    /// The OS, when the SOFTWARE hive told it.
    pub os: Option<&'a OsInfo>,
    /// The SOFTWARE hive, when one was read.
    pub software: Option<HiveFacts<'a>>,
    /// The SYSTEM hive, when one with a current control set was read.
    pub system: Option<HiveFacts<'a>>,
    /// Why a hive is missing, for `inconclusive` findings.
    pub software_problem: Option<String>,
    /// Why the SYSTEM hive is missing, for `inconclusive` findings.
    pub system_problem: Option<String>,
    /// Per-code log evidence for a rule's codes, each counted where the
    /// rule's `[[log_context]]` lets it; `None` when the host has no readable log.
    pub log: &'a dyn Fn(&Rule) -> Option<LogEvidence>,
    /// Windows Update results recorded in the SOFTWARE hive.
    pub registry_results: &'a [RegistryResult],
}

impl<'a> Facts<'a> {
    pub(crate) fn hive(&self, h: HiveName) -> Option<&HiveFacts<'a>> {
        match h {
            HiveName::Software => self.software.as_ref(),
            HiveName::System => self.system.as_ref(),
        }
    }

    pub(crate) fn problem(&self, h: HiveName) -> String {
        let p = match h {
            HiveName::Software => &self.software_problem,
            HiveName::System => &self.system_problem,
        };
        p.clone()
            .unwrap_or_else(|| format!("no readable {} hive was found", h.as_str()))
    }
}
