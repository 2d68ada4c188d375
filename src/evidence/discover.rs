//! Finding evidence files beneath a host folder and recognising them by content.

use std::io::Read;
use std::path::Path;

use super::open::{open_evidence, OpenError};

use crate::registry::baseblock::{
    file_type, FILE_TYPE_NEW_LOG, FILE_TYPE_OLD_LOG, FILE_TYPE_OLD_LOG_W2K,
};
use crate::registry::source::{sniff, RegistryFormat};

/// What a file's first bytes say it is (names are hints only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A `regf` primary hive file.
    Hive,
    /// A hive transaction log (`.LOG`, `.LOG1`, `.LOG2`): old or new format.
    HiveLog,
    RegExport,
    UpdateLog,
    /// An ETL trace, EVTX or XP/2003 `.evt` event log.
    EventLog,
    Unknown,
}

/// How many bytes are read to recognise a file.
pub const HEAD: usize = 64 * 1024;

/// Recognises the first bytes of a file.
pub fn sniff_head(head: &[u8]) -> Sniffed {
    if crate::eventlog::kind::sniff(head).is_some() {
        return Sniffed::EventLog;
    }
    if head.starts_with(b"regf") {
        // Transaction logs carry a base block too, with another file type.
        return match file_type(head) {
            Some(FILE_TYPE_OLD_LOG | FILE_TYPE_OLD_LOG_W2K | FILE_TYPE_NEW_LOG) => Sniffed::HiveLog,
            _ => Sniffed::Hive,
        };
    }
    if head.starts_with(b"HvLE") || head.get(512..516) == Some(b"DIRT") {
        return Sniffed::HiveLog;
    }
    match sniff(head) {
        Some(RegistryFormat::RegExport) => Sniffed::RegExport,
        Some(RegistryFormat::Hive) => Sniffed::Hive,
        None if looks_like_update_log(head) => Sniffed::UpdateLog,
        None => Sniffed::Unknown,
    }
}

/// Reads up to the first 64 KiB of a file (regular files only: see
/// [`open_evidence`]).
pub fn read_head(path: &Path) -> Result<Vec<u8>, OpenError> {
    let (file, _) = open_evidence(path)?;
    let mut head = Vec::with_capacity(HEAD);
    file.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// True when a file's name suggests it is evidence this tool reads, so that
/// failing to recognise it deserves an error rather than silence.
pub fn name_suggests_evidence(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| percent_decoded(&n.to_string_lossy()).to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.as_str();
    name == "software"
        || name == "system"
        || name.ends_with(".reg")
        || name.ends_with(".hive")
        || (name.starts_with("windowsupdate") && name.ends_with(".log"))
        || name == "reportingevents.log"
        || event_log_name_wanted(path)
}

/// True when a found event log's name is one that holds Windows Update
/// events: any `.etl` trace, `System.evtx`, the WindowsUpdateClient
/// Operational channel, and `SysEvent.Evt`. Other found `.evtx`/`.evt`
/// logs (Security, Application, …) are not read; named ones always are.
pub fn event_log_name_wanted(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| percent_decoded(&n.to_string_lossy()).to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".etl")
        || name == "system.evtx"
        || (name.contains("windowsupdateclient") && name.ends_with(".evtx"))
        || name == "sysevent.evt"
}

/// A name with `%XX` escapes decoded, as Velociraptor writes names
/// (`C%3A`, `SOFTWARE%2Ereg`); other `%` signs are kept.
fn percent_decoded(name: &str) -> String {
    let b = name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if b[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True when a line of the head parses as a Windows Update log line
/// (classic, Windows 10 or ReportingEvents.log), in any encoding `log` reads:
/// the log reader's own recogniser.
fn looks_like_update_log(head: &[u8]) -> bool {
    crate::wulog::recognise(head).is_some()
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn percent_encoded_names_are_hints_too() {
        assert!(name_suggests_evidence(Path::new("C%3A/x/SOFTWARE%2Ereg")));
        assert!(name_suggests_evidence(Path::new("WindowsUpdate%2Elog")));
        assert!(!name_suggests_evidence(Path::new("notes%2Etxt")));
        assert_eq!(percent_decoded("100%-C%3a%zz%+1%"), "100%-C:%zz%+1%");
    }
}
