//! The exact command lines of contrib/ run against collections built from
//! the fixture hosts: the server artifact's `execve` argv over a
//! Velociraptor-layout folder, the KAPE module's processors over a
//! KAPE-layout folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use regex::Regex;
use serde_json::Value;
use wutriage::report::csv::COLUMNS;
use wutriage::scan::HostReport;

use crate::contrib::{self, ANALYSE};
use crate::contrib_globs;
use crate::util;

/// Fixture hosts collected, each with what the expected KB910341 verdict is
/// once only the collected files are there (the `.reg` export is not).
const HOSTS: &[(&str, &str)] = &[
    ("xp-broken", "confirmed"),
    ("xp-healthy", "healthy"),
    ("win2000-broken", "confirmed"),
    ("win7", "not-applicable"),
    ("xp-latent", "latent"),
    ("with-system-hive", "healthy"),
    ("xp-regexport", "inconclusive"),
];

/// Velociraptor's upload path for the raw NTFS accessor on C:, as it is
/// written out (`\\.\C:` with its characters escaped).
const NTFS_C: &str = "uploads/ntfs/%5C%5C.%5CC%3A";

/// Files of a fixture host as (path relative to the host, with `\`).
fn host_files(dir: &Path, rel: &str, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir.join(rel.replace('\\', "/"))).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        let r = if rel.is_empty() {
            name
        } else {
            format!("{rel}\\{name}")
        };
        if e.file_type().unwrap().is_dir() {
            host_files(dir, &r, out);
        } else {
            out.push(r);
        }
    }
}

/// Copies into ROOT/<folder>/<prefix>/… the files of each fixture host that
/// COLLECTS; returns host name → folder name.
fn collect(
    root: &Path,
    folder: impl Fn(usize, &str) -> String,
    prefix: &str,
    collects: impl Fn(&str) -> bool,
) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for (i, (host, _)) in HOSTS.iter().enumerate() {
        let src = util::fixture("hosts").join(host);
        let f = folder(i, host);
        let mut all = vec![];
        host_files(&src, "", &mut all);
        for rel in all.into_iter().filter(|r| collects(r)) {
            let to = root.join(&f).join(prefix).join(rel.replace('\\', "/"));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(src.join(rel.replace('\\', "/")), &to).unwrap();
        }
        names.insert(host.to_string(), f);
    }
    names
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("wutriage")
}

fn run(argv: &[String]) -> Output {
    std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .output()
        .unwrap()
}

/// The `execve(argv=[…], sep=…, length=…)` of the server artifacts' export,
/// its placeholders replaced; and its `length`.
fn server_argv(binary: &Path, dir: &Path) -> (Vec<String>, usize) {
    let export = contrib::artifact(ANALYSE).export.unwrap();
    let re = Regex::new(r#"execve\(argv=\[([^\]]*)\],\s*sep="\\n", length=(\d+)\)"#).unwrap();
    let caps = re
        .captures(&export)
        .expect("execve(argv=[…], sep=\"\\n\", length=N)");
    let argv = caps[1]
        .split(',')
        .map(|item| match item.trim() {
            "Binary" => binary.to_str().unwrap().to_string(),
            "Dir" => dir.to_str().unwrap().to_string(),
            s if s.starts_with('"') && s.ends_with('"') => s[1..s.len() - 1].to_string(),
            s => panic!("unknown argv item {s}"),
        })
        .collect();
    (argv, caps[2].parse().unwrap())
}

/// The fields the artifact reads from each JSON line are there.
fn check_fields_read(line: &Value, vql: &str) {
    let host = &line["host"];
    for (read, value) in [
        ("Report.host", host),
        ("Report.findings", &line["findings"]),
        ("Report.inputs", &line["inputs"]),
    ] {
        assert!(vql.contains(read), "{read}");
        assert!(!value.is_null(), "{read} of {host}");
    }
    assert!(vql.contains("Report.os.description"));
    let os = line
        .get("os")
        .expect("os: an object, or null without SOFTWARE evidence");
    assert!(
        os.is_null() || os["description"].is_string(),
        "os of {host}"
    );
    for f in line["findings"].as_array().unwrap() {
        for name in ["rule", "verdict", "severity", "summary", "codes"] {
            assert!(vql.contains(&format!("{name} AS ")) || vql.contains(&format!("array={name}")));
            assert!(!f[name].is_null(), "{name}");
        }
        for e in f["log"]["errors"].as_array().into_iter().flatten() {
            assert!(e["code"].is_string() && e["count"].is_u64());
        }
    }
    assert!(vql.contains("\"log.errors\"") && vql.contains("args=[code, count]"));
}

/// KB910341's finding of the host in REPORTS, by folder name.
fn kb910341<'a>(reports: &'a [HostReport], folder: &str) -> &'a wutriage::finding::Finding {
    let r = reports.iter().find(|r| r.host == folder).unwrap();
    r.findings.iter().find(|f| f.rule == "KB910341").unwrap()
}

