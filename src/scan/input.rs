//! Reading one evidence file: recognise it, hash it, open it, and say what it is.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evidence::discover::{read_head, sniff_head, Sniffed};
use crate::evidence::{hive_kind, HiveKind};
use crate::registry::baseblock::BaseBlock;
use crate::registry::hive::BinaryHive;
use crate::registry::regfile::RegExport;
use crate::registry::replay::{find_logs, recover, LogFile};
use crate::registry::{RegistrySource, RegistryView};
use crate::wulog::{self, LogSummary, ScanOptions};

/// What an input file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A binary registry hive (`hive` says which).
    Hive,
    /// A regedit `.reg` export (`hive` says which, where its keys tell).
    RegExport,
    /// A hive transaction log (`.LOG`, `.LOG1`, `.LOG2`).
    TransactionLog,
    /// WindowsUpdate.log (classic or Windows 10 format) or ReportingEvents.log.
    UpdateLog,
    /// An ETL trace, EVTX or XP/2003 `.evt` event log (`format` says which).
    EventLog,
    /// Not recognised.
    Unrecognised,
}

/// One input of a host, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub path: String,
    pub kind: InputKind,
    pub size: u64,
    /// SHA-256 of the file's bytes (absent when it could not be read).
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hive: Option<HiveKind>,
    /// Hives only: sequence numbers differ (transaction logs not applied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dirty: Option<bool>,
    /// Dirty hives: whether their transaction logs were replayed (in memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<bool>,
    /// Dirty hives: the replay's details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryReport>,
    /// Logs: `classic`, `win10` or `reporting-events`; exports: `REGEDIT4` or `5.00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Why the input could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What replaying a dirty hive's transaction logs did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// `old` (`.LOG`, Windows 2000 to 8) or `new` (`.LOG1`/`.LOG2`), when replayed.
    pub log_format: Option<String>,
    /// The logs replayed, in order.
    pub logs_used: Vec<String>,
    /// Primary and secondary sequence numbers before and after replay.
    pub sequence_before: [u32; 2],
    pub sequence_after: [u32; 2],
    /// The replay in words.
    pub description: String,
    /// Logs skipped or replay stopped early, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// An input with what was read from it.
pub enum Opened {
    Registry(RegistrySource),
    Log(Box<LogSummary>),
    Nothing,
}

/// The message for files that are none of the things this tool reads.
pub const NOT_EVIDENCE: &str = "not a registry hive, .reg export or Windows Update log";

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A reader that hashes what passes through it, so that a log is read once.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn hash_file(path: &Path) -> io::Result<String> {
    let mut h = Hashing {
        inner: File::open(path)?,
        hasher: Sha256::new(),
    };
    io::copy(&mut h, &mut io::sink())?;
    Ok(hex(&h.hasher.finalize()))
}

impl Input {
    /// An input not read yet: only its path, kind and size.
    pub fn new(path: &Path, kind: InputKind, size: u64) -> Self {
        Self {
            path: path.display().to_string(),
            kind,
            size,
            sha256: None,
            hive: None,
            dirty: None,
            recovered: None,
            recovery: None,
            format: None,
            error: None,
            warnings: Vec::new(),
        }
    }
}

/// Replays the transaction logs beside a dirty hive, in memory; the
/// evidence is only read. Returns the bytes to read the hive from.
fn recover_dirty(path: &Path, bytes: Vec<u8>, input: &mut Input) -> Vec<u8> {
    let needs = BaseBlock::parse(&bytes).is_ok_and(|b| b.is_dirty() || !b.checksum_ok());
    if !needs {
        return bytes;
    }
    let mut logs = Vec::new();
    for log in find_logs(path) {
        match std::fs::read(&log) {
            Ok(b) => logs.push(LogFile {
                path: log,
                bytes: b,
            }),
            Err(e) => input
                .warnings
                .push(format!("{}: cannot read: {e}", log.display())),
        }
    }
    let r = recover(&bytes, &logs);
    input.recovered = Some(r.recovered);
    input.recovery = Some(RecoveryReport {
        log_format: r.log_format.map(|f| format!("{f:?}").to_lowercase()),
        logs_used: r
            .logs_used
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        sequence_before: [r.seq_before.0, r.seq_before.1],
        sequence_after: [r.seq_after.0, r.seq_after.1],
        description: r.describe(),
        warnings: r.warnings.clone(),
    });
    if r.recovered {
        r.bytes
    } else {
        bytes
    }
}

fn hive_of_export(export: &RegExport) -> HiveKind {
    match export.hive_root().map(str::to_ascii_uppercase).as_deref() {
        Some("SOFTWARE") => HiveKind::Software,
        Some("SYSTEM") => HiveKind::System,
        Some("SAM") => HiveKind::Sam,
        Some("SECURITY") => HiveKind::Security,
        Some(_) => HiveKind::Other,
        // Keys without a root: tell by content.
        None => hive_kind(export, None),
    }
}

