//! Finding the HRESULTs a log line reports.
//!
//! Rules (all case-insensitive):
//! - `0x` + 8 hex digits with the severity bit set (`0x8…`–`0xF…`) is a
//!   code wherever it stands, e.g. `re-registration 0x80070002`.
//! - `0x` + 1–8 hex digits otherwise (`Exit code = 0x240001`) is a code only
//!   after a trigger word.
//! - A bare run of exactly 8 hex digits (`hr=8024A000`, `*FAILED* [8024000E]`)
//!   is a code only after a trigger word.
//! - Trigger words, separated from the number by spaces, `=`, `:`, `[`, `(`
//!   or `,`: `hr`, `hresult`, `error`, `err`, `failed`, `*FAILED*`,
//!   `returned`, `result`, `code`, and `failed with`. (`Status: 0x…` is not
//!   one, and a `0x` number right after `Status` is never a code, even
//!   with the severity bit set: driver lines print device status flags
//!   that way.)
//! - A run touching letters, digits, `_`, `-`, `{`, `}`, `\`, `/` or a
//!   following `.digit` is part of a GUID, an update ID (`{…}.101`), a path,
//!   a hash or another identifier, and is not a code.
//! - Zero (S_OK) is never reported. A line reports each code once.
//!
//! The scan is built for speed: `0x` is found with `memchr2`, bare runs with
//! a skip search that probes every 8th byte.

use memchr::memchr2_iter;

use super::codes::Hresult;
use super::hexclass::{glued_after, glues_before, hex_val, is_hex};

/// Appends to `out` the codes `text` reports, in order of first appearance,
/// skipping codes `out` already holds (so a line reports each code once).
pub fn extract(text: &[u8], out: &mut Vec<Hresult>) {
    let mut seen = Seen(None);
    // `0x` spellings.
    for x in memchr2_iter(b'x', b'X', text) {
        if x == 0 || text[x - 1] != b'0' || (x >= 2 && glues_before(text[x - 2])) {
            continue;
        }
        let start = x + 1;
        let mut end = start;
        while end < text.len() && end - start <= 8 && is_hex(text[end]) {
            end += 1;
        }
        let len = end - start;
        if len == 0 || len > 8 || glued_after(&text[end..]) {
            continue;
        }
        let v = text[start..end]
            .iter()
            .fold(0u32, |a, &b| (a << 4) | hex_val(b));
        if v == 0 {
            continue;
        }
        let before = &text[..x - 1];
        if after_status(before) {
            // `Status: 0x…`: device status flags, never a code.
            continue;
        }
        if (len == 8 && v & 0x8000_0000 != 0) || has_trigger(before) {
            seen.push(out, Hresult(v));
        }
    }
    // Bare 8-digit runs.
    let n = text.len();
    let mut i = 7;
    while i < n {
        if !is_hex(text[i]) {
            i += 8;
            continue;
        }
        let mut start = i;
        while start > 0 && is_hex(text[start - 1]) && i - start < 8 {
            start -= 1;
        }
        let mut end = i + 1;
        while end < n && is_hex(text[end]) {
            end += 1;
        }
        let next = end + 8;
        if end - start == 8
            && (start == 0
                || !glues_before(text[start - 1]) && !matches!(text[start - 1], b'x' | b'X'))
            && !glued_after(&text[end..])
        {
            let v = text[start..end]
                .iter()
                .fold(0u32, |a, &b| (a << 4) | hex_val(b));
            if v != 0 && has_trigger(&text[..start]) {
                seen.push(out, Hresult(v));
            }
        }
        i = next;
    }
}

/// Convenience: the codes of `text` as a new vector.
pub fn extract_vec(text: &[u8]) -> Vec<Hresult> {
    let mut v = Vec::new();
    extract(text, &mut v);
    v
}

/// The codes a line already reports: a linear search while there are
/// few (nearly every line), a set once there are many, so a line holding
/// thousands of codes costs linear time.
struct Seen(Option<std::collections::HashSet<Hresult>>);

impl Seen {
    const LINEAR: usize = 16;

    #[inline]
    fn push(&mut self, out: &mut Vec<Hresult>, h: Hresult) {
        let new = match &mut self.0 {
            Some(set) => set.insert(h),
            None if out.len() < Self::LINEAR => !out.contains(&h),
            None => {
                let mut set: std::collections::HashSet<Hresult> = out.iter().copied().collect();
                let new = set.insert(h);
                self.0 = Some(set);
                new
            }
        };
        if new {
            out.push(h);
        }
    }
}

/// Whether `before` (the text up to the number) ends with the word
/// `Status` and separators: driver and PnP lines print device status flags
/// that way (`Device instance … Status: 0x80240020, problem 0`).
fn after_status(before: &[u8]) -> bool {
    let rest = skip_back(before, |b| matches!(b, b' ' | b'\t' | b'=' | b':'));
    let (word, _) = last_word(rest);
    word.eq_ignore_ascii_case(b"status")
}

