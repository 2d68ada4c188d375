//! Every rule fires on a host that has its cause and its code, and stays
//! quiet on a clean host of the same Windows version. The hosts are written
//! here as regedit exports (which `scan` reads like hives) and a classic log.

use std::path::{Path, PathBuf};

use wutriage::finding::Verdict;
use wutriage::report::Report;

use crate::util;

const CS: &str = "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services";
const POL: &str = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";

/// REG_MULTI_SZ / REG_EXPAND_SZ data as a v5 `hex(N):` list.
fn hex_utf16(ty: u32, items: &[&str]) -> String {
    let mut units: Vec<u16> = Vec::new();
    for i in items {
        units.extend(i.encode_utf16());
        units.push(0);
    }
    if ty == 7 {
        units.push(0);
    }
    let bytes: Vec<String> = units
        .iter()
        .flat_map(|u| u.to_le_bytes())
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("hex({ty}):{}", bytes.join(","))
}

/// A healthy SYSTEM hive (as a whole-hive export) for the OS: services as Windows sets them up.
fn system(os: &str) -> String {
    let bits_start = if os == "win2000" { 2 } else { 3 };
    let mut s = format!(
        "Windows Registry Editor Version 5.00\r\n\r\n\
         [HKEY_LOCAL_MACHINE\\SYSTEM]\r\n\r\n\
         [HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Current\"=dword:00000001\r\n\"Default\"=dword:00000001\r\n\r\n\
         [{CS}\\wuauserv]\r\n\"Start\"=dword:00000002\r\n\r\n\
         [{CS}\\BITS]\r\n\"Start\"=dword:{bits_start:08x}\r\n\"DependOnService\"={}\r\n\r\n\
         [{CS}\\BITS\\Parameters]\r\n\"ServiceDll\"={}\r\n\r\n\
         [{CS}\\RpcSs]\r\n\"Start\"=dword:00000002\r\n\r\n\
         [{CS}\\SENS]\r\n\"Start\"=dword:00000002\r\n\r\n\
         [{CS}\\LanmanWorkstation]\r\n\"Start\"=dword:00000002\r\n\r\n",
        hex_utf16(7, &["Rpcss", "EventSystem"]),
        hex_utf16(2, &["%SystemRoot%\\System32\\qmgr.dll"]),
    );
    if os == "win7" {
        s.push_str(&format!(
            "[{CS}\\TrustedInstaller]\r\n\"Start\"=dword:00000003\r\n\r\n"
        ));
    }
    s
}

/// A healthy SOFTWARE hive (as an export): the fixture source for the OS plus the service groups.
fn software(os: &str) -> String {
    let source = match os {
        "win2000" => "win2000-complete.reg",
        "win7" => "win7.reg",
        _ => "xp-complete.reg",
    };
    let mut s =
        String::from_utf8(util::read(&util::fixture(&format!("registry/{source}")))).unwrap();
    s.push_str(&format!(
        "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Svchost]\r\n\"netsvcs\"={}\r\n\r\n",
        hex_utf16(7, &["6to4", "AppMgmt", "BITS", "Browser", "CryptSvc", "EventSystem", "wuauserv"])
    ));
    s
}

/// A classic WindowsUpdate.log whose agent reports `code` (or nothing).
fn log(code: Option<&str>) -> String {
    let mut s = String::from(
        "2009-06-10\t08:19:07:500\t1044\t5b4\tMisc\t===========  Logging initialized (build: 7.0.6000.374, tz: -0800)  ===========\r\n\
         2009-06-10\t08:19:07:510\t1044\t5b4\tAgent\t*************\r\n",
    );
    // Each code on a line of the kind its rule counts ([[log_context]]).
    let line = |code: &str| {
        match code {
        "0x80070422" => format!("COMAPI\tFATAL: Unable to connect to the service (hr={})", &code[2..]),
        "0x80070424" | "0x8007043B" | "0x80070433" | "0x80070002" => format!(
            "DnldMgr\tWARNING: Failed to create BITS job, updateId = {{1247EB0C-12A4-590A-A3D0-8519ECF41BE9}}.101, hr = {code}"
        ),
        "0x80070BC9" => format!("Handler\tFATAL: CBS called Error with {code},"),
        _ => format!("Agent\tWARNING: Failed to start the update agent, hr={}", &code[2..]),
    }
    };
    if let Some(code) = code {
        s.push_str(&format!(
            "2009-06-10\t08:19:07:562\t1044\t5b4\t{}\r\n",
            line(code)
        ));
    }
    s
}

fn write_host(
    dir: &Path,
    name: &str,
    os: &str,
    system_extra: &str,
    software_extra: &str,
    code: Option<&str>,
) -> PathBuf {
    let host = dir.join(name);
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(
        host.join("SYSTEM.reg"),
        format!("{}{system_extra}", system(os)),
    )
    .unwrap();
    std::fs::write(
        host.join("SOFTWARE.reg"),
        format!("{}{software_extra}", software(os)),
    )
    .unwrap();
    std::fs::write(host.join("WindowsUpdate.log"), log(code)).unwrap();
    host
}

