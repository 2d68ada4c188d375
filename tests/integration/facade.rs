//! The library as another crate uses it: `tests/facade-consumer` is a
//! separate package depending on wutriage with `default-features = false`
//! (no command line), whose tests assert through the facade alone. Built in
//! its own target folder (`target/facade-consumer`), offline, with the
//! versions of this crate's `Cargo.lock`.

use std::process::Command;

use crate::util;

#[test]
fn an_external_crate_without_the_cli_feature_uses_the_facade() {
    let root = util::root();
    let consumer = root.join("tests/facade-consumer");
    // Same dependency versions as the main crate (the copy is not committed).
    std::fs::copy(root.join("Cargo.lock"), consumer.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/facade-consumer"))
        // No debug info: a first build is twice as fast, and nothing here is debugged.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // Three tests ran and passed (not zero, not filtered away).
    assert!(stdout.contains("test result: ok. 3 passed"), "{stdout}");
    let tree = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--edges", "normal", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&tree.stdout);
    assert!(tree.contains("wutriage"), "{tree}");
    for cli_only in ["clap", "indicatif", "anyhow"] {
        assert!(
            !tree.contains(cli_only),
            "{cli_only} built without `cli`:\n{tree}"
        );
    }
}