/// Reads one file. `explicit` files (named on the command line) that are not
/// recognised get an error; found files only when their name suggests evidence.
/// Returns `None` for unrecognised files that are neither.
/// With `recover`, a dirty hive's transaction logs are replayed in memory.
pub fn open_input(path: &Path, explicit: bool, recover: bool) -> Option<(Input, Opened)> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => {
            let mut input = Input::new(path, InputKind::Unrecognised, size);
            input.error = Some(format!("cannot read: {e}"));
            return Some((input, Opened::Nothing));
        }
    };
    let sniffed = sniff_head(&head);
    let kind = match sniffed {
        Sniffed::Hive => InputKind::Hive,
        Sniffed::HiveLog => InputKind::TransactionLog,
        Sniffed::RegExport => InputKind::RegExport,
        Sniffed::UpdateLog => InputKind::UpdateLog,
        Sniffed::EventLog => InputKind::EventLog,
        Sniffed::Unknown => InputKind::Unrecognised,
    };
    if kind == InputKind::EventLog
        && !explicit
        && !crate::evidence::discover::event_log_name_wanted(path)
    {
        return None;
    }
    if kind == InputKind::Unrecognised
        && !explicit
        && !crate::evidence::discover::name_suggests_evidence(path)
    {
        return None;
    }
    let mut input = Input::new(path, kind, size);
    let opened = match kind {
        InputKind::Hive | InputKind::RegExport => match std::fs::read(path) {
            Ok(mut bytes) => {
                input.sha256 = Some(hex(&Sha256::digest(&bytes)));
                if recover && kind == InputKind::Hive {
                    bytes = recover_dirty(path, bytes, &mut input);
                }
                open_registry_input(&mut input, bytes)
            }
            Err(e) => {
                input.error = Some(format!("cannot read: {e}"));
                Opened::Nothing
            }
        },
        InputKind::UpdateLog => open_log(path, &mut input),
        InputKind::EventLog => open_event_log(path, &mut input),
        InputKind::TransactionLog | InputKind::Unrecognised => {
            match hash_file(path) {
                Ok(h) => input.sha256 = Some(h),
                Err(e) => input.error = Some(format!("cannot read: {e}")),
            }
            if kind == InputKind::Unrecognised && input.error.is_none() {
                input.error = Some(NOT_EVIDENCE.to_string());
            }
            Opened::Nothing
        }
    };
    Some((input, opened))
}

fn open_registry_input(input: &mut Input, bytes: Vec<u8>) -> Opened {
    let parsed = if input.kind == InputKind::Hive {
        BinaryHive::from_bytes(bytes).map(RegistrySource::Hive)
    } else {
        RegExport::parse(&bytes).map(RegistrySource::Export)
    };
    match parsed {
        Ok(source) => {
            input
                .warnings
                .extend(source.warnings().into_iter().map(|w| match w.line {
                    Some(l) => format!("line {l}: {}", w.message),
                    None => w.message,
                }));
            match &source {
                RegistrySource::Hive(h) => {
                    // The file on disk is dirty even when its logs were replayed.
                    input.dirty = Some(input.recovered.is_some() || h.is_dirty());
                    input.format = Some(format!(
                        "regf {}.{}",
                        h.header().major_version,
                        h.header().minor_version
                    ));
                    input.hive = Some(hive_kind(h, Some(&h.header().file_name)));
                }
                RegistrySource::Export(e) => {
                    input.format = Some(e.version().header().to_string());
                    input.hive = Some(hive_of_export(e));
                }
            }
            Opened::Registry(source)
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

fn open_event_log(path: &Path, input: &mut Input) -> Opened {
    match hash_file(path) {
        Ok(h) => input.sha256 = Some(h),
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            return Opened::Nothing;
        }
    }
    match crate::eventlog::scan_file(path, &ScanOptions::default()) {
        Ok((summary, totals)) => {
            input.format = Some(summary.format.as_str().to_string());
            input.warnings.extend(totals.warnings);
            if totals.unparsed > 0 {
                input.warnings.push(format!(
                    "{} of {} Windows Update events could not be decoded",
                    totals.unparsed,
                    totals.unparsed + totals.wu_events
                ));
            }
            Opened::Log(Box::new(summary))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

fn open_log(path: &Path, input: &mut Input) -> Opened {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            return Opened::Nothing;
        }
    };
    let mut reader = Hashing {
        inner: file,
        hasher: Sha256::new(),
    };
    let opts = ScanOptions {
        examples_per_code: 5,
        ..ScanOptions::default()
    };
    let result = wulog::scan_reader(&mut reader, path, &opts);
    input.sha256 = Some(hex(&reader.hasher.finalize()));
    match result {
        Ok(summary) => {
            input.format = Some(summary.format.as_str().to_string());
            if summary.unparsed > 0 {
                input.warnings.push(format!(
                    "{} of {} lines not in the {} format",
                    summary.unparsed,
                    summary.lines,
                    summary.format.as_str()
                ));
            }
            Opened::Log(Box::new(summary))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}
