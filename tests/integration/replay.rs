//! Transaction-log replay: against hives Windows itself recovered, on
//! damaged copies of real logs, and on logs built here.

use std::path::{Path, PathBuf};
use wutriage::warning::WarningCode;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::replay::testing::{
    make_dirty, new_entry, new_format_log, new_format_pair, old_format_pair,
};
use wutriage::registry::replay::{
    find_logs, recover, recover_path, LogFile, Recovery, TxLogFormat,
};
use wutriage::registry::{RegistryView, ValueData};

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

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn seqs(hive: &[u8]) -> (u32, u32) {
    let at = |o: usize| u32::from_le_bytes(hive[o..o + 4].try_into().unwrap());
    (at(4), at(8))
}

/// The XOR-32 base block checksum, computed independently of the library.
fn checksum_ok(hive: &[u8]) -> bool {
    let mut c = 0u32;
    for w in hive[..508].chunks_exact(4) {
        c ^= u32::from_le_bytes(w.try_into().unwrap());
    }
    let c = match c {
        u32::MAX => u32::MAX - 1,
        0 => 1,
        c => c,
    };
    c == u32::from_le_bytes(hive[508..512].try_into().unwrap())
}

/// Offsets where two byte strings differ.
fn diffs(a: &[u8], b: &[u8]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// Every key and value of the hive, read with `nt-hive` after its own
/// validation (checksum, equal sequence numbers); the number of keys.
fn walk_validated(bytes: &[u8]) -> usize {
    let hive = nt_hive::Hive::new(bytes).expect("hive validates");
    let root = hive.root_key_node().expect("root key");
    let mut stack = vec![root];
    let mut keys = 0;
    while let Some(node) = stack.pop() {
        keys += 1;
        node.name().expect("key name");
        if let Some(values) = node.values() {
            for v in values.expect("value list") {
                let v = v.expect("value");
                v.name().expect("value name");
                v.data()
                    .expect("value data")
                    .into_vec()
                    .expect("value bytes");
            }
        }
        if let Some(subkeys) = node.subkeys() {
            for k in subkeys.expect("subkey list") {
                stack.push(k.expect("subkey"));
            }
        }
    }
    keys
}

#[test]
fn new_format_logs_give_exactly_what_windows_10_recovered() {
    let Some(corpus) = util::corpus() else { return };
    let dir = corpus.join("hives/yarp/NewDirtyHive1");
    let primary = util::read(&dir.join("NewDirtyHive"));
    let oracle = util::read(&dir.join("RecoveredHive_Windows10"));
    let r = recover(&primary, &logs_of(&dir.join("NewDirtyHive")));

    assert!(r.dirty && r.recovered, "{r:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.log_format, Some(TxLogFormat::New));
    assert_eq!(
        names(&r.logs_used),
        ["NewDirtyHive.LOG1", "NewDirtyHive.LOG2"]
    );
    assert_eq!(r.seq_before, (3, 2));
    assert_eq!(r.seq_after, (5, 5), "the last of the 4 entries (2..=5)");
    assert_eq!(r.bytes.len(), oracle.len());
    assert!(
        r.bytes[BASE..] == oracle[BASE..],
        "hive bins differ from Windows'"
    );
    assert!(checksum_ok(&r.bytes) && seqs(&r.bytes) == (5, 5));
    assert!(
        primary[BASE..] != oracle[BASE..],
        "the test would prove nothing"
    );

    // Before: Key1 and Key2\Key2_1; after: they are gone and Key3\Key3_1..3 exist.
    let before = BinaryHive::from_bytes(primary).unwrap();
    let after = BinaryHive::from_bytes(r.bytes.clone()).unwrap();
    assert!(before.key("Key1").unwrap().is_some());
    assert!(before.key("Key2\\Key2_1").unwrap().is_some());
    assert!(before.key("Key3").unwrap().is_none());
    assert!(after.key("Key1").unwrap().is_none());
    assert!(after.key("Key2\\Key2_2").unwrap().is_none());
    for k in ["Key3", "Key3\\Key3_1", "Key3\\Key3_2", "Key3\\Key3_3"] {
        assert!(after.key(k).unwrap().is_some(), "{k}");
    }
    walk_validated(&r.bytes);
}

#[test]
fn old_format_log_gives_what_windows_7_recovered() {
    let Some(corpus) = util::corpus() else { return };
    let dir = corpus.join("hives/yarp/OldDirtyHive");
    let primary = util::read(&dir.join("OldDirtyHive"));
    let oracle = util::read(&dir.join("RecoveredHive_Windows7"));
    let r = recover(&primary, &logs_of(&dir.join("OldDirtyHive")));

    assert!(r.dirty && r.recovered, "{r:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.log_format, Some(TxLogFormat::Old));
    // The empty .LOG2 beside it is ignored without a word.
    assert_eq!(names(&r.logs_used), ["OldDirtyHive.LOG1"]);
    assert_eq!(r.seq_before, (5, 4));
    assert_eq!(r.seq_after, (5, 5));
    assert!(checksum_ok(&r.bytes));

    // Byte for byte, the hive bins equal Windows' except two fields that
    // Windows rewrote after replaying: the first bin's timestamp (set at
    // its own write, a copy of its new base block time) and the
    // largest-value-name-length field of key `4500` (recomputed by its
    // load-time check: 2, the length of the name `v`; the log says 24).
    let d = diffs(&r.bytes[BASE..], &oracle[BASE..]);
    let nk_4500 = 0x6bd8c - BASE; // 'nk' signature of key_with_many_subkeys\4500
    let allowed = |o: usize| (20..28).contains(&o) || (nk_4500 + 60..nk_4500 + 64).contains(&o);
    assert!(
        !d.is_empty() && d.iter().all(|&o| allowed(o)),
        "differences at {d:x?}"
    );
    assert_eq!(&oracle[BASE + nk_4500..BASE + nk_4500 + 2], b"nk");
    assert_eq!(oracle[BASE + nk_4500 + 60], 2);
    assert_eq!(r.bytes[BASE + nk_4500 + 60], 24);
    let unrecovered = diffs(&primary[BASE..], &oracle[BASE..]);
    assert!(unrecovered.len() > 1000, "the test would prove nothing");

    // The facts listed for this hive, read through the hive reader.
    let before = BinaryHive::from_bytes(primary).unwrap();
    let after = BinaryHive::from_bytes(r.bytes.clone()).unwrap();
    let windows = BinaryHive::from_bytes(oracle).unwrap();
    let find_me = "key_with_many_subkeys\\5000\\find_me_in_log";
    assert!(before.key(find_me).unwrap().is_none());
    let found = after
        .key(find_me)
        .unwrap()
        .expect("find_me_in_log after replay");
    let theirs = windows.key(find_me).unwrap().expect("in Windows' result");
    assert!(found.last_written.is_some());
    assert_eq!(found.last_written, theirs.last_written);
    let k4500 = after.key("key_with_many_subkeys\\4500").unwrap().unwrap();
    let v = k4500.value("v").expect("value v");
    assert_eq!(v.raw_type, 7);
    assert_eq!(
        v.data,
        ValueData::MultiString(vec!["a".into(), "bb".into(), "ccc".into()])
    );
    assert!(before.key("key_with_many_subkeys\\1").unwrap().is_some());
    assert!(after.key("key_with_many_subkeys\\1").unwrap().is_none());
    assert!(windows.key("key_with_many_subkeys\\1").unwrap().is_none());
    walk_validated(&r.bytes);
}

#[test]
fn real_windows_10_system_hive_recovers_to_a_valid_hive() {
    let Some(corpus) = util::corpus() else { return };
    let path = corpus.join("hives/regipy/SYSTEM_B");
    let r = recover_path(&path).unwrap();

    assert!(r.dirty && r.recovered, "{r:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(names(&r.logs_used), ["SYSTEM_B.LOG1", "SYSTEM_B.LOG2"]);
    assert_eq!(r.seq_before, (1622, 1621));
    // 24 entries: 2107..=2110 in .LOG1, 2111..=2130 in .LOG2.
    assert_eq!(r.seq_after, (2130, 2130));
    assert!(checksum_ok(&r.bytes));
    let keys = walk_validated(&r.bytes);
    assert!(keys > 10_000, "{keys} keys");
    let primary = util::read(&path);
    assert!(
        nt_hive::Hive::new(&primary[..]).is_err(),
        "the primary alone does not validate"
    );
    assert!(r.bytes[BASE..] != primary[BASE..]);
    assert!(r.describe().contains("recovered"), "{}", r.describe());
}

/// What replaying damaged copies of `logs` may give: the correct hive, or
/// a different one only with warnings; never a panic. Cuts avoid entry
/// boundaries (a log cut exactly there cannot be told from one whose
/// writing ended there: Windows' own logs end at their last entry too).
/// Flips land anywhere below `flip_end` (the old format has no checksum
/// over its dirty pages, so only its base block and dirty vector are
/// flipped; new-format entries are hashed throughout).
fn assert_damage_is_never_silent(
    primary: &[u8],
    logs: &[LogFile],
    good: &Recovery,
    flip_end: Option<usize>,
) {
    let check = |damaged: Vec<LogFile>, what: &str| {
        let r = recover(primary, &damaged);
        if r.bytes != good.bytes {
            assert!(
                !r.warnings.is_empty(),
                "{what}: a different hive without a warning"
            );
        }
        if !r.recovered {
            assert!(r.bytes == primary, "{what}: not recovered but changed");
        }
    };
    for (i, log) in logs.iter().enumerate() {
        let len = log.bytes.len();
        if len == 0 {
            continue;
        }
        let mut cuts: Vec<usize> = vec![1, 100, 511, 512, 513, 600, 1024, 4096, len - 1];
        cuts.extend((1..16).map(|k| len * k / 16 + 7));
        for cut in cuts.into_iter().filter(|&c| c < len) {
            let mut damaged = logs.to_vec();
            damaged[i].bytes.truncate(cut);
            check(damaged, &format!("{} cut at {cut}", log.path.display()));
        }
        let end = flip_end.unwrap_or(len).min(len);
        let mut spots: Vec<usize> = vec![
            4, 8, 12, 28, 40, 100, 508, 512, 513, 516, 517, 520, 524, 528, 536, 552,
        ];
        spots.extend((0..60).map(|k| end * k / 60 + 13));
        for at in spots.into_iter().filter(|&a| a < end) {
            let mut damaged = logs.to_vec();
            damaged[i].bytes[at] ^= 0x5A;
            check(damaged, &format!("{} flipped at {at}", log.path.display()));
        }
    }
}

#[test]
fn damaged_new_format_logs_warn_never_panic() {
    let Some(corpus) = util::corpus() else { return };
    let hive = corpus.join("hives/yarp/NewDirtyHive1/NewDirtyHive");
    let primary = util::read(&hive);
    let logs = logs_of(&hive);
    let good = recover(&primary, &logs);
    assert!(good.recovered);
    assert_damage_is_never_silent(&primary, &logs, &good, None);

    // A cut inside .LOG2's second entry keeps the entries before it.
    let mut damaged = logs.clone();
    damaged[1].bytes.truncate(0x2000 + 1000);
    let r = recover(&primary, &damaged);
    assert!(r.recovered && r.seq_after == (3, 3), "{r:?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("0x2000") && w.message.contains("truncated")),
        "{:?}",
        r.warnings
    );
    // Without .LOG2 the logs stop at entry 2, below the primary's
    // sequence number 3: the changes being written are missing, and it says so.
    let r = recover(&primary, &logs[..1]);
    assert!(r.recovered && r.seq_after == (2, 2), "{r:?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == WarningCode::ReplayLogsEndEarly
                && w.message.contains("may be missing")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn damaged_old_format_log_warns_never_panics() {
    let Some(corpus) = util::corpus() else { return };
    let hive = corpus.join("hives/yarp/OldDirtyHive/OldDirtyHive");
    let primary = util::read(&hive);
    let logs = logs_of(&hive);
    let good = recover(&primary, &logs);
    assert!(good.recovered);
    // Base block copy and dirty vector: the first 1024 bytes.
    assert_damage_is_never_silent(&primary, &logs, &good, Some(1024));

    let mut damaged = logs.clone();
    damaged[0].bytes.truncate(20_000);
    let r = recover(&primary, &damaged);
    assert!(!r.recovered && r.bytes == primary);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("OldDirtyHive.LOG1") && w.message.contains("truncated")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn damaged_system_logs_warn_never_panic() {
    let Some(corpus) = util::corpus() else { return };
    let hive = corpus.join("hives/regipy/SYSTEM_B");
    let primary = util::read(&hive);
    let logs = logs_of(&hive);
    let good = recover(&primary, &logs);
    for (i, cut) in [(0, 0x4000 + 600), (1, 0x3000 + 5000), (1, 0x58000 + 700)] {
        let mut damaged = logs.clone();
        damaged[i].bytes.truncate(cut);
        let r = recover(&primary, &damaged);
        assert!(
            r.bytes != good.bytes && !r.warnings.is_empty(),
            "cut {i} at {cut}: {:?}",
            r.warnings
        );
        if r.recovered {
            walk_validated(&r.bytes);
        }
    }
    let mut damaged = logs.clone();
    damaged[1].bytes[0x3000 + 40 + 8 * 47 + 100] ^= 1; // a dirty page of entry 2112
    let r = recover(&primary, &damaged);
    assert!(r.recovered && r.seq_after == (2111, 2111), "{r:?}");
    assert!(
        r.warnings.iter().any(|w| w.message.contains("hash-1")),
        "{:?}",
        r.warnings
    );
}

// ---- logs built here ----

/// A small hive from the fixtures and a copy with its root key's
/// last-written time changed (a one-cell change, still a valid hive).
fn clean_and_modified() -> (Vec<u8>, Vec<u8>) {
    let clean = util::read(&util::fixture("seed/empty.hive"));
    let mut modified = clean.clone();
    let root = u32::from_le_bytes(clean[36..40].try_into().unwrap()) as usize;
    let nk = BASE + root + 4;
    assert_eq!(&clean[nk..nk + 2], b"nk");
    modified[nk + 4..nk + 12].copy_from_slice(&0x01d5_0000_0000_0000u64.to_le_bytes());
    (clean, modified)
}

#[test]
fn built_old_format_log_replays_to_the_modified_state() {
    let (clean, modified) = clean_and_modified();
    let (dirty, log) = old_format_pair(&clean, &modified).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("software"), &dirty).unwrap();
    std::fs::write(dir.path().join("software.LOG"), &log).unwrap();

    let r = recover_path(&dir.path().join("software")).unwrap();
    assert!(r.dirty && r.recovered, "{r:?}");
    assert_eq!(r.log_format, Some(TxLogFormat::Old));
    assert_eq!(names(&r.logs_used), ["software.LOG"]);
    assert!(r.bytes[BASE..] == modified[BASE..]);
    assert!(checksum_ok(&r.bytes) && seqs(&r.bytes).0 == seqs(&r.bytes).1);
    let root_before = BinaryHive::from_bytes(dirty.clone())
        .unwrap()
        .key("")
        .unwrap()
        .unwrap();
    let root_after = BinaryHive::from_bytes(r.bytes)
        .unwrap()
        .key("")
        .unwrap()
        .unwrap();
    assert_ne!(root_before.last_written, root_after.last_written);
    // The evidence folder is unchanged: nothing written beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert_eq!(std::fs::read(dir.path().join("software")).unwrap(), dirty);

    // A log of another state of the hive (other last-written time) is refused.
    let mut other = log.clone();
    other[12] ^= 1;
    fix_sector_checksum(&mut other);
    let r = recover(
        &dirty,
        &[LogFile {
            path: "software.LOG".into(),
            bytes: other,
        }],
    );
    assert!(
        !r.recovered
            && r.warnings
                .iter()
                .any(|w| w.message.contains("last-written time")),
        "{r:?}"
    );
}

fn fix_sector_checksum(b: &mut [u8]) {
    let mut c = 0u32;
    for w in b[..508].chunks_exact(4) {
        c ^= u32::from_le_bytes(w.try_into().unwrap());
    }
    let c = match c {
        u32::MAX => u32::MAX - 1,
        0 => 1,
        c => c,
    };
    b[508..512].copy_from_slice(&c.to_le_bytes());
}

#[test]
fn old_format_page_that_breaks_a_bin_is_refused() {
    let (clean, modified) = clean_and_modified();
    let (dirty, mut log) = old_format_pair(&clean, &modified).unwrap();
    let pages = log.len() - 4096; // one changed block, the last 4096 bytes
    log[pages..pages + 4].copy_from_slice(b"nbih"); // the bin's signature
    let r = recover(
        &dirty,
        &[LogFile {
            path: "x.LOG".into(),
            bytes: log.clone(),
        }],
    );
    assert!(!r.recovered && r.bytes == dirty, "{r:?}");
    assert!(
        r.warnings.iter().any(|w| w.message.contains("hive bin")),
        "{:?}",
        r.warnings
    );
    // A cell size that no longer tiles the bin.
    log[pages..pages + 4].copy_from_slice(b"hbin");
    log[pages + 32..pages + 36].copy_from_slice(&(-12i32).to_le_bytes());
    let r = recover(
        &dirty,
        &[LogFile {
            path: "x.LOG".into(),
            bytes: log,
        }],
    );
    assert!(!r.recovered, "{r:?}");
    assert!(
        r.warnings.iter().any(|w| w.message.contains("cells")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn built_new_format_logs_chain_across_files_in_sequence_order() {
    let (clean, modified) = clean_and_modified();
    let (dirty, log) = new_format_pair(&clean, &modified).unwrap();
    let r = recover(
        &dirty,
        &[LogFile {
            path: "h.LOG1".into(),
            bytes: log,
        }],
    );
    assert!(r.recovered && r.bytes[BASE..] == modified[BASE..], "{r:?}");

    // Three states: entry s in .LOG2 (earlier), entries s+1, s+2 in .LOG1.
    let (s, _) = seqs(&clean);
    let dirty = make_dirty(&clean).unwrap();
    let root = u32::from_le_bytes(clean[36..40].try_into().unwrap()) as usize;
    let nk = BASE + root + 4;
    let size = u32::from_le_bytes(clean[40..44].try_into().unwrap());
    let state = |t: u64| {
        let mut h = clean.clone();
        h[nk + 4..nk + 12].copy_from_slice(&t.to_le_bytes());
        h[BASE..BASE + 4096].to_vec()
    };
    let e = |seq: u32, t: u64| new_entry(seq, size, &[(0, &state(t))]);
    let log_bytes = |first: u32, entries: &[Vec<u8>]| {
        let mut head = dirty.clone();
        head[4..8].copy_from_slice(&first.to_le_bytes());
        new_format_log(&head, &clean, entries)
    };
    let log2 = LogFile {
        path: "h.LOG2".into(),
        bytes: log_bytes(s, &[e(s, 1)]),
    };
    let log1 = LogFile {
        path: "h.LOG1".into(),
        bytes: log_bytes(s + 1, &[e(s + 1, 2), e(s + 2, 3)]),
    };
    let r = recover(&dirty, &[log1.clone(), log2.clone()]);
    assert!(r.recovered, "{r:?}");
    assert_eq!(names(&r.logs_used), ["h.LOG2", "h.LOG1"]);
    assert_eq!(r.seq_after, (s + 2, s + 2));
    assert_eq!(r.bytes[BASE..BASE + 4096], state(3)[..]);

    // A gap (s, then s+2) stops after the first file.
    let gap = LogFile {
        path: "h.LOG1".into(),
        bytes: log_bytes(s + 2, &[e(s + 2, 3)]),
    };
    let r = recover(&dirty, &[gap, log2]);
    assert!(r.recovered && r.seq_after == (s, s), "{r:?}");
    assert_eq!(r.bytes[BASE..BASE + 4096], state(1)[..]);
    assert!(
        r.warnings.iter().any(|w| w.message.contains("expected")),
        "{:?}",
        r.warnings
    );

    // A clean hive is left alone, whatever the logs hold.
    let r = recover(&clean, &[log1]);
    assert!(!r.dirty && !r.recovered && r.bytes == clean && r.warnings.is_empty());
}

#[test]
fn primary_with_a_bad_checksum_takes_the_base_block_from_the_log() {
    let (clean, modified) = clean_and_modified();
    let (mut dirty, log) = old_format_pair(&clean, &modified).unwrap();
    dirty[100] ^= 0xFF; // checksum now wrong
    let r = recover(
        &dirty,
        &[LogFile {
            path: "x.LOG".into(),
            bytes: log,
        }],
    );
    assert!(r.dirty && r.recovered, "{r:?}");
    assert!(checksum_ok(&r.bytes));
    assert_eq!(
        r.bytes[100], modified[100],
        "base block sector from the log"
    );
    assert_eq!(
        u32::from_le_bytes(r.bytes[28..32].try_into().unwrap()),
        0,
        "file type primary"
    );
}

#[test]
fn garbage_never_panics() {
    let (clean, _) = clean_and_modified();
    let dirty = make_dirty(&clean).unwrap();
    let mut junk: Vec<Vec<u8>> = vec![vec![], b"regf".to_vec(), vec![0xFF; 4096]];
    let mut x = 0x1234_5678u32;
    for len in [511usize, 512, 520, 1024, 5000] {
        let mut v: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        v[..4].copy_from_slice(b"regf");
        if len >= 516 {
            v[512..516].copy_from_slice(if len % 2 == 0 { b"HvLE" } else { b"DIRT" });
        }
        junk.push(v);
    }
    for j in &junk {
        for primary in [&dirty[..], &j[..], &dirty[..100]] {
            let r = recover(
                primary,
                &[LogFile {
                    path: "j.LOG".into(),
                    bytes: j.clone(),
                }],
            );
            assert!(!r.recovered || !r.warnings.is_empty() || r.bytes == primary);
        }
    }
}
