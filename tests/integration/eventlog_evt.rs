//! The EVT reader against the corpus.

use std::collections::BTreeMap;

use wutriage::eventlog;
use wutriage::evt;

use crate::util::{corpus, read};

/// plaso's test of this file states 6,063 records and 438 recovered. We
/// read the same 6,063 live records (1392–7454: the end-of-log cursor says
/// the next record is 7455, while the dirty header still says 7430) and
/// recover 437: the 438th plaso counts, at offset 1965840 (number 1572),
/// has a length at its end that differs from the one at its start, and a
/// record is taken only when both agree. 180 recovered records are older
/// copies of live ones (same number) and are not counted as events again.
#[test]
fn plaso_sysevent_counts() {
    let Some(corpus) = corpus() else { return };
    let bytes = read(&corpus.join("evt/plaso/SysEvent.Evt"));
    let (records, info) = evt::parse(&bytes).unwrap();
    assert!(info.header.dirty() && info.header.wrapped() && info.cursor_found);
    assert_eq!(info.header.span.next, 7430);
    assert_eq!((info.span.oldest, info.span.next), (1392, 7455));
    assert_eq!((info.live, info.recovered), (6063, 437));
    let live: Vec<_> = records.iter().filter(|r| !r.recovered).collect();
    let mut numbers: Vec<u32> = live.iter().map(|r| r.number).collect();
    numbers.sort();
    assert_eq!(numbers, (1392..7455).collect::<Vec<_>>());
    assert!(records.iter().all(|r| r.offset != 1965840));
    let stale = records.iter().filter(|r| r.stale_copy).count();
    assert_eq!(stale, 180);
}

#[test]
fn windows_update_agent_records() {
    let Some(corpus) = corpus() else { return };
    let f = corpus.join("evt/plaso/SysEvent.Evt");
    let mut ids = BTreeMap::new();
    let mut texts = Vec::new();
    let t = eventlog::read_file(&f, |e| {
        *ids.entry(e.event_id.unwrap()).or_insert(0) += 1;
        assert!(e.codes.is_empty(), "{}", e.text);
        texts.push(e.text);
    })
    .unwrap();
    assert_eq!(t.wu_events, 483);
    assert_eq!(
        ids,
        BTreeMap::from([(18, 235), (19, 236), (21, 1), (22, 11)])
    );
    assert!(texts
        .iter()
        .any(|t| t.contains("Update for Windows XP (KB898461)")));
    let none = eventlog::read_file(&corpus.join("evt/evt-parser/System.evt"), |_| {}).unwrap();
    assert_eq!((none.wu_events, none.other_events), (0, 95));
}
