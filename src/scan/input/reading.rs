//! How a host's inputs are read, and the transaction logs a replay already read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::evidence::discover::HEAD;
use crate::wulog::ScanOptions;

use super::super::seen::Watch;
use super::{kind_of, Input, InputKind, NOT_EVIDENCE};
use crate::evidence::digest::sha256_hex;

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
    /// What the logs' lines are watched for.
    pub(crate) watch: Watch,
}

impl Reading {
    /// A reading with these options, no transaction log read yet.
    pub fn new(opts: ScanOptions, recover: bool) -> Self {
        Reading {
            opts,
            recover,
            replayed: HashMap::new(),
            watch: Watch::default(),
        }
    }

    /// Remembers a transaction log read whole for a replay.
    pub(super) fn read_for_replay(&mut self, path: &Path, bytes: &[u8]) {
        let head = &bytes[..bytes.len().min(HEAD)];
        let mut input = Input::new(path, kind_of(head), bytes.len() as u64);
        input.sha256 = Some(sha256_hex(bytes));
        if input.kind() == InputKind::Unrecognised {
            input.error = Some(NOT_EVIDENCE.to_string());
        }
        self.replayed.insert(path.to_path_buf(), input);
    }

    /// The input of a transaction log a replay already read, once.
    pub(super) fn take_replayed(&mut self, path: &Path) -> Option<Input> {
        self.replayed.remove(path)
    }
}
