//! An input's JSON: the keys of each kind in their order, read back into the
//! same detail, and combinations a kind cannot have refused.

use std::path::Path;

use crate::evidence::HiveKind;
use crate::registry::regfile::RegVersion;
use crate::registry::replay::TxLogFormat;
use crate::wulog::LogFormat;

use super::*;

fn input(detail: InputDetail) -> Input {
    let mut i = Input::new(Path::new("h/F"), detail.kind(), 8);
    i.sha256 = Some("ab".into());
    i.detail = detail;
    i
}

fn recovery(log_format: Option<TxLogFormat>) -> RecoveryReport {
    RecoveryReport {
        log_format,
        logs_used: vec!["h/F.LOG1".into()],
        sequence_before: [3, 2],
        sequence_after: [3, 3],
        description: "replayed".into(),
        warnings: Vec::new(),
    }
}

fn replayed_hive() -> Input {
    input(InputDetail::Hive(HiveDetail {
        recovery: Some(recovery(Some(TxLogFormat::New))),
        read: Some(HiveRead {
            hive: HiveKind::Software,
            dirty: true,
            version: RegfVersion { major: 1, minor: 5 },
        }),
    }))
}

/// Every kind, read and unread.
fn every_kind() -> Vec<Input> {
    let mut all: Vec<Input> = [
        InputKind::Hive,
        InputKind::RegExport,
        InputKind::TransactionLog,
        InputKind::UpdateLog,
        InputKind::EventLog,
        InputKind::Unrecognised,
    ]
    .into_iter()
    .map(|k| input(InputDetail::unread(k)))
    .collect();
    all.push(replayed_hive());
    all.push(input(InputDetail::Hive(HiveDetail {
        recovery: Some(recovery(None)),
        read: None,
    })));
    all.push(input(InputDetail::RegExport(Some(ExportRead {
        hive: HiveKind::System,
        version: RegVersion::Regedit4,
    }))));
    all.push(input(InputDetail::UpdateLog {
        format: Some(LogFormat::ReportingEvents),
    }));
    all.push(input(InputDetail::EventLog {
        format: Some(LogFormat::Evtx),
    }));
    all
}

#[test]
fn a_hive_is_written_in_the_keys_and_order_of_the_report() {
    let json = serde_json::to_string(&replayed_hive()).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"path":"h/F","kind":"hive","size":8,"sha256":"ab","hive":"software","#,
            r#""dirty":true,"recovered":true,"recovery":{"log_format":"new","#,
            r#""logs_used":["h/F.LOG1"],"sequence_before":[3,2],"sequence_after":[3,3],"#,
            r#""description":"replayed"},"format":"regf 1.5"}"#
        )
    );
}

#[test]
fn formats_are_written_as_the_report_names_them() {
    let format = |i: &Input| serde_json::to_value(i).unwrap()["format"].clone();
    let all = every_kind();
    let named: Vec<_> = all.iter().map(format).filter(|f| !f.is_null()).collect();
    assert_eq!(
        named,
        ["regf 1.5", "REGEDIT4", "reporting-events", "evtx"].map(serde_json::Value::from)
    );
}

#[test]
fn every_kind_reads_back_as_written() {
    for i in every_kind() {
        let json = serde_json::to_string(&i).unwrap();
        let back: Input = serde_json::from_str(&json).unwrap();
        assert_eq!(back, i, "{json}");
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}

#[test]
fn what_a_kind_cannot_have_is_refused() {
    let hive = serde_json::to_value(replayed_hive()).unwrap();
    let with = |kind: &str, key: &str, value: serde_json::Value| {
        let mut v = hive.clone();
        v["kind"] = kind.into();
        v.as_object_mut()
            .unwrap()
            .retain(|k, _| ["path", "kind", "size", "sha256"].contains(&k.as_str()) || k == key);
        v[key] = value;
        serde_json::from_value::<Input>(v)
    };
    assert!(with("update-log", "hive", "software".into()).is_err());
    assert!(with("transaction-log", "dirty", true.into()).is_err());
    assert!(with("reg-export", "recovered", false.into()).is_err());
    assert!(with("event-log", "format", "regf 1.5".into()).is_err());
    assert!(with("unrecognised", "format", "evtx".into()).is_err());
    assert!(with("event-log", "format", "evtx".into()).is_ok());
    // A hive's name without its dirtiness and version.
    assert!(with("hive", "hive", "software".into()).is_err());
    // An export's name without its header.
    assert!(with("reg-export", "hive", "software".into()).is_err());
}

#[test]
fn recovered_cannot_disagree_with_the_replay() {
    let mut v = serde_json::to_value(replayed_hive()).unwrap();
    v["recovered"] = false.into();
    let e = serde_json::from_value::<Input>(v.clone()).unwrap_err();
    assert!(e.to_string().contains("recovered"), "{e}");
    v["recovery"]["log_format"] = serde_json::Value::Null;
    let back: Input = serde_json::from_value(v).unwrap();
    assert!(!back.detail.as_hive().unwrap().recovered());
}

#[test]
fn versions_not_written_by_the_reader_are_refused() {
    let mut v = serde_json::to_value(replayed_hive()).unwrap();
    for bad in ["regf 1", "1.5", "regf x.5", "hbin 1.5"] {
        v["format"] = bad.into();
        assert!(serde_json::from_value::<Input>(v.clone()).is_err(), "{bad}");
    }
    let export = input(InputDetail::RegExport(Some(ExportRead {
        hive: HiveKind::Software,
        version: RegVersion::V5,
    })));
    let mut v = serde_json::to_value(export).unwrap();
    assert_eq!(v["format"], "Windows Registry Editor Version 5.00");
    v["format"] = "REGEDIT5".into();
    assert!(serde_json::from_value::<Input>(v).is_err());
}

#[test]
fn an_io_error_in_an_event_log_is_the_inputs_error() {
    use super::log::open_event_log;
    use super::{Input, InputKind, Opened, Reading};
    use crate::evidence::seek_hash::tests::{evt_header, sha, Source};
    use std::io::{Seek, SeekFrom};
    let data = evt_header(300_000);
    let path = std::path::Path::new("h/SysEvent.Evt");
    let how = Reading::default();
    // For good: no hash, no summary, the input's error says why.
    let mut input = Input::new(path, InputKind::EventLog, 300_000);
    let mut src = Source::new(&data);
    src.seek(SeekFrom::Start(65_536)).unwrap();
    (src.fail_at, src.failures) = (100_000, u32::MAX);
    let opened = open_event_log(src, path, &data[..65_536], &mut input, &how);
    assert!(matches!(opened, Opened::Nothing));
    assert_eq!(input.error.as_deref(), Some("cannot read: bad sector"));
    assert_eq!(input.sha256, None);
    assert_eq!(input.detail.kind(), InputKind::EventLog);
    assert!(input.warnings.is_empty());
    // Once: the parse fails on it, the hash is still the whole file's.
    let mut input = Input::new(path, InputKind::EventLog, 300_000);
    let mut src = Source::new(&data);
    src.seek(SeekFrom::Start(65_536)).unwrap();
    (src.fail_at, src.failures) = (100_000, 1);
    let opened = open_event_log(src, path, &data[..65_536], &mut input, &how);
    assert!(matches!(opened, Opened::Nothing));
    assert_eq!(input.sha256, Some(sha(&data)));
    let error = input.error.unwrap();
    assert!(error.ends_with("bad sector"), "{error}");
}