/// Whether `before` (the text up to the number) ends with a trigger word.
fn has_trigger(before: &[u8]) -> bool {
    let rest = skip_back(before, |b| {
        matches!(b, b' ' | b'\t' | b'=' | b':' | b'[' | b'(' | b',')
    });
    if rest.len() == before.len() && !before.is_empty() {
        // Some separator is required unless the word touches `0x` directly,
        // which `glues_before` already rejected.
        return false;
    }
    let (word, rest) = last_word(rest);
    if word.is_empty() || word.len() > 10 {
        return false;
    }
    let mut lower = [0u8; 10];
    for (d, s) in lower.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    let w = trim_stars(&lower[..word.len()]);
    match w {
        b"hr" | b"hresult" | b"error" | b"err" | b"failed" | b"returned" | b"result" | b"code" => {
            true
        }
        b"with" => {
            let rest = skip_back(rest, |b| b == b' ');
            let (prev, _) = last_word(rest);
            prev.eq_ignore_ascii_case(b"failed") || prev.eq_ignore_ascii_case(b"fails")
        }
        _ => false,
    }
}

fn skip_back(s: &[u8], sep: impl Fn(u8) -> bool) -> &[u8] {
    let mut end = s.len();
    while end > 0 && sep(s[end - 1]) {
        end -= 1;
    }
    &s[..end]
}

/// The trailing run of letters and `*` of `s`, and what comes before it.
fn last_word(s: &[u8]) -> (&[u8], &[u8]) {
    let mut start = s.len();
    while start > 0 && (s[start - 1].is_ascii_alphabetic() || s[start - 1] == b'*') {
        start -= 1;
    }
    (&s[start..], &s[..start])
}

fn trim_stars(mut w: &[u8]) -> &[u8] {
    while let [b'*', rest @ ..] = w {
        w = rest;
    }
    while let [rest @ .., b'*'] = w {
        w = rest;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        let v: Vec<u32> = extract_vec(s.as_bytes()).into_iter().map(|h| h.0).collect();
        // Whatever `extract` finds, `candidates` must flag.
        let (mut zx, mut runs) = (Vec::new(), Vec::new());
        crate::wulog::hexscan::candidates(s.as_bytes(), &mut zx, &mut runs);
        assert!(v.is_empty() || !zx.is_empty() || !runs.is_empty(), "{s}");
        v
    }

    #[test]
    fn every_spelling_from_real_logs() {
        assert_eq!(
            codes("WARNING: Failed to reboot system, hr=8007045B."),
            [0x8007045B]
        );
        assert_eq!(
            codes("UpdateNow for accelerated install failed with hr:80070005"),
            [0x80070005]
        );
        assert_eq!(
            codes("SendRequest failed with hr = 80072efe. Proxy List used"),
            [0x80072EFE]
        );
        assert_eq!(codes("Unable to listen (hr=0X80070005)"), [0x80070005]);
        assert_eq!(codes("MakeRequest failed. error 0x8024402c"), [0x8024402C]);
        assert_eq!(
            codes("RebootSystem failed, error = 0x8007045B"),
            [0x8007045B]
        );
        assert_eq!(
            codes("ShouldFileBeDownloaded failed with 0x80072efe"),
            [0x80072EFE]
        );
        assert_eq!(
            codes("*FAILED* [8024000E] file = D:\\a\\x.cpp, line = 1925"),
            [0x8024000E]
        );
        assert_eq!(codes("Service exit [Exit code = 0x240001]"), [0x240001]);
        assert_eq!(codes("re-registration 0x80070002"), [0x80070002]);
        assert_eq!(codes("IsUpdateRequired failed: 0x8024402c"), [0x8024402C]);
        assert_eq!(codes("self-update check returned 0x8024402C"), [0x8024402C]);
    }

    #[test]
    fn identifiers_are_not_codes() {
        assert!(codes("ServiceID = {800704DD-E39D-4DA6-8A4B-B43877BCB1B7} Managed").is_empty());
        assert!(codes("UpdateId=80240020-1A3D-4A53-9F3F-7DBAD3472C59.201, hr").is_empty());
        assert!(codes("UpdateID = {3524C396-1A3D-4A53-9F3F-800704DD0000.201}").is_empty());
        assert!(codes("Download\\2b8dfb822b129f1b8fe8ec04650587a1 error").is_empty());
        assert!(codes("hr=80240020.200").is_empty());
        assert!(codes("hash a800704DD error 800704DDa").is_empty());
        assert!(codes("session id = 0x1; OS Product Type = 0x00000008").is_empty());
        assert!(codes("CWERReporter finishing event handling. (00000000)").is_empty());
        assert!(codes("update 80240020 installed").is_empty());
        assert!(codes("Exit code = 0x00000000, hr:0x0").is_empty());
        assert!(codes("Status: 0x180200a, ProblemNumber: 00000000").is_empty());
        assert!(
            codes("Device instance USB\\VID_0BDA&PID_8153 Status: 0x80240020, problem 0")
                .is_empty()
        );
        assert!(codes("device status = 0x80070005").is_empty());
    }

    #[test]
    fn a_line_reports_a_code_once() {
        assert_eq!(
            codes("hr=800704DD error 0x800704dd, 0x80240020"),
            [0x800704DD, 0x80240020]
        );
    }

    #[test]
    fn short_hex_needs_a_trigger() {
        assert_eq!(codes("HR: 0x80d02002, Extended"), [0x80D02002]);
        assert_eq!(codes("for reason 0x40 (Power)"), Vec::<u32>::new());
        assert_eq!(codes("GetTimer, returned hr = 0x8024a000"), [0x8024A000]);
    }
}
