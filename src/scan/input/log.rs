//! Reading a Windows Update log or an event log: hashed and summarised.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

use crate::eventlog::{self, EventLogError, Totals};
use crate::evidence::discover::HEAD;
use crate::evidence::open::open_evidence;
use crate::wulog::{self, CodedLine, LogSummary, ScanOptions};

use super::stream::{again, Hashing};
use super::{Input, InputDetail, Opened, Reading};
use crate::evidence::seek_hash::{Hashed, SeekHashing};

/// Reads a log in one pass: the `head` already read to recognise it, then
/// the rest of the same open file; the hash is taken over the same bytes as
/// they are parsed, so every byte is read once.
pub(super) fn open_log(
    file: File,
    path: &Path,
    head: Vec<u8>,
    input: &mut Input,
    how: &Reading,
) -> Opened {
    let mut reader = Hashing::new(again(head, file));
    let mut lines = how.watch.file(&input.path, None);
    let result = if how.watch.is_idle() {
        wulog::scan_reader(&mut reader, path, &how.opts)
    } else {
        wulog::scan_reader_seeing(&mut reader, path, &how.opts, &mut |l| {
            lines.see(&how.watch, l)
        })
    };
    input.sha256 = Some(reader.finish());
    match result {
        Ok(summary) => {
            input.detail = InputDetail::UpdateLog {
                format: Some(summary.format),
            };
            input.warnings.extend(summary.warnings());
            Opened::Log(Box::new(summary), Box::new(lines))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

/// Reads an event log from the file already opened as evidence, positioned
/// just past its `head`: parsed, and hashed in the same pass (see
/// [`SeekHashing`]); a file that cannot be read to its end is an error.
pub(super) fn open_event_log(
    file: impl Read + Seek,
    path: &Path,
    head: &[u8],
    input: &mut Input,
    how: &Reading,
) -> Opened {
    let format = eventlog::sniff(head).map(|k| k.format());
    let mut lines = how.watch.file(&input.path, format);
    let see = &mut |l: &CodedLine<'_>| lines.see(&how.watch, l);
    let (parsed, hashed) = read_event_log(file, path, head, &how.opts, see);
    match hashed {
        Ok(h) => input.sha256 = Some(h.sha256),
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            return Opened::Nothing;
        }
    }
    match parsed {
        Ok((summary, totals)) => {
            input.detail = InputDetail::EventLog {
                format: Some(summary.format),
            };
            let undecoded = totals.undecoded();
            input
                .warnings
                .extend(totals.warnings.into_iter().chain(undecoded));
            Opened::Log(Box::new(summary), Box::new(lines))
        }
        Err(e) => {
            input.error = Some(e.to_string());
            Opened::Nothing
        }
    }
}

/// What an event log's one pass gave: its summary (or why it could not be
/// read) and its hash, with the bytes read (or the error that stopped them).
type EventLogPass = (
    Result<(LogSummary, Totals), EventLogError>,
    io::Result<Hashed>,
);

/// Parses the event log `file` (positioned just past its `head`) through a
/// [`SeekHashing`] reader, then hashes what the parse did not reach.
fn read_event_log(
    file: impl Read + Seek,
    path: &Path,
    head: &[u8],
    opts: &ScanOptions,
    see: &mut dyn FnMut(&CodedLine<'_>),
) -> EventLogPass {
    let mut reader = SeekHashing::new(head.to_vec(), file);
    let parsed = eventlog::scan_open_seeing(&mut reader, head, path, opts, see);
    (parsed, reader.finish())
}

/// The SHA-256 of the event log at `path` as a scan reports it, and the
/// bytes read from the file to parse and hash it (its size when each byte
/// was read once). For tests of the one pass; not part of the report.
#[doc(hidden)]
pub fn event_log_reads(path: &Path) -> io::Result<(String, u64)> {
    let (mut file, _) = open_evidence(path)?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut file).take(HEAD as u64).read_to_end(&mut head)?;
    let h = read_event_log(file, path, &head, &ScanOptions::default(), &mut |_| {}).1?;
    Ok((h.sha256, h.read))
}