fn scan(hosts: &[PathBuf]) -> Report {
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .args(hosts)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, OS, SYSTEM change, SOFTWARE change, code logged)
fn cases() -> Vec<(&'static str, &'static str, String, String, &'static str)> {
    vec![
        ("KB910341-SERVICES", "win2000", format!("[{CS}\\BITS]\r\n\"Start\"=dword:00000003\r\n"), String::new(), "0x800704DD"),
        ("KB910341-CLIENT", "win2000", format!("[{CS}\\LanmanWorkstation]\r\n\"Start\"=dword:00000004\r\n"), String::new(), "0x80240020"),
        ("WU-SERVICE-DISABLED", "xp", format!("[{CS}\\wuauserv]\r\n\"Start\"=dword:00000004\r\n"), String::new(), "0x80070422"),
        ("BITS-MISSING", "xp", format!("[-{CS}\\BITS]\r\n"), String::new(), "0x80070424"),
        (
            "BITS-NOT-IN-NETSVCS",
            "xp",
            String::new(),
            format!(
                "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Svchost]\r\n\"netsvcs\"={}\r\n",
                hex_utf16(7, &["6to4", "AppMgmt", "wuauserv"])
            ),
            "0x8007043B",
        ),
        ("BITS-DEPENDENCY", "xp", format!("[-{CS}\\RpcSs]\r\n"), String::new(), "0x80070433"),
        ("BITS-SERVICEDLL", "xp", format!("[{CS}\\BITS\\Parameters]\r\n\"ServiceDll\"=-\r\n"), String::new(), "0x80070002"),
        ("WSUS-SERVER-NOT-SET", "xp", String::new(), format!("[{POL}]\r\n\r\n[{POL}\\AU]\r\n\"UseWUServer\"=dword:00000001\r\n"), "0x80244011"),
        (
            "WU-INTERNET-LOCATIONS-BLOCKED",
            "xp",
            String::new(),
            format!("[{POL}]\r\n\"DoNotConnectToWindowsUpdateInternetLocations\"=dword:00000001\r\n"),
            "0x8024002E",
        ),
        ("WU-ACCESS-DISABLED", "xp", String::new(), format!("[{POL}]\r\n\"DisableWindowsUpdateAccess\"=dword:00000001\r\n"), "0x80240025"),
        ("TRUSTEDINSTALLER-START", "win7", format!("[{CS}\\TrustedInstaller]\r\n\"Start\"=dword:00000002\r\n"), String::new(), "0x80070BC9"),
    ]
}

#[test]
fn each_rule_fires_on_its_cause_and_not_on_a_clean_host() {
    let tmp = tempfile::tempdir().unwrap();
    let clean: Vec<PathBuf> = ["xp", "win2000", "win7"]
        .iter()
        .map(|os| write_host(tmp.path(), &format!("clean-{os}"), os, "", "", None))
        .collect();
    let report = scan(&clean);
    for host in &report.hosts {
        for f in &host.findings {
            assert!(
                matches!(f.verdict, Verdict::Healthy | Verdict::NotApplicable),
                "{}: {} is {}: {}",
                host.host,
                f.rule,
                f.verdict,
                f.summary
            );
        }
    }

    let cases = cases();
    let hosts: Vec<PathBuf> = cases
        .iter()
        .map(|(rule, os, sys, soft, code)| {
            write_host(tmp.path(), &rule.to_lowercase(), os, sys, soft, Some(code))
        })
        .collect();
    let report = scan(&hosts);
    for ((rule, ..), host) in cases.iter().zip(&report.hosts) {
        let f = host.findings.iter().find(|f| f.rule == *rule).unwrap();
        assert_eq!(f.verdict, Verdict::Confirmed, "{rule}: {}", f.summary);
        assert!(!f.registry.as_ref().unwrap().problems.is_empty(), "{rule}");
    }
    // Every built-in rule but KB910341 (covered by its own fixture hosts) has a case.
    let ids: Vec<&str> = wutriage::scan::builtin_rules()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for id in ids.iter().filter(|id| **id != "KB910341") {
        assert!(cases.iter().any(|c| c.0 == *id), "no host fires {id}");
    }
}

