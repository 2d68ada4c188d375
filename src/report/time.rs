//! One way to write dates and times for people, shared by the text
//! renderers and the words of findings.
//!
//! Every time is written `YYYY-MM-DD HH:MM:SS` and says what it is: `UTC`
//! (registry last-written times, and log times whose offset the log states,
//! followed by that offset: `2009-06-10 16:19:07 UTC (log at -08:00)`), or
//! `local time, offset unknown` on the value that is local. JSON keeps RFC 3339.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A time known in UTC: `2008-04-14 12:00:00 UTC`.
pub fn utc(t: DateTime<Utc>) -> String {
    format!("{} UTC", t.format(FORMAT))
}

/// A log time as the report carries it (RFC 3339 with `Z` or an offset when
/// UTC is known, else local time without offset), with the log's UTC offset
/// where known (`-08:00`). Text that is neither is returned as it is.
pub fn log(time: &str, offset: Option<&str>) -> String {
    match parse(time) {
        Some(LogStamp::Utc(t)) => match offset.and_then(|o| o.parse::<FixedOffset>().ok()) {
            Some(o) => format!("{} (log at {o})", utc(t)),
            None => utc(t),
        },
        Some(LogStamp::Local(t)) => format!("{} local time, offset unknown", t.format(FORMAT)),
        None => time.to_string(),
    }
}

/// A log time as read from a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStamp {
    /// A time in UTC.
    Utc(DateTime<Utc>),
    /// Local time of unknown offset.
    Local(NaiveDateTime),
}

/// Reads a report's log time: RFC 3339 is UTC, a time without offset is local.
pub fn parse(time: &str) -> Option<LogStamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(time) {
        return Some(LogStamp::Utc(t.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(LogStamp::Local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_carry_the_log_offset_and_local_times_say_so() {
        assert_eq!(
            log("2009-06-10T16:19:07.562Z", Some("-08:00")),
            "2009-06-10 16:19:07 UTC (log at -08:00)"
        );
        assert_eq!(
            log("2009-06-10T16:19:07.562Z", None),
            "2009-06-10 16:19:07 UTC"
        );
        assert_eq!(
            log("2009-06-10T08:19:07.562", Some("-08:00")),
            "2009-06-10 08:19:07 local time, offset unknown"
        );
        assert_eq!(log("not a time", None), "not a time");
        let t = DateTime::parse_from_rfc3339("2008-04-14T12:00:00Z").unwrap();
        assert_eq!(utc(t.with_timezone(&Utc)), "2008-04-14 12:00:00 UTC");
    }
}
