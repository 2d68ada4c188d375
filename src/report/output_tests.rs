use super::*;
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;

#[test]
fn appears_only_on_commit_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.jsonl");
    let mut f = AtomicFile::create(&path, false).unwrap();
    f.write_all(b"one\n").unwrap();
    assert!(!path.exists());
    f.commit().unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"one\n");
    assert!(matches!(
        AtomicFile::create(&path, false),
        Err(OutputError::Exists(_))
    ));
    let mut f = AtomicFile::create(&path, true).unwrap();
    f.write_all(b"two\n").unwrap();
    drop(f);
    assert_eq!(fs::read(&path).unwrap(), b"one\n", "dropped without commit");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    write_atomic(&path, b"three\n", true).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"three\n");
}

#[test]
fn a_file_appearing_while_writing_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    let f = AtomicFile::create(&path, false).unwrap();
    fs::write(&path, b"theirs").unwrap();
    assert!(matches!(f.commit(), Err(OutputError::Exists(_))));
    assert_eq!(fs::read(&path).unwrap(), b"theirs");
}

#[test]
fn temporary_names_are_not_predictable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    let _a = AtomicFile::create(&path, false).unwrap();
    let _b = AtomicFile::create(&path, false).unwrap();
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2);
    assert_ne!(names[0], names[1]);
}

#[test]
fn links_and_folders_are_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, b"keep").unwrap();
    let link = dir.path().join("out");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    for force in [false, true] {
        let e = write_atomic(&link, b"x", force).unwrap_err().to_string();
        assert!(e.contains("refusing to write: symbolic link to"), "{e}");
        let e = write_atomic(dir.path(), b"x", force)
            .unwrap_err()
            .to_string();
        assert!(e.contains("refusing to write: folder"), "{e}");
    }
    assert_eq!(fs::read(&victim).unwrap(), b"keep");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_long_name_still_gets_a_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("é".repeat(120));
    write_atomic(&path, b"x", false).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"x");
}

#[test]
fn a_fifo_is_written_to_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    write_atomic(&fifo, b"report", true).unwrap();
    assert_eq!(reader.join().unwrap(), b"report");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}
