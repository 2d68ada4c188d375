//! Binary hive reader: `nt-hive`, hardened.
//!
//! The base block is checked here before any byte reaches `nt-hive` (it
//! panics on some non-hive input); dirty hives are read as they are on disk;
//! every call into the crate runs under `catch_unwind`, so a panic in it
//! becomes an error on this input; subkey lookups that miss fall back to a
//! linear case-insensitive scan (the crate's binary search misses keys in
//! unsorted lists); key timestamps and raw value headers, which the crate
//! does not expose, are read from the cells it located.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use nt_hive::{Hive, KeyNode, KeyValue, KeyValueData, NtHiveError, NtHiveNameString};

use super::baseblock::{BaseBlock, BASE_BLOCK_SIZE};
use super::value::Value;
use super::view::{eq_ignore_case, filetime_to_utc, split_path, Key, ReaderWarning, RegistryView};
use super::RegistryError;

/// Offset of the key name within a key node cell's data (after the `nk` header).
const NK_NAME_OFFSET: usize = 0x4C;
/// Offset of the value name within a key value cell's data (after the `vk` header).
const VK_NAME_OFFSET: usize = 0x14;
/// Largest value data a single cell holds in hives before version 1.4 too.
const BIG_DATA_THRESHOLD: u32 = 16_344;
/// Bound on subkeys scanned linearly in one key (a damaged list could claim billions).
const MAX_LINEAR_SUBKEYS: usize = 1 << 20;

/// A binary hive held in memory (opened read-only; the file is never touched again).
#[derive(Debug)]
pub struct BinaryHive {
    bytes: Vec<u8>,
    header: BaseBlock,
    root_name: String,
    warnings: Vec<ReaderWarning>,
}

type Node<'h> = KeyNode<'h, &'h [u8]>;

fn nt(err: NtHiveError) -> RegistryError {
    RegistryError::Parser(err)
}

thread_local! {
    /// Set while this thread runs hive-parser code under [`guarded`].
    static IN_PARSER: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics raised while
/// the current thread is inside [`guarded`] (they become errors on that
/// input) and hands every other panic to the hook that was there before.
fn quiet_parser_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_PARSER.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic inside the hive parser into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, RegistryError>) -> Result<T, RegistryError> {
    quiet_parser_panics();
    let outer = IN_PARSER.with(|c| c.replace(true));
    let caught = catch_unwind(AssertUnwindSafe(f));
    IN_PARSER.with(|c| c.set(outer));
    match caught {
        Ok(result) => result,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(RegistryError::ReaderPanic(msg))
        }
    }
}

fn name_bytes<'a>(name: &NtHiveNameString<'a>) -> &'a [u8] {
    match name {
        NtHiveNameString::Latin1(b) | NtHiveNameString::Utf16LE(b) => b,
    }
}

