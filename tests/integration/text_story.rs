//! `scan` text for people: one consistent story per finding, whatever its
//! verdict (the timeline remark and the advice agree with it), what needs
//! action first, the other rules folded, log evidence once, a closing summary.

use std::path::{Path, PathBuf};

use wutriage::finding::Verdict;
use wutriage::report::Report;

use crate::registry_trust::nk_of;
use crate::util;

const SENSLOGN_ADVICE: &str = "After changing SensLogn";

/// `scan` text of `paths` (relative to the crate root), with extra arguments.
fn scan_text(paths: &[&Path], extra: &[&str]) -> String {
    let out = util::wutriage()
        .current_dir(util::root())
        .arg("scan")
        .args(paths)
        .args(extra)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn scan_json(paths: &[&Path]) -> Report {
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn host(name: &str) -> PathBuf {
    PathBuf::from("fixtures/hosts").join(name)
}

/// The lines of `rule`'s finding shown in full: its header and the lines
/// indented below it. Panics when the finding is not shown in full.
fn block(text: &str, rule: &str, verdict: Verdict) -> String {
    let header = format!("  {rule}  {}  ", verdict.as_str().to_uppercase());
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&header));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("{rule} {verdict} not shown in full:\n{text}"));
    let rest: Vec<&str> = lines.take_while(|l| l.starts_with("    ")).collect();
    format!("{first}\n{}\n", rest.join("\n"))
}

fn timeline(block: &str) -> Vec<&str> {
    block
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Timeline  "))
        .collect()
}

#[test]
fn confirmed_tells_the_change_caused_the_errors_and_advises_the_fix() {
    let text = scan_text(&[&host("xp-broken")], &[]);
    let b = block(&text, "KB910341", Verdict::Confirmed);
    let t = timeline(&b);
    assert_eq!(t.len(), 1, "{b}");
    assert!(
        t[0].contains("before the first 0x800704DD")
            && t[0].contains("consistent with the change to SensLogn causing the errors"),
        "{b}"
    );
    assert!(b.contains(SENSLOGN_ADVICE) && b.contains("Remedy"), "{b}");
    // Only this finding advises on SensLogn.
    assert_eq!(text.matches(SENSLOGN_ADVICE).count(), 1, "{text}");
    // One date-time form: UTC with the log's offset, the registry in UTC.
    assert!(t[0].contains("2008-04-14 12:00:00 UTC"), "{}", t[0]);
    assert!(t[0].contains("UTC (log at -08:00)"), "{}", t[0]);
    assert!(!text.contains("T16:19:07"), "no RFC 3339 in text:\n{text}");
}

#[test]
fn latent_has_no_timeline_and_names_its_own_codes() {
    // xp-latent's hive with a log that reports none of the rule's codes.
    let tmp = tempfile::tempdir().unwrap();
    let path = host_from(tmp.path(), ("xp-latent", "xp-healthy"), |_| {}, |l| l);
    let text = scan_text(&[&path], &[]);
    let b = block(&text, "KB910341", Verdict::Latent);
    assert!(timeline(&b).is_empty(), "{b}");
    assert!(b.contains(SENSLOGN_ADVICE), "{b}");
    assert!(
        b.contains("Log       no 0x800704DD or 0x80240020 in 1 log file"),
        "{b}"
    );
    assert!(!text.contains("consistent with"), "{text}");
}

#[test]
fn other_cause_says_senslogn_did_not_cause_the_errors_and_gives_no_senslogn_advice() {
    let text = scan_text(&[&host("xp-other-cause")], &[]);
    let b = block(&text, "KB910341", Verdict::OtherCause);
    let t = timeline(&b);
    assert_eq!(t.len(), 1, "{b}");
    assert!(t[0].contains("so it did not cause them"), "{}", t[0]);
    assert!(!text.contains("consistent with"), "{text}");
    assert!(!text.contains(SENSLOGN_ADVICE), "{text}");
    assert!(!b.contains("Remedy"), "{b}");
    assert!(b.contains("Step 1:"), "the article's other steps stay: {b}");
}

