//! Replaying new-format logs: entries from all logs, in sequence order.

use std::path::{Path, PathBuf};

use crate::registry::baseblock::{
    put_u32, set_sequences, BASE_BLOCK_SECTOR, BASE_BLOCK_SIZE, FILE_TYPE_PRIMARY, OFF_FILE_TYPE,
    OFF_FLAGS, OFF_HIVE_BINS_SIZE,
};
use crate::warning::{Warning, WarningCode};

use super::bins::check_bins;
use super::error::TxLogError;
use super::new_log::{Entry, NewLog};
use super::primary::{warn, Primary, Replayed};

/// Applies the entries Windows would apply. With a valid primary base block
/// that is every entry from the primary's secondary sequence number on,
/// taken from the log with the earlier entries first and continued in the
/// other without a gap; with a damaged one, only the log with the latest
/// entries is used and its base block replaces the primary's.
pub(super) fn replay(
    p: &Primary<'_>,
    logs: &[(&Path, NewLog<'_>)],
    warnings: &mut Vec<Warning>,
) -> Option<Replayed> {
    let usable = usable_logs(logs, warnings);
    let mut hive = p.bytes.to_vec();
    let plan = plan_entries(p, &usable, &mut hive, warnings)?;
    let last = plan.last()?.1.seq;
    if p.valid && last < p.header.primary_sequence {
        warnings.push(Warning::new(
            WarningCode::ReplayLogsEndEarly,
            format!(
                "the logs end at sequence number {last}, before the primary file's {}: later changes may be missing (a log absent or cut short?)",
                p.header.primary_sequence
            ),
        ));
    }
    let written = apply(p, &mut hive, &plan, warnings)?;
    set_sequences(&mut hive, last);

    let size = plan.last()?.1.hive_bins_size as usize;
    match check_bins(p, &hive, size, &written) {
        Ok(note) => warnings.extend(note),
        Err(why) => {
            warn(warnings, plan.last()?.0, &why);
            return None;
        }
    }
    let mut used: Vec<PathBuf> = Vec::new();
    for (path, _) in &plan {
        if used.last().map(PathBuf::as_path) != Some(*path) {
            used.push(path.to_path_buf());
        }
    }
    Some(Replayed {
        bytes: hive,
        used,
        seq: last,
    })
}

/// The logs whose first entry is the one their base block announces, in
/// the order of their first entries; the others are named in `warnings`.
fn usable_logs<'l, 'b>(
    logs: &'l [(&'b Path, NewLog<'b>)],
    warnings: &mut Vec<Warning>,
) -> Vec<&'l (&'b Path, NewLog<'b>)> {
    let mut usable = Vec::new();
    for log in logs {
        let (path, l) = log;
        let first = l.entries[0].seq;
        if first != l.header.primary_sequence {
            let why = TxLogError::FirstEntryMismatch {
                entry: first,
                header: l.header.primary_sequence,
            };
            warn(warnings, path, &why);
        } else {
            usable.push(log);
        }
    }
    usable.sort_by_key(|(_, l)| l.entries[0].seq);
    usable
}

/// The entries to apply, in order, with the log each comes from. With a
/// damaged primary base block, that of the log with the latest entries is
/// copied into `hive`.
fn plan_entries<'l, 'b>(
    p: &Primary<'_>,
    usable: &[&'l (&'b Path, NewLog<'b>)],
    hive: &mut [u8],
    warnings: &mut Vec<Warning>,
) -> Option<Vec<(&'b Path, &'l Entry<'b>)>> {
    let mut plan: Vec<(&Path, &Entry<'_>)> = Vec::new();
    if !p.valid {
        let (path, l) = usable
            .iter()
            .max_by_key(|(_, l)| l.entries.last().map(|e| e.seq))?;
        hive[..BASE_BLOCK_SECTOR].copy_from_slice(l.first_sector);
        put_u32(hive, OFF_FILE_TYPE, FILE_TYPE_PRIMARY);
        plan.extend(l.entries.iter().map(|e| (*path, e)));
        return Some(plan);
    }
    for (path, l) in usable {
        let next = plan.last().map(|(_, e)| e.seq.wrapping_add(1));
        let fresh: Vec<&Entry<'_>> = l
            .entries
            .iter()
            .filter(|e| e.seq >= p.header.secondary_sequence && next.is_none_or(|n| e.seq >= n))
            .collect();
        let Some(first) = fresh.first() else {
            let why = TxLogError::NothingNew(p.header.secondary_sequence);
            warn(warnings, path, &why);
            continue;
        };
        if let Some(expected) = next {
            if first.seq != expected {
                let why = TxLogError::Gap {
                    expected,
                    found: first.seq,
                };
                warn(warnings, path, &why);
                break;
            }
        }
        plan.extend(fresh.into_iter().map(|e| (*path, e)));
    }
    Some(plan)
}

/// Writes the planned entries' pages into `hive`; returns which 512-byte
/// blocks of the hive bins were written, or `None` (with a warning) when an
/// entry would grow the hive past what the inputs can fill.
fn apply(
    p: &Primary<'_>,
    hive: &mut Vec<u8>,
    plan: &[(&Path, &Entry<'_>)],
    warnings: &mut Vec<Warning>,
) -> Option<Vec<bool>> {
    let mut written: Vec<bool> = Vec::new();
    for (path, e) in plan {
        let size = e.hive_bins_size as usize;
        let end = BASE_BLOCK_SIZE + size;
        if end as u64 > p.limit {
            warn(warnings, path, &TxLogError::TooLarge(size as u64));
            return None;
        }
        if hive.len() < end {
            hive.resize(end, 0);
        }
        if written.len() < size / 512 {
            written.resize(size / 512, false);
        }
        for (off, page) in &e.pages {
            let at = BASE_BLOCK_SIZE + off;
            hive[at..at + page.len()].copy_from_slice(page);
            written[off / 512..(off + page.len()).div_ceil(512)].fill(true);
        }
        put_u32(hive, OFF_HIVE_BINS_SIZE, e.hive_bins_size);
        let flags = u32::from_le_bytes(hive[OFF_FLAGS..OFF_FLAGS + 4].try_into().ok()?);
        put_u32(hive, OFF_FLAGS, (flags & !1) | (e.flags & 1));
    }
    Some(written)
}
