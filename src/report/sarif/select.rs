//! Which findings become results, how bad each result is, and the bounded
//! set of results kept (GitHub accepts at most 25,000 results per run).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::finding::{Finding, Severity, Verdict};

/// Results per run GitHub code scanning accepts.
pub const GITHUB_MAX_RESULTS: usize = 25_000;

/// True when a finding points at a problem: `confirmed`, `latent`,
/// `other-cause`, or `inconclusive` while the logs (or the registry's record
/// of Windows Update's results) report one of the rule's error codes.
pub fn points_at_problem(f: &Finding) -> bool {
    match f.verdict {
        Verdict::Confirmed | Verdict::Latent | Verdict::OtherCause => true,
        Verdict::Inconclusive => {
            f.log.as_ref().is_some_and(|l| !l.errors.is_empty()) || !f.registry_errors.is_empty()
        }
        Verdict::Healthy | Verdict::NotApplicable => false,
    }
}

/// `kind` and `level` of a finding's result (SARIF wants level `none` for
/// every kind but `fail`).
pub fn kind_and_level(f: &Finding) -> (&'static str, &'static str) {
    match f.verdict {
        Verdict::Confirmed | Verdict::Latent | Verdict::OtherCause => (
            "fail",
            match f.severity {
                Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "note",
            },
        ),
        Verdict::Healthy => ("pass", "none"),
        Verdict::NotApplicable => ("notApplicable", "none"),
        Verdict::Inconclusive => ("review", "none"),
    }
}

/// How bad a result is, for keeping the worst: failures by severity (high
/// above unreadable inputs), then reviews, then the rest.
pub fn rank(kind: &str, level: &str) -> u8 {
    match (kind, level) {
        ("fail", "error") => 6,
        ("input", _) => 5,
        ("fail", "warning") => 4,
        ("fail", _) => 3,
        ("review", _) => 2,
        _ => 1,
    }
}

struct Entry {
    rank: u8,
    seq: u64,
    json: String,
}

// The heap's top is the entry to drop first: the lowest rank, the latest.
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank.cmp(&self.rank).then(self.seq.cmp(&other.seq))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// At most `cap` results, the worst kept; dropped ones are counted.
pub struct Kept {
    cap: usize,
    seq: u64,
    heap: BinaryHeap<Entry>,
    /// Results dropped.
    pub dropped: u64,
    /// The rank of the worst result dropped.
    pub worst_dropped: Option<u8>,
}

impl Kept {
    /// Keeps at most `cap` results.
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            seq: 0,
            heap: BinaryHeap::new(),
            dropped: 0,
            worst_dropped: None,
        }
    }

    /// Adds a result (its JSON) of rank `rank`; past the cap, one result is dropped and counted.
    pub fn push(&mut self, rank: u8, json: String) {
        self.seq += 1;
        self.heap.push(Entry {
            rank,
            seq: self.seq,
            json,
        });
        if self.heap.len() > self.cap {
            if let Some(e) = self.heap.pop() {
                self.dropped += 1;
                self.worst_dropped = self.worst_dropped.max(Some(e.rank));
            }
        }
    }

    /// The results kept, in the order they were pushed.
    pub fn into_ordered(self) -> Vec<String> {
        let mut v = self.heap.into_vec();
        v.sort_by_key(|e| e.seq);
        v.into_iter().map(|e| e.json).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_are_kept_in_their_order() {
        let mut k = Kept::new(3);
        for (rank, s) in [(1, "a"), (6, "b"), (2, "c"), (6, "d"), (4, "e"), (1, "f")] {
            k.push(rank, s.to_string());
        }
        assert_eq!(k.dropped, 3);
        assert_eq!(k.worst_dropped, Some(2));
        assert_eq!(k.into_ordered(), ["b", "d", "e"]);
    }

    #[test]
    fn among_equals_the_first_are_kept() {
        let mut k = Kept::new(2);
        for s in ["a", "b", "c"] {
            k.push(3, s.to_string());
        }
        assert_eq!(k.into_ordered(), ["a", "b"]);
    }
}
