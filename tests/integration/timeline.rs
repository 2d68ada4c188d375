//! `--format timesketch`: one event per error line, deduplicated across
//! rules, sorted, capped per host with a closing event.

use std::collections::HashSet;

use wutriage::report::timesketch::{
    TimesketchEvent as Event, ERROR_LOGGED, KEY_WRITTEN, LEFT_OUT, MAX_EVENTS_PER_HOST,
};

use crate::fleet::wutriage;
use crate::util;
use crate::util::copy_tree;

fn events(stdout: &str) -> Vec<Event> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_error_line_once_sorted_with_an_offset() {
    let root = tempfile::tempdir().unwrap();
    copy_tree(
        &util::fixture("hosts/xp-broken"),
        &root.path().join("xp-broken"),
    );
    copy_tree(
        &util::fixture("hosts/rules/kb910341-client"),
        &root.path().join("client"),
    );
    let r = wutriage(
        &["triage", "--format", "timesketch", "-q"],
        root.path(),
        &[],
    );
    let all = events(&r.stdout);
    for host in ["xp-broken", "client"] {
        let evs: Vec<&Event> = all.iter().filter(|e| e.host == host).collect();
        assert!(
            evs.windows(2).all(|w| w[0].timestamp <= w[1].timestamp),
            "sorted"
        );
        for e in &evs {
            let t = chrono::DateTime::parse_from_rfc3339(&e.datetime).unwrap();
            assert!(e.datetime.ends_with("+00:00"), "{}", e.datetime);
            assert_eq!(t.timestamp_micros(), e.timestamp);
        }
        let errors: Vec<&&Event> = evs
            .iter()
            .filter(|e| e.timestamp_desc == ERROR_LOGGED)
            .collect();
        let lines: HashSet<(Option<&str>, Option<u64>)> = errors
            .iter()
            .map(|e| (e.source.as_deref(), e.line))
            .collect();
        assert_eq!(
            lines.len(),
            errors.len(),
            "{host}: a line is one event, whatever the rules"
        );
        let keys: HashSet<_> = evs
            .iter()
            .filter(|e| e.timestamp_desc == KEY_WRITTEN)
            .map(|e| &e.registry_key)
            .collect();
        assert_eq!(
            keys.len(),
            evs.iter()
                .filter(|e| e.timestamp_desc == KEY_WRITTEN)
                .count(),
            "a key once"
        );
    }
    // xp-broken: 32 lines report 0x800704DD or 0x80240020, all KB910341's evidence.
    let broken: Vec<&Event> = all
        .iter()
        .filter(|e| e.host == "xp-broken" && e.timestamp_desc == ERROR_LOGGED)
        .collect();
    assert_eq!(broken.len(), 32);
    // client: two rules count the same lines; each line is one event naming both.
    let client: Vec<&Event> = all
        .iter()
        .filter(|e| e.host == "client" && e.timestamp_desc == ERROR_LOGGED)
        .collect();
    assert!(
        client.iter().any(|e| e.rule.contains(',')),
        "{:?}",
        client.first()
    );
}

#[test]
fn a_window_limits_the_events() {
    let host = util::fixture("hosts/xp-broken");
    let r = wutriage(
        &[
            "triage",
            "--format",
            "timesketch",
            "-q",
            "--since",
            "2009-06-11",
        ],
        &host,
        &[],
    );
    let errors: Vec<Event> = events(&r.stdout)
        .into_iter()
        .filter(|e| e.timestamp_desc == ERROR_LOGGED)
        .collect();
    assert!(!errors.is_empty() && errors.len() < 32);
    assert!(errors.iter().all(|e| e.datetime.as_str() >= "2009-06-11"));
    // --min-severity: only the events of the findings left.
    let ts = |args: &[&str], host: &std::path::Path| {
        let mut all = vec!["triage", "--format", "timesketch", "-q"];
        all.extend_from_slice(args);
        events(&wutriage(&all, host, &[]).stdout)
    };
    let high = ts(&["--min-severity", "high"], &host);
    assert!(high.iter().all(|e| e.severity == "high"));
    let errors = high.iter().filter(|e| e.timestamp_desc == ERROR_LOGGED);
    assert_eq!(errors.count(), 32);
    // xp-latent's medium finding read the SensLogn key: its event goes with it.
    let latent = util::fixture("hosts/xp-latent");
    assert!(ts(&[], &latent)
        .iter()
        .any(|e| e.timestamp_desc == KEY_WRITTEN));
    assert!(ts(&["--min-severity", "high"], &latent).is_empty());
}