impl BinaryHive {
    /// Checks the base block and the root key, then keeps the bytes for lookups.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Result<Self, RegistryError> {
        let header = BaseBlock::parse(&bytes)?;
        let mut warnings = Vec::new();
        let mut warn = |message: String| {
            warnings.push(ReaderWarning {
                line: None,
                message,
            })
        };
        if header.is_dirty() {
            warn(format!(
                "dirty hive: sequence numbers differ (primary {}, secondary {}); transaction logs not applied, read as on disk",
                header.primary_sequence, header.secondary_sequence
            ));
        }
        if !header.checksum_ok() {
            warn(format!(
                "base block checksum mismatch (stored 0x{:08x}, computed 0x{:08x}); reading anyway",
                header.stored_checksum, header.computed_checksum
            ));
        }
        let data_len = bytes.len() - BASE_BLOCK_SIZE;
        let bins = header.hive_bins_size as usize;
        if bins > data_len {
            warn(format!(
                "truncated: the base block declares {bins} bytes of hive bins, the file holds {data_len}"
            ));
        } else if bins >= BASE_BLOCK_SIZE {
            // Remnant data after the last hive bin is not part of the hive.
            bytes.truncate(BASE_BLOCK_SIZE + bins);
        }
        if header.root_cell_offset as usize >= bytes.len() - BASE_BLOCK_SIZE {
            return Err(RegistryError::BadHeader(format!(
                "root cell offset 0x{:x} lies beyond the hive data",
                header.root_cell_offset
            )));
        }
        let root_name = guarded(|| {
            let hive = Hive::without_validation(&bytes[..]).map_err(nt)?;
            let root = hive.root_key_node().map_err(nt)?;
            let name = root.name().map_err(nt)?.to_string_lossy();
            Ok(name)
        })?;
        Ok(Self {
            bytes,
            header,
            root_name,
            warnings,
        })
    }

    /// Adds a warning about this hive (e.g. from reading its file).
    pub fn warn(&mut self, message: String) {
        self.warnings.push(ReaderWarning {
            line: None,
            message,
        });
    }

    /// The hive's base block as parsed.
    pub fn header(&self) -> &BaseBlock {
        &self.header
    }

    /// Primary and secondary sequence numbers differ.
    pub fn is_dirty(&self) -> bool {
        self.header.is_dirty()
    }

    /// The root key's name (e.g. `CMI-CreateHive{…}`, `ROOT`).
    pub fn root_name(&self) -> &str {
        &self.root_name
    }

    /// The bytes the view reads from.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Absolute offset of a slice that borrows from `self.bytes`.
    fn offset_of(&self, slice: &[u8]) -> Option<usize> {
        let base = self.bytes.as_ptr() as usize;
        let ptr = slice.as_ptr() as usize;
        (ptr >= base && ptr <= base + self.bytes.len()).then(|| ptr - base)
    }

    /// The cell header (`nk`/`vk` signature onwards) of a name slice, checked.
    fn cell_header(&self, name: &[u8], name_offset: usize, sig: &[u8; 2]) -> Option<&[u8]> {
        let start = self.offset_of(name)?.checked_sub(name_offset)?;
        let header = self.bytes.get(start..start + name_offset)?;
        (start >= BASE_BLOCK_SIZE && &header[..2] == sig).then_some(header)
    }

    fn find_subkey<'h>(
        &self,
        node: &Node<'h>,
        name: &str,
    ) -> Result<Option<Node<'h>>, RegistryError> {
        if let Some(Ok(found)) = node.subkey(name) {
            if found
                .name()
                .map(|n| eq_ignore_case(&n.to_string_lossy(), name))
                .unwrap_or(false)
            {
                return Ok(Some(found));
            }
        }
        // Binary search missed (unsorted list, odd names) or failed: scan.
        let Some(iter) = node.subkeys() else {
            return Ok(None);
        };
        let iter = iter.map_err(nt)?;
        for (i, sub) in iter.enumerate() {
            if i >= MAX_LINEAR_SUBKEYS {
                break;
            }
            let sub = sub.map_err(nt)?;
            if let Ok(n) = sub.name() {
                if eq_ignore_case(&n.to_string_lossy(), name) {
                    return Ok(Some(sub));
                }
            }
        }
        Ok(None)
    }

    /// One value, or what could not be read of it (noted on `key`).
    fn read_value(&self, value: &KeyValue<'_, &[u8]>, key: &mut Key) -> Option<Value> {
        let name = match value.name() {
            Ok(n) => n,
            Err(e) => {
                key.damaged(None, format!("a value's name could not be read: {e}"));
                return None;
            }
        };
        let name_str = name.to_string_lossy();
        let header = self.cell_header(name_bytes(&name), VK_NAME_OFFSET, b"vk");
        let raw_type = match (value.data_type(), header) {
            (_, Some(h)) => u32::from_le_bytes(h[12..16].try_into().unwrap()),
            (Ok(t), None) => t as u32,
            (Err(NtHiveError::UnsupportedKeyValueDataType { actual, .. }), None) => actual,
            (Err(e), None) => {
                let why = format!("value {name_str:?}: type unreadable: {e}");
                key.damaged(Some(&name_str), why);
                return None;
            }
        };
        let raw = match self.checked_data(value) {
            Ok(raw) => raw,
            Err(e) => match header.and_then(|h| self.small_cell_data(h)) {
                Some(raw) => raw,
                None => {
                    let why = format!("value {name_str:?}: data unreadable: {e}");
                    key.damaged(Some(&name_str), why);
                    return None;
                }
            },
        };
        Some(Value::from_raw(name_str, raw_type, raw))
    }

    /// A value's data, refused when it claims more than the hive holds or
    /// its big-data segments overlap (a crafted list can point thousands of
    /// segments at one cell).
    fn checked_data(&self, value: &KeyValue<'_, &[u8]>) -> Result<Vec<u8>, RegistryError> {
        let size = (value.data_size() & 0x7FFF_FFFF) as usize;
        let hive_size = self.bytes.len() - BASE_BLOCK_SIZE;
        if size > hive_size {
            return Err(RegistryError::Corrupt(format!(
                "value data of {size} bytes claimed, more than the hive's {hive_size} bytes"
            )));
        }
        match value.data().map_err(nt)? {
            KeyValueData::Small(d) => Ok(d.to_vec()),
            KeyValueData::Big(segments) => {
                let mut ranges = Vec::new();
                for seg in segments {
                    let seg = seg.map_err(nt)?;
                    let start = self.offset_of(seg).unwrap_or(0);
                    ranges.push((start, seg));
                }
                let mut sorted: Vec<(usize, usize)> =
                    ranges.iter().map(|(s, d)| (*s, s + d.len())).collect();
                sorted.sort_unstable();
                if let Some(w) = sorted.windows(2).find(|w| w[1].0 < w[0].1) {
                    return Err(RegistryError::Corrupt(format!(
                        "big-data segments overlap at offset 0x{:x}",
                        w[1].0
                    )));
                }
                let mut data = Vec::with_capacity(size);
                for (_, seg) in ranges {
                    data.extend_from_slice(seg);
                }
                Ok(data)
            }
        }
    }

    /// Data of a value stored in one cell, for hives older than 1.4 whose
    /// values above 16,344 bytes are not big-data records.
    fn small_cell_data(&self, vk: &[u8]) -> Option<Vec<u8>> {
        let size = u32::from_le_bytes(vk[4..8].try_into().unwrap());
        if size & 0x8000_0000 != 0 || size <= BIG_DATA_THRESHOLD || self.header.minor_version > 3 {
            return None;
        }
        let offset = u32::from_le_bytes(vk[8..12].try_into().unwrap()) as usize;
        let cell = BASE_BLOCK_SIZE.checked_add(offset)?;
        let cell_size = i32::from_le_bytes(self.bytes.get(cell..cell + 4)?.try_into().ok()?);
        let len = size as usize;
        if cell_size >= 0 || (cell_size.unsigned_abs() as usize) < len + 4 {
            return None;
        }
        self.bytes.get(cell + 4..cell + 4 + len).map(<[u8]>::to_vec)
    }

    fn read_key(&self, node: &Node<'_>, path: String) -> Result<Key, RegistryError> {
        let mut key = Key {
            path,
            ..Key::default()
        };
        let name = node.name().map_err(nt)?;
        let header = self.cell_header(name_bytes(&name), NK_NAME_OFFSET, b"nk");
        key.cell = header.and_then(|h| self.offset_of(h));
        key.last_written =
            header.and_then(|h| filetime_to_utc(u64::from_le_bytes(h[4..12].try_into().unwrap())));
        let claimed = header.map_or(0, |h| u32::from_le_bytes(h[0x24..0x28].try_into().unwrap()));
        if node.values().is_none() && claimed > 0 {
            key.damaged(
                None,
                format!(
                    "the key claims {claimed} values but has no value list (offset 0xFFFFFFFF)"
                ),
            );
        }
        if let Some(values) = node.values() {
            match values {
                Ok(values) => {
                    for v in values {
                        match v {
                            Ok(v) => {
                                if let Some(v) = self.read_value(&v, &mut key) {
                                    key.values.push(v);
                                }
                            }
                            Err(e) => {
                                key.damaged(None, format!("value list damaged: {e}"));
                                break;
                            }
                        }
                    }
                }
                Err(e) => key.damaged(None, format!("value list unreadable: {e}")),
            }
        }
        if let Some(subkeys) = node.subkeys() {
            match subkeys {
                Ok(iter) => {
                    for sub in iter.take(MAX_LINEAR_SUBKEYS) {
                        match sub.and_then(|s| s.name().map(|n| n.to_string_lossy())) {
                            Ok(n) => key.subkeys.push(n),
                            Err(e) => {
                                key.notes.push(format!("subkey list damaged: {e}"));
                                break;
                            }
                        }
                    }
                }
                Err(e) => key.notes.push(format!("subkey list unreadable: {e}")),
            }
        }
        Ok(key)
    }
}

impl RegistryView for BinaryHive {
    fn key(&self, path: &str) -> Result<Option<Key>, RegistryError> {
        guarded(|| {
            let hive = Hive::without_validation(&self.bytes[..]).map_err(nt)?;
            let mut node = hive.root_key_node().map_err(nt)?;
            let mut spelled: Vec<String> = Vec::new();
            for comp in split_path(path) {
                match self.find_subkey(&node, comp)? {
                    Some(sub) => {
                        spelled.push(sub.name().map_err(nt)?.to_string_lossy());
                        node = sub;
                    }
                    None => return Ok(None),
                }
            }
            self.read_key(&node, spelled.join("\\")).map(Some)
        })
    }

    fn warnings(&self) -> Vec<ReaderWarning> {
        self.warnings.clone()
    }
}
