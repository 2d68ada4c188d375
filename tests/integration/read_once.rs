//! Each input read once: rule contexts matched in the log pass, a rule's
//! codes kept whatever the number of distinct codes, transaction logs read
//! for a replay not read again.

use std::path::Path;

use sha2::{Digest, Sha256};
use wutriage::registry::replay::testing::old_format_pair;
use wutriage::rules::spec::Rule;
use wutriage::scan::input::{open_input, InputKind, Reading};
use wutriage::scan::{analyse_with, builtin_rules, HostReport, HostSpec, TimeWindow};
use wutriage::wulog::{self, CodeContext, Hresult, LineMatch, ScanOptions};

use crate::util;

const BANNER: &str = "2009-06-10\t08:19:07:500\t1044\t5b4\tMisc\t===========  Logging initialized (build: 7.0.6000.374, tz: -0800)  ===========\r\n";

fn line(n: usize, component: &str, text: &str) -> String {
    format!(
        "2009-06-10\t08:{:02}:{:02}:{:03}\t1044\t8f4\t{component}\t{text}\r\n",
        20 + n / 3_600_000 % 30,
        n / 60_000 % 60,
        n % 1000
    )
}

fn analyse_log(dir: &Path, log: &str, rules: &[Rule]) -> HostReport {
    let host = dir.join("host");
    std::fs::create_dir_all(host.join("Windows")).unwrap();
    std::fs::write(host.join("Windows/WindowsUpdate.log"), log).unwrap();
    analyse_with(&HostSpec::named("host").with_dir(host), rules)
}

#[test]
fn a_rules_code_is_kept_after_thousands_of_other_codes() {
    let mut log = String::from(BANNER);
    for i in 0..5_000u32 {
        let text = format!("WARNING: Exit code = 0x{:08X}", 0x87AA_0000 + i);
        log.push_str(&line(i as usize, "Agent", &text));
    }
    log.push_str(&line(5_000, "Agent", "WARNING: Exit code = 0x8024002E"));

    // The plain scan keeps 4,096 distinct codes: the rule's code is beyond.
    let plain = wulog::scan_reader(log.as_bytes(), "log".as_ref(), &ScanOptions::default());
    let plain = plain.unwrap();
    assert!(plain.codes_over_limit > 0);
    assert!(plain.code(Hresult(0x8024_002E)).is_none());

    let tmp = tempfile::tempdir().unwrap();
    let host = analyse_log(tmp.path(), &log, builtin_rules());
    let input = &host.inputs[0];
    assert!(
        input
            .warnings
            .iter()
            .any(|w| w.message.contains("more distinct codes")),
        "{:?}",
        input.warnings
    );
    let f = host
        .findings
        .iter()
        .find(|f| f.rule == "WU-INTERNET-LOCATIONS-BLOCKED")
        .unwrap();
    let errors = &f.log.as_ref().unwrap().errors;
    let e = errors
        .iter()
        .find(|e| e.code == Hresult(0x8024002E))
        .unwrap();
    assert_eq!(e.count, 1);
    assert_eq!(e.examples[0].line, 5_002);
}

/// A log of several MiB (read in pieces, in parallel) in which 0x80070002
/// is on BITS lines and on others, in an irregular pattern.
fn mixed_log() -> String {
    let mut log = String::from(BANNER);
    for i in 0..60_000usize {
        let text = match i % 7 {
            0 if i % 11 == 3 => "WARNING: BITS job failed, hr = 0x80070002",
            0 => "WARNING: file not found, hr = 0x80070002",
            3 if i % 5 == 1 => "Error 0x80070002 from qmgr.dll",
            _ => "Found 0 updates and 12 categories in search; evaluated appl. rules of 0 out of 0 deployed entities",
        };
        log.push_str(&line(i, if i % 2 == 0 { "DnldMgr" } else { "Agent" }, text));
    }
    log
}

#[test]
fn contexts_are_counted_in_the_scan_pass_as_a_line_by_line_reading_counts_them() {
    let log = mixed_log();
    assert!(log.len() > 4 << 20);
    let words: Vec<String> = ["BITS", "qmgr"].iter().map(|s| s.to_string()).collect();
    let ctx = CodeContext {
        codes: vec![Hresult(0x8007_0002)],
        any_of: vec![
            LineMatch::new(&[], &words),
            LineMatch::new(&["DnldMgr".to_string()], &["job".to_string()]),
        ],
    };
    let opts = ScanOptions {
        contexts: vec![ctx.clone()],
        ..ScanOptions::default()
    };
    let s = wulog::scan_reader(log.as_bytes(), "log".as_ref(), &opts).unwrap();
    let c = s.code(Hresult(0x8007_0002)).unwrap();
    assert_eq!(c.in_context.len(), 1);
    let got = &c.in_context[0];

    let mut lines = Vec::new();
    wulog::read_events(log.as_bytes(), |ev| {
        let lower = ev.raw.to_ascii_lowercase();
        if ev.codes.contains(&Hresult(0x8007_0002)) && ctx.matches(&ev.component, &lower) {
            lines.push((ev.line, ev.time));
        }
    })
    .unwrap();
    assert!(lines.len() > 100 && (lines.len() as u64) < c.count);
    assert_eq!(got.count, lines.len() as u64);
    assert_eq!(got.first, lines[0].1);
    assert_eq!(got.last, lines[lines.len() - 1].1);
    let ex: Vec<u64> = got.examples.iter().map(|e| e.line).collect();
    let want: Vec<u64> = lines.iter().take(5).map(|l| l.0).collect();
    assert_eq!(ex, want);

    // Without contexts nothing is recorded per context.
    let plain = wulog::scan_reader(log.as_bytes(), "log".as_ref(), &ScanOptions::default());
    assert!(plain
        .unwrap()
        .errors
        .iter()
        .all(|c| c.in_context.is_empty()));
}

