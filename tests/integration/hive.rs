//! The binary hive reader against the real hives of the corpus.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::view::walk;
use wutriage::registry::{Key, RegistryError, RegistryView};

use crate::util;

fn corpus_hive_files(corpus: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus.join("hives")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().unwrap() != "LICENSE" {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Opens and walks the whole tree; keys that fail are counted, never fatal.
fn read_all(bytes: Vec<u8>) -> Result<Vec<Key>, RegistryError> {
    let hive = BinaryHive::from_bytes(bytes)?;
    let mut keys = Vec::new();
    walk(&hive, "", &mut |k| keys.push(k))?;
    Ok(keys)
}

/// Runs `read_all` on another thread so that a hang fails the test instead of stalling it.
fn read_all_bounded(bytes: Vec<u8>, what: &str) -> Result<Vec<Key>, RegistryError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read_all(bytes));
    });
    rx.recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{what}: reading did not finish (hang or panic)"))
}

#[test]
fn every_corpus_hive_reads_or_gives_a_named_error() {
    let Some(corpus) = util::corpus() else { return };
    let files = corpus_hive_files(&corpus);
    assert!(files.len() > 30, "corpus hives not found");
    let mut read = 0;
    for path in &files {
        let bytes = util::read(path);
        let name = path.strip_prefix(&corpus).unwrap().display().to_string();
        match read_all_bounded(bytes.clone(), &name) {
            Ok(keys) => {
                assert!(!keys.is_empty(), "{name}: read but no root key");
                read += 1;
            }
            Err(e) => assert!(!e.to_string().is_empty(), "{name}: unnamed error"),
        }
        for cut in [
            0,
            3,
            4,
            512,
            4095,
            4096,
            4100,
            4200,
            6000,
            8192,
            12000,
            bytes.len() / 2,
        ] {
            if cut < bytes.len() {
                let what = format!("{name} cut at {cut}");
                if let Err(e) = read_all_bounded(bytes[..cut].to_vec(), &what) {
                    assert!(!e.to_string().is_empty(), "{what}: unnamed error");
                }
            }
        }
    }
    // The clean hives must read, the non-hives must not.
    assert!(read >= 20, "only {read} corpus hives read");
    for (rel, ok) in [
        ("hives/ez/NotAHive", false),
        ("hives/yarp/SqliteFragment", false),
        ("hives/yarp/System_Delta", false),
        ("hives/regipy/SYSTEM", true),
        ("hives/regipy/SYSTEM_B", true),
        ("hives/ez/SAN_OTHER_bad_checksum", true),
    ] {
        let result = BinaryHive::from_bytes(util::read(&corpus.join(rel)));
        assert_eq!(result.is_ok(), ok, "{rel}: {result:?}");
    }
}

#[test]
fn non_hive_input_is_a_named_error() {
    let Some(corpus) = util::corpus() else { return };
    let err = BinaryHive::from_bytes(util::read(&corpus.join("hives/ez/NotAHive"))).unwrap_err();
    assert_eq!(err.to_string(), "not a registry hive or .reg export");
    let err =
        BinaryHive::from_bytes(util::read(&corpus.join("hives/yarp/System_Delta"))).unwrap_err();
    assert!(err.to_string().contains("1.6"), "{err}");
}

#[test]
fn dirty_and_bad_checksum_hives_are_read_with_warnings() {
    let Some(corpus) = util::corpus() else { return };
    let dirty = BinaryHive::from_bytes(util::read(&corpus.join("hives/regipy/SYSTEM_B"))).unwrap();
    assert!(dirty.is_dirty());
    assert!(dirty
        .warnings()
        .iter()
        .any(|w| w.message.contains("transaction logs not applied")));
    assert!(dirty.key("Select").unwrap().is_some());

    let bad = BinaryHive::from_bytes(util::read(&corpus.join("hives/ez/SAN_OTHER_bad_checksum")))
        .unwrap();
    assert!(!bad.header().checksum_ok());
    assert!(bad
        .warnings()
        .iter()
        .any(|w| w.message.contains("checksum")));
}

#[test]
fn unsorted_subkey_lists_are_searched_linearly() {
    let Some(corpus) = util::corpus() else { return };
    let hive =
        BinaryHive::from_bytes(util::read(&corpus.join("hives/yarp/WrongOrderHive"))).unwrap();
    let mut paths = Vec::new();
    walk(&hive, "", &mut |k| paths.push(k.path)).unwrap();
    assert!(paths.len() > 5, "{paths:?}");
    for path in &paths {
        // Looked up by path (binary search first), and in other letter case.
        assert!(hive.key(path).unwrap().is_some(), "{path} not found");
        assert!(
            hive.key(&path.to_uppercase()).unwrap().is_some(),
            "{path} (upper) not found"
        );
    }
}

