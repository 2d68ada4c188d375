//! Reading a Windows Update log or an event log: hashed and summarised.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use crate::wulog;

use super::stream::{again, hash_file, Hashing};
use super::{Input, InputDetail, Opened, Reading};

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
    let result = wulog::scan_reader_seeing(&mut reader, path, &how.opts, &mut |l| {
        lines.see(&how.watch, l)
    });
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

/// Reads an event log from the file already opened as evidence: hashed in
/// one streaming pass from its start, then parsed from its start again (EVTX
/// and EVT are read by offset, so the hash cannot ride along the parse).
pub(super) fn open_event_log(
    mut file: File,
    path: &Path,
    head: &[u8],
    input: &mut Input,
    how: &Reading,
) -> Opened {
    let hashed = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.try_clone())
        .and_then(hash_file)
        .and_then(|h| file.seek(SeekFrom::Start(0)).map(|_| h));
    match hashed {
        Ok(h) => input.sha256 = Some(h),
        Err(e) => {
            input.error = Some(format!("cannot read: {e}"));
            return Opened::Nothing;
        }
    }
    let format = crate::eventlog::sniff(head).map(|k| k.format());
    let mut lines = how.watch.file(&input.path, format);
    let see = &mut |l: &wulog::CodedLine<'_>| lines.see(&how.watch, l);
    match crate::eventlog::scan_open_seeing(file, head, path, &how.opts, see) {
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
