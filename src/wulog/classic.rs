//! Classic WindowsUpdate.log lines (Windows 2000 … 8.1):
//! `YYYY-MM-DD<TAB>HH:MM:SS:mmm<TAB>PID<TAB>TID<TAB>Component<TAB>text`.
//!
//! PID is decimal (right-aligned, so it may start with spaces), TID is hex
//! without `0x`. The text may itself hold tabs (`REPORT EVENT:` lines): only
//! the first five separators split. Excerpts copied from web pages have runs
//! of spaces instead of tabs; those are accepted too.

use super::head::{scan, Head, RawStamp};

/// Parses one classic line (without its line end).
#[inline]
pub(crate) fn parse(s: &[u8]) -> Option<Head<'_>> {
    if s.len() >= 30 && s[10] == b'\t' && s[23] == b'\t' {
        if let Some(h) = parse_tabbed(s) {
            return Some(h);
        }
    }
    parse_general(s)
}

/// `u64` with byte `b` in each position where `mask` has `0xFF`.
const fn bytes(mask: u64, b: u8) -> u64 {
    mask & (0x0101_0101_0101_0101 * b as u64)
}

/// Whether all bytes of `w` under `mask` are ASCII digits.
#[inline(always)]
fn digits_at(w: u64, mask: u64) -> bool {
    let v = w & mask;
    v & bytes(mask, 0xF0) == bytes(mask, 0x30)
        && (v + bytes(mask, 0x06)) & bytes(mask, 0xF0) == bytes(mask, 0x30)
}

#[inline(always)]
fn load(s: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"))
}

/// The common case: real tabs, so the date and time sit at fixed columns:
/// `YYYY-MM-DD\tHH:MM:SS:mmm\t` is checked as three 8-byte words.
#[inline(always)]
fn parse_tabbed(s: &[u8]) -> Option<Head<'_>> {
    // Little-endian: byte k of a word is bits 8k..8k+8.
    // Bytes 0..8 "YYYY-MM-": digits at 0-3, 5-6; '-' at 4, 7.
    const D0: u64 = 0x00FF_FF00_FFFF_FFFF;
    const S0: (u64, u64) = (0xFF00_00FF_0000_0000, 0x2D00_002D_0000_0000);
    // Bytes 8..16 "DD\tHH:MM": digits at 8-9, 11-12, 14-15; tab at 10, ':' at 13.
    const D1: u64 = 0xFFFF_00FF_FF00_FFFF;
    const S1: (u64, u64) = (0x0000_FF00_00FF_0000, 0x0000_3A00_0009_0000);
    // Bytes 16..24 ":SS:mmm\t": digits at 17-18, 20-22; ':' at 16, 19; tab at 23.
    const D2: u64 = 0x00FF_FFFF_00FF_FF00;
    const S2: (u64, u64) = (0xFF00_0000_FF00_00FF, 0x0900_0000_3A00_003A);
    let (w0, w1, w2) = (load(s, 0), load(s, 8), load(s, 16));
    if !(digits_at(w0, D0)
        && w0 & S0.0 == S0.1
        && digits_at(w1, D1)
        && w1 & S1.0 == S1.1
        && digits_at(w2, D2)
        && w2 & S2.0 == S2.1)
    {
        return None;
    }
    let two = |i: usize| (s[i] - b'0') as u32 * 10 + (s[i + 1] - b'0') as u32;
    let (h, m, sec) = (two(11), two(14), two(17));
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let (pid, tid, c0, i) = columns(s)?;
    let text = match s.get(i) {
        None => &s[i..],
        Some(b'\t') => &s[i + 1..],
        Some(_) => &s[scan::skip_ws(s, i)..],
    };
    Some(Head {
        stamp: RawStamp {
            date: &s[..10],
            hms: (h, m, sec),
            frac: &s[20..23],
            offset: None,
        },
        pid: Some(pid),
        tid: Some(tid),
        component: &s[c0..i],
        text,
        reported: None,
    })
}

