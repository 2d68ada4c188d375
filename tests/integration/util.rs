//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The shared corpus (`$WUTRIAGE_CORPUS`, else `../shared/corpus`). `None`
/// (with a line saying why) when it is absent; under `CI=true` absence fails.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WUTRIAGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!(
            "corpus not found at {} (required under CI=true)",
            dir.display()
        );
    }
    eprintln!("skipping: corpus not found at {}", dir.display());
    None
}

/// The `wutriage` binary under test.
pub fn wutriage() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("wutriage").unwrap()
}

/// True when `hivexregedit` is on PATH (CI installs it).
pub fn have_hivexregedit() -> bool {
    std::process::Command::new("hivexregedit")
        .arg("--help")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// Reads a file or panics with its path.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
}