#[test]
fn odd_names_come_out_right() {
    let Some(corpus) = util::corpus() else { return };
    let open = |rel: &str| BinaryHive::from_bytes(util::read(&corpus.join(rel))).unwrap();

    let special = open("hives/hivex/special");
    let root = special.key("").unwrap().unwrap();
    let names: BTreeSet<&str> = root.subkeys.iter().map(String::as_str).collect();
    assert_eq!(names, BTreeSet::from(["abcd_äöüß", "weird™", "zero\0key"]));
    let k = special.key("ABCD_ÄÖÜSS").unwrap();
    assert!(k.is_none(), "ß does not fold to SS in the registry");
    let k = special.key("ABCD_ÄÖÜß").unwrap().unwrap();
    assert_eq!(k.values[0].name, "abcd_äöüß");
    let k = special.key("weird™").unwrap().unwrap();
    assert_eq!(k.values[0].name, "symbols $£₤₧€");
    let k = special.key("zero\0key").unwrap().unwrap();
    assert_eq!(k.values[0].name, "zero\0val");

    let unicode = open("hives/yarp/UnicodeHive");
    assert!(unicode.key("Привет\\Ключ").unwrap().is_some());
    assert!(unicode.key("ПРИВЕТ\\ключ").unwrap().is_some());

    let ascii = open("hives/yarp/ExtendedASCIIHive");
    assert!(ascii.key("ëigenaardig").unwrap().is_some());
    assert!(ascii.key("ËIGENAARDIG").unwrap().is_some());
}

#[test]
fn key_timestamps_are_read() {
    let Some(corpus) = util::corpus() else { return };
    let hive = BinaryHive::from_bytes(util::read(&corpus.join("hives/regipy/SYSTEM"))).unwrap();
    let key = hive.key("ControlSet001\\Services\\BITS").unwrap().unwrap();
    let t = key.last_written.expect("BITS has a last-written time");
    assert!(
        t.format("%Y").to_string().parse::<i32>().unwrap() >= 2009,
        "{t}"
    );
    assert!(key.value("Start").is_some());
}

/// Keys, value names and value types as `hivexregedit --export` lists them.
fn hivex_listing(path: &Path) -> Option<BTreeSet<String>> {
    let out = std::process::Command::new("hivexregedit")
        .env("PERL_UNICODE", "SO")
        .arg("--export")
        .arg(path)
        .arg("\\")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut set = BTreeSet::new();
    let mut key = String::new();
    let mut pending: Option<String> = None;
    for line in text.split('\n') {
        // A key name may hold a line break: join until the closing bracket.
        if let Some(mut open) = pending.take() {
            open.push('\n');
            open.push_str(line);
            if open.ends_with(']') {
                key = open.trim_end_matches(']').to_string();
                set.insert(format!("K {}", key.to_lowercase()));
            } else {
                pending = Some(open);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("[\\") {
            if !rest.ends_with(']') {
                pending = Some(rest.to_string());
                continue;
            }
            key = rest.trim_end_matches(']').to_string();
            set.insert(format!("K {}", key.to_lowercase()));
        } else if line.starts_with('"') || line.starts_with('@') {
            let (name, rest) = if let Some(rest) = line.strip_prefix("@=") {
                (String::new(), rest)
            } else {
                let mut name = String::new();
                let mut chars = line[1..].char_indices();
                let mut end = 0;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => name.push(chars.next().map(|(_, c)| c).unwrap_or('\\')),
                        '"' => {
                            end = i + 2;
                            break;
                        }
                        c => name.push(c),
                    }
                }
                (name, line[end..].trim_start_matches('='))
            };
            let ty = if rest.starts_with("dword:") {
                4
            } else if let Some(h) = rest.strip_prefix("hex(") {
                u32::from_str_radix(&h[..h.find(')')?], 16).ok()?
            } else if rest.starts_with("hex:") {
                3
            } else {
                1
            };
            set.insert(format!("V {} {:?} {ty}", key.to_lowercase(), name));
        }
    }
    Some(set)
}

fn our_listing(hive: &BinaryHive) -> Option<BTreeSet<String>> {
    let mut set = BTreeSet::new();
    let mut ok = true;
    walk(hive, "", &mut |k| {
        ok &= k.notes.is_empty();
        let key = k.path.to_lowercase();
        set.insert(format!("K {key}"));
        for v in &k.values {
            set.insert(format!("V {key} {:?} {}", v.name, v.raw_type));
        }
    })
    .ok()?;
    ok.then_some(set)
}

#[test]
fn keys_values_and_types_equal_hivexregedit() {
    let Some(corpus) = util::corpus() else { return };
    if !util::have_hivexregedit() {
        eprintln!("skipping: hivexregedit is not installed");
        return;
    }
    let mut compared = Vec::new();
    for path in corpus_hive_files(&corpus) {
        let Ok(hive) = BinaryHive::from_bytes(util::read(&path)) else {
            continue;
        };
        if hive.is_dirty() || !hive.header().checksum_ok() {
            continue; // hivex refuses these; they are covered above
        }
        let (Some(ours), Some(theirs)) = (our_listing(&hive), hivex_listing(&path)) else {
            continue;
        };
        let name = path.strip_prefix(&corpus).unwrap().display().to_string();
        let only_ours: Vec<_> = ours.difference(&theirs).take(5).collect();
        let only_theirs: Vec<_> = theirs.difference(&ours).take(5).collect();
        assert!(
            only_ours.is_empty() && only_theirs.is_empty(),
            "{name}: only ours {only_ours:?}, only hivex {only_theirs:?}"
        );
        compared.push(name);
    }
    eprintln!("compared with hivexregedit: {compared:?}");
    for must in [
        "hives/regipy/SYSTEM",
        "hives/yarp/WrongOrderHive",
        "hives/hivex/special",
    ] {
        assert!(
            compared.iter().any(|c| c == must),
            "{must} was not compared: {compared:?}"
        );
    }
}
