//! The collection globs of contrib/ (the Velociraptor artifact's and the
//! KAPE target's) against every evidence kind wutriage reads, and against
//! files they must not take.

use std::path::Path;

use regex::Regex;
use serde_json::Value;

use crate::contrib::{self, Target};
use crate::util;

/// A glob (Velociraptor's: `*` one or more characters, `?` one, `{a,b}`
/// alternatives; KAPE's file masks: `*` any run) as a case-insensitive regex
/// over a whole `\`-separated path.
pub fn glob_regex(glob: &str, star: &str) -> Regex {
    let mut re = String::from("(?i)^");
    for c in glob.chars() {
        match c {
            '*' => re.push_str(star),
            '?' => re.push_str(r"[^\\]"),
            '{' => re.push('('),
            '}' => re.push(')'),
            ',' => re.push('|'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).unwrap()
}

/// The Velociraptor kind whose glob matches PATH (relative to the drive).
pub fn velociraptor_kind(globs: &[(String, String)], path: &str) -> Option<String> {
    let hits: Vec<&String> = globs
        .iter()
        .filter(|(_, g)| glob_regex(g, r"[^\\]+").is_match(path))
        .map(|(k, _)| k)
        .collect();
    assert!(hits.len() <= 1, "{path} matched by {hits:?}");
    hits.first().map(|k| k.to_string())
}

/// True when a KAPE target entry collects PATH (relative to the drive).
pub fn kape_collects(t: &Target, path: &str) -> bool {
    let (dir, name) = path.rsplit_once('\\').unwrap();
    t.targets.iter().any(|e| {
        let d = e.path.strip_prefix("C:\\").unwrap().trim_end_matches('\\');
        let in_dir = if e.recursive {
            dir.to_lowercase().starts_with(&d.to_lowercase())
        } else {
            dir.eq_ignore_ascii_case(d)
        };
        in_dir && glob_regex(&e.file_mask, r"[^\\]*").is_match(name)
    })
}

/// The evidence wutriage reads in the fixture hosts, as (path relative to
/// the host folder with `\`, expected collection kind); exports separately.
fn fixture_evidence() -> (Vec<(String, String)>, Vec<String>) {
    let hosts = util::fixture("hosts");
    let mut cmd = util::wutriage();
    cmd.args(["scan", "--format", "json"]);
    for h in [
        "xp-broken",
        "win2000-broken",
        "with-system-hive",
        "xp-regexport",
    ] {
        cmd.arg(hosts.join(h));
    }
    let out = cmd.output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (mut read, mut exports) = (vec![], vec![]);
    for host in doc["hosts"].as_array().unwrap() {
        let dir = hosts.join(host["host"].as_str().unwrap());
        for input in host["inputs"].as_array().unwrap() {
            let p = Path::new(input["path"].as_str().unwrap());
            let rel = p
                .strip_prefix(&dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('/', "\\");
            match input["kind"].as_str().unwrap() {
                "reg-export" => exports.push(rel),
                "hive" => read.push((rel, "hive".to_string())),
                "update-log" => read.push((rel, "update-log".to_string())),
                k => panic!("unexpected kind {k} in the fixture hosts"),
            }
        }
    }
    (read, exports)
}

/// Evidence of the kinds the fixture hosts lack, where Windows keeps it.
const MORE_EVIDENCE: &[(&str, &str)] = &[
    (r"WINNT\system32\config\SOFTWARE", "hive"),
    (r"WINDOWS\system32\config\system", "hive"),
    (r"Windows\System32\config\SOFTWARE.LOG", "transaction-log"),
    (r"Windows\System32\config\SOFTWARE.LOG1", "transaction-log"),
    (r"Windows\System32\config\SYSTEM.LOG2", "transaction-log"),
    (r"WINNT\system32\config\software.LOG", "transaction-log"),
    (r"WINNT\WindowsUpdate.log", "update-log"),
    (
        r"Windows\SoftwareDistribution\ReportingEvents.log",
        "reporting-events",
    ),
    (
        r"Windows\Logs\WindowsUpdate\WindowsUpdate.20240115.101010.123.1.etl",
        "etl",
    ),
    (r"Windows\System32\winevt\Logs\System.evtx", "evtx"),
    (
        r"Windows\System32\winevt\Logs\Microsoft-Windows-WindowsUpdateClient%4Operational.evtx",
        "evtx",
    ),
    (r"WINDOWS\system32\config\SysEvent.Evt", "evt"),
];

/// Files neither engine should take.
const NOT_EVIDENCE: &[&str] = &[
    r"Windows\System32\config\SAM",
    r"Windows\System32\config\SECURITY",
    r"Windows\System32\config\SOFTWARE.sav",
    r"Windows\System32\config\RegBack\SOFTWARE",
    r"Windows\System32\winevt\Logs\Security.evtx",
    r"Windows\System32\config\AppEvent.Evt",
    r"Windows\WindowsUpdate.log.bak",
];

#[test]
fn collection_globs_cover_every_evidence_kind_wutriage_reads() {
    let globs = contrib::collection_globs();
    let t = contrib::target();
    let (read, exports) = fixture_evidence();
    assert!(read.iter().any(|(_, k)| k == "hive") && read.iter().any(|(_, k)| k == "update-log"));
    let more = MORE_EVIDENCE
        .iter()
        .map(|(p, k)| (p.to_string(), k.to_string()));
    for (path, kind) in read.into_iter().chain(more) {
        assert_eq!(velociraptor_kind(&globs, &path), Some(kind), "{path}");
        assert!(kape_collects(&t, &path), "the KAPE target misses {path}");
    }
    let kinds: Vec<&str> = globs.iter().map(|(k, _)| k.as_str()).collect();
    for (_, k) in MORE_EVIDENCE {
        assert!(kinds.contains(k), "{k}");
    }
    assert!(!exports.is_empty());
    for path in exports
        .iter()
        .map(String::as_str)
        .chain(NOT_EVIDENCE.iter().copied())
    {
        assert_eq!(velociraptor_kind(&globs, path), None, "{path}");
        assert!(!kape_collects(&t, path), "the KAPE target takes {path}");
    }
}
