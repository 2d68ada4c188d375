//! Analysing one host: its evidence read, its facts judged, its findings made.

mod context;
mod hives;
pub mod input;
mod logs;
mod machine;
pub mod occurrences;
mod overlap;
pub(crate) mod results;
mod seen;
pub mod window;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::evidence::walk::walk_host;
use crate::finding::Finding;
use crate::registry::os::OsInfo;
use crate::registry::RegistrySource;
use crate::rules::engine::{self, Facts};
use crate::rules::spec::{self, Rule};
use crate::warning::{Warning, WarningCode};
use crate::wulog::{LogSummary, ScanOptions};
use input::{open_input, read_order, Opened, Reading};
pub use input::{Input, InputDetail, InputKind};
pub use occurrences::{Occurrence, Occurrences};
pub use window::{TimeBound, TimeWindow};

/// What makes up one host: folders searched for evidence and files named explicitly.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HostSpec {
    /// The host's name in reports.
    pub name: String,
    /// Folders searched for evidence, anywhere beneath them.
    pub dirs: Vec<PathBuf>,
    /// Files to read as registry hives or `.reg` exports.
    pub software: Vec<PathBuf>,
    /// Files to read as Windows Update logs.
    pub logs: Vec<PathBuf>,
    /// Read dirty hives as they are on disk, without replaying their transaction logs.
    pub no_recover: bool,
    /// Only log lines in this window count as evidence.
    pub window: TimeWindow,
    /// Gather the host's error occurrences, keeping at most this many
    /// (`Some(0)`: per-day counts only).
    pub occurrences: Option<usize>,
}

/// Everything reported about one host (`hosts[]` in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HostReport {
    /// The host's name (`HostSpec::name`).
    pub host: String,
    /// The machine's name from its SYSTEM hive (`…\Control\ComputerName\ComputerName`);
    /// `None` when no SYSTEM hive with a current control set was read.
    #[serde(default)]
    pub computer_name: Option<String>,
    /// Every file read (or refused), with what it was.
    pub inputs: Vec<Input>,
    /// The OS, from the SOFTWARE hive.
    pub os: Option<OsInfo>,
    /// One finding per rule, KB910341 first.
    pub findings: Vec<Finding>,
    /// The error occurrences, when asked for (`HostSpec::occurrences`); not in JSON.
    #[serde(skip)]
    pub occurrences: Option<Occurrences>,
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

/// The message on a host folder in which nothing was recognised.
pub const NO_EVIDENCE: &str =
    "no evidence: no registry hive, .reg export or Windows Update log was found here";

/// A host whose evidence is of several machines: not judged (its inputs say why).
fn unjudged(spec: &HostSpec, inputs: Vec<Input>) -> HostReport {
    HostReport {
        host: spec.name.clone(),
        computer_name: None,
        inputs,
        os: None,
        findings: Vec::new(),
        occurrences: None,
    }
}

/// Like `analyse`, with the given rules.
pub fn analyse_with(spec: &HostSpec, rules: &[Rule]) -> HostReport {
    let opts = logs::scan_options(rules);
    let watch = seen::Watch::new(rules, &opts, spec.window, spec.occurrences);
    let Read {
        mut inputs,
        registries,
        summaries,
        lines,
        occurrences,
    } = read_host(spec, &opts, watch);
    if inputs.is_empty() {
        // Judged all the same: every rule is then inconclusive, and says why.
        inputs.extend(no_evidence(spec));
    }
    let names = machine::names(&mut inputs, &registries);
    if names.len() > 1 {
        return unjudged(spec, inputs);
    }
    let hives = hives::choose(&mut inputs, &registries);
    let duplicates = overlap::duplicates(&summaries, &lines);
    let log =
        |rule: &Rule| logs::evidence(&summaries, &lines, rule, &opts, &duplicates, &spec.window);
    let facts = Facts {
        os: hives.os.as_ref(),
        software: hives.software,
        system: hives.system,
        software_problem: hives.software_problem,
        system_problem: hives.system_problem,
        log: &log,
        registry_results: &hives.registry_results,
    };
    let findings = engine::evaluate_all(rules, &facts);
    mark_read_errors(&mut inputs, &findings);
    let occurrences = occurrences.map(occurrences::HostGatherer::finish);
    HostReport {
        host: spec.name.clone(),
        computer_name: names.into_iter().next(),
        inputs,
        os: hives.os,
        findings,
        occurrences,
    }
}