#[test]
fn beyond_the_cap_one_event_says_how_many_were_left_out() {
    let root = tempfile::tempdir().unwrap();
    let host = root.path().join("noisy/Windows");
    std::fs::create_dir_all(&host).unwrap();
    let extra = 37;
    let n = MAX_EVENTS_PER_HOST + extra;
    let mut log = String::with_capacity(n * 90);
    for i in 0..n {
        let (h, m, s) = (i / 3600 % 24, i / 60 % 60, i % 60);
        let day = 10 + i / 86400;
        log.push_str(&format!(
            "2009-06-{day:02}\t{h:02}:{m:02}:{s:02}:000\t1044\t5b4\tAU\tWARNING: Failed to get user token, hr=800704DD\r\n"
        ));
    }
    std::fs::write(host.join("WindowsUpdate.log"), log).unwrap();
    let r = wutriage(
        &[
            "triage",
            "--format",
            "timesketch",
            "-q",
            "--only",
            "KB910341",
        ],
        root.path(),
        &[],
    );
    let evs = events(&r.stdout);
    let errors = evs
        .iter()
        .filter(|e| e.timestamp_desc == ERROR_LOGGED)
        .count();
    assert_eq!(errors, MAX_EVENTS_PER_HOST);
    let last = evs.last().unwrap();
    assert_eq!(last.timestamp_desc, LEFT_OUT);
    assert!(
        last.message
            .contains(&format!("{extra} later error line(s) left out")),
        "{}",
        last.message
    );
    assert!(
        last.message.contains(&format!("{n} in all")),
        "{}",
        last.message
    );
    // The earliest are kept.
    assert!(
        evs[0].datetime.starts_with("2009-06-10T00:00:00"),
        "{}",
        evs[0].datetime
    );
}

#[test]
fn the_earliest_occurrences_are_kept_across_files_in_any_order() {
    use wutriage::scan::{analyse, HostSpec};
    let dir = tempfile::tempdir().unwrap();
    let line = |day: u32, i: u32| {
        format!(
            "2009-06-{day:02}\t08:00:{i:02}:000\t1044\t5b4\tAU\tWARNING: no token, hr=800704DD\r\n"
        )
    };
    // The later log first in path order, the earlier one second.
    for (name, day) in [("a/WindowsUpdate.log", 12), ("b/WindowsUpdate.log", 10)] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text: String = (0..4).map(|i| line(day, i)).collect();
        std::fs::write(path, text).unwrap();
    }
    let mut spec = HostSpec::named("h").with_dir(dir.path());
    spec.occurrences = Some(3);
    let occ = analyse(&spec).occurrences.unwrap();
    assert_eq!((occ.total, occ.left_out, occ.untimed), (8, 5, 0));
    let times: Vec<String> = occ.kept.iter().map(|o| o.time.to_string()).collect();
    let kept: Vec<(&str, u64)> = occ
        .kept
        .iter()
        .zip(&times)
        .map(|(o, t)| (&t[..19], o.line))
        .collect();
    assert_eq!(
        kept,
        [
            ("2009-06-10T08:00:00", 1),
            ("2009-06-10T08:00:01", 2),
            ("2009-06-10T08:00:02", 3)
        ]
    );
    assert!(occ.kept.iter().all(
        |o| o.file.ends_with("b/WindowsUpdate.log") && o.rules.iter().any(|r| r == "KB910341")
    ));
    let days: Vec<(String, u64)> = occ.days.iter().map(|(d, n)| (d.to_string(), *n)).collect();
    assert_eq!(
        days,
        [("2009-06-10".to_string(), 4), ("2009-06-12".to_string(), 4)]
    );
    // Not asked for: not gathered.
    let mut plain = spec;
    plain.occurrences = None;
    assert!(analyse(&plain).occurrences.is_none());
}
