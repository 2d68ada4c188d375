//! A primary file whose base block is damaged (signature, checksum,
//! version) is recovered from its transaction log's copy of the base block,
//! as the format specification and Windows do; built here from the
//! corpus's dirty hives in both log formats.

use std::path::Path;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::replay::{find_logs, recover, LogFile, TxLogFormat};
use wutriage::registry::{RegistryView, ValueData};
use wutriage::warning::WarningCode;

use crate::util;

const BASE: usize = 4096;

fn logs_of(hive: &Path) -> Vec<LogFile> {
    find_logs(hive)
        .into_iter()
        .map(|path| LogFile {
            bytes: util::read(&path),
            path,
        })
        .collect()
}

fn fix_checksum(b: &mut [u8]) {
    let c = b[..508]
        .chunks_exact(4)
        .fold(0u32, |c, w| c ^ u32::from_le_bytes(w.try_into().unwrap()));
    let c = match c {
        u32::MAX => u32::MAX - 1,
        0 => 1,
        c => c,
    };
    b[508..512].copy_from_slice(&c.to_le_bytes());
}

/// The ways a base block is damaged: each leaves it invalid.
fn damaged(primary: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut signature = primary.to_vec();
    signature[..4].copy_from_slice(b"xxxx");
    let mut checksum = primary.to_vec();
    checksum[300] ^= 0xFF;
    // Version 1.1 with a checksum that matches: only the version is wrong.
    let mut version = primary.to_vec();
    version[24..28].copy_from_slice(&1u32.to_le_bytes());
    version[20..24].copy_from_slice(&7u32.to_le_bytes());
    fix_checksum(&mut version);
    vec![
        ("signature", signature),
        ("checksum", checksum),
        ("version", version),
    ]
}

#[test]
fn new_format_log_repairs_a_damaged_primary_base_block() {
    let Some(corpus) = util::corpus() else { return };
    let dir = corpus.join("hives/yarp/NewDirtyHive1");
    let primary = util::read(&dir.join("NewDirtyHive"));
    let logs = logs_of(&dir.join("NewDirtyHive"));
    for (what, bytes) in damaged(&primary) {
        assert!(BinaryHive::from_bytes(bytes.clone()).is_err() || what == "checksum");
        let r = recover(&bytes, &logs);
        assert!(r.dirty && r.recovered, "{what}: {r:?}");
        assert_eq!(r.log_format, Some(TxLogFormat::New), "{what}");
        assert!(
            r.warnings
                .iter()
                .any(|w| w.code == WarningCode::ReplayPrimaryInvalid
                    && w.message.contains("base block is not valid")),
            "{what}: {:?}",
            r.warnings
        );
        assert_eq!(&r.bytes[..4], b"regf", "{what}");
        let after =
            BinaryHive::from_bytes(r.bytes.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(after.key("Key1").unwrap().is_none(), "{what}");
        assert!(after.key("Key2\\Key2_2").unwrap().is_none(), "{what}");
        for k in ["Key3", "Key3\\Key3_1", "Key3\\Key3_2", "Key3\\Key3_3"] {
            assert!(after.key(k).unwrap().is_some(), "{what}: {k}");
        }
        assert_eq!(r.seq_after, (5, 5), "{what}");
    }
}

#[test]
fn old_format_log_repairs_a_damaged_primary_base_block() {
    let Some(corpus) = util::corpus() else { return };
    let dir = corpus.join("hives/yarp/OldDirtyHive");
    let primary = util::read(&dir.join("OldDirtyHive"));
    let logs = logs_of(&dir.join("OldDirtyHive"));
    let windows = BinaryHive::from_bytes(util::read(&dir.join("RecoveredHive_Windows7"))).unwrap();
    let find_me = "key_with_many_subkeys\\5000\\find_me_in_log";
    for (what, bytes) in damaged(&primary) {
        let r = recover(&bytes, &logs);
        assert!(r.dirty && r.recovered, "{what}: {r:?}");
        assert_eq!(r.log_format, Some(TxLogFormat::Old), "{what}");
        assert_eq!(r.seq_after, (5, 5), "{what}");
        assert_eq!(&r.bytes[..BASE][..4], b"regf");
        let after =
            BinaryHive::from_bytes(r.bytes.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        let found = after.key(find_me).unwrap().expect("find_me_in_log");
        let theirs = windows.key(find_me).unwrap().unwrap();
        assert_eq!(found.last_written, theirs.last_written, "{what}");
        let k4500 = after.key("key_with_many_subkeys\\4500").unwrap().unwrap();
        assert_eq!(
            k4500.value("v").expect("value v").data,
            ValueData::MultiString(vec!["a".into(), "bb".into(), "ccc".into()])
        );
        assert!(after.key("key_with_many_subkeys\\1").unwrap().is_none());
    }
}

#[test]
fn the_recover_command_repairs_a_damaged_base_block() {
    let Some(corpus) = util::corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = corpus.join("hives/yarp/OldDirtyHive");
    let evidence = tmp.path().join("evidence");
    std::fs::create_dir(&evidence).unwrap();
    let mut primary = util::read(&src.join("OldDirtyHive"));
    primary[24..28].copy_from_slice(&1u32.to_le_bytes());
    std::fs::write(evidence.join("OldDirtyHive"), primary).unwrap();
    std::fs::copy(
        src.join("OldDirtyHive.LOG1"),
        evidence.join("OldDirtyHive.LOG1"),
    )
    .unwrap();
    let out = tmp.path().join("recovered");
    let run = util::wutriage()
        .arg("recover")
        .arg(evidence.join("OldDirtyHive"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let hive = BinaryHive::from_bytes(util::read(&out)).unwrap();
    assert!(hive
        .key("key_with_many_subkeys\\5000\\find_me_in_log")
        .unwrap()
        .is_some());
}

#[test]
fn scan_replays_the_logs_of_a_hive_whose_version_is_damaged() {
    let Some(corpus) = util::corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = corpus.join("hives/yarp/OldDirtyHive");
    let mut primary = util::read(&src.join("OldDirtyHive"));
    // Version 1.1 with a matching checksum: the hive reader alone refuses it.
    primary[24..28].copy_from_slice(&1u32.to_le_bytes());
    fix_checksum(&mut primary);
    assert!(BinaryHive::from_bytes(primary.clone()).is_err());
    std::fs::write(tmp.path().join("OldDirtyHive"), primary).unwrap();
    std::fs::copy(
        src.join("OldDirtyHive.LOG1"),
        tmp.path().join("OldDirtyHive.LOG1"),
    )
    .unwrap();
    let out = util::wutriage()
        .args(["scan", "--format", "json"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let report: wutriage::report::Report = serde_json::from_slice(&out.stdout).unwrap();
    let input = &report.hosts[0].inputs[0];
    let hive = input.detail.as_hive().unwrap();
    assert!(hive.recovered(), "{input:?}");
    assert!(input.error.is_none(), "{input:?}");
    let version = hive.read.unwrap().version;
    assert_eq!((version.major, version.minor), (1, 3));
    assert_eq!(version.to_string(), "regf 1.3");
}
