//! A log time as reports give it: in UTC where the log states its offset,
//! else the local wall-clock time of unknown offset.
//!
//! Written (JSON, `Display`) as RFC 3339 to the millisecond: with `Z` for
//! UTC (`2009-06-10T16:19:07.562Z`), without an offset for a local time
//! (`2009-06-10T08:19:07.562`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::time::LogTime;

const LOCAL: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A log time in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogStamp {
    /// A time in UTC (the log stated its offset).
    Utc(DateTime<Utc>),
    /// Local time of unknown offset.
    Local(NaiveDateTime),
}

impl LogStamp {
    /// True when only the local wall-clock time is known.
    pub fn is_local(self) -> bool {
        matches!(self, Self::Local(_))
    }

    /// A value for ordering: UTC where known, else the local time taken as is.
    pub fn sort_key(self) -> NaiveDateTime {
        match self {
            Self::Utc(t) => t.naive_utc(),
            Self::Local(t) => t,
        }
    }
}

impl From<LogTime> for LogStamp {
    fn from(t: LogTime) -> Self {
        match t.utc() {
            Some(u) => Self::Utc(u),
            None => Self::Local(t.local),
        }
    }
}

impl fmt::Display for LogStamp {
    /// RFC 3339 to the millisecond: `Z` for UTC, no offset for a local time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Utc(t) => f.pad(&t.to_rfc3339_opts(SecondsFormat::Millis, true)),
            Self::Local(t) => f.pad(&t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()),
        }
    }
}

/// A text that is neither RFC 3339 nor a local time without offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a log time (RFC 3339, or a local time without offset)")]
pub struct StampError(String);

impl FromStr for LogStamp {
    type Err = StampError;

    /// RFC 3339 with an offset is UTC; a time without offset is local.
    fn from_str(s: &str) -> Result<Self, StampError> {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Self::Utc(t.with_timezone(&Utc)));
        }
        NaiveDateTime::parse_from_str(s, LOCAL)
            .map(Self::Local)
            .map_err(|_| StampError(s.to_string()))
    }
}

impl Serialize for LogStamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LogStamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::super::time::{make, parse_offset};
    use super::*;

    #[test]
    fn utc_where_the_offset_is_known_local_otherwise() {
        let local = make(b"2009-06-10", 8, 19, 7, b"5629").unwrap();
        let utc = LogStamp::from(LogTime::with_offset(local, parse_offset(b"-0800").unwrap()));
        assert_eq!(utc.to_string(), "2009-06-10T16:19:07.562Z");
        let loc = LogStamp::from(LogTime::local(local));
        assert!(loc.is_local() && !utc.is_local());
        assert_eq!(loc.to_string(), "2009-06-10T08:19:07.562");
        for s in [utc, loc] {
            let json = serde_json::to_string(&s).unwrap();
            let back: LogStamp = serde_json::from_str(&json).unwrap();
            assert_eq!(back.to_string(), s.to_string());
            assert_eq!(back.is_local(), s.is_local());
        }
        assert!("not a time".parse::<LogStamp>().is_err());
    }
}
