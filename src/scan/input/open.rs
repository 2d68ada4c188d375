//! Opening one file of a host: recognised by its first bytes, then read by
//! the reader of its kind, once.

use std::io::Read;
use std::path::Path;

use crate::evidence::discover::HEAD;
use crate::evidence::open::open_evidence;

use super::log::{open_event_log, open_log};
use super::reading::Reading;
use super::registry::open_registry_file;
use super::stream::{again, hash_file};
use super::{kind_of, Input, InputKind, Opened, NOT_EVIDENCE};

/// Reads one file. `explicit` files (named on the command line) that are not
/// recognised get an error; found files only when their name suggests evidence.
/// Returns `None` for unrecognised files that are neither.
/// With `how.recover`, a dirty hive's transaction logs are replayed in
/// memory (and not read again as inputs of their own). Only regular files
/// are read (see `open_evidence`); anything else is an input with an error.
pub fn open_input(path: &Path, explicit: bool, how: &mut Reading) -> Option<(Input, Opened)> {
    if let Some(input) = how.take_replayed(path) {
        return reported(input.kind(), explicit, path).then_some((input, Opened::Nothing));
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
            open_registry_file(path, again(head, file), size, &mut input, how)
        }
        InputKind::UpdateLog => open_log(file, path, head, &mut input, how),
        InputKind::EventLog => open_event_log(file, path, &head, &mut input, how),
        InputKind::TransactionLog | InputKind::Unrecognised => {
            hash_only(again(head, file), &mut input)
        }
    };
    Some((input, opened))
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

/// An input that could not be read at all.
fn unreadable(path: &Path, size: u64, error: String) -> Option<(Input, Opened)> {
    Some((Input::failed(path, size, error), Opened::Nothing))
}

/// A file read only to be hashed: a transaction log (read by a replay, if
/// at all), or a file that is not evidence (said on the input).
fn hash_only(file: impl Read, input: &mut Input) -> Opened {
    match hash_file(file) {
        Ok(h) => input.sha256 = Some(h),
        Err(e) => input.error = Some(format!("cannot read: {e}")),
    }
    if input.kind() == InputKind::Unrecognised && input.error.is_none() {
        input.error = Some(NOT_EVIDENCE.to_string());
    }
    Opened::Nothing
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