#[test]
fn a_transaction_log_read_for_a_replay_is_not_read_again() {
    let clean = util::read(&util::fixture("registry/xp-complete.hive"));
    let modified = util::read(&util::fixture("registry/xp-missing-values.hive"));
    let (dirty, log) = old_format_pair(&clean, &modified).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (hive, log_path) = (tmp.path().join("SOFTWARE"), tmp.path().join("SOFTWARE.LOG"));
    std::fs::write(&hive, &dirty).unwrap();
    std::fs::write(&log_path, &log).unwrap();

    let how = &mut Reading::new(ScanOptions::default(), true);
    let (input, _) = open_input(&hive, false, how).unwrap();
    assert!(input.detail.as_hive().unwrap().recovered());
    // Gone from disk: what is reported can only come from the replay's read.
    std::fs::remove_file(&log_path).unwrap();
    let (input, _) = open_input(&log_path, false, how).unwrap();
    assert_eq!(input.kind(), InputKind::TransactionLog);
    assert_eq!(input.error, None);
    assert_eq!(input.size, log.len() as u64);
    let want: String = Sha256::digest(&log)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(input.sha256.as_deref(), Some(want.as_str()));
    // Without a replay the log is read (and here is missing).
    let how = &mut Reading::new(ScanOptions::default(), false);
    let (input, _) = open_input(&log_path, false, how).unwrap();
    assert!(input.error.is_some());
}

#[test]
fn a_time_window_and_occurrences_come_from_the_one_pass() {
    // 40 failures on 2009-06-10 and 2009-06-11 (20 each), among other lines.
    let mut log = String::from(BANNER);
    for day in ["2009-06-10", "2009-06-11"] {
        for i in 0..200 {
            let text = if i % 10 == 0 {
                "WARNING: Failed to synchronize, error = 0x800704DD"
            } else {
                "Checking for updates"
            };
            log.push_str(&line(i, "AU", text).replacen("2009-06-10", day, 1));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let host = tmp.path().join("host");
    std::fs::create_dir_all(host.join("Windows")).unwrap();
    let path = host.join("Windows/WindowsUpdate.log");
    std::fs::write(&path, &log).unwrap();

    let kb_count = |r: &HostReport| {
        let f = r.findings.iter().find(|f| f.rule == "KB910341").unwrap();
        let log = f.log.as_ref().unwrap();
        log.errors.iter().map(|e| e.count).sum::<u64>()
    };
    // The counter sees every opening.
    let (_, twice) = util::opens_during(&[&path], || (util::read(&path), util::read(&path)));
    assert_eq!(twice, [2]);

    let plain = HostSpec::named("host").with_dir(host.clone());
    let (report, opens) = util::opens_during(&[&path], || analyse_with(&plain, builtin_rules()));
    assert_eq!(kb_count(&report), 40);
    assert_eq!(opens, [1], "a plain analysis opens the log once");

    let mut windowed = plain.clone();
    windowed.window = TimeWindow::new(Some("2009-06-11".parse().unwrap()), None).unwrap();
    windowed.occurrences = Some(100);
    let (report, opens) = util::opens_during(&[&path], || analyse_with(&windowed, builtin_rules()));
    assert_eq!(kb_count(&report), 20, "only the second day counts");
    let occ = report.occurrences.as_ref().unwrap();
    assert_eq!((occ.total, occ.kept.len()), (20, 20));
    assert_eq!(occ.days.len(), 1);
    assert_eq!(
        opens,
        [1],
        "the window and the occurrences need no second reading"
    );
}

#[test]
fn watched_lines_are_the_sequential_readings_whatever_the_pieces() {
    // About 3 MiB: several processes, time-zone banners that change part
    // way (so a line's offset comes from an earlier piece), failures on
    // parsed and unparsed lines.
    let mut log = String::from(BANNER);
    let mut n = 0usize;
    while log.len() < 3 << 20 {
        n += 1;
        let (pid, tz) = match n % 7 {
            0 => ("2000", "+0530"),
            1 | 2 => ("1044", "-0800"),
            _ => ("3000", "+0100"),
        };
        if n % 5_000 == 0 {
            log.push_str(&format!(
                "2009-06-10\t09:00:00:000\t{pid}\t5b4\tMisc\t===========  Logging initialized (build: 7.0.6000.374, tz: {tz})  ===========\r\n"
            ));
        }
        let text = match n % 13 {
            0 => "WARNING: Failed to synchronize, error = 0x800704DD".to_string(),
            5 => format!("FATAL: error 0x{:08X}", 0x8024_0000 + (n % 40) as u32),
            _ => "Checking for updates".to_string(),
        };
        let l = line(n, "AU", &text).replacen("\t1044\t", &format!("\t{pid}\t"), 1);
        log.push_str(&l);
        if n % 997 == 0 {
            log.push_str("garbage without a header but with 0x80240020 in it\r\n");
        }
    }
    for mode in [0u8, 2] {
        let bytes = wutriage::fuzzing::encode(mode, log.as_bytes());
        for threads in [1, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| wutriage::fuzzing::watched_lines_match(&bytes));
        }
    }
}
