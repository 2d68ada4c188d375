//! `wulog` and `wutriage log`: corpus logs, our fixtures, the CLI.

use std::collections::BTreeMap;
use std::io::Write as _;

use wutriage::wulog::{
    self, read_events, scan_file, scan_reader, Encoding, Hresult, LineSeverity, LogFormat,
    LogSummary, ScanOptions,
};

use crate::util;

const DD: Hresult = wulog::E_NOT_LOGGED_ON;
const NIU: Hresult = wulog::WU_E_NO_INTERACTIVE_USER;

/// Code → count of a summary, failure and success codes alike.
fn counts(s: &LogSummary) -> BTreeMap<u32, u64> {
    assert!(s.errors.iter().all(|e| e.code.is_failure()));
    assert!(s.success_codes.iter().all(|e| !e.code.is_failure()));
    s.errors
        .iter()
        .chain(&s.success_codes)
        .map(|e| (e.code.0, e.count))
        .collect()
}

fn fixture(name: &str) -> LogSummary {
    scan_file(util::fixture(&format!("logs/{name}"))).unwrap()
}

#[test]
fn corpus_whole_logs_parse_completely() {
    let Some(c) = util::corpus() else { return };
    let cases = [
        (
            "classic_win7sp1_rkudache31_WindowsUpdate.log",
            LogFormat::Classic,
            Encoding::Utf8,
            12665,
        ),
        (
            "win10fmt_dashdate_debajyati_WindowsUpdate.log",
            LogFormat::Win10,
            Encoding::Utf8,
            18773,
        ),
        (
            "win10fmt_utf8bom_waca0895_WindowsUpdate.log",
            LogFormat::Win10,
            Encoding::Utf8Bom,
            10919,
        ),
        (
            "win10fmt_wsus_findingsanity_WindowsUpdate.log",
            LogFormat::Win10,
            Encoding::Utf8,
            5711,
        ),
        (
            "win10_utf16le_s4_ReportingEvents.log",
            LogFormat::ReportingEvents,
            Encoding::Utf16Le,
            163,
        ),
    ];
    for (name, format, encoding, lines) in cases {
        let s = scan_file(c.join("logs").join(name)).unwrap();
        assert_eq!(s.format, format, "{name}");
        assert_eq!(s.encoding, encoding, "{name}");
        assert_eq!(
            s.unparsed, 0,
            "{name}: unparsed lines {:?}",
            s.unparsed_lines
        );
        assert_eq!(s.lines, lines, "{name}");
        assert!(s.first.is_some() && s.last.is_some(), "{name}");
        assert!(s.code(DD).is_none() && s.code(NIU).is_none(), "{name}");
    }
}

#[test]
fn corpus_classic_times_become_utc_after_the_banner() {
    let Some(c) = util::corpus() else { return };
    let s = scan_file(c.join("logs/classic_win7sp1_rkudache31_WindowsUpdate.log")).unwrap();
    // The first line precedes any banner of its process: local.
    assert!(s.first.unwrap().is_local());
    // Later lines follow a `tz: +0530` banner: UTC.
    let last = s.last.unwrap();
    assert_eq!(last.offset.unwrap().local_minus_utc(), 5 * 3600 + 1800);
    assert_eq!(last.to_string(), "2022-04-19T16:37:37.665Z");
    assert_eq!(counts(&s), BTreeMap::from([(0x0024_0001, 193)]));
}

