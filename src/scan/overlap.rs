//! One failure recorded by two kinds of source of a host is counted once.
//!
//! `Get-WindowsUpdateLog` output is a rendering of the ETL traces, and an
//! event log may record the failure a text log reports. The rule: sources
//! are of four kinds — text logs, ETL traces, EVTX and EVT logs — and an
//! occurrence of a code is the same as one of another kind when the code
//! is the same and the time is the same second. Times whose UTC offset is
//! unknown (`Get-WindowsUpdateLog` writes local time) match a UTC time
//! that differs by a whole number of quarter hours, from −12 h to +14 h.
//! Matching is one to one; occurrences of one kind never match each other
//! (two lines in the same second are two lines). Only codes that two kinds
//! report are looked at, with the times the scan kept of their lines (no
//! file is read again); past `MAX_OCCURRENCES` occurrences of a code, or
//! past the times a host keeps, that code is not de-duplicated.

use std::collections::HashMap;

use super::seen::{kind, At, LogLines, MAX_OCCURRENCES};
use crate::wulog::{Hresult, LogSummary};

/// Per code, the occurrences that repeat one of another kind of source,
/// from the times the scan kept of each file (`lines`, one per summary).
pub fn duplicates(summaries: &[LogSummary], lines: &[LogLines]) -> HashMap<Hresult, u64> {
    let mut kinds: HashMap<Hresult, Vec<u8>> = HashMap::new();
    for s in summaries {
        for c in &s.errors {
            let k = kinds.entry(c.code).or_default();
            if !k.contains(&kind(s.format)) {
                k.push(kind(s.format));
            }
        }
    }
    let wanted: Vec<Hresult> = kinds
        .into_iter()
        .filter(|(_, k)| k.len() > 1)
        .map(|(c, _)| c)
        .collect();
    // Per code and kind, the occurrences.
    let mut occ: HashMap<Hresult, [Vec<At>; 4]> = HashMap::new();
    let mut overflow: Vec<Hresult> = Vec::new();
    for &code in &wanted {
        for l in lines {
            let v = &mut occ.entry(code).or_default()[l.kind() as usize];
            match l.times(code) {
                Some(times) if v.len() + times.len() <= MAX_OCCURRENCES => {
                    v.extend_from_slice(times)
                }
                _ if !overflow.contains(&code) => overflow.push(code),
                _ => {}
            }
        }
    }
    occ.into_iter()
        .filter(|(c, _)| !overflow.contains(c))
        .map(|(c, by_kind)| (c, matched(&by_kind)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Counts the occurrences that match one of an earlier kind, one to one.
fn matched(by_kind: &[Vec<At>; 4]) -> u64 {
    // Counted occurrences by second: (local, kind, already matched).
    let mut counted: HashMap<i64, Vec<(bool, usize, bool)>> = HashMap::new();
    let mut dups = 0;
    for (k, list) in by_kind.iter().enumerate() {
        let mut new = Vec::new();
        for at in list {
            if take(&mut counted, *at, k) {
                dups += 1;
            } else {
                new.push(*at);
            }
        }
        for at in new {
            counted
                .entry(at.secs)
                .or_default()
                .push((at.local, k, false));
        }
    }
    dups
}

/// Marks a counted occurrence of another kind matching `at` as matched.
fn take(counted: &mut HashMap<i64, Vec<(bool, usize, bool)>>, at: At, k: usize) -> bool {
    // Same clock: same second; one local: a quarter-hour offset.
    let mut tries: Vec<(i64, bool)> = vec![(at.secs, at.local)];
    for q in -48i64..=56 {
        // local = utc + offset
        if at.local {
            tries.push((at.secs - q * 900, false));
        } else {
            tries.push((at.secs + q * 900, true));
        }
    }
    for (secs, local) in tries {
        if let Some(v) = counted.get_mut(&secs) {
            if let Some(slot) = v
                .iter_mut()
                .find(|(l, kk, m)| *l == local && *kk != k && !*m)
            {
                slot.2 = true;
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64, local: bool) -> At {
        At { secs, local }
    }

    #[test]
    fn one_to_one_across_kinds_only() {
        // Text: two lines in one second; ETL: the same two and one more.
        let k = [
            vec![at(100, false), at(100, false)],
            vec![at(100, false), at(100, false), at(100, false)],
            vec![],
            vec![],
        ];
        assert_eq!(matched(&k), 2);
        // A local text time 7 h ahead of the ETL's UTC one.
        let k = [
            vec![at(100 + 7 * 3600, true)],
            vec![at(100, false)],
            vec![],
            vec![],
        ];
        assert_eq!(matched(&k), 1);
        // Not a quarter-hour apart, or another second: distinct.
        let k = [
            vec![at(100 + 7 * 3600 + 1, true)],
            vec![at(100, false), at(102, false), at(101 + 600, false)],
            vec![],
            vec![],
        ];
        assert_eq!(matched(&k), 0);
        // Same kind never matches itself.
        let k = [vec![], vec![at(5, false), at(5, false)], vec![], vec![]];
        assert_eq!(matched(&k), 0);
    }
}
