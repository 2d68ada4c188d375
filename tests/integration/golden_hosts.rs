//! The whole JSON report of every fixture host, compared with the one kept in
//! `golden-hosts/`. A refactor must leave these unchanged; a change that fixes
//! a defect regenerates them with `WUTRIAGE_BLESS=1 cargo test golden_hosts`
//! and names the difference in its commit.

use crate::util;
use serde_json::Value as Json;

#[test]
fn every_fixture_host_reports_as_its_golden_json() {
    let mut folders: Vec<String> = std::fs::read_dir(util::fixture("hosts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            format!(
                "fixtures/hosts/{}/",
                p.file_name().unwrap().to_str().unwrap()
            )
        })
        .collect();
    folders.sort();
    let out = util::wutriage()
        .current_dir(util::root())
        .args(["scan", "--format", "json"])
        .args(&folders)
        .output()
        .unwrap();
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    let hosts = report["hosts"].as_array().unwrap();
    let golden = util::root().join("tests/integration/golden-hosts");
    let bless = std::env::var_os("WUTRIAGE_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&golden).unwrap();
    }
    let mut names = Vec::new();
    for host in hosts {
        let name = host["host"].as_str().unwrap();
        let path = golden.join(format!("{name}.json"));
        if bless {
            let mut text = serde_json::to_string_pretty(host).unwrap();
            text.push('\n');
            std::fs::write(&path, text).unwrap();
        }
        let want: Json = serde_json::from_slice(&util::read(&path)).unwrap();
        assert!(
            host == &want,
            "{name}: report differs from {}\n--- got\n{}",
            path.display(),
            serde_json::to_string_pretty(host).unwrap()
        );
        names.push(format!("{name}.json"));
    }
    // Every golden file still has its host.
    let mut kept: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    names.sort();
    assert_eq!(kept, names);
    assert!(names.len() >= 25, "{} fixture hosts", names.len());
}