#[test]
fn corpus_excerpts_yield_exactly_their_codes() {
    let Some(c) = util::corpus() else { return };
    let cases: [(&str, &[(u32, u64)]); 7] = [
        (
            "excerpt_classic_vista_2008_forum_WindowsUpdate.log",
            &[(0x8007_045B, 2), (0x0024_0001, 1)],
        ),
        (
            "excerpt_classic_vista_legacyupdate_issue8_WindowsUpdate.log",
            &[(0x8007_2EFE, 9)],
        ),
        (
            "excerpt_classic_ws2008r2_cloudbase_issue53_WindowsUpdate.log",
            &[(0x8007_2EE2, 3)],
        ),
        (
            "excerpt_classic_ws2008r2_htb_bastard_WindowsUpdate.log",
            &[
                (0x8007_0002, 1),
                (0x8007_0005, 1),
                (0x8024_A000, 1),
                (0x0024_0001, 1),
            ],
        ),
        ("excerpt_kb910338_WindowsUpdate.log", &[(0x8007_0005, 2)]),
        (
            "excerpt_msdocs_0x8024402c_WindowsUpdate.log",
            &[(0x8024_402C, 10)],
        ),
        ("excerpt_win10fmt_mojibake_zayrexdev_WindowsUpdate.log", &[]),
    ];
    for (name, want) in cases {
        let s = scan_file(c.join("logs").join(name)).unwrap();
        let want: BTreeMap<u32, u64> = want.iter().copied().collect();
        assert_eq!(counts(&s), want, "{name}");
    }
}

#[test]
fn corpus_excerpt_formats() {
    let Some(c) = util::corpus() else { return };
    let s = scan_file(c.join("logs/excerpt_msdocs_0x8024402c_WindowsUpdate.log")).unwrap();
    // Tabs collapsed to spaces: still classic.
    assert_eq!((s.format, s.unparsed), (LogFormat::Classic, 0));
    let e = s.code(Hresult(0x8024_402C)).unwrap();
    assert_eq!(e.components, ["Agent", "Misc", "Setup"]);
    let s =
        scan_file(c.join("logs/excerpt_win10fmt_mojibake_zayrexdev_WindowsUpdate.log")).unwrap();
    assert_eq!(
        (s.format, s.encoding, s.unparsed),
        (LogFormat::Win10, Encoding::Utf8Bom, 0)
    );
    // `Date`/`Time` placeholders: unparsed, but the codes still count.
    let s = scan_file(c.join("logs/excerpt_kb910338_WindowsUpdate.log")).unwrap();
    assert_eq!((s.unparsed, s.unparsed_lines.clone()), (2, vec![1, 2]));
}

#[test]
fn fixture_classic_every_spelling_and_decoys() {
    let s = fixture("classic_kb910341_WindowsUpdate.log");
    assert_eq!((s.format, s.unparsed), (LogFormat::Classic, 0));
    // 10 spellings each; 0x80240020 also in a REPORT EVENT record.
    assert_eq!(
        counts(&s),
        BTreeMap::from([(0x800704DD, 10), (0x80240020, 11), (0x00240001, 1)])
    );
    let dd = s.code(DD).unwrap();
    assert_eq!(dd.name.as_deref(), Some("ERROR_NOT_LOGGED_ON"));
    assert!(dd.explanation.is_some());
    // Process 1016 announced tz -0800: its times are UTC.
    assert_eq!(dd.first.unwrap().to_string(), "2024-03-01T16:01:00.500Z");
    assert_eq!(dd.last.unwrap().to_string(), "2024-03-01T16:01:09.500Z");
    assert_eq!((dd.first_line, dd.last_line), (6, 15));
    assert_eq!(dd.examples.len(), 5);
    assert_eq!(dd.examples[0].line, 6);
    assert!(dd.examples[0].text.ends_with("hr=800704DD"));
    // Process 1200 never did: local times.
    let niu = s.code(NIU).unwrap();
    assert!(niu.first.unwrap().is_local());
    assert_eq!(
        niu.first.unwrap().local.to_string(),
        "2024-03-01 08:03:00.250"
    );
    assert_eq!(niu.last.unwrap().to_string(), "2024-03-01T16:04:00Z");
    assert_eq!(niu.components, ["AU", "Report"]);
}