/// PID, TID, and the start and end of the component, after the fixed
/// 24-byte date and time. `None` when the line does not fit.
#[inline(always)]
fn columns(s: &[u8]) -> Option<(u32, u32, usize, usize)> {
    #[cfg(target_arch = "x86_64")]
    if s.len() >= 24 + 16 {
        if let Some(r) = columns_sse2(s) {
            return Some(r);
        }
    }
    columns_scalar(s)
}

/// Masks of 16 bytes at `s[24..40]`: tabs, spaces, digits, hex digits.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks16(s: &[u8]) -> (u32, u32, u32, u32) {
    use std::arch::x86_64::*;
    let p = &s[24..40];
    // SAFETY: SSE2 is part of the x86_64 baseline; `p` has 16 bytes.
    unsafe {
        let v = _mm_loadu_si128(p.as_ptr() as *const __m128i);
        let l = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let tab = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\t' as i8))) as u32;
        let sp = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8))) as u32;
        let dig = _mm_and_si128(
            _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
            _mm_cmpgt_epi8(_mm_set1_epi8(b'9' as i8 + 1), v),
        );
        let alpha = _mm_and_si128(
            _mm_cmpgt_epi8(l, _mm_set1_epi8(b'a' as i8 - 1)),
            _mm_cmpgt_epi8(_mm_set1_epi8(b'f' as i8 + 1), l),
        );
        let d = _mm_movemask_epi8(dig) as u32;
        let h = _mm_movemask_epi8(_mm_or_si128(dig, alpha)) as u32;
        (tab, sp, d, h)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn columns_sse2(s: &[u8]) -> Option<(u32, u32, usize, usize)> {
    let (tab, sp, dig, hex) = masks16(s);
    let ones = |from: u32, to: u32| ((1u32 << to) - 1) & !((1u32 << from) - 1);
    // PID: spaces, then 1..=10 digits (a DWORD), then a tab.
    let t1 = tab.trailing_zeros();
    if t1 >= 16 {
        return None;
    }
    let lead = (!sp).trailing_zeros();
    if lead >= t1 || t1 - lead > 10 || dig & ones(lead, t1) != ones(lead, t1) {
        return None;
    }
    // TID: 1..=8 hex digits, then a tab.
    let t2 = (tab & !((2u32 << t1) - 1)).trailing_zeros();
    if t2 >= 16 || t2 == t1 + 1 || t2 - t1 - 1 > 8 || hex & ones(t1 + 1, t2) != ones(t1 + 1, t2) {
        return None;
    }
    // Component: up to the next tab or space.
    let ws = (tab | sp) & !((2u32 << t2) - 1);
    let mut ce = ws.trailing_zeros() as usize;
    if ce >= 16 {
        // A long component: find its end beyond the 16 bytes.
        ce = 16;
        while 24 + ce < s.len() && s[24 + ce] != b'\t' && s[24 + ce] != b' ' {
            ce += 1;
        }
    }
    // An empty component (also one cut by the end of the line).
    if ce == t2 as usize + 1 {
        return None;
    }
    let mut pid = 0u32;
    for &b in &s[24 + lead as usize..24 + t1 as usize] {
        pid = pid.wrapping_mul(10).wrapping_add((b - b'0') as u32);
    }
    let mut tid = 0u32;
    for &b in &s[25 + t1 as usize..24 + t2 as usize] {
        // Checked hex digits: '0'-'9' → 0-9, 'a'-'f'/'A'-'F' → 10-15.
        tid = (tid << 4) | ((b & 0x0F) + 9 * (b >> 6)) as u32;
    }
    Some((pid, tid, 25 + t2 as usize, 24 + ce))
}