#[test]
fn healthy_host_says_so_in_one_line() {
    let path = host("rules/clean-xp");
    let report = scan_json(&[&path]);
    let findings = &report.hosts[0].findings;
    let healthy = findings
        .iter()
        .filter(|f| f.verdict == Verdict::Healthy)
        .count();
    assert!(findings
        .iter()
        .all(|f| matches!(f.verdict, Verdict::Healthy | Verdict::NotApplicable)));
    let text = scan_text(&[&path], &[]);
    let want = format!(
        "  Nothing wrong: {healthy} rules healthy, {} not applicable.\n",
        findings.len() - healthy
    );
    assert!(text.contains(&want), "{text}");
    for absent in ["Timeline", "By hand", "Remedy", "Log evidence", "HEALTHY"] {
        assert!(!text.contains(absent), "{absent}:\n{text}");
    }
    // Header, verdict line, inputs: nothing else.
    let inputs = report.hosts[0].inputs.len();
    assert_eq!(text.lines().count(), 3 + inputs, "{text}");
}

#[test]
fn not_applicable_lists_the_errors_once_without_timeline_or_advice() {
    let text = scan_text(&[&host("win7")], &[]);
    let b = block(&text, "KB910341", Verdict::NotApplicable);
    assert!(timeline(&b).is_empty() && !b.contains("By hand"), "{b}");
    assert!(b.contains("0x80240020 WU_E_NO_INTERACTIVE_USER  10 lines  see [1]"));
    // Two other rules share the code: folded, the examples printed once.
    assert_eq!(text.matches("see [1]").count(), 1, "{text}");
    assert_eq!(text.matches("WindowsUpdate.log:111").count(), 1, "{text}");
    assert!(!text.contains("SensLogn:"), "{text}");
}

#[test]
fn inconclusive_without_a_hive_gives_the_articles_steps_but_no_senslogn_advice() {
    let text = scan_text(&[&host("log-only")], &[]);
    let b = block(&text, "KB910341", Verdict::Inconclusive);
    assert!(timeline(&b).is_empty(), "{b}");
    assert!(b.contains("Step 1:") && !b.contains(SENSLOGN_ADVICE), "{b}");
}

/// A host of the SOFTWARE hive of fixture host `from` (changed by `change`)
/// and the log of fixture host `log_from` (changed by `change_log`).
fn host_from(
    dir: &Path,
    (from, log_from): (&str, &str),
    change: impl FnOnce(&mut Vec<u8>),
    change_log: impl FnOnce(String) -> String,
) -> PathBuf {
    let src = util::fixture(&format!("hosts/{from}/Windows"));
    let mut hive = util::read(&src.join("System32/config/SOFTWARE"));
    change(&mut hive);
    let log_path = util::fixture(&format!("hosts/{log_from}/Windows/WindowsUpdate.log"));
    let log = String::from_utf8(util::read(&log_path)).unwrap();
    let windows = dir.join("built/Windows");
    std::fs::create_dir_all(windows.join("System32/config")).unwrap();
    std::fs::write(windows.join("System32/config/SOFTWARE"), hive).unwrap();
    std::fs::write(windows.join("WindowsUpdate.log"), change_log(log)).unwrap();
    dir.join("built")
}

/// A fixture host's hive and log, changed.
fn built_host(
    dir: &Path,
    from: &str,
    change: impl FnOnce(&mut Vec<u8>),
    change_log: impl FnOnce(String) -> String,
) -> PathBuf {
    host_from(dir, (from, from), change, change_log)
}