#[test]
fn fixture_win10_reporting_and_encodings() {
    let s = fixture("win10_kb910341_WindowsUpdate.log");
    assert_eq!(
        (s.format, s.encoding, s.unparsed),
        (LogFormat::Win10, Encoding::Utf8Bom, 0)
    );
    assert_eq!(
        counts(&s),
        BTreeMap::from([(0x800704DD, 2), (0x80240020, 2), (0x00240001, 1)])
    );
    assert!(s.first.unwrap().is_local());

    let s = fixture("reportingevents_kb910341.log");
    assert_eq!(
        (s.format, s.encoding, s.lines, s.unparsed),
        (LogFormat::ReportingEvents, Encoding::Utf16Le, 4, 0)
    );
    assert_eq!(
        counts(&s),
        BTreeMap::from([(0x800704DD, 1), (0x80240020, 1), (0x00240006, 1)])
    );
    assert_eq!(
        s.code(NIU).unwrap().first.unwrap().to_string(),
        "2024-03-03T18:05:00Z"
    );
    assert!(s.code(Hresult(0x0024_0006)).unwrap().examples[0]
        .text
        .contains("Caf\u{e9}"));

    let a = fixture("classic_cp1252_WindowsUpdate.log");
    let b = fixture("classic_utf16be_WindowsUpdate.log");
    assert_eq!(a.encoding, Encoding::Windows1252);
    assert_eq!(b.encoding, Encoding::Utf16Be);
    for s in [&a, &b] {
        assert_eq!((s.format, s.lines, s.unparsed), (LogFormat::Classic, 3, 0));
        let e = s.code(DD).unwrap();
        assert_eq!(e.first.unwrap().to_string(), "2024-03-04T10:00:02Z");
        assert!(
            e.examples[0].text.contains("Pr\u{e9}paration"),
            "{}",
            e.examples[0].text
        );
    }
}

#[test]
fn damaged_input_is_counted_not_fatal() {
    let s = fixture("classic_damaged_WindowsUpdate.log");
    assert_eq!(s.format, LogFormat::Classic);
    assert_eq!(
        (s.lines, s.unparsed, s.unparsed_lines.clone()),
        (4, 2, vec![1, 3])
    );
    assert_eq!(counts(&s), BTreeMap::from([(0x80240020, 1)]));
    // Random bytes: no panic, everything unparsed.
    let mut junk = Vec::new();
    let mut x = 7u32;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        junk.push((x >> 24) as u8);
    }
    let s = scan_reader(&junk[..], "junk".as_ref(), &ScanOptions::default()).unwrap();
    assert_eq!(s.format, LogFormat::Unknown);
    assert_eq!(s.unparsed, s.lines);
}

#[test]
fn events_stream_with_severity_and_codes() {
    let f = std::fs::File::open(util::fixture("logs/classic_kb910341_WindowsUpdate.log")).unwrap();
    let mut seen = Vec::new();
    let info = read_events(f, |e| {
        seen.push((
            e.line,
            e.severity,
            e.codes.to_vec(),
            e.component.to_string(),
            e.time,
        ));
    })
    .unwrap();
    assert_eq!(
        (info.format, info.lines, info.unparsed),
        (LogFormat::Classic, 32, 0)
    );
    assert_eq!(seen.len(), 32);
    let (line, sev, codes, comp, time) = &seen[5];
    assert_eq!(
        (*line, *sev, codes.as_slice(), comp.as_str()),
        (6, LineSeverity::Warning, &[DD][..], "AU")
    );
    assert_eq!(time.unwrap().to_string(), "2024-03-01T16:01:00.500Z");
    assert_eq!(seen[12].1, LineSeverity::Failed);
    assert_eq!(seen[13].1, LineSeverity::Warning); // `* WARNING:`
    assert_eq!(seen[14].1, LineSeverity::Fatal);
    // Decoy lines report nothing.
    for (line, _, codes, _, _) in &seen[15..20] {
        assert!(codes.is_empty(), "line {line}: {codes:?}");
    }
}

