//! The EVTX reader against the corpus and Windows' own rendering of
//! `ts-evtx/System.evtx` (`System.xml`).

use std::collections::BTreeMap;

use regex::Regex;
use wutriage::eventlog::{self, error_code, WuEvent};
use wutriage::wulog::Hresult;

use crate::util::corpus;

/// One event of System.xml: provider, id, time, errorCode, updateTitle.
#[derive(Debug)]
struct XmlEvent {
    provider: String,
    id: u32,
    time: String,
    error: Option<String>,
    title: Option<String>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The events of System.xml by EventRecordID.
fn system_xml(text: &str) -> BTreeMap<u64, XmlEvent> {
    let event = Regex::new(r"(?s)<Event [^>]*>(.*?)</Event>").unwrap();
    let one = |re: &str, body: &str| {
        Regex::new(re)
            .unwrap()
            .captures(body)
            .map(|c| unescape(&c[1]))
    };
    event
        .captures_iter(text)
        .map(|c| {
            let body = &c[1];
            let id = one(r"<EventRecordID>(\d+)<", body)
                .unwrap()
                .parse()
                .unwrap();
            (
                id,
                XmlEvent {
                    provider: one(r"<Provider Name='([^']*)'", body).unwrap(),
                    id: one(r"<EventID[^>]*>(\d+)<", body).unwrap().parse().unwrap(),
                    time: one(r"SystemTime='([^']*)'", body).unwrap(),
                    error: one(r"<Data Name='errorCode'>([^<]*)<", body),
                    title: one(r"<Data Name='updateTitle'>([^<]*)<", body),
                },
            )
        })
        .collect()
}

#[test]
fn system_evtx_matches_windows_rendering() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("evtx/ts-evtx");
    let xml = system_xml(&std::fs::read_to_string(dir.join("System.xml")).unwrap());
    assert_eq!(xml.len(), 1247);
    let mut wu: Vec<WuEvent> = Vec::new();
    let totals = eventlog::read_file(&dir.join("System.evtx"), |e| wu.push(e)).unwrap();
    assert!(totals.warnings.is_empty(), "{:?}", totals.warnings);
    let expected: Vec<_> = xml
        .iter()
        .filter(|(_, e)| e.provider == "Microsoft-Windows-WindowsUpdateClient")
        .collect();
    assert_eq!(totals.wu_events as usize, expected.len());
    assert_eq!((totals.wu_events + totals.other_events) as usize, xml.len());
    assert_eq!(totals.unparsed, 0);
    let by_id: BTreeMap<u64, &WuEvent> = wu.iter().map(|e| (e.number, e)).collect();
    for (rid, x) in expected {
        let e = by_id[rid];
        assert_eq!(e.event_id, Some(x.id), "record {rid}");
        // Windows writes 7 decimals; ours are the same instant.
        let t = chrono::DateTime::parse_from_rfc3339(&x.time).unwrap();
        assert_eq!(e.time.unwrap(), t, "record {rid}");
        let codes: Vec<Hresult> = x
            .error
            .as_deref()
            .and_then(error_code)
            .into_iter()
            .collect();
        assert_eq!(e.codes, codes, "record {rid}");
        if let Some(title) = &x.title {
            assert!(e.text.contains(title.as_str()), "record {rid}: {}", e.text);
        }
    }
    let failures: Vec<_> = wu.iter().filter(|e| e.event_id == Some(20)).collect();
    let mut codes: Vec<u32> = failures
        .iter()
        .flat_map(|e| e.codes.iter().map(|c| c.0))
        .collect();
    codes.sort();
    assert_eq!(codes, [0x80073D02, 0x80240016]);
}

#[test]
fn every_corpus_evtx_reads_without_error() {
    let Some(corpus) = corpus() else { return };
    for (dir, wu_expected) in [
        ("omerbenamram-evtx/system.evtx", 377),
        ("python-evtx/system.evtx", 20),
        ("zeus/System.evtx", 3),
        ("ts-evtx/System.evtx", 582),
    ] {
        let f = corpus.join("evtx").join(dir);
        let mut ids = BTreeMap::new();
        let mut codes = Vec::new();
        let t = eventlog::read_file(&f, |e| {
            *ids.entry(e.event_id.unwrap()).or_insert(0) += 1;
            codes.extend(e.codes.iter().map(|c| c.0));
        })
        .unwrap();
        assert_eq!(t.wu_events, wu_expected, "{dir}: {ids:?}");
        if dir.starts_with("omerbenamram") {
            // The stale dirty header says 3 chunks; 15 hold records 1–1881.
            assert_eq!(t.wu_events + t.other_events, 1881);
            assert_eq!(ids[&20], 5);
            codes.sort();
            assert_eq!(
                codes,
                [0x80246013, 0x80248007, 0x80248007, 0x80248007, 0x80248007]
            );
        }
        if dir.starts_with("python-evtx") {
            assert!(ids.contains_key(&18) && ids.contains_key(&22) && ids.contains_key(&27));
        }
    }
}