/// Sets the SensLogn key's last-written time to 2010-01-01 00:00:00 UTC,
/// after every error of the fixture logs (2009).
fn written_in_2010(hive: &mut [u8]) {
    let nk = nk_of(hive, b"SensLogn");
    let filetime: u64 = (1_262_304_000 + 11_644_473_600) * 10_000_000;
    hive[nk + 4..nk + 12].copy_from_slice(&filetime.to_le_bytes());
}

#[test]
fn confirmed_with_the_key_written_after_the_errors_says_it_changed_since() {
    let tmp = tempfile::tempdir().unwrap();
    let path = built_host(tmp.path(), "xp-broken", |h| written_in_2010(h), |l| l);
    let text = scan_text(&[&path], &[]);
    let b = block(&text, "KB910341", Verdict::Confirmed);
    let t = timeline(&b);
    assert!(
        t[0].contains("2010-01-01 00:00:00 UTC, after the first"),
        "{b}"
    );
    assert!(t[0].contains("still not right") && !t[0].contains("causing"));
}

#[test]
fn other_cause_with_the_key_written_after_the_errors_says_it_may_have_been_repaired() {
    let tmp = tempfile::tempdir().unwrap();
    let path = built_host(tmp.path(), "xp-other-cause", |h| written_in_2010(h), |l| l);
    let text = scan_text(&[&path], &[]);
    let b = block(&text, "KB910341", Verdict::OtherCause);
    let t = timeline(&b);
    assert!(
        t[0].contains("it is right now, but it changed since"),
        "{b}"
    );
    assert!(!text.contains(SENSLOGN_ADVICE), "{text}");
}

#[test]
fn inconclusive_on_a_damaged_key_with_errors_sets_the_times_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    // The value list offset 0xFFFFFFFF: the key is read, its values are not.
    let damage = |h: &mut Vec<u8>| {
        let nk = nk_of(h, b"SensLogn");
        h[nk + 0x28..nk + 0x2C].copy_from_slice(&[0xFF; 4]);
    };
    let path = built_host(tmp.path(), "xp-broken", damage, |l| l);
    let text = scan_text(&[&path], &[]);
    let b = block(&text, "KB910341", Verdict::Inconclusive);
    let t = timeline(&b);
    assert!(t[0].contains("says nothing about the cause"), "{b}");
    assert!(!text.contains("consistent with") && !text.contains(SENSLOGN_ADVICE));
}

#[test]
fn a_local_time_is_marked_on_the_value_it_belongs_to() {
    let tmp = tempfile::tempdir().unwrap();
    // The first session's banner loses its offset: its times are local;
    // the second session's (the last errors) stay UTC.
    let path = built_host(
        tmp.path(),
        "xp-broken",
        |_| {},
        |l| l.replacen(", tz: -0800", "", 1),
    );
    let report = scan_json(&[&path]);
    let e = &report.hosts[0].findings[0].log.as_ref().unwrap().errors[0];
    assert!(e.first.unwrap().is_local(), "{e:?}");
    assert!(!e.last.unwrap().is_local(), "{e:?}");
    let text = scan_text(&[&path], &[]);
    let evidence = text.lines().find(|l| l.contains("[1] 0x800704DD")).unwrap();
    let (first, last) = evidence.split_once(", last ").unwrap();
    assert!(first.ends_with("local time, offset unknown"), "{evidence}");
    assert!(last.ends_with("UTC (log at -08:00)"), "{evidence}");
}

#[test]
fn wu_service_disabled_claims_nothing_of_an_absent_bits_key() {
    let text = scan_text(&[&host("rules/bits-missing")], &["-v"]);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("WU-SERVICE-DISABLED"))
        .unwrap();
    assert!(line.contains("BITS has no Start value to read"), "{line}");
    assert!(!line.contains("BITS is not disabled"), "{line}");
    assert!(!text.to_lowercase().contains("neither wuauserv nor bits"));
}

