//! The chart's data: error log lines by day across hosts, from what the
//! findings keep of each code (its line count, first and last time, the
//! lines quoted). A code whose first and last lines fall on one day has all
//! its lines counted on that day; otherwise its first, last and quoted lines
//! are counted on their days (the rest of its lines have no day known here).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::scan::HostReport;

/// Days kept at most (a log with absurd dates cannot grow the page).
const MAX_DAYS: usize = 20_000;

/// Error lines by day, added to host by host.
#[derive(Debug, Default, Serialize)]
pub struct Days {
    /// `YYYY-MM-DD` → lines counted on that day.
    pub days: BTreeMap<String, u64>,
    /// Lines counted on a day known, in all.
    pub dated: u64,
    /// Lines reported in all (the sum of each host's codes' counts).
    pub total: u64,
    /// Lines on days beyond `MAX_DAYS` distinct days (not drawn).
    pub beyond: u64,
}

/// `YYYY-MM-DD` of an RFC 3339 (or local, offset-less) time.
fn day(t: &str) -> Option<&str> {
    let d = t.get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    ok.then_some(d)
}

impl Days {
    fn count(&mut self, d: &str, n: u64) {
        if self.days.len() >= MAX_DAYS && !self.days.contains_key(d) {
            self.beyond += n;
            return;
        }
        *self.days.entry(d.to_string()).or_default() += n;
        self.dated += n;
    }

    /// Adds a host's error lines; a code cited by several rules counts once.
    pub fn add(&mut self, host: &HostReport) {
        let mut seen = BTreeSet::new();
        for e in host
            .findings
            .iter()
            .flat_map(|f| f.log.iter().flat_map(|l| &l.errors))
        {
            if !seen.insert(e.code) {
                continue;
            }
            self.total += e.count;
            let (first, last) = (
                e.first.map(|t| t.to_string()),
                e.last.map(|t| t.to_string()),
            );
            let (first, last) = (first.as_deref(), last.as_deref());
            match (first.and_then(day), last.and_then(day)) {
                (Some(a), Some(b)) if a == b => self.count(a, e.count),
                _ => {
                    let mut times: BTreeSet<&str> = first.into_iter().chain(last).collect();
                    let examples: Vec<String> = e
                        .examples
                        .iter()
                        .filter_map(|x| x.time.map(|t| t.to_string()))
                        .collect();
                    times.extend(examples.iter().map(String::as_str));
                    let known = (times.len() as u64).min(e.count);
                    for t in times.iter().take(known as usize) {
                        if let Some(d) = day(t) {
                            self.count(d, 1);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_dates_only() {
        assert_eq!(day("2009-06-10T16:19:07.562Z"), Some("2009-06-10"));
        assert_eq!(day("2009-06-10"), Some("2009-06-10"));
        assert_eq!(day("20090610T1619"), None);
        assert_eq!(day("2009-0"), None);
    }
}