#[inline]
fn columns_scalar(s: &[u8]) -> Option<(u32, u32, usize, usize)> {
    // PID: right-aligned decimal.
    let mut i = 24;
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    let p0 = i;
    let mut pid: u32 = 0;
    while i < s.len() && s[i].is_ascii_digit() && i - p0 < 10 {
        pid = pid.wrapping_mul(10).wrapping_add((s[i] - b'0') as u32);
        i += 1;
    }
    if i == p0 || s.get(i) != Some(&b'\t') {
        return None;
    }
    i += 1;
    let t0 = i;
    let mut tid: u32 = 0;
    while i < s.len() && i - t0 < 8 {
        let d = match s[i] {
            b @ b'0'..=b'9' => b - b'0',
            b @ b'a'..=b'f' => b - b'a' + 10,
            b @ b'A'..=b'F' => b - b'A' + 10,
            _ => break,
        };
        tid = (tid << 4) | d as u32;
        i += 1;
    }
    if i == t0 || s.get(i) != Some(&b'\t') {
        return None;
    }
    i += 1;
    let c0 = i;
    while i < s.len() && s[i] != b'\t' && s[i] != b' ' {
        i += 1;
    }
    if i == c0 {
        return None;
    }
    Some((pid, tid, c0, i))
}

/// Any separator runs (tabs or spaces).
fn parse_general(s: &[u8]) -> Option<Head<'_>> {
    if !scan::date(s, b"-") {
        return None;
    }
    let i = sep(s, 10)?;
    let hms = scan::hms(s, i)?;
    if s.get(i + 8) != Some(&b':') {
        return None;
    }
    let frac = s.get(i + 9..i + 12)?;
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i = sep(s, i + 12)?;
    let (pid, e) = scan::dec(s, i)?;
    let i = sep(s, e)?;
    let (tid, e) = scan::hex(s, i)?;
    let i = sep(s, e)?;
    let ce = scan::to_ws(s, i);
    let text = match s.get(ce) {
        None => &s[ce..],
        Some(b'\t') => &s[ce + 1..],
        Some(_) => &s[scan::skip_ws(s, ce)..],
    };
    Some(Head {
        stamp: RawStamp {
            date: &s[..10],
            hms,
            frac,
            offset: None,
        },
        pid: Some(pid),
        tid: Some(tid),
        component: &s[i..ce],
        text,
        reported: None,
    })
}

/// At `i` there must be at least one space or tab; returns the index after them.
#[inline]
fn sep(s: &[u8], i: usize) -> Option<usize> {
    let j = scan::skip_ws(s, i);
    (j > i && j < s.len()).then_some(j)
}

