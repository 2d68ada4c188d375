//! The bodies of the fuzz targets (`fuzz/`), shared with the test that
//! replays every input the fuzzer ever found (`fuzz/regressions/`), so both
//! go through the same library entry points. Not part of the stable API.
//!
//! Each function takes the raw fuzz input and must return normally whatever
//! it holds: errors are typed and dropped here; a panic is a bug. The few
//! `assert!`s state properties the library promises (replay either yields a
//! readable hive or leaves the input unchanged, a rule that parses is
//! evaluated without failing).

mod watched;

use std::path::{Path, PathBuf};

use std::sync::OnceLock;
pub use watched::{event_log_read_once_matches, watched_lines_match};

use crate::registry::hive::BinaryHive;
use crate::registry::os::{identify, OsInfo};
use crate::registry::regfile::RegExport;
use crate::registry::replay::{self, LogFile};
use crate::registry::system::{computer_name, current_control_set};
use crate::registry::view::walk;
use crate::registry::{RegistrySource, RegistryView};
use crate::rules::engine::{evaluate_all, Facts, HiveFacts};
use crate::rules::spec::{check_unique_ids, Rule};
use crate::scan::builtin_rules;
use crate::wulog::{self, ScanOptions};

/// Keys visited per walk: fuzz inputs are small, a bound keeps a hostile
/// one from making a single execution slow.
const MAX_KEYS: usize = 100_000;

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Every fuzz target, by the name of its directory under `fuzz/regressions/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("hive", hive),
    ("regfile", regfile),
    ("wulog", wulog),
    ("replay", replay),
    ("rules", rules),
    ("etl", etl),
    ("evt", evt),
    ("eventlog", eventlog),
];

/// A binary hive: opened from the bytes, every key and value walked, every
/// built-in rule evaluated with it as the SOFTWARE hive and as the SYSTEM hive.
pub fn hive(data: &[u8]) {
    if let Ok(h) = BinaryHive::from_bytes(data.to_vec()) {
        let _ = h.root_name();
        exercise(&RegistrySource::Hive(h), builtin_rules());
    }
}

/// A `.reg` export: parsed, every root's keys listed, then read like a hive.
pub fn regfile(data: &[u8]) {
    let Ok(export) = RegExport::parse(data) else {
        return;
    };
    let roots: Vec<String> = export.roots().map(str::to_string).collect();
    for root in &roots {
        for key in export.keys_in(root).take(MAX_KEYS) {
            let _ = export.is_implied(&key.path);
        }
    }
    let _ = (export.deleted_keys(), export.deleted_values());
    exercise(&RegistrySource::Export(export), builtin_rules());
}

/// A Windows Update log (classic, Windows 10, ReportingEvents): the first
/// byte picks how the rest is encoded (as is, UTF-8 with a BOM, UTF-16 LE
/// or BE with or without a BOM), so every decoder sees text-like input.
/// Read as `scan` reads it (default limits and tiny ones), as `log` reads
/// it (every event), and as evidence is recognised (its head).
pub fn wulog(data: &[u8]) {
    let Some((&mode, text)) = data.split_first() else {
        return;
    };
    let bytes = encode(mode, text);
    let path = Path::new("WindowsUpdate.log");
    let tiny = ScanOptions {
        examples_per_code: 1,
        max_unparsed_lines: 1,
        max_components: 1,
        max_codes: 2,
        always_keep: Vec::new(),
        example_bytes: 8,
        ..ScanOptions::default()
    };
    for opts in [ScanOptions::default(), tiny] {
        if let Ok(summary) = wulog::scan_reader(&bytes[..], path, &opts) {
            let _ = serde_json::to_string(&summary);
        }
    }
    let _ = wulog::read_events(&bytes[..], |ev| {
        let _ = (ev.severity, ev.codes.len(), ev.text.len());
    });
    let _ = wulog::recognise(&bytes[..bytes.len().min(64 * 1024)]);
    watched_lines_match(&bytes);
}

/// Re-encodes fuzz text as a log file could be: `mode % 6` picks raw bytes,
/// UTF-8 with a BOM, or UTF-16 (LE/BE, with/without BOM; the text's bytes
/// are widened one to one, Latin-1 style).
pub fn encode(mode: u8, text: &[u8]) -> Vec<u8> {
    let wide = |bom: &[u8], le: bool| {
        let mut out = bom.to_vec();
        for &b in text {
            if le {
                out.extend([b, 0]);
            } else {
                out.extend([0, b]);
            }
        }
        out
    };
    match mode % 6 {
        0 => text.to_vec(),
        1 => [&[0xEF, 0xBB, 0xBF][..], text].concat(),
        2 => wide(&[0xFF, 0xFE], true),
        3 => wide(&[0xFE, 0xFF], false),
        4 => wide(&[], true),
        _ => wide(&[], false),
    }
}

/// Transaction-log replay: the input is split into a primary hive and one
/// or two logs (see [`split_replay`]); replay must either yield a hive that
/// opens or leave the primary's bytes unchanged, and the result is read.
pub fn replay(data: &[u8]) {
    let (primary, logs) = split_replay(data);
    let logs: Vec<LogFile> = logs
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| LogFile {
            path: PathBuf::from(format!("SOFTWARE.LOG{}", i + 1)),
            bytes: bytes.to_vec(),
        })
        .collect();
    let recovery = replay::recover(primary, &logs);
    let _ = recovery.describe();
    if !recovery.recovered {
        assert!(
            recovery.bytes == primary,
            "a replay that did not recover changed the primary's bytes"
        );
        return;
    }
    if let Ok(h) = BinaryHive::from_bytes(recovery.bytes) {
        let source = RegistrySource::Hive(h);
        walk_all(&source);
    }
}

/// Splits a replay input: byte 0 says how many logs (bit 0: one or two);
/// then a u32 (little-endian) length of the primary hive; with two logs, a
/// u32 length of the first log; the rest is the last log. Lengths are cut
/// to what is there.
pub fn split_replay(data: &[u8]) -> (&[u8], Vec<&[u8]>) {
    fn take_len<'a>(rest: &mut &'a [u8]) -> &'a [u8] {
        let n = rest
            .get(..4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
        let after: &'a [u8] = rest.get(4..).unwrap_or(&[]);
        let (head, tail) = after.split_at(n.min(after.len()));
        *rest = tail;
        head
    }
    let two = data.first().is_some_and(|b| b & 1 == 1);
    let mut rest = data.get(1..).unwrap_or(&[]);
    let primary = take_len(&mut rest);
    let mut logs = Vec::new();
    if two {
        logs.push(take_len(&mut rest));
    }
    logs.push(rest);
    (primary, logs)
}

/// The inverse of [`split_replay`]: the input that gives `primary` and
/// `logs` (one or two), for building seeds.
pub fn join_replay(primary: &[u8], logs: &[&[u8]]) -> Vec<u8> {
    let len = |b: &[u8]| (b.len() as u32).to_le_bytes();
    let mut out = vec![u8::from(logs.len() == 2)];
    out.extend(len(primary));
    out.extend(primary);
    if let [first, _] = logs {
        out.extend(len(first));
        out.extend(*first);
    }
    if let Some(last) = logs.last() {
        out.extend(*last);
    }
    out
}

/// A rule file: parsed and linted as `rules lint` does, its id checked
/// against the built-in ones, and, when it is accepted, evaluated on a
/// SOFTWARE and a SYSTEM hive from the fixtures (a rule that lint accepts
/// must never fail to evaluate).
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rule) = Rule::parse(text, "fuzz.toml") else {
        return;
    };
    let clash = builtin_rules().iter().find(|r| r.id == rule.id);
    let named: Vec<(String, Rule)> = clash
        .map(|r| ("built-in".to_string(), r.clone()))
        .into_iter()
        .chain([("fuzz.toml".to_string(), rule.clone())])
        .collect();
    let _ = check_unique_ids(&named);
    let (software, os) = fixture_software();
    let system = fixture_system();
    let prefix = current_control_set(system).ok().flatten();
    let rules = [rule];
    let facts = facts(software, os.as_ref(), Some(system), prefix);
    let findings = evaluate_all(&rules, &facts);
    let _ = serde_json::to_string(&findings);
}

fn fixture_hive(bytes: &[u8]) -> RegistrySource {
    RegistrySource::Hive(BinaryHive::from_bytes(bytes.to_vec()).expect("fixture hive opens"))
}

/// A complete XP SOFTWARE hive from the fixtures, and its OS, read once.
fn fixture_software() -> &'static (RegistrySource, Option<OsInfo>) {
    static HIVE: OnceLock<(RegistrySource, Option<OsInfo>)> = OnceLock::new();
    HIVE.get_or_init(|| {
        let h = fixture_hive(include_bytes!("../../fixtures/registry/xp-complete.hive"));
        let os = identify(&h).ok();
        (h, os)
    })
}

/// A small SYSTEM hive from the fixtures, read once.
fn fixture_system() -> &'static RegistrySource {
    static HIVE: OnceLock<RegistrySource> = OnceLock::new();
    HIVE.get_or_init(|| fixture_hive(include_bytes!("../../fixtures/registry/system-min.hive")))
}

/// Facts of a host with `software` as its SOFTWARE hive and `system`, when
/// given, as its SYSTEM hive (below the control set `prefix`).
fn facts<'a>(
    software: &'a dyn RegistryView,
    os: Option<&'a OsInfo>,
    system: Option<&'a dyn RegistryView>,
    prefix: Option<String>,
) -> Facts<'a> {
    let hive = |view, prefix: String| HiveFacts {
        source: "fuzz".into(),
        view,
        prefix,
        notes: Vec::new(),
    };
    Facts {
        os,
        software: Some(hive(software, String::new())),
        system: system.zip(prefix).map(|(v, p)| hive(v, p)),
        software_problem: None,
        system_problem: Some("no SYSTEM hive in this input".into()),
        log: &|_: &Rule| None,
        registry_results: &[],
    }
}

/// Walks every key, reads what `scan` reads, and evaluates `rules` with the
/// source as the SOFTWARE hive, then as the SYSTEM hive.
fn exercise(source: &RegistrySource, rules: &[Rule]) {
    walk_all(source);
    let _ = source.warnings();
    let _ = crate::scan::results::read(source, "fuzz");
    let os = identify(source).ok();
    let as_software = facts(source, os.as_ref(), None, None);
    let _ = serde_json::to_string(&evaluate_all(rules, &as_software));
    // As scan reads a SYSTEM hive; one without `Select\Current` is still
    // judged below the usual set, to reach every check.
    let set = match current_control_set(source) {
        Ok(Some(set)) => set,
        _ => "ControlSet001".to_string(),
    };
    let _ = computer_name(source, &set);
    let (software, os) = fixture_software();
    let as_system = facts(software, os.as_ref(), Some(source), Some(set));
    let _ = serde_json::to_string(&evaluate_all(rules, &as_system));
}

/// Every key below the root, every value's data looked at.
fn walk_all(view: &dyn RegistryView) {
    let _ = walk(view, "", &mut |key| {
        for v in &key.values {
            let _ = (v.data.display(), v.ty.name());
        }
    });
}

/// An ETL trace: every event read (`etl::parse`).
pub fn etl(data: &[u8]) {
    let _ = crate::etl::parse(data);
}

/// An XP/2003 `.evt` log: every record read, live and recovered (`evt::parse`).
pub fn evt(data: &[u8]) {
    let _ = crate::evt::parse(data);
}

/// An event log of any kind (EVTX above all: ETL and EVT have their own
/// targets), recognised by content as `scan` does, its Windows Update
/// events summarised as a text log's lines are.
pub fn eventlog(data: &[u8]) {
    watched::event_log_read_once_matches(data);
    let Ok((events, totals)) = crate::eventlog::parse(data) else {
        return;
    };
    let mut agg = crate::eventlog::summary::Aggregator::new(&ScanOptions::default());
    for e in &events {
        agg.add(e);
    }
    let _ = serde_json::to_string(&agg.finish("fuzz".into(), &totals));
}

/// For fuzz targets only: a panic hook that lets the hive reader's panic
/// boundary work. libFuzzer's Rust glue aborts on every panic, even one the
/// library catches (`nt-hive` panics on some inputs; the hive reader turns
/// them into [`RegistryError::ReaderPanic`](crate::registry::RegistryError)).
/// The same holds for the `evtx` crate, whose panics the event log reader
/// catches. This hook stays silent for panics raised inside those two
/// crates, which then unwind to the library's boundary; any other panic is
/// printed and aborts at once. A panic from them that escaped the boundary
/// would still reach the fuzz target's own boundary and abort there.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_reader = info.location().is_some_and(|l| {
            let f = l.file();
            f.contains("/nt-hive-") || f.contains("/evtx-")
        });
        if !in_reader {
            default(info);
            std::process::abort();
        }
    }));
}