/// A log several blocks long is split and read in parallel (by file ranges
/// in `scan_file`, by blocks in `scan_reader`); the merge must give what one
/// sequential pass gives.
#[test]
fn parallel_scan_matches_the_event_stream() {
    let one = std::fs::read(util::fixture("logs/classic_kb910341_WindowsUpdate.log")).unwrap();
    let mut big = Vec::new();
    // Lines of a process with no banner first, so the banner of a later
    // block changes its times part-way through.
    let plain = "2024-02-01\t07:00:00:000\t1016\tb10\tAU\tWARNING: early hr=800704DD\r\n";
    for _ in 0..20_000 {
        big.extend_from_slice(plain.as_bytes());
    }
    while big.len() < 20 << 20 {
        big.extend_from_slice(&one);
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&big).unwrap();
    let s = scan_file(file.path()).unwrap();
    let mut by_blocks = scan_reader(&big[..], file.path(), &ScanOptions::default()).unwrap();
    by_blocks.path = s.path.clone();
    assert_eq!(by_blocks, s);

    let mut want: BTreeMap<u32, (u64, u64, u64)> = BTreeMap::new();
    let mut lines_with_time = Vec::new();
    let info = read_events(&big[..], |e| {
        for c in e.codes {
            let w = want.entry(c.0).or_insert((0, e.line, 0));
            w.0 += 1;
            w.2 = e.line;
        }
        if e.codes.contains(&DD) {
            lines_with_time.push((e.line, e.time));
        }
    })
    .unwrap();
    assert_eq!((s.lines, s.unparsed), (info.lines, 0));
    let got: BTreeMap<u32, (u64, u64, u64)> = s
        .errors
        .iter()
        .chain(&s.success_codes)
        .map(|e| (e.code.0, (e.count, e.first_line, e.last_line)))
        .collect();
    assert_eq!(got, want);
    let dd = s.code(DD).unwrap();
    assert_eq!(dd.first, lines_with_time[0].1);
    assert!(dd.first.unwrap().is_local());
    assert_eq!(dd.last, lines_with_time.last().unwrap().1);
    assert!(!dd.last.unwrap().is_local());
    let ex: Vec<u64> = dd.examples.iter().map(|e| e.line).collect();
    assert_eq!(ex, [1, 2, 3, 4, 5]);
}

#[test]
fn cli_text_and_json() {
    let f = util::fixture("logs/classic_kb910341_WindowsUpdate.log");
    let out = util::wutriage().arg("log").arg(&f).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("format:    classic"), "{text}");
    assert!(text.contains("lines:     32 (0 unparsed)"), "{text}");
    let row = text.lines().find(|l| l.contains("0x800704DD")).unwrap();
    assert!(
        row.contains("ERROR_NOT_LOGGED_ON") && row.contains(" 10 "),
        "{row}"
    );

    let w = util::fixture("logs/win10_kb910341_WindowsUpdate.log");
    let out = util::wutriage()
        .args(["log", "--format", "json"])
        .arg(&f)
        .arg(&w)
        .assert()
        .success();
    let v: Vec<LogSummary> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0], fixture("classic_kb910341_WindowsUpdate.log"));
    assert_eq!(v[1].format, LogFormat::Win10);
    let raw: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let e = &raw[0]["errors"][1];
    assert_eq!(e["code"], "0x800704DD");
    assert_eq!(e["first"]["time"], "2024-03-01T16:01:00.500Z");
    assert_eq!(raw[0]["format"], "classic");
    assert_eq!(raw[1]["first"]["local"], true);
}

#[test]
fn cli_missing_file_is_trouble_but_others_print() {
    let f = util::fixture("logs/win10_kb910341_WindowsUpdate.log");
    let out = util::wutriage()
        .args(["log", "/nonexistent/WindowsUpdate.log"])
        .arg(&f)
        .assert()
        .code(2);
    let o = out.get_output();
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/WindowsUpdate.log"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0x80240020"));
}
