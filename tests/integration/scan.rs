//! `wutriage scan` on the fixture hosts: verdicts, JSON contract, text, remedy, exit codes.

use std::path::Path;

use wutriage::finding::{Finding, Severity, Verdict};
use wutriage::report::Report;
use wutriage::scan::{HostReport, InputKind};
use wutriage::wulog::Hresult;

use crate::util;

/// Runs `scan --format json` on fixture hosts, returning the parsed report and the exit code.
fn scan_json(hosts: &[&str], extra: &[&str]) -> (Report, i32) {
    let mut cmd = util::wutriage();
    cmd.current_dir(util::root())
        .arg("scan")
        .args(["--format", "json"]);
    for h in hosts {
        cmd.arg(format!("fixtures/hosts/{h}"));
    }
    cmd.args(extra);
    let out = cmd.output().unwrap();
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (report, out.status.code().unwrap())
}

/// The host's KB910341 finding (always the first: the built-in rules' order).
fn finding(host: &HostReport) -> &Finding {
    let f = &host.findings[0];
    assert_eq!(f.rule, "KB910341");
    f
}

fn codes(f: &Finding) -> Vec<(String, u64)> {
    f.log
        .as_ref()
        .map(|l| {
            l.errors
                .iter()
                .map(|e| (e.code.to_string(), e.count))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_verdict_from_the_fixture_hosts() {
    let cases = [
        ("xp-broken", Verdict::Confirmed, Severity::High),
        ("win2000-broken", Verdict::Confirmed, Severity::High),
        ("xp-regexport", Verdict::Confirmed, Severity::High),
        ("xp-latent", Verdict::Latent, Severity::Medium),
        ("xp-other-cause", Verdict::OtherCause, Severity::Medium),
        ("xp-healthy", Verdict::Healthy, Severity::Info),
        ("with-system-hive", Verdict::Healthy, Severity::Info),
        ("win7", Verdict::NotApplicable, Severity::Low),
        ("log-only", Verdict::Inconclusive, Severity::Low),
        ("garbage", Verdict::Inconclusive, Severity::Info),
    ];
    let names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let (report, code) = scan_json(&names, &[]);
    assert_eq!(code, 2, "the garbage host has unreadable inputs");
    assert_eq!(report.tool.name, "wutriage");
    assert_eq!(report.hosts.len(), cases.len());
    for ((name, verdict, severity), host) in cases.iter().zip(&report.hosts) {
        assert_eq!(host.host, *name);
        let f = finding(host);
        assert_eq!(f.verdict, *verdict, "{name}: {}", f.summary);
        assert_eq!(f.severity, *severity, "{name}");
        assert!(
            !f.summary.is_empty() && f.summary.ends_with('.'),
            "{name}: {}",
            f.summary
        );
        for input in &host.inputs {
            let readable = input.error.is_none();
            assert!(
                !readable || input.sha256.as_ref().is_some_and(|h| h.len() == 64),
                "{name}: {input:?}"
            );
            if let Some(hive) = input.detail.as_hive().filter(|_| readable) {
                assert!(
                    hive.dirty().is_some(),
                    "{name}: hives say whether they are dirty"
                );
            }
        }
    }
}

#[test]
fn confirmed_finding_carries_its_evidence() {
    let (report, code) = scan_json(&["xp-broken"], &[]);
    assert_eq!(code, 0);
    let host = &report.hosts[0];
    assert_eq!(
        host.os.as_ref().unwrap().current_version.as_deref(),
        Some("5.1")
    );
    let f = finding(host);
    let reg = f.registry.as_ref().unwrap();
    assert!(reg.key.ends_with("Winlogon\\Notify\\SensLogn"));
    assert!(reg.present);
    assert!(reg.last_written.is_some());
    let problems: Vec<(&str, &str)> = reg
        .problems
        .iter()
        .map(|p| (p.value.as_str(), p.problem.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            ("Impersonate", "missing"),
            ("Logon", "missing"),
            ("Startup", "missing")
        ]
    );
    assert_eq!(reg.problems[0].expected.ty.to_string(), "REG_DWORD");
    assert!(reg.problems[0].actual.is_none());

    // Counts are lines reporting the code, checked against the file itself.
    let log_path = util::fixture("hosts/xp-broken/Windows/WindowsUpdate.log");
    let text = String::from_utf8(util::read(&log_path)).unwrap();
    let lines_with = |needle: &str| {
        text.lines()
            .filter(|l| l.to_ascii_uppercase().contains(needle))
            .count() as u64
    };
    let log = f.log.as_ref().unwrap();
    let dd = log
        .errors
        .iter()
        .find(|e| e.code == Hresult(0x800704DD))
        .unwrap();
    assert_eq!(dd.count, lines_with("800704DD"));
    assert_eq!(dd.name.as_deref(), Some("ERROR_NOT_LOGGED_ON"));
    let nu = log
        .errors
        .iter()
        .find(|e| e.code == Hresult(0x80240020))
        .unwrap();
    assert_eq!(nu.count, lines_with("80240020"));
    assert_eq!(nu.name.as_deref(), Some("WU_E_NO_INTERACTIVE_USER"));
    // Examples: at most five, with line numbers that point at the code.
    for e in [dd, nu] {
        assert!(!e.examples.is_empty() && e.examples.len() <= 5);
        let all: Vec<&str> = text.lines().collect();
        for ex in &e.examples {
            let line = all[(ex.line - 1) as usize];
            assert!(
                line.to_ascii_uppercase()
                    .contains(&format!("{:08X}", e.code.0)),
                "{line}"
            );
            assert!(ex.file.ends_with("WindowsUpdate.log"));
        }
        // The banner gives the offset: times are UTC.
        let (first, last) = (e.first.unwrap(), e.last.unwrap());
        assert!(!first.is_local() && !last.is_local(), "{first:?}");
        assert!(first.sort_key() <= last.sort_key());
    }
    assert!(
        f.timeline.iter().any(|t| t.contains("before the first")),
        "{:?}",
        f.timeline
    );
    let remedy = f.remedy.as_ref().unwrap();
    assert_eq!(remedy.values, ["Impersonate", "Logon", "Startup"]);
    assert!(!f.unchecked_steps.is_empty());
}

#[test]
fn other_cause_and_not_applicable_still_list_errors() {
    let (report, _) = scan_json(&["xp-other-cause", "win7"], &[]);
    for host in &report.hosts {
        let f = finding(host);
        assert_eq!(
            codes(f).iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["0x80240020"]
        );
        assert!(f.remedy.is_none(), "{}: nothing to restore", host.host);
    }
    let other = finding(&report.hosts[0]);
    assert!(other.summary.contains("other causes"), "{}", other.summary);
    assert!(other.registry.as_ref().unwrap().problems.is_empty());
}

#[test]
fn non_software_hive_is_listed_not_judged() {
    let (report, code) = scan_json(&["with-system-hive"], &[]);
    assert_eq!(code, 0);
    let host = &report.hosts[0];
    let kinds: Vec<_> = host.inputs.iter().map(|i| (i.kind(), i.hive())).collect();
    use wutriage::evidence::HiveKind;
    assert!(
        kinds.contains(&(InputKind::Hive, Some(HiveKind::System))),
        "{kinds:?}"
    );
    let f = finding(host);
    assert!(f.registry.as_ref().unwrap().source.ends_with("SOFTWARE"));
}

#[test]
fn garbage_and_log_only_hosts() {
    let (report, code) = scan_json(&["garbage"], &[]);
    assert_eq!(code, 2);
    let host = &report.hosts[0];
    assert!(
        host.inputs.iter().all(|i| i.error.is_some()),
        "{:?}",
        host.inputs
    );
    assert_eq!(finding(host).verdict, Verdict::Inconclusive);

    let (report, code) = scan_json(&["log-only"], &[]);
    assert_eq!(code, 0);
    let f = finding(&report.hosts[0]);
    assert_eq!(f.verdict, Verdict::Inconclusive);
    assert!(f.registry.is_none());
    assert_eq!(codes(f).len(), 2);
}

#[test]
fn explicit_files_and_host_name() {
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "--format", "json", "--host", "pc-17"])
        .args(["--software", "fixtures/registry/xp-wrong-data.hive"])
        .args([
            "--log",
            "fixtures/hosts/xp-broken/Windows/WindowsUpdate.log",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.hosts[0].host, "pc-17");
    assert_eq!(finding(&report.hosts[0]).verdict, Verdict::Confirmed);

    // A file that is not evidence, named explicitly, is an error on that input.
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "--software", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cargo.toml"));
}

#[test]
fn fail_on_severity_sets_exit_code_1() {
    let (_, code) = scan_json(&["xp-broken"], &["--fail-on", "high"]);
    assert_eq!(code, 1);
    let (_, code) = scan_json(&["xp-latent"], &["--fail-on", "high"]);
    assert_eq!(code, 0);
    let (_, code) = scan_json(&["xp-latent"], &["--fail-on", "medium"]);
    assert_eq!(code, 1);
    let out = util::wutriage()
        .args(["scan", "--fail-on", "severe", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn output_file_is_written_atomically_and_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out_path = tmp.path().join("report.json");
    let run = |force: bool| {
        let mut cmd = util::wutriage();
        cmd.current_dir(util::root())
            .args([
                "scan",
                "fixtures/hosts/xp-healthy",
                "--format",
                "json",
                "-o",
            ])
            .arg(&out_path);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let first = run(false);
    assert_eq!(first.status.code(), Some(0));
    assert!(first.stdout.is_empty());
    let report: Report = serde_json::from_slice(&util::read(&out_path)).unwrap();
    assert_eq!(finding(&report.hosts[0]).verdict, Verdict::Healthy);
    let second = run(false);
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
    assert_eq!(run(true).status.code(), Some(0));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn text_output_snapshot() {
    let out = util::wutriage()
        .current_dir(util::root())
        .args([
            "scan",
            "fixtures/hosts/xp-broken",
            "fixtures/hosts/win7",
            "fixtures/hosts/garbage",
        ])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
    insta::assert_snapshot!("scan_text", text);
}

/// Where hivexregedit is installed: merge the remedy into a copy of the
/// broken host's hive and scan again.
#[test]
fn remedy_merged_with_hivex_makes_the_host_healthy() {
    if !util::have_hivexregedit() {
        eprintln!("skipping: hivexregedit is not installed");
        return;
    }
    for (host, table_len) in [("xp-broken", 17), ("win2000-broken", 14)] {
        let tmp = tempfile::tempdir().unwrap();
        let remedies = tmp.path().join("remedies");
        let (report, code) = scan_json(&[host], &["--remedy-dir", remedies.to_str().unwrap()]);
        assert_eq!(code, 0);
        let remedy = finding(&report.hosts[0]).remedy.clone().unwrap();
        let reg_path = Path::new(remedy.file.as_ref().unwrap()).to_path_buf();
        assert_eq!(
            reg_path.file_name().unwrap().to_str().unwrap(),
            format!("{host}-KB910341.reg")
        );
        let bytes = util::read(&reg_path);
        assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16LE with BOM");

        // hivexregedit reads UTF-8 only: convert a copy.
        let utf16: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let utf8 = tmp.path().join("remedy-utf8.reg");
        std::fs::write(&utf8, String::from_utf16(&utf16).unwrap()).unwrap();
        // A copy of the host, with the remedy merged into its hive.
        let copy = tmp.path().join(host);
        let hive_dir = copy.join("Windows/System32/config");
        std::fs::create_dir_all(&hive_dir).unwrap();
        let hive = hive_dir.join("SOFTWARE");
        std::fs::copy(
            util::fixture(&format!("hosts/{host}/Windows/System32/config/SOFTWARE")),
            &hive,
        )
        .unwrap();
        std::fs::copy(
            util::fixture(&format!("hosts/{host}/Windows/WindowsUpdate.log")),
            copy.join("WindowsUpdate.log"),
        )
        .unwrap();
        let status = std::process::Command::new("hivexregedit")
            .env("PERL_UNICODE", "SDA")
            .args(["--merge", "--prefix", "HKEY_LOCAL_MACHINE\\SOFTWARE"])
            .arg(&hive)
            .arg(&utf8)
            .status()
            .unwrap();
        assert!(status.success());

        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .arg(&copy)
            .output()
            .unwrap();
        let report: Report = serde_json::from_slice(&out.stdout).unwrap();
        let f = finding(&report.hosts[0]);
        let reg = f.registry.as_ref().unwrap();
        assert!(reg.problems.is_empty(), "{host}: {:?}", reg.problems);
        assert_eq!(reg.ok.len(), table_len, "{host}: only this OS's values");
        assert!(
            reg.extra_values.is_empty(),
            "{host}: no values of another OS"
        );
        // The log still reports the errors it had; with SensLogn repaired the
        // rule now points elsewhere. A clean log makes the host healthy.
        assert_eq!(f.verdict, Verdict::OtherCause, "{host}");
        std::fs::remove_file(copy.join("WindowsUpdate.log")).unwrap();
        std::fs::copy(
            util::fixture("hosts/xp-healthy/Windows/WindowsUpdate.log"),
            copy.join("WindowsUpdate.log"),
        )
        .unwrap();
        let out = util::wutriage()
            .args(["scan", "--format", "json"])
            .arg(&copy)
            .output()
            .unwrap();
        let report: Report = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            finding(&report.hosts[0]).verdict,
            Verdict::Healthy,
            "{host}"
        );
    }
}
