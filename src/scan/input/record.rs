//! An input as JSON: one flat object (`path`, `kind`, `size`, `sha256`,
//! then what its kind has: `hive`, `dirty`, `recovered`, `recovery`,
//! `format`, then `error` and `warnings`), written from the typed detail
//! and read back into it; a combination its kind cannot have is refused.

use serde::de::{Error as _, IntoDeserializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::evidence::HiveKind;
use crate::registry::regfile::{RegVersion, HEADER_V4, HEADER_V5};
use crate::warning::Warning;
use crate::wulog::LogFormat;

use super::detail::{ExportRead, HiveDetail, HiveRead, InputDetail, RecoveryReport};
use super::{Input, InputKind};

/// The keys of an input as written, borrowed from it.
#[derive(Serialize)]
struct Written<'a> {
    path: &'a str,
    kind: InputKind,
    size: u64,
    sha256: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hive: Option<HiveKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dirty: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recovered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery: Option<&'a RecoveryReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: &'a Option<String>,
    #[serde(skip_serializing_if = "<[Warning]>::is_empty")]
    warnings: &'a [Warning],
}

impl Serialize for Input {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut w = Written {
            path: &self.path,
            kind: self.kind(),
            size: self.size,
            sha256: &self.sha256,
            hive: self.detail.hive(),
            dirty: None,
            recovered: None,
            recovery: None,
            format: None,
            error: &self.error,
            warnings: &self.warnings,
        };
        match &self.detail {
            InputDetail::Hive(h) => {
                w.dirty = h.dirty();
                w.recovered = h.recovery.as_ref().map(RecoveryReport::recovered);
                w.recovery = h.recovery.as_ref();
                w.format = h.read.map(|r| r.version.to_string());
            }
            InputDetail::RegExport(e) => w.format = e.map(|e| e.version.header().to_string()),
            InputDetail::UpdateLog { format } | InputDetail::EventLog { format } => {
                w.format = format.map(|f| f.as_str().to_string());
            }
            InputDetail::TransactionLog | InputDetail::Unrecognised => {}
        }
        w.serialize(s)
    }
}

/// The keys of an input as read.
#[derive(Deserialize)]
struct Read {
    path: String,
    kind: InputKind,
    size: u64,
    sha256: Option<String>,
    #[serde(default)]
    hive: Option<HiveKind>,
    #[serde(default)]
    dirty: Option<bool>,
    #[serde(default)]
    recovered: Option<bool>,
    #[serde(default)]
    recovery: Option<RecoveryReport>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    warnings: Vec<Warning>,
}

impl<'de> Deserialize<'de> for Input {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = Read::deserialize(d)?;
        let detail = detail_of(&r).map_err(|e| D::Error::custom(format!("{}: {e}", r.path)))?;
        Ok(Input {
            path: r.path,
            size: r.size,
            sha256: r.sha256,
            detail,
            error: r.error,
            warnings: r.warnings,
        })
    }
}

/// The typed detail of what was read; an error naming a key the kind cannot have.
fn detail_of(r: &Read) -> Result<InputDetail, String> {
    let kind = r.kind;
    let refuse = |keys: &[(&str, bool)]| match keys.iter().find(|(_, present)| *present) {
        Some((key, _)) => Err(format!("a {kind:?} input has no `{key}`")),
        None => Ok(()),
    };
    let replay = [
        ("dirty", r.dirty.is_some()),
        ("recovered", r.recovered.is_some()),
        ("recovery", r.recovery.is_some()),
    ];
    match kind {
        InputKind::Hive => hive_of(r).map(InputDetail::Hive),
        InputKind::RegExport => {
            refuse(&replay)?;
            let read = match (r.hive, &r.format) {
                (Some(hive), Some(f)) => Some(ExportRead {
                    hive,
                    version: export_version(f)?,
                }),
                (None, None) => None,
                _ => return Err("`hive` and `format` go together".into()),
            };
            Ok(InputDetail::RegExport(read))
        }
        InputKind::UpdateLog | InputKind::EventLog => {
            refuse(&replay)?;
            refuse(&[("hive", r.hive.is_some())])?;
            let format = r.format.as_deref().map(log_format).transpose()?;
            Ok(match kind {
                InputKind::UpdateLog => InputDetail::UpdateLog { format },
                _ => InputDetail::EventLog { format },
            })
        }
        InputKind::TransactionLog | InputKind::Unrecognised => {
            refuse(&replay)?;
            refuse(&[("hive", r.hive.is_some()), ("format", r.format.is_some())])?;
            Ok(InputDetail::unread(kind))
        }
    }
}

/// A hive's detail: `hive`, `dirty` and `format` together, `recovered`
/// as `recovery` says.
fn hive_of(r: &Read) -> Result<HiveDetail, String> {
    if r.recovered != r.recovery.as_ref().map(RecoveryReport::recovered) {
        return Err("`recovered` disagrees with `recovery.log_format`".into());
    }
    let read = match (r.hive, r.dirty, &r.format) {
        (Some(hive), Some(dirty), Some(f)) => Some(HiveRead {
            hive,
            dirty,
            version: f.parse()?,
        }),
        (None, None, None) => None,
        _ => return Err("`hive`, `dirty` and `format` go together".into()),
    };
    Ok(HiveDetail {
        recovery: r.recovery.clone(),
        read,
    })
}

/// A log format by its name in reports.
fn log_format(name: &str) -> Result<LogFormat, String> {
    LogFormat::deserialize(name.into_deserializer())
        .map_err(|e: serde::de::value::Error| e.to_string())
}

/// An export's version by its header line.
fn export_version(header: &str) -> Result<RegVersion, String> {
    match header {
        HEADER_V4 => Ok(RegVersion::Regedit4),
        HEADER_V5 => Ok(RegVersion::V5),
        _ => Err(format!("not an export header: {header:?}")),
    }
}
