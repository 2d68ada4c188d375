//! Log formats and the parsed head of a line, shared by the format readers.

use std::fmt;

use chrono::{FixedOffset, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{classic, reporting, win10};

/// The format of a log file, decided from its first parseable line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    /// Windows 2000 … 8.1 WindowsUpdate.log (tab- or space-separated).
    Classic,
    /// `Get-WindowsUpdateLog` output (Windows 10 and later).
    Win10,
    /// `%windir%\SoftwareDistribution\ReportingEvents.log`.
    ReportingEvents,
    /// An ETL trace (WUTraceLogging, SIH, WaaSMedic), read by `crate::eventlog`.
    Etl,
    /// An EVTX event log (WindowsUpdateClient events), read by `crate::eventlog`.
    Evtx,
    /// An XP/2003 `.evt` event log (Windows Update Agent), read by `crate::eventlog`.
    Evt,
    /// No line could be parsed.
    Unknown,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Classic => "classic",
            LogFormat::Win10 => "win10",
            LogFormat::ReportingEvents => "reporting-events",
            LogFormat::Etl => "etl",
            LogFormat::Evtx => "evtx",
            LogFormat::Evt => "evt",
            LogFormat::Unknown => "unknown",
        }
    }

    /// Parses `line` in this format (`Unknown` parses nothing).
    #[inline]
    pub(crate) fn parse(self, line: &[u8]) -> Option<Head<'_>> {
        match self {
            LogFormat::Classic => classic::parse(line),
            LogFormat::Win10 => win10::parse(line),
            LogFormat::ReportingEvents => reporting::parse(line),
            LogFormat::Etl | LogFormat::Evtx | LogFormat::Evt | LogFormat::Unknown => None,
        }
    }

    /// Detection: the first format that parses `line`.
    pub(crate) fn detect(line: &[u8]) -> Option<(LogFormat, Head<'_>)> {
        [
            LogFormat::Classic,
            LogFormat::Win10,
            LogFormat::ReportingEvents,
        ]
        .into_iter()
        .find_map(|f| f.parse(line).map(|h| (f, h)))
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The structured head of a parsed line. The timestamp stays raw until
/// somebody needs it (the hot path only keeps it for a few lines).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head<'a> {
    pub stamp: RawStamp<'a>,
    pub pid: Option<u32>,
    pub tid: Option<u32>,
    pub component: &'a [u8],
    pub text: &'a [u8],
    /// ReportingEvents: the HRESULT field and whether the event failed.
    pub reported: Option<(u32, bool)>,
}

/// A timestamp as written: date (10 bytes), hour, minute, second, fraction
/// digits, and the offset written on the line itself (ReportingEvents).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawStamp<'a> {
    pub date: &'a [u8],
    pub hms: (u32, u32, u32),
    pub frac: &'a [u8],
    pub offset: Option<FixedOffset>,
}

impl RawStamp<'_> {
    pub fn naive(&self) -> Option<NaiveDateTime> {
        let (h, m, s) = self.hms;
        super::time::make(self.date, h, m, s, self.frac)
    }

    /// Copies the stamp out of the line buffer (cheap: it runs per line).
    #[inline]
    pub fn to_owned(self) -> OwnedStamp {
        let mut date = [0u8; 10];
        date.copy_from_slice(&self.date[..10]);
        OwnedStamp {
            date,
            frac: self.frac.len().min(9) as u8,
            frac_digits: {
                let mut f = [b'0'; 9];
                for (d, s) in f.iter_mut().zip(self.frac) {
                    *d = *s;
                }
                f
            },
            hms: self.hms,
            offset: self.offset,
        }
    }
}

/// A `RawStamp` that does not borrow the line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OwnedStamp {
    date: [u8; 10],
    frac: u8,
    frac_digits: [u8; 9],
    hms: (u32, u32, u32),
    offset: Option<FixedOffset>,
}

impl OwnedStamp {
    pub fn as_raw(&self) -> RawStamp<'_> {
        RawStamp {
            date: &self.date,
            hms: self.hms,
            frac: &self.frac_digits[..self.frac as usize],
            offset: self.offset,
        }
    }
}

/// Helpers for the line readers.
pub(crate) mod scan {
    /// Index of the first byte at or after `i` that is not a space or tab.
    #[inline]
    pub fn skip_ws(s: &[u8], mut i: usize) -> usize {
        while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
            i += 1;
        }
        i
    }

    /// Index of the first space or tab at or after `i` (or the end).
    #[inline]
    pub fn to_ws(s: &[u8], mut i: usize) -> usize {
        while i < s.len() && s[i] != b' ' && s[i] != b'\t' {
            i += 1;
        }
        i
    }

    /// A decimal number at `i`: (value, end). At least one digit, at most 10.
    #[inline]
    pub fn dec(s: &[u8], i: usize) -> Option<(u32, usize)> {
        let mut v: u64 = 0;
        let mut j = i;
        while j < s.len() && s[j].is_ascii_digit() {
            v = v * 10 + (s[j] - b'0') as u64;
            j += 1;
            if j - i > 10 {
                return None;
            }
        }
        if j == i || v > u32::MAX as u64 {
            return None;
        }
        Some((v as u32, j))
    }

    /// A hex number at `i` without `0x`: (value, end). 1 to 8 digits.
    #[inline]
    pub fn hex(s: &[u8], i: usize) -> Option<(u32, usize)> {
        let mut v: u32 = 0;
        let mut j = i;
        while j < s.len() {
            let b = s[j];
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => break,
            };
            if j - i == 8 {
                return None;
            }
            v = (v << 4) | d as u32;
            j += 1;
        }
        (j > i).then_some((v, j))
    }

    /// `YYYY<sep>MM<sep>DD` with `sep` one of `seps`, at the start of `s`.
    #[inline]
    pub fn date(s: &[u8], seps: &[u8]) -> bool {
        s.len() >= 10
            && s[..4].iter().all(u8::is_ascii_digit)
            && seps.contains(&s[4])
            && s[7] == s[4]
            && s[5].is_ascii_digit()
            && s[6].is_ascii_digit()
            && s[8].is_ascii_digit()
            && s[9].is_ascii_digit()
    }

    /// `HH:MM:SS` at `i`: the three numbers (range-checked).
    #[inline]
    pub fn hms(s: &[u8], i: usize) -> Option<(u32, u32, u32)> {
        let t = s.get(i..i + 8)?;
        if t[2] != b':' || t[5] != b':' {
            return None;
        }
        let h = super::super::time::digits(&t[0..2])?;
        let m = super::super::time::digits(&t[3..5])?;
        let sec = super::super::time::digits(&t[6..8])?;
        (h < 24 && m < 60 && sec < 61).then_some((h, m, sec))
    }
}
