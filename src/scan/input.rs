//! Reading one evidence file: recognise it, hash it, open it, and say what it is.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evidence::discover::{sniff_head, Sniffed, HEAD};
use crate::evidence::open::{open_evidence, read_bounded, read_evidence, OpenError, MAX_READ};
use crate::evidence::{hive_kind, HiveKind};
use crate::registry::baseblock::BaseBlock;
use crate::registry::file::{read_hive_from, HiveFile};
use crate::registry::hive::BinaryHive;
use crate::registry::regfile::RegExport;
use crate::registry::replay::{find_logs, recover, unreadable_log, LogFile};
use crate::registry::{RegistrySource, RegistryView};
use crate::warning::Warning;
use crate::wulog::{self, LogSummary, ScanOptions};

/// What an input file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Input {
    /// The file, as found or named.
    pub path: String,
    /// What the file was recognised as.
    pub kind: InputKind,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file's bytes (absent when it could not be read).
    pub sha256: Option<String>,
    /// Hives and exports: which hive.
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
    /// What was read with reservations (a hard link, a bad checksum …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
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
    /// Primary and secondary sequence numbers after replay.
    pub sequence_after: [u32; 2],
    /// The replay in words.
    pub description: String,
    /// Logs skipped or replay stopped early, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// An input with what was read from it.