#[test]
fn a_cause_without_its_code_is_latent_and_related_causes_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let latent = write_host(
        tmp.path(),
        "latent",
        "xp",
        &format!("[{CS}\\wuauserv]\r\n\"Start\"=dword:00000004\r\n"),
        "",
        None,
    );
    // Windows 2000 with SensLogn right but BITS on manual: KB910341 points at the services.
    let other = write_host(
        tmp.path(),
        "other",
        "win2000",
        &format!("[{CS}\\SENS]\r\n\"Start\"=dword:00000003\r\n"),
        "",
        Some("0x800704DD"),
    );
    let report = scan(&[latent, other]);
    let f = report.hosts[0]
        .findings
        .iter()
        .find(|f| f.rule == "WU-SERVICE-DISABLED")
        .unwrap();
    assert_eq!(f.verdict, Verdict::Latent, "{}", f.summary);
    let remedy = f.remedy.as_ref().unwrap();
    assert!(
        remedy
            .reg
            .contains("[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\wuauserv]"),
        "{}",
        remedy.reg
    );
    assert!(
        remedy.reg.contains("\"Start\"=dword:00000002"),
        "{}",
        remedy.reg
    );

    let kb = &report.hosts[1].findings[0];
    assert_eq!(kb.rule, "KB910341");
    assert_eq!(kb.verdict, Verdict::OtherCause, "{}", kb.summary);
    assert!(kb.summary.contains("KB910341-SERVICES"), "{}", kb.summary);
}

#[test]
fn registry_results_count_as_error_evidence_without_a_log() {
    let tmp = tempfile::tempdir().unwrap();
    let host = tmp.path().join("no-log");
    std::fs::create_dir_all(&host).unwrap();
    let mut soft =
        String::from_utf8(util::read(&util::fixture("registry/xp-missing-values.reg"))).unwrap();
    soft.push_str(
        "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Install]\r\n\
         \"LastError\"=dword:80240020\r\n\"LastSuccessTime\"=\"2009-06-09 21:00:01\"\r\n",
    );
    std::fs::write(host.join("SOFTWARE.reg"), soft).unwrap();
    let report = scan(&[host]);
    let kb = &report.hosts[0].findings[0];
    assert_eq!(kb.verdict, Verdict::Confirmed, "{}", kb.summary);
    assert!(kb.log.is_none());
    assert_eq!(kb.registry_errors.len(), 1);
    assert_eq!(kb.registry_errors[0].code.to_string(), "0x80240020");
    assert!(kb.registry_errors[0].key.ends_with("Results\\Install"));
    // The registry, not a log, is named as the source: this host has no log.
    assert!(
        kb.summary
            .contains("the registry records 0x80240020 as the last Install error"),
        "{}",
        kb.summary
    );
    assert!(!kb.summary.contains("log reports"), "{}", kb.summary);
    // This export has no Svchost key: partial evidence, not a missing BITS entry.
    let netsvcs = report.hosts[0]
        .findings
        .iter()
        .find(|f| f.rule == "BITS-NOT-IN-NETSVCS")
        .unwrap();
    assert_eq!(
        netsvcs.verdict,
        Verdict::Inconclusive,
        "{}",
        netsvcs.summary
    );
}

#[test]
fn the_current_control_set_is_followed_in_a_real_system_hive() {
    let Some(corpus) = util::corpus() else { return };
    let report = scan(&[corpus.join("hives/regipy/SYSTEM")]);
    let host = &report.hosts[0];
    let evaluated: Vec<_> = host
        .findings
        .iter()
        .filter(|f| {
            f.registry
                .as_ref()
                .is_some_and(|r| r.key.contains("\\SYSTEM\\ControlSet00"))
        })
        .collect();
    assert!(
        evaluated.len() >= 5,
        "service rules evaluated: {:?}",
        host.findings
            .iter()
            .map(|f| (&f.rule, f.verdict))
            .collect::<Vec<_>>()
    );
    for f in evaluated {
        let r = f.registry.as_ref().unwrap();
        assert!(r.present, "{}: {}", f.rule, r.key);
        assert!(!r.ok.is_empty() || !r.problems.is_empty(), "{}", f.rule);
    }
}

/// The committed fixture hosts (`fixtures/hosts/rules/`): each fires the rule
/// it is named after; the clean ones fire none.
#[test]
fn fixture_hosts_fire_the_rule_they_are_named_after() {
    let dir = util::fixture("hosts/rules");
    let mut hosts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    hosts.sort();
    let report = scan(&hosts);
    let ids: Vec<&str> = wutriage::scan::builtin_rules()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let mut fired = Vec::new();
    for host in &report.hosts {
        let name = host.host.as_str();
        if name.starts_with("clean-") {
            for f in &host.findings {
                assert!(
                    matches!(f.verdict, Verdict::Healthy | Verdict::NotApplicable),
                    "{name}: {} is {}: {}",
                    f.rule,
                    f.verdict,
                    f.summary
                );
            }
            continue;
        }
        let rule = if name == "hive-only-confirmed" {
            "KB910341".to_string()
        } else {
            name.to_uppercase()
        };
        let f = host
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{name}: no rule {rule}"));
        assert_eq!(f.verdict, Verdict::Confirmed, "{name}: {}", f.summary);
        fired.push(rule);
    }
    for id in ids {
        assert!(fired.iter().any(|r| r == id), "no fixture host fires {id}");
    }
}
