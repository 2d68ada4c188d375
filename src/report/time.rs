//! One way to write dates and times for people, shared by the text
//! renderers and the words of findings.
//!
//! Every time is written `YYYY-MM-DD HH:MM:SS` and says what it is: `UTC`
//! (registry last-written times, and log times whose offset the log states,
//! followed by that offset: `2009-06-10 16:19:07 UTC (log at -08:00)`), or
//! `local time, offset unknown` on the value that is local. JSON keeps RFC 3339
//! (see [`LogStamp`]).

use chrono::{DateTime, FixedOffset, Utc};

pub use crate::wulog::LogStamp;

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A time known in UTC: `2008-04-14 12:00:00 UTC`.
pub fn utc(t: DateTime<Utc>) -> String {
    format!("{} UTC", t.format(FORMAT))
}

/// A log time, with the log's UTC offset where known (`-08:00`).
pub fn log(time: LogStamp, offset: Option<FixedOffset>) -> String {
    match time {
        LogStamp::Utc(t) => match offset {
            Some(o) => format!("{} (log at {o})", utc(t)),
            None => utc(t),
        },
        LogStamp::Local(t) => format!("{} local time, offset unknown", t.format(FORMAT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_carry_the_log_offset_and_local_times_say_so() {
        let stamp = |s: &str| s.parse::<LogStamp>().unwrap();
        let offset = "-08:00".parse::<FixedOffset>().ok();
        assert_eq!(
            log(stamp("2009-06-10T16:19:07.562Z"), offset),
            "2009-06-10 16:19:07 UTC (log at -08:00)"
        );
        assert_eq!(
            log(stamp("2009-06-10T16:19:07.562Z"), None),
            "2009-06-10 16:19:07 UTC"
        );
        assert_eq!(
            log(stamp("2009-06-10T08:19:07.562"), offset),
            "2009-06-10 08:19:07 local time, offset unknown"
        );
        let t = DateTime::parse_from_rfc3339("2008-04-14T12:00:00Z").unwrap();
        assert_eq!(utc(t.with_timezone(&Utc)), "2008-04-14 12:00:00 UTC");
    }
}