fn check_verdicts(reports: &[HostReport], names: &BTreeMap<String, String>) {
    let mut hosts: Vec<&str> = reports.iter().map(|r| r.host.as_str()).collect();
    hosts.sort();
    let mut want: Vec<&str> = names.values().map(String::as_str).collect();
    want.sort();
    assert_eq!(hosts, want, "one host per collected machine");
    for (host, verdict) in HOSTS {
        let f = kb910341(reports, &names[*host]);
        assert_eq!(f.verdict.to_string(), *verdict, "{host}");
    }
    let broken = kb910341(reports, &names["xp-broken"]);
    let codes: Vec<(String, u64)> = broken
        .log
        .as_ref()
        .unwrap()
        .errors
        .iter()
        .map(|e| (e.code.to_string(), e.count))
        .collect();
    assert_eq!(
        codes,
        [
            ("0x800704DD".to_string(), 20),
            ("0x80240020".to_string(), 12)
        ]
    );
}

/// One flow as the server artifacts run it: a folder holding the one host
/// folder; its JSON lines.
fn run_flow(flow: &Path, length: usize) -> Vec<String> {
    let (argv, _) = server_argv(&bin(), flow);
    let out = run(&argv);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.is_empty(),
        "execve mixes standard error into Stdout rows: {stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = stdout
        .split('\n')
        .filter(|l| l.starts_with('{'))
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 1, "one host per flow");
    assert!(
        lines[0].len() < length,
        "a host's line fits execve's buffer"
    );
    lines
}

#[test]
fn server_artifact_command_line_over_a_velociraptor_collection() {
    let tmp = tempfile::tempdir().unwrap();
    let (uploads, flows) = (tmp.path().join("uploads"), tmp.path().join("flows"));
    let globs = contrib::collection_globs();
    let names = collect(
        &uploads,
        |i, _| format!("C.{:016x}", 0x5eed_0000 + i),
        NTFS_C,
        |rel| contrib_globs::velociraptor_kind(&globs, rel).is_some(),
    );
    let (_, length) = server_argv(&bin(), tmp.path());
    let vql = contrib::vql(&contrib::artifact(ANALYSE));
    let mut reports = vec![];
    for client in names.values() {
        let flow = flows.join(format!("flow-{client}"));
        std::fs::create_dir_all(&flow).unwrap();
        std::fs::rename(uploads.join(client), flow.join(client)).unwrap();
        for line in run_flow(&flow, length) {
            check_fields_read(&serde_json::from_str(&line).unwrap(), &vql);
            let r: HostReport = serde_json::from_str(&line).unwrap();
            assert!(
                r.inputs.iter().all(|i| i.path.contains(NTFS_C)),
                "{}",
                r.host
            );
            reports.push(r);
        }
    }
    check_verdicts(&reports, &names);
}

/// A processor's command line with KAPE's variables replaced, split as
/// KAPE splits it (no spaces in these paths), `\` as this OS's separator.
fn kape_argv(line: &str, source: &Path, dest: &Path) -> Vec<String> {
    let mut argv = vec![bin().to_str().unwrap().to_string()];
    for token in line.split_whitespace() {
        let t = token
            .replace("%sourceDirectory%", source.to_str().unwrap())
            .replace("%destinationDirectory%", dest.to_str().unwrap());
        assert!(!t.contains('%'), "unknown KAPE variable in {token}");
        argv.push(t.replace('\\', std::path::MAIN_SEPARATOR_STR));
    }
    argv
}

#[test]
fn kape_module_command_lines_over_a_kape_collection() {
    let tmp = tempfile::tempdir().unwrap();
    let (source, dest) = (tmp.path().join("tdest"), tmp.path().join("mdest"));
    let t = contrib::target();
    let names = collect(
        &source,
        |_, h| h.to_string(),
        "C",
        |rel| contrib_globs::kape_collects(&t, rel),
    );
    std::fs::create_dir(&dest).unwrap();
    let m = contrib::module();
    let mut written = vec![];
    for p in &m.processors {
        let out = run(&kape_argv(&p.command_line, &source, &dest));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = p.command_line.rsplit('\\').next().unwrap();
        let text = std::fs::read_to_string(dest.join(file)).unwrap();
        match p.export_format.as_str() {
            "csv" => check_csv(&text, &names),
            "json" => {
                let reports: Vec<HostReport> = text
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                check_verdicts(&reports, &names);
            }
            f => panic!("unexpected export format {f}"),
        }
        written.push(file.to_string());
        // Run again: KAPE re-runs a module into the same folder.
        assert_eq!(
            run(&kape_argv(&p.command_line, &source, &dest))
                .status
                .code(),
            Some(0)
        );
    }
    let mut found: Vec<String> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    found.sort();
    written.sort();
    assert_eq!(found, written, "nothing else is written");
}

fn check_csv(text: &str, names: &BTreeMap<String, String>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // A row per finding at or above low, one for a host with none.
    for host in names.keys() {
        assert!(rows.iter().any(|row| &row[0] == host), "{host}");
    }
    let severity = COLUMNS.iter().position(|c| *c == "severity").unwrap();
    assert!(rows
        .iter()
        .all(|row| row[severity].is_empty() || &row[severity] != "info"));
    let kb = |host: &str| {
        rows.iter()
            .find(|row| &row[0] == host && &row[1] == "KB910341")
    };
    for (host, verdict) in HOSTS {
        match kb(host) {
            Some(row) => assert_eq!(&row[2], *verdict, "{host}"),
            None => assert!(
                matches!(*verdict, "healthy" | "not-applicable" | "inconclusive"),
                "{host}"
            ),
        }
    }
    let codes = COLUMNS.iter().position(|c| *c == "error_codes").unwrap();
    assert_eq!(
        &kb("xp-broken").unwrap()[codes],
        "0x800704DD=20; 0x80240020=12"
    );
}
