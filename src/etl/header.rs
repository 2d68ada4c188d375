//! The trace's own header: the first record of the first buffer, a system
//! trace record (group 0, type 0) whose payload is `TRACE_LOGFILE_HEADER`.

use chrono::{DateTime, Utc};

use super::bytes::{u32_at, u64_at};

/// What the file says about itself, and how to turn event timestamps into UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceHeader {
    /// Size of each buffer, as the header states it.
    pub buffer_size: u32,
    /// `BuffersWritten`: 0 in files copied while the session ran.
    pub buffers_written: u32,
    /// Pointer size of the machine that wrote the trace (4 or 8).
    pub pointer_size: u32,
    /// Events the session lost, as the header states it.
    pub events_lost: u32,
    /// Buffers the session lost, as the header states it.
    pub buffers_lost: u32,
    /// The Windows build (`ProviderVersion`).
    pub build: u32,
    /// How event timestamps become UTC.
    pub clock: Clock,
}

/// Timestamp clock of a trace (`ReservedFlags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// A counter of `freq` ticks a second: `start_utc` (FILETIME) is the
    /// time at tick `start_ticks`.
    Counter {
        /// Ticks a second.
        freq: u64,
        /// The counter's value at `start_utc`.
        start_ticks: u64,
        /// A FILETIME: the trace's start.
        start_utc: u64,
    },
    /// Timestamps are FILETIMEs.
    SystemTime,
}

/// FILETIME ticks between 1601-01-01 and 1970-01-01.
const EPOCH_DIFF: i64 = 116_444_736_000_000_000;

/// A FILETIME (100 ns since 1601) as UTC; `None` outside chrono's range or zero.
pub fn filetime(ft: u64) -> Option<DateTime<Utc>> {
    if ft == 0 {
        return None;
    }
    let since_unix = i64::try_from(ft).ok()?.checked_sub(EPOCH_DIFF)?;
    DateTime::from_timestamp(
        since_unix.div_euclid(10_000_000),
        (since_unix.rem_euclid(10_000_000) * 100) as u32,
    )
}

impl Clock {
    /// The UTC time of an event timestamp.
    pub fn utc(&self, ts: u64) -> Option<DateTime<Utc>> {
        match *self {
            Clock::SystemTime => filetime(ts),
            Clock::Counter {
                freq,
                start_ticks,
                start_utc,
            } => {
                if freq == 0 {
                    return None;
                }
                let delta = ts as i128 - start_ticks as i128;
                let ft = start_utc as i128 + delta * 10_000_000 / freq as i128;
                filetime(u64::try_from(ft).ok()?)
            }
        }
    }
}

impl TraceHeader {
    /// Parses the payload of the header record; `record_ts` is that
    /// record's timestamp (the counter value at `StartTime`).
    pub fn parse(mof: &[u8], record_ts: u64) -> Option<TraceHeader> {
        let pointer_size = match u32_at(mof, 44)? {
            4 => 4,
            _ => 8,
        };
        // TIME_ZONE_INFORMATION (172 bytes) after the two name pointers,
        // then 8-byte alignment.
        let tz = 56 + 2 * pointer_size as usize;
        let boot = (tz + 172 + 7) & !7;
        let perf_freq = u64_at(mof, boot + 8)?;
        let start_time = u64_at(mof, boot + 16)?;
        let reserved_flags = u32_at(mof, boot + 24)?;
        let cpu_mhz = u32_at(mof, 52)? as u64;
        let clock = match reserved_flags {
            2 => Clock::SystemTime,
            3 => Clock::Counter {
                freq: cpu_mhz * 1_000_000,
                start_ticks: record_ts,
                start_utc: start_time,
            },
            _ => Clock::Counter {
                freq: perf_freq,
                start_ticks: record_ts,
                start_utc: start_time,
            },
        };
        Some(TraceHeader {
            buffer_size: u32_at(mof, 0)?,
            buffers_written: u32_at(mof, 36)?,
            pointer_size,
            events_lost: u32_at(mof, 48)?,
            buffers_lost: u32_at(mof, boot + 28)?,
            build: u32_at(mof, 8)?,
            clock,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes() {
        assert_eq!(
            filetime(EPOCH_DIFF as u64).unwrap().to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(filetime(0), None);
        assert_eq!(filetime(u64::MAX), None);
    }

    #[test]
    fn counter_clock() {
        let c = Clock::Counter {
            freq: 10_000_000,
            start_ticks: 100,
            start_utc: EPOCH_DIFF as u64,
        };
        assert_eq!(c.utc(100 + 10_000_000).unwrap().timestamp(), 1);
        assert_eq!(c.utc(0).unwrap().timestamp_nanos_opt(), Some(-10_000));
        let z = Clock::Counter {
            freq: 0,
            start_ticks: 0,
            start_utc: 0,
        };
        assert_eq!(z.utc(5), None);
    }
}
