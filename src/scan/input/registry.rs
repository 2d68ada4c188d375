//! Reading a hive or `.reg` export: its bytes (a dirty hive's transaction
//! logs replayed in memory), then the registry they hold.

use std::io::Read;
use std::path::Path;

use crate::evidence::open::{read_bounded, read_evidence, OpenError, MAX_READ};
use crate::evidence::{hive_kind, HiveKind};
use crate::registry::baseblock::BaseBlock;
use crate::registry::file::{read_hive_from, HiveFile};
use crate::registry::hive::BinaryHive;
use crate::registry::regfile::RegExport;
use crate::registry::replay::{find_logs, recover, unreadable_log, LogFile};
use crate::registry::{RegistrySource, RegistryView};
use crate::warning::Warning;

use super::detail::{ExportRead, HiveRead, InputDetail, RecoveryReport, RegfVersion};
use super::reading::Reading;
use super::{Input, InputKind, Opened};
use crate::evidence::digest::sha256_hex;

/// Reads a hive or export from `file` (the whole file, `size` bytes) and
/// opens it; with `how.recover`, a dirty hive's logs are replayed first.
pub(super) fn open_registry_file(
    path: &Path,
    file: impl Read,
    size: u64,
    input: &mut Input,
    how: &mut Reading,
) -> Opened {
    match read_registry(file, size, input.kind()) {
        Ok(HiveFile {
            mut bytes,
            sha256,
            warning,
        }) => {
            input.sha256 = sha256;
            input.warnings.extend(warning);
            if how.recover && input.kind() == InputKind::Hive {
                bytes = recover_dirty(path, bytes, input, how);
            }
            open_registry_input(input, bytes)
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

/// A hive only as far as its base block declares; an export whole (bounded).
fn read_registry(file: impl Read, size: u64, kind: InputKind) -> Result<HiveFile, OpenError> {
    if kind == InputKind::Hive {
        return read_hive_from(file, size);
    }
    let bytes = read_bounded(file, size, MAX_READ)?;
    let sha256 = Some(sha256_hex(&bytes));
    Ok(HiveFile {
        bytes,
        sha256,
        warning: None,
    })
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
    let report = RecoveryReport {
        log_format: r.log_format.filter(|_| r.recovered),
        logs_used: r
            .logs_used
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        sequence_before: [r.seq_before.0, r.seq_before.1],
        sequence_after: [r.seq_after.0, r.seq_after.1],
        description: r.describe(),
        warnings: r.warnings.clone(),
    };
    if let InputDetail::Hive(detail) = &mut input.detail {
        detail.recovery = Some(report);
    }
    if r.recovered {
        r.bytes
    } else {
        bytes
    }
}

/// Opens the registry in `bytes` and says on `input` what it is.
fn open_registry_input(input: &mut Input, bytes: Vec<u8>) -> Opened {
    let parsed = if input.kind() == InputKind::Hive {
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
                    // Read as a binary hive only when recognised as one.
                    if let InputDetail::Hive(detail) = &mut input.detail {
                        detail.read = Some(HiveRead {
                            hive: hive_kind(h, Some(&h.header().file_name)),
                            // The file on disk is dirty even when its logs were replayed.
                            dirty: detail.recovery.is_some() || h.is_dirty(),
                            version: RegfVersion {
                                major: h.header().major_version,
                                minor: h.header().minor_version,
                            },
                        });
                    }
                }
                RegistrySource::Export(e) => {
                    input.detail = InputDetail::RegExport(Some(ExportRead {
                        hive: hive_of_export(e),
                        version: e.version(),
                    }));
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

/// Which hive an export holds: by its keys' root, or else by content.
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