#[test]
fn the_real_cause_leads_and_shared_evidence_is_shown_once() {
    let path = host("rules/kb910341-client");
    let text = scan_text(&[&path], &[]);
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with("  KB910341-CLIENT  CONFIRMED"), "{text}");
    // Three findings cite the same lines; each example is printed once.
    let report = scan_json(&[&path]);
    let example = &report.hosts[0].findings[0].log.as_ref().unwrap().errors[0].examples[0];
    let cited = format!("{}:{}  ", example.file, example.line);
    assert_eq!(text.matches(&cited).count(), 1, "{text}");
    assert_eq!(text.matches("see [1]").count(), 3, "{text}");
}

#[test]
fn other_rules_fold_by_verdict_unless_verbose() {
    let path = host("xp-broken");
    let report = scan_json(&[&path]);
    let rules = report.hosts[0].findings.len();
    let text = scan_text(&[&path], &[]);
    assert!(!text.contains("Also checked"), "{text}");
    for label in ["  Inconclusive:", "  Healthy:", "  Not applicable:"] {
        assert_eq!(text.matches(label).count(), 1, "{label}\n{text}");
    }
    let verbose = scan_text(&[&path], &["--verbose"]);
    let each = verbose
        .lines()
        .skip_while(|l| *l != "  Also checked")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .count();
    assert_eq!(each, rules - 1, "{verbose}");
}

#[test]
fn several_hosts_close_with_a_summary_worst_first() {
    let names = [
        "xp-healthy",
        "win7",
        "xp-broken",
        "rules/clean-xp",
        "xp-latent",
    ];
    let paths: Vec<PathBuf> = names.iter().map(|n| host(n)).collect();
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let text = scan_text(&refs, &[]);
    let summary: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("== Summary of 5 hosts"))
        .collect();
    assert_eq!(
        summary[0],
        "== Summary of 5 hosts: 3 need action, 1 nothing wrong, 1 not fully checked"
    );
    let order: Vec<&str> = summary[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(order, ["xp-broken", "xp-latent", "win7"]);
    // One host: no summary.
    assert!(!scan_text(&refs[..1], &[]).contains("== Summary"));
}

#[test]
fn the_timeline_speaks_of_the_key_that_deviates() {
    // KB910341-SERVICES reports the SENS key; the deviating value is BITS's.
    let text = scan_text(&[&host("rules/kb910341-services")], &[]);
    let b = block(&text, "KB910341-SERVICES", Verdict::Confirmed);
    assert!(b.contains("Start (SYSTEM\\Services\\BITS)"), "{b}");
    let t = timeline(&b);
    assert!(t[0].starts_with("The BITS key was last written"), "{b}");
    // BITS-DEPENDENCY: the missing key (RpcSs) has no time, so no remark
    // about the BITS key it did not change.
    let text = scan_text(&[&host("rules/bits-dependency")], &[]);
    let b = block(&text, "BITS-DEPENDENCY", Verdict::Confirmed);
    assert!(timeline(&b).is_empty(), "{b}");
    assert!(b.contains("missing     SYSTEM\\Services\\RpcSs"), "{b}");
}

/// Every inconclusive finding carries its rule's steps to take by hand,
/// whichever reason made it inconclusive (no hive, unknown OS, absent key):
/// the steps follow the verdict, not the branch that reached it.
#[test]
fn inconclusive_findings_list_their_steps_whatever_the_reason() {
    let report = scan_json(&[&host("garbage"), &host("log-only")]);
    let rules = wutriage::builtin_rules();
    let mut seen = 0;
    for h in &report.hosts {
        for f in &h.findings {
            let rule = rules.iter().find(|r| r.id == f.rule).unwrap();
            let unconditional = rule
                .unchecked_steps
                .iter()
                .any(|s| s.os.is_none() && s.verdicts.is_none());
            if f.verdict == Verdict::Inconclusive && unconditional {
                assert!(
                    !f.unchecked_steps.is_empty(),
                    "{}: {} inconclusive without its steps",
                    h.host,
                    f.rule
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 4, "{seen} inconclusive findings with steps");
}
