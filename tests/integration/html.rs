//! The HTML report, loaded in headless Chromium: the page's script runs and
//! the DOM it builds is checked (rows, chart, details, hostile text shown as
//! text), at the fixtures' size and at 10,000 hosts.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wutriage::report::html::HtmlWriter;
use wutriage::report::Tool;
use wutriage::scan::{analyse, builtin_rules, HostSpec};

use crate::util;

/// `chromium` on PATH (`.ci/run` installs it). `None` (with a line saying
/// why) when absent; under `CI=true` absence fails.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromium"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium not found (required under CI=true)");
        }
        eprintln!("skipping: chromium not found (.ci/run installs it)");
    }
    found
}

/// The DOM of `page` (with `fragment`) after its script ran.
fn dom(chromium: &Path, page: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{fragment}", page.display());
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page's script did not finish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The page's embedded data, parsed.
fn data(page: &str) -> Value {
    let start = page.find("id=\"wutriage-data\">").unwrap() + "id=\"wutriage-data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

fn triage_html(root: &Path, out: &Path) {
    let run = util::wutriage()
        .current_dir(util::root())
        .arg("triage")
        .arg(root)
        .args(["-q", "--format", "html", "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert!(matches!(run.status.code(), Some(0 | 2)), "{run:?}");
}

#[test]
fn the_embedded_data_is_one_json_document_with_every_host() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    triage_html(&util::fixture("hosts"), &out);
    let page = String::from_utf8(util::read(&out)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Self-contained: nothing is loaded from anywhere.
    for outside in ["src=", "href=", "@import", "url("] {
        assert!(!page.contains(outside), "{outside}");
    }
    let d = data(&page);
    let jsonl = util::wutriage()
        .current_dir(util::root())
        .args(["triage", "fixtures/hosts", "-q", "--format", "jsonl"])
        .output()
        .unwrap();
    let hosts: Vec<String> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["host"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let names: Vec<&str> = d["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    assert_eq!(names, hosts);
    assert_eq!(d["totals"]["hosts"], hosts.len() as u64);
    assert_eq!(
        d["overview"].as_array().unwrap().len(),
        builtin_rules().len()
    );
    assert!(d["days"]["days"]
        .as_object()
        .unwrap()
        .contains_key("2009-06-10"));
}

#[test]
fn a_triage_of_the_fixture_hosts_renders_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    triage_html(&util::fixture("hosts"), &out);
    let page = dom(&chromium, &out, "");
    let hosts = std::fs::read_dir(util::fixture("hosts/rules"))
        .unwrap()
        .count()
        + std::fs::read_dir(util::fixture("hosts")).unwrap().count()
        - 1;
    assert_eq!(count(&page, "<tr class=\"host-row"), hosts);
    assert!(
        page.contains(&format!("1–{hosts} of {hosts} hosts")),
        "pager"
    );
    assert!(page.contains("<svg viewBox="), "the chart");
    assert!(count(&page, "<rect ") > 1, "bars");
    assert_eq!(
        count(&page, "<td class=\"rule\""),
        builtin_rules().len() + hosts
    );
    // No details until a host is opened.
    assert!(!page.contains("class=\"details\""));

    let opened = dom(&chromium, &out, "#host=xp-broken");
    assert_eq!(count(&opened, "class=\"details\""), 1);
    assert!(opened.contains("Download xp-broken-KB910341.reg"));
    assert!(opened.contains("Windows/WindowsUpdate.log:68: 2009-06-10"));
    assert!(opened.contains("<span class=\"badge v-confirmed\">confirmed</span>"));
}

#[test]
fn a_scan_report_renders_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scan.html");
    let run = util::wutriage()
        .current_dir(util::root())
        .args([
            "scan",
            "fixtures/hosts/xp-healthy",
            "--format",
            "html",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let page = dom(&chromium, &out, "#host=xp-healthy");
    assert_eq!(count(&page, "<tr class=\"host-row"), 1);
    assert!(page.contains("Nothing wrong found on this host."));
}

/// A host whose name and log line are markup and script.
fn hostile_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let host = root.path().join("<b id=\"pwned-host\">x");
    let win = host.join("Windows");
    std::fs::create_dir_all(win.join("System32/config")).unwrap();
    std::fs::copy(
        util::fixture("hosts/xp-broken/Windows/System32/config/SOFTWARE"),
        win.join("System32/config/SOFTWARE"),
    )
    .unwrap();
    let line = "2009-06-10\t08:19:07:562\t1044\t5b4\tAU\tWARNING: Failed to get user token for session 0, hr=800704DD \
                </script><script>document.title='pwned'</script><b id=\"pwned-log\">b</b><!-- \u{2028}\u{2029}";
    let log = format!("{line}\n{line}\n");
    std::fs::write(win.join("WindowsUpdate.log"), log).unwrap();
    root
}

#[test]
fn hostile_names_and_evidence_are_shown_as_text() {
    let root = hostile_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    triage_html(root.path(), &out);
    let raw = String::from_utf8(util::read(&out)).unwrap();
    assert_eq!(
        count(&raw, "</script>"),
        2,
        "only the page's own elements close"
    );
    assert!(!raw.contains('\u{2028}'));
    let d = data(&raw);
    let text = d["hosts"][0]["findings"][0]["errors"][0]["examples"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("</script><script>document.title='pwned'</script>"),
        "{text}"
    );
    assert!(
        text.contains('\u{2028}') && raw.contains("\\u2028"),
        "{text}"
    );

    let Some(chromium) = chromium() else { return };
    let page = dom(&chromium, &out, "#host=%3Cb%20id%3D%22pwned-host%22%3Ex");
    assert!(
        page.contains("<title>wutriage report</title>"),
        "no script of the evidence ran"
    );
    assert!(
        !page.contains("<b id=\"pwned"),
        "no markup of the evidence was made"
    );
    assert!(page.contains("<td class=\"host\">&lt;b id=\"pwned-host\"&gt;x</td>"));
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;b id=\"pwned-log\"&gt;"));
    assert_eq!(count(&page, "class=\"details\""), 1);
}

#[test]
fn ten_thousand_hosts_render_one_page_at_a_time() {
    let report = analyse(&HostSpec::named("x").with_dir(util::fixture("hosts/xp-broken")));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.html");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
    let mut w = HtmlWriter::new(Tool::default(), builtin_rules());
    w.begin(&mut file).unwrap();
    for i in 0..10_000 {
        let mut h = report.clone();
        h.host = format!("h{i:05}");
        w.host(&mut file, &h).unwrap();
    }
    w.end(&mut file).unwrap();
    drop(file);
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(
        size / 10_000 < 8 * 1024,
        "{size} bytes: a host carries too much"
    );
    let Some(chromium) = chromium() else { return };
    // One load (dumping a page this size takes a while): the last host opened.
    let last = dom(&chromium, &out, "#host=h09999");
    assert_eq!(count(&last, "<tr class=\"host-row"), 100);
    assert!(last.contains("9901–10000 of 10000 hosts · page 100 of 100"));
    assert_eq!(count(&last, "class=\"details\""), 1);
    assert!(last.contains("Download h09999-KB910341.reg"));
}
