//! Reading one evidence file: recognise it, hash it, open it, and say what it is.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evidence::discover::{read_head, sniff_head, Sniffed};
use crate::evidence::{hive_kind, HiveKind};
use crate::registry::hive::BinaryHive;
use crate::registry::regfile::RegExport;
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
    /// Logs: `classic`, `win10` or `reporting-events`; exports: `REGEDIT4` or `5.00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Why the input could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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

fn base(path: &Path, kind: InputKind, size: u64) -> Input {
    Input {
        path: path.display().to_string(),
        kind,
        size,
        sha256: None,
        hive: None,
        dirty: None,
        format: None,
        error: None,
        warnings: Vec::new(),
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
pub fn open_input(path: &Path, explicit: bool) -> Option<(Input, Opened)> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => {
            let mut input = base(path, InputKind::Unrecognised, size);
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
        Sniffed::Unknown => InputKind::Unrecognised,
    };
    if kind == InputKind::Unrecognised
        && !explicit
        && !crate::evidence::discover::name_suggests_evidence(path)
    {
        return None;
    }
    let mut input = base(path, kind, size);
    let opened = match kind {
        InputKind::Hive | InputKind::RegExport => match std::fs::read(path) {
            Ok(bytes) => {
                input.sha256 = Some(hex(&Sha256::digest(&bytes)));
                open_registry_input(&mut input, bytes)
            }
            Err(e) => {
                input.error = Some(format!("cannot read: {e}"));
                Opened::Nothing
            }
        },
        InputKind::UpdateLog => open_log(path, &mut input),
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
            input.warnings = source
                .warnings()
                .into_iter()
                .map(|w| match w.line {
                    Some(l) => format!("line {l}: {}", w.message),
                    None => w.message,
                })
                .collect();
            match &source {
                RegistrySource::Hive(h) => {
                    input.dirty = Some(h.is_dirty());
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
