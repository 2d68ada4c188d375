//! Log timestamps: local wall-clock time, and UTC where the offset is known.
//!
//! JSON form: `{"time": "2021-08-27T21:37:48.216Z", "offset": "+05:30"}` when
//! the offset is known (the time is UTC), else
//! `{"time": "2021-08-28T03:07:48.216", "local": true}`.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp read from a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogTime {
    /// The wall-clock time as written in the log.
    pub local: NaiveDateTime,
    /// The UTC offset in force, when the log states it.
    pub offset: Option<FixedOffset>,
}

impl LogTime {
    /// A time whose offset is unknown.
    pub fn local(local: NaiveDateTime) -> Self {
        LogTime {
            local,
            offset: None,
        }
    }

    /// A time with a known UTC offset.
    pub fn with_offset(local: NaiveDateTime, offset: FixedOffset) -> Self {
        LogTime {
            local,
            offset: Some(offset),
        }
    }

    /// The time in UTC, when the offset is known.
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        let off = self.offset?;
        Some((self.local - chrono::Duration::seconds(off.local_minus_utc() as i64)).and_utc())
    }

    /// True when only the local wall-clock time is known.
    pub fn is_local(&self) -> bool {
        self.offset.is_none()
    }

    /// A value for ordering times within one log: UTC where known, else the
    /// local time taken as is.
    pub fn sort_key(&self) -> NaiveDateTime {
        self.utc().map(|u| u.naive_utc()).unwrap_or(self.local)
    }
}

impl fmt::Display for LogTime {
    /// RFC 3339 with `Z` when UTC is known, else the local time and ` (local)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.utc() {
            Some(u) => f.write_str(&u.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => write!(f, "{} (local)", self.local.format("%Y-%m-%dT%H:%M:%S%.f")),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Wire {
    time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    local: bool,
}

impl Serialize for LogTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let wire = match self.utc() {
            Some(u) => Wire {
                time: u.to_rfc3339_opts(SecondsFormat::AutoSi, true),
                offset: self.offset.map(|o| o.to_string()),
                local: false,
            },
            None => Wire {
                time: self.local.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
                offset: None,
                local: true,
            },
        };
        wire.serialize(s)
    }
}

impl<'de> Deserialize<'de> for LogTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = Wire::deserialize(d)?;
        if w.local {
            let local = NaiveDateTime::parse_from_str(&w.time, "%Y-%m-%dT%H:%M:%S%.f")
                .map_err(D::Error::custom)?;
            return Ok(LogTime::local(local));
        }
        let utc = DateTime::parse_from_rfc3339(&w.time).map_err(D::Error::custom)?;
        let offset = match w.offset {
            Some(o) => o.parse::<FixedOffset>().map_err(D::Error::custom)?,
            None => FixedOffset::east_opt(0).expect("zero offset"),
        };
        Ok(LogTime::with_offset(
            utc.with_timezone(&offset).naive_local(),
            offset,
        ))
    }
}

/// Parses `d` decimal digits at `s[..]`; `None` if any is not a digit.
#[inline]
pub(crate) fn digits(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as u32;
    }
    Some(v)
}

/// Builds a date-time from the date `YYYY?MM?DD` (10 bytes) and the parts
/// of the time. `frac` holds the fraction's digits (any count up to 9).
pub(crate) fn make(date: &[u8], h: u32, m: u32, s: u32, frac: &[u8]) -> Option<NaiveDateTime> {
    if date.len() != 10 {
        return None;
    }
    let y = digits(&date[0..4])? as i32;
    let mo = digits(&date[5..7])?;
    let d = digits(&date[8..10])?;
    let mut nanos = digits(frac.get(..frac.len().min(9))?)?;
    for _ in frac.len().min(9)..9 {
        nanos *= 10;
    }
    NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_nano_opt(h, m, s, nanos)
}

/// Parses a `+0530` / `-0800` offset.
pub(crate) fn parse_offset(s: &[u8]) -> Option<FixedOffset> {
    if s.len() != 5 {
        return None;
    }
    let sign = match s[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hh = digits(&s[1..3])? as i32;
    let mm = digits(&s[3..5])? as i32;
    if hh > 14 || mm > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hh * 3600 + mm * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_from_a_known_offset() {
        let local = make(b"2021-08-28", 11, 5, 7, b"920").unwrap();
        let t = LogTime::with_offset(local, parse_offset(b"+0530").unwrap());
        assert_eq!(t.to_string(), "2021-08-28T05:35:07.920Z");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"time":"2021-08-28T05:35:07.920Z","offset":"+05:30"}"#
        );
        assert_eq!(serde_json::from_str::<LogTime>(&json).unwrap(), t);
    }

    #[test]
    fn local_when_unknown() {
        let local = make(b"2024/04/11", 12, 48, 4, b"6269606").unwrap();
        let t = LogTime::local(local);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"time":"2024-04-11T12:48:04.626960600","local":true}"#
        );
        assert_eq!(serde_json::from_str::<LogTime>(&json).unwrap(), t);
        assert!(t.utc().is_none());
    }

    #[test]
    fn bad_parts_are_none() {
        assert!(make(b"Date", 0, 0, 0, b"").is_none());
        assert!(make(b"2021-13-01", 0, 0, 0, b"0").is_none());
        assert!(make(b"2021-02-01", 24, 0, 0, b"0").is_none());
        assert!(parse_offset(b"0530").is_none());
    }
}
