//! Every input the fuzzers found (a crash or a slow input, since fixed) is
//! kept under `fuzz/regressions/<target>/` and replayed here, on stable
//! Rust, through the same functions the fuzz targets call
//! (`wutriage::fuzzing`). A panic in any of them fails this test.

use std::fs;
use std::path::PathBuf;

use wutriage::fuzzing::{join_replay, split_replay, TARGETS};

use crate::util::root;

fn regressions() -> PathBuf {
    root().join("fuzz").join("regressions")
}

#[test]
fn every_regression_input_is_handled() {
    let mut replayed = 0;
    for entry in fs::read_dir(regressions()).expect("fuzz/regressions exists") {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Some((_, run)) = TARGETS.iter().find(|(t, _)| *t == name) else {
            panic!("fuzz/regressions/{name}: no fuzz target of that name");
        };
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            eprintln!("replaying {}", file.display());
            run(&fs::read(&file).unwrap());
            replayed += 1;
        }
    }
    eprintln!("{replayed} regression inputs replayed");
}

#[test]
fn every_target_is_a_fuzz_target_calling_its_library_body() {
    for (target, _) in TARGETS {
        let source = root()
            .join("fuzz/fuzz_targets")
            .join(format!("{target}.rs"));
        let text = fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source:?}: {e}"));
        assert!(
            text.contains(&format!("wutriage::fuzzing::{target}(data)")),
            "{source:?} does not call wutriage::fuzzing::{target}"
        );
    }
}

#[test]
fn replay_inputs_split_as_they_were_joined() {
    let hive = b"regf primary".to_vec();
    let (one, two) = (b"LOG1 bytes".to_vec(), b"the LOG2".to_vec());
    let joined = join_replay(&hive, &[&one]);
    assert_eq!(split_replay(&joined), (&hive[..], vec![&one[..]]));
    let joined = join_replay(&hive, &[&one, &two]);
    assert_eq!(split_replay(&joined), (&hive[..], vec![&one[..], &two[..]]));
    // Lengths beyond the input are cut to it.
    let (primary, logs) = split_replay(&[1, 0xff, 0xff, 0xff, 0xff, b'x']);
    assert_eq!((primary, logs), (&b"x"[..], vec![&b""[..], &b""[..]]));
    assert_eq!(split_replay(&[]), (&b""[..], vec![&b""[..]]));
}

#[test]
fn rule_regressions_reach_evaluation_or_are_refused_by_lint() {
    use wutriage::rules::spec::Rule;
    let dir = regressions().join("rules");
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    // Passed lint once and then panicked `scan`: lint now refuses it.
    let refused = Rule::parse(&read("system-rule-whose-checks-read-software.toml"), "x");
    assert!(refused.is_err(), "{refused:?}");
    // Accepted, so the regression replay evaluates it on both hives.
    let accepted = Rule::parse(&read("system-rule-with-a-software-check.toml"), "x");
    assert!(accepted.is_ok(), "{accepted:?}");
}
