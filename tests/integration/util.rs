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

/// Runs `f` and counts, per path, the times the file was opened meanwhile
/// (Linux inotify; closes are watched too, so that two opens in a row are
/// not merged into one event).
pub fn opens_during<T>(paths: &[&Path], f: impl FnOnce() -> T) -> (T, Vec<usize>) {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: plain system calls on a descriptor this function owns; the
    // buffer outlives every read into it.
    unsafe {
        let fd = libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC);
        assert!(fd >= 0, "inotify_init1 failed");
        let wds: Vec<i32> = paths
            .iter()
            .map(|p| {
                let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
                let mask = libc::IN_OPEN | libc::IN_CLOSE_NOWRITE | libc::IN_CLOSE_WRITE;
                let wd = libc::inotify_add_watch(fd, c.as_ptr(), mask);
                assert!(wd >= 0, "inotify_add_watch failed on {}", p.display());
                wd
            })
            .collect();
        let out = f();
        let mut counts = vec![0; paths.len()];
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
            if n <= 0 {
                break;
            }
            let mut at = 0usize;
            while at < n as usize {
                let ev = buf
                    .as_ptr()
                    .add(at)
                    .cast::<libc::inotify_event>()
                    .read_unaligned();
                if ev.mask & libc::IN_OPEN != 0 {
                    if let Some(i) = wds.iter().position(|&w| w == ev.wd) {
                        counts[i] += 1;
                    }
                }
                at += std::mem::size_of::<libc::inotify_event>() + ev.len as usize;
            }
        }
        libc::close(fd);
        (out, counts)
    }
}