/// The `tz: -0800` of a `Logging initialized (build: …, tz: -0800)` banner.
pub(crate) fn banner_offset(text: &[u8]) -> Option<chrono::FixedOffset> {
    let t = text.trim_ascii_start();
    if !t.starts_with(b"====") || t.get(13..32) != Some(b"Logging initialized") {
        return None;
    }
    let at = t.windows(4).position(|w| w == b"tz: ")? + 4;
    super::time::parse_offset(t.get(at..at + 5)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns after the date and time, shaped like a PID, a TID and a
    /// component but of any length, with what makes the two paths branch:
    /// leading spaces, digits, hex letters, tabs or spaces as separators,
    /// other bytes.
    #[cfg(target_arch = "x86_64")]
    fn columns_tail() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let run = |alphabet: &'static [u8], max: usize| {
            proptest::collection::vec(proptest::sample::select(alphabet.to_vec()), 0..max)
        };
        let sep = proptest::sample::select(b"\t\t\t x".to_vec());
        (
            run(b" ", 5),
            run(b"0123456789", 17),
            sep.clone(),
            run(b"0123456789abcdefABCDEFg", 11),
            sep,
            proptest::collection::vec(any::<u8>(), 0..24),
        )
            .prop_map(|(lead, pid, s1, tid, s2, rest)| {
                let mut v = lead;
                v.extend(pid);
                v.push(s1);
                v.extend(tid);
                v.push(s2);
                v.extend(rest);
                v
            })
    }

    /// The two lines on which the SSE2 path once read columns the scalar
    /// path refuses: an 11-digit PID (more than a DWORD), and an empty
    /// component cut by the end of the line.
    #[test]
    fn sse2_refuses_what_scalar_refuses() {
        for tail in [&b"00000000000\t0\t\0\0"[..], b" 00000\t00000000\t"] {
            let mut line = b"2017-03-18\t19:06:43:471\t".to_vec();
            line.extend_from_slice(tail);
            assert_eq!(columns_scalar(&line), None);
            #[cfg(target_arch = "x86_64")]
            assert_eq!(columns_sse2(&line), None);
        }
    }

    #[cfg(target_arch = "x86_64")]
    proptest::proptest! {
        /// Where the SSE2 path reads the columns, it reads what the scalar
        /// path reads (it may decline and leave the line to the scalar path).
        #[test]
        fn sse2_columns_agree_with_scalar(tail in columns_tail()) {
            let mut line = b"2017-03-18\t19:06:43:471\t".to_vec();
            line.extend_from_slice(&tail);
            if line.len() >= 24 + 16 {
                if let Some(fast) = columns_sse2(&line) {
                    proptest::prop_assert_eq!(Some(fast), columns_scalar(&line));
                }
            }
        }
    }

    #[test]
    fn tab_separated_with_tabs_in_text() {
        let l =
            b"2008-02-14\t03:17:00:970\t1172\t69e8\tReport\tREPORT EVENT: {5799}\t2008-02-14\t1";
        let h = parse(l).unwrap();
        assert_eq!(h.pid, Some(1172));
        assert_eq!(h.tid, Some(0x69e8));
        assert_eq!(h.component, b"Report");
        assert_eq!(h.text, b"REPORT EVENT: {5799}\t2008-02-14\t1");
        assert_eq!(
            h.stamp.naive().unwrap().to_string(),
            "2008-02-14 03:17:00.970"
        );
    }

    #[test]
    fn right_aligned_pid_and_indented_text() {
        let h = parse(b"2016-09-08\t10:48:19:500\t 848\t604\tAgent\t  * Online = Yes").unwrap();
        assert_eq!(h.pid, Some(848));
        assert_eq!(h.text, b"  * Online = Yes");
    }

    #[test]
    fn fast_and_general_paths_agree() {
        for l in [
            &b"2017-03-18\t19:06:43:471\t 952\t5B4\tDownloadManagerX\tWARNING: long enough text"[..],
            b"2017-03-18\t19:06:43:471\t12345\tabcdef01\tAU\tx",
            b"2017-03-18\t19:06:43:471\t1\t2\tC\t",
        ] {
            let a = parse(l).unwrap();
            let b = parse_general(l).unwrap();
            assert_eq!(
                (a.pid, a.tid, a.component, a.text),
                (b.pid, b.tid, b.component, b.text)
            );
        }
        let h =
            parse(b"2017-03-18\t19:06:43:471\t 952\t5B4\tDownloadManagerX\tWARNING: long").unwrap();
        assert_eq!(
            (h.pid, h.tid, h.component),
            (Some(952), Some(0x5b4), &b"DownloadManagerX"[..])
        );
        // Bad TID digit, bad hour: rejected by both paths.
        assert!(
            parse(b"2017-03-18\t19:06:43:471\t 952\t5G4\tAgent\tWARNING: long enough").is_none()
        );
        assert!(
            parse(b"2017-03-18\t24:06:43:471\t 952\t5b4\tAgent\tWARNING: long enough").is_none()
        );
    }

    #[test]
    fn spaces_instead_of_tabs() {
        let h = parse(b"2010-01-05 18:52:06:747 808 aac Agent * WARNING: Exit code = 0x8024402C")
            .unwrap();
        assert_eq!(h.tid, Some(0xaac));
        assert_eq!(h.component, b"Agent");
        assert_eq!(h.text, b"* WARNING: Exit code = 0x8024402C");
    }

    #[test]
    fn rejects_other_shapes() {
        assert!(parse(b"Date\tTime\t3096\tc1c\tCOMAPI\tWARNING").is_none());
        assert!(parse(b"2024/04/11 12:48:04.6269606 1980  8444  Agent  x").is_none());
        assert!(parse(b"2024-04-11 12:48:04.6269606 1980  8444  Agent  x").is_none());
        assert!(parse(b"2021-08-28\t03:07:48:216\t 648").is_none());
    }

    #[test]
    fn banner() {
        let t = b"===========  Logging initialized (build: 7.6.7600.256, tz: -0500)  ===========";
        assert_eq!(banner_offset(t).unwrap().local_minus_utc(), -5 * 3600);
        assert!(banner_offset(b"tz: -0500").is_none());
    }
}
