//! A time window over log evidence (`--since` / `--until`).

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wulog::LogTime;

/// Log lines whose time falls in `[since, before)` count; lines without a
/// time do not (they cannot be placed). A time whose offset is unknown is
/// compared as if it were UTC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Inclusive.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive.
    pub before: Option<DateTime<Utc>>,
}

/// A bound as given: an RFC 3339 time, or a date (`YYYY-MM-DD`, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBound {
    /// An exact time.
    Instant(DateTime<Utc>),
    /// A whole day (UTC).
    Day(NaiveDate),
}

impl FromStr for TimeBound {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Self::Instant(t.with_timezone(&Utc)));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Self::Day)
            .map_err(|_| format!("{s:?} is neither RFC 3339 (2024-03-01T08:00:00Z) nor YYYY-MM-DD"))
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

impl TimeWindow {
    /// The window from `since` (its day's start for a date) to `until`
    /// (its day's end for a date; the instant itself included otherwise).
    pub fn new(since: Option<TimeBound>, until: Option<TimeBound>) -> Result<Self, String> {
        let since = since.map(|b| match b {
            TimeBound::Instant(t) => t,
            TimeBound::Day(d) => midnight(d),
        });
        let before = until.map(|b| match b {
            TimeBound::Instant(t) => t + Duration::nanoseconds(1),
            TimeBound::Day(d) => midnight(d) + Duration::days(1),
        });
        if let (Some(s), Some(b)) = (since, before) {
            if s >= b {
                return Err("--since is not before --until".to_string());
            }
        }
        Ok(Self { since, before })
    }

    /// True when no bound is set.
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.before.is_none()
    }

    /// Whether a line with this time counts.
    pub fn contains(&self, time: Option<&LogTime>) -> bool {
        if self.is_open() {
            return true;
        }
        let Some(t) = time else { return false };
        let at: NaiveDateTime = t.sort_key();
        self.since.is_none_or(|s| at >= s.naive_utc())
            && self.before.is_none_or(|b| at < b.naive_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> LogTime {
        LogTime::local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
    }

    #[test]
    fn dates_cover_whole_days_and_instants_are_included() {
        let w = TimeWindow::new(
            Some("2024-03-01".parse().unwrap()),
            Some("2024-03-02".parse().unwrap()),
        )
        .unwrap();
        assert!(!w.contains(Some(&at("2024-02-29 23:59:59"))));
        assert!(w.contains(Some(&at("2024-03-01 00:00:00"))));
        assert!(w.contains(Some(&at("2024-03-02 23:59:59"))));
        assert!(!w.contains(Some(&at("2024-03-03 00:00:00"))));
        assert!(!w.contains(None));
        let w = TimeWindow::new(None, Some("2024-03-01T10:00:00+02:00".parse().unwrap())).unwrap();
        assert!(w.contains(Some(&at("2024-03-01 08:00:00"))));
        assert!(!w.contains(Some(&at("2024-03-01 08:00:01"))));
        assert!(TimeWindow::default().contains(None));
    }

    #[test]
    fn bad_bounds_are_refused() {
        assert!("yesterday".parse::<TimeBound>().is_err());
        assert!("2024-13-01".parse::<TimeBound>().is_err());
        let (a, b) = ("2024-03-02".parse().ok(), "2024-03-01".parse().ok());
        assert!(TimeWindow::new(a, b).is_err());
    }
}