/// The input that says a host folder holds no evidence (none without a folder).
fn no_evidence(spec: &HostSpec) -> Option<Input> {
    let dir = spec.dirs.first()?;
    Some(Input::failed(dir, 0, NO_EVIDENCE))
}

/// What was read of a host: its inputs, the registries among them (by
/// input position), its logs' summaries and what their scans kept of the
/// lines `watch` names (one per summary).
struct Read {
    inputs: Vec<Input>,
    registries: Vec<(usize, RegistrySource)>,
    summaries: Vec<LogSummary>,
    lines: Vec<seen::LogLines>,
    /// The occurrences, merged as each log is read (when asked for).
    occurrences: Option<occurrences::HostGatherer>,
}

/// Reads every file of a host once (logs scanned with `opts`, their lines
/// watched for `watch`), inputs in the order listed.
fn read_host(spec: &HostSpec, opts: &ScanOptions, watch: seen::Watch) -> Read {
    let mut r = Read {
        inputs: Vec::new(),
        registries: Vec::new(),
        summaries: Vec::new(),
        lines: Vec::new(),
        occurrences: spec.occurrences.map(occurrences::HostGatherer::new),
    };
    let mut explicit = spec.software.clone();
    explicit.extend(spec.logs.iter().cloned());
    let walk = walk_host(&spec.dirs, &explicit);
    for (path, problem) in &walk.problems {
        r.inputs.push(Input::failed(path, 0, problem.clone()));
    }
    let how = &mut Reading::new(opts.clone(), !spec.no_recover);
    // Times are kept for matching across kinds of source only where an
    // event log may be read (an event log is read under its names, or named).
    let event_logs = walk
        .files
        .iter()
        .any(|f| f.explicit || crate::evidence::discover::event_log_name_wanted(&f.path));
    how.watch = watch.matching_sources(event_logs);
    let paths: Vec<&Path> = walk.files.iter().map(|f| f.path.as_path()).collect();
    let mut read: Vec<Option<(Input, Opened)>> = walk.files.iter().map(|_| None).collect();
    for i in read_order(&paths) {
        read[i] = open_input(&walk.files[i].path, walk.files[i].explicit, how);
    }
    for (found, read) in walk.files.iter().zip(read) {
        let Some((mut input, opened)) = read else {
            continue;
        };
        if !found.also.is_empty() {
            let message = hard_links(&found.also);
            input
                .warnings
                .push(Warning::new(WarningCode::HardLink, message));
        }
        match opened {
            Opened::Registry(source) => r.registries.push((r.inputs.len(), source)),
            Opened::Log(summary, mut lines) => {
                if let (Some(host), Some(file)) = (&mut r.occurrences, lines.occurrences.take()) {
                    host.absorb(r.summaries.len(), file);
                }
                r.summaries.push(*summary);
                r.lines.push(*lines);
            }
            Opened::Nothing => {}
        }
        r.inputs.push(input);
    }
    r
}

/// The warning on a file reached by other names (hard links) in the host.
fn hard_links(also: &[PathBuf]) -> String {
    let shown: Vec<String> = also
        .iter()
        .take(3)
        .map(|p| p.display().to_string())
        .collect();
    let more = also.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "the same file (hard link) is also at {}{more}; read once",
        shown.join(", ")
    )
}

/// Puts what rules could not read on the inputs it came from (an `error`).
fn mark_read_errors(inputs: &mut [Input], findings: &[Finding]) {
    for e in findings.iter().flat_map(|f| &f.read_errors) {
        let Some(input) = inputs.iter_mut().find(|i| i.path == e.source) else {
            continue;
        };
        let message = format!("could not be read: {}", e.message);
        match &mut input.error {
            Some(old) if old.contains(&message) => {}
            Some(old) => {
                old.push_str("; ");
                old.push_str(&message);
            }
            None => input.error = Some(message),
        }
    }
}