pub enum Opened {
    /// A hive or `.reg` export, opened.
    Registry(RegistrySource),
    /// A log, summarised.
    Log(Box<LogSummary>),
    /// Nothing to read further (unrecognised, or refused).
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

fn hash_file(file: impl Read) -> io::Result<String> {
    let mut h = Hashing {
        inner: file,
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

/// How a host's inputs are read: the log scan's options, whether dirty
/// hives are replayed, and the transaction logs a replay already read whole
/// (kind, size and hash, by path), so that no file is read twice.
#[derive(Debug, Default)]
pub struct Reading {
    /// Options of the log scan.
    pub opts: ScanOptions,
    /// Replay dirty hives' transaction logs.
    pub recover: bool,
    replayed: HashMap<PathBuf, Input>,
}

impl Reading {
    /// A reading with these options, no transaction log read yet.
    pub fn new(opts: ScanOptions, recover: bool) -> Self {
        Reading {
            opts,
            recover,
            replayed: HashMap::new(),
        }
    }

    /// Remembers a transaction log read whole for a replay.
    fn read_for_replay(&mut self, path: &Path, bytes: &[u8]) {
        let head = &bytes[..bytes.len().min(HEAD)];
        let mut input = Input::new(path, kind_of(head), bytes.len() as u64);
        input.sha256 = Some(hex(&Sha256::digest(bytes)));
        if input.kind == InputKind::Unrecognised {
            input.error = Some(NOT_EVIDENCE.to_string());
        }
        self.replayed.insert(path.to_path_buf(), input);
    }
}

/// What the first bytes of a file say it is.
fn kind_of(head: &[u8]) -> InputKind {
    match sniff_head(head) {
        Sniffed::Hive => InputKind::Hive,
        Sniffed::HiveLog => InputKind::TransactionLog,
        Sniffed::RegExport => InputKind::RegExport,
        Sniffed::UpdateLog => InputKind::UpdateLog,
        Sniffed::EventLog => InputKind::EventLog,
        Sniffed::Unknown => InputKind::Unrecognised,
    }
}

/// Whether a file is an input: named explicitly, or recognised (event logs
/// only under the names wanted), or named like evidence.
fn reported(kind: InputKind, explicit: bool, path: &Path) -> bool {
    use crate::evidence::discover::{event_log_name_wanted, name_suggests_evidence};
    explicit
        || match kind {
            InputKind::EventLog => event_log_name_wanted(path),
            InputKind::Unrecognised => name_suggests_evidence(path),
            _ => true,
        }
}

/// Replays the transaction logs beside a dirty hive, in memory; the
/// evidence is only read. Returns the bytes to read the hive from.
fn recover_dirty(path: &Path, bytes: Vec<u8>, input: &mut Input, how: &mut Reading) -> Vec<u8> {
    // Dirty, or a base block that is not valid: the logs may repair it.
    let needs = BaseBlock::parse(&bytes).map_or(true, |b| b.is_dirty() || !b.checksum_ok());
    if !needs {
        return bytes;
    }
    let mut logs = Vec::new();
    for log in find_logs(path) {
        match read_evidence(&log) {
            Ok(b) => logs.push({
                how.read_for_replay(&log, &b);
                LogFile {
                    path: log,
                    bytes: b,
                }
            }),
            Err(e) => input.warnings.push(unreadable_log(&log, &e)),
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

/// An input that could not be read at all.
fn unreadable(path: &Path, size: u64, error: String) -> Option<(Input, Opened)> {
    let mut input = Input::new(path, InputKind::Unrecognised, size);
    input.error = Some(error);
    Some((input, Opened::Nothing))
}

/// Reads one file. `explicit` files (named on the command line) that are not
/// recognised get an error; found files only when their name suggests evidence.
/// Returns `None` for unrecognised files that are neither.
/// With `how.recover`, a dirty hive's transaction logs are replayed in
/// memory (and not read again as inputs of their own). Only regular files
/// are read (see `open_evidence`); anything else is an input with an error.
pub fn open_input(path: &Path, explicit: bool, how: &mut Reading) -> Option<(Input, Opened)> {
    if let Some(input) = how.replayed.remove(path) {
        return reported(input.kind, explicit, path).then_some((input, Opened::Nothing));
    }
    let (mut file, meta) = match open_evidence(path) {
        Ok(f) => f,
        Err(e) => return unreadable(path, 0, e.to_string()),
    };
    let size = meta.len();
    let mut head = Vec::with_capacity(HEAD);
    if let Err(e) = (&mut file).take(HEAD as u64).read_to_end(&mut head) {
        return unreadable(path, size, format!("cannot read: {e}"));
    }
    let kind = kind_of(&head);
    if !reported(kind, explicit, path) {
        return None;
    }
    let mut input = Input::new(path, kind, size);
    let opened = match kind {
        InputKind::Hive | InputKind::RegExport => {
            match read_registry(again(head, file), size, kind) {
                Ok(HiveFile {
                    mut bytes,
                    sha256,
                    warning,
                }) => {
                    input.sha256 = sha256;
                    input.warnings.extend(warning);
                    if how.recover && kind == InputKind::Hive {
                        bytes = recover_dirty(path, bytes, &mut input, how);
                    }
                    open_registry_input(&mut input, bytes)
                }
                Err(e) => {
                    input.error = Some(e.to_string());
                    Opened::Nothing
                }
            }
        }
        InputKind::UpdateLog => open_log(file, path, head, &mut input, &how.opts),
        InputKind::EventLog => match file.seek(SeekFrom::Start(0)) {
            Ok(_) => open_event_log(file, path, &head, &mut input, &how.opts),
            Err(e) => {
                input.error = Some(format!("cannot read: {e}"));
                Opened::Nothing
            }
        },
        InputKind::TransactionLog | InputKind::Unrecognised => {
            match hash_file(again(head, file)) {
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

/// The whole file from the `head` already read: `head`, then the rest of
/// the open file (whose position is just past it), so no byte is read twice.
fn again(head: Vec<u8>, file: File) -> impl Read {
    io::Cursor::new(head).chain(file)
}

/// A hive only as far as its base block declares; an export whole (bounded).
fn read_registry(file: impl Read, size: u64, kind: InputKind) -> Result<HiveFile, OpenError> {
    if kind == InputKind::Hive {
        return read_hive_from(file, size);
    }
    let bytes = read_bounded(file, size, MAX_READ)?;
    let sha256 = Some(hex(&Sha256::digest(&bytes)));
    Ok(HiveFile {
        bytes,
        sha256,
        warning: None,
    })
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
                .extend(source.warnings().into_iter().map(Warning::from));
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

/// Reads an event log from the file already opened as evidence: hashed in
/// one streaming pass, then parsed from its start (EVTX and EVT are read
/// by offset, so the hash cannot ride along the parse).
fn open_event_log(
    mut file: File,
    path: &Path,
    head: &[u8],
    input: &mut Input,
    opts: &ScanOptions,
) -> Opened {
    let hashed = file
        .try_clone()
        .and_then(hash_file)
        .and_then(|h| file.seek(SeekFrom::Start(0)).map(|_| h));
    match hashed {
        Ok(h) => input.sha256 = Some(h),
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            return Opened::Nothing;
        }
    }
    match crate::eventlog::scan_open(file, head, path, opts) {
        Ok((summary, totals)) => {
            input.format = Some(summary.format.as_str().to_string());
            let undecoded = totals.undecoded();
            input
                .warnings
                .extend(totals.warnings.into_iter().chain(undecoded));
            Opened::Log(Box::new(summary))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

/// Reads a log in one pass: the `head` already read to recognise it, then
/// the rest of the same open file; the hash is taken over the same bytes as
/// they are parsed, so every byte is read once.
fn open_log(
    file: File,
    path: &Path,
    head: Vec<u8>,
    input: &mut Input,
    opts: &ScanOptions,
) -> Opened {
    let mut reader = Hashing {
        inner: again(head, file),
        hasher: Sha256::new(),
    };
    let result = wulog::scan_reader(&mut reader, path, opts);
    input.sha256 = Some(hex(&reader.hasher.finalize()));
    match result {
        Ok(summary) => {
            input.format = Some(summary.format.as_str().to_string());
            input.warnings.extend(summary.warnings());
            Opened::Log(Box::new(summary))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

/// The order in which to read `paths`: a hive's transaction logs
/// (`NAME.LOG1`, `.LOG2`, `.LOG` beside a file `NAME` of the list) after
/// every other file, so that a replay reads them first and they are not
/// read again; otherwise as listed.
pub fn read_order(paths: &[&Path]) -> Vec<usize> {
    let names: std::collections::HashSet<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().to_ascii_lowercase())
        .collect();
    let beside_a_hive = |p: &Path| {
        let lower = p.to_string_lossy().to_ascii_lowercase();
        [".log1", ".log2", ".log"]
            .iter()
            .any(|s| lower.strip_suffix(s).is_some_and(|h| names.contains(h)))
    };
    let (logs, others): (Vec<usize>, Vec<usize>) =
        (0..paths.len()).partition(|&i| beside_a_hive(paths[i]));
    others.into_iter().chain(logs).collect()
}
