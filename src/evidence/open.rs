//! Opening evidence: every file this tool reads goes through [`open_evidence`].
//!
//! Only regular files are evidence. A file is opened read-only without
//! following a symbolic link in its last component (`O_NOFOLLOW`) and without
//! waiting on a FIFO (`O_NONBLOCK`); what was opened is then checked to be a
//! regular file (`fstat` on the open descriptor, so a file swapped in between
//! cannot slip through) before a single byte is read. Whole-file reads are
//! bounded by [`MAX_READ`].

use std::fs::{File, Metadata};
use std::io::{self, Read};
#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
#[cfg(windows)]
use std::os::windows::fs::OpenOptionsExt;
use std::path::Path;

/// The largest file read whole into memory (hives, transaction logs, .reg
/// exports). Real SOFTWARE hives stay well under it; update logs are
/// streamed and not bound by it.
pub const MAX_READ: u64 = 512 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A symbolic link, FIFO, socket, device or folder: never opened for reading.
    #[error("not a regular file: {0}")]
    NotRegular(String),
    /// Larger than [`MAX_READ`].
    #[error("too large to read: {size} bytes (at most {max})")]
    TooLarge { size: u64, max: u64 },
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
}

impl From<OpenError> for io::Error {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// A device and inode: one file, whatever name (hard link) it is reached by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    /// The file's identity (Unix: device and inode).
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Self {
        Self {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    /// Elsewhere no stable file identity is available: every file is its
    /// own (hard links are read once per name).
    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Self {
            dev: u64::MAX,
            ino: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// Says what a non-regular file is (`path` is used for a link's target).
pub fn describe_type(path: &Path, meta: &Metadata) -> Option<String> {
    let t = meta.file_type();
    let what = if t.is_file() {
        return None;
    } else if t.is_symlink() {
        match std::fs::read_link(path) {
            Ok(target) => format!("symbolic link to {}", target.display()),
            Err(_) => "symbolic link".to_string(),
        }
    } else if t.is_dir() {
        "folder".to_string()
    } else {
        return Some(special_type(&t));
    };
    Some(what)
}

/// What a file that is neither regular, a link nor a folder is.
#[cfg(unix)]
fn special_type(t: &std::fs::FileType) -> String {
    if t.is_fifo() {
        "FIFO".to_string()
    } else if t.is_socket() {
        "socket".to_string()
    } else if t.is_char_device() {
        "character device".to_string()
    } else if t.is_block_device() {
        "block device".to_string()
    } else {
        "unknown file type".to_string()
    }
}

#[cfg(not(unix))]
fn special_type(_t: &std::fs::FileType) -> String {
    "not a regular file".to_string()
}

/// Opens `path` for reading if, and only if, it is a regular file.
pub fn open_evidence(path: &Path) -> Result<(File, Metadata), OpenError> {
    // Look first, so that a link or special file is named precisely and a
    // device is never even opened (opening some devices has effects).
    let meta = std::fs::symlink_metadata(path)?;
    if let Some(what) = describe_type(path, &meta) {
        return Err(OpenError::NotRegular(what));
    }
    let file = open_read_nofollow(path)?;
    // What was opened may not be what was looked at: check the descriptor.
    let meta = file.metadata()?;
    if let Some(what) = describe_type(path, &meta) {
        return Err(OpenError::NotRegular(what));
    }
    Ok((file, meta))
}

/// Opens for reading without following a link in the last component.
#[cfg(unix)]
fn open_read_nofollow(path: &Path) -> Result<File, OpenError> {
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => OpenError::NotRegular("symbolic link".to_string()),
            _ => OpenError::Io(e),
        })
}

/// Opens for reading the link itself, never its target
/// (`FILE_FLAG_OPEN_REPARSE_POINT`); the caller checks what was opened.
#[cfg(windows)]
fn open_read_nofollow(path: &Path) -> Result<File, OpenError> {
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    Ok(std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)?)
}

/// Reads until `buf` is full or the reader ends (retrying on
/// `Interrupted`); returns the bytes read.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads a whole regular file, at most [`MAX_READ`] bytes.
pub fn read_evidence(path: &Path) -> Result<Vec<u8>, OpenError> {
    let (file, meta) = open_evidence(path)?;
    read_bounded(file, meta.len(), MAX_READ)
}

/// Reads `file` (whose size was `size` when opened) to its end, refusing
/// more than `max` bytes even if it grows while being read.
pub fn read_bounded(file: impl Read, size: u64, max: u64) -> Result<Vec<u8>, OpenError> {
    if size > max {
        return Err(OpenError::TooLarge { size, max });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(OpenError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    fn mkfifo(path: &Path) {
        let c = CString::new(path.as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn regular_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("SOFTWARE");
        std::fs::write(&file, b"regf").unwrap();
        assert_eq!(read_evidence(&file).unwrap(), b"regf");

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let e = read_evidence(&link).unwrap_err().to_string();
        assert!(
            e.starts_with("not a regular file: symbolic link to "),
            "{e}"
        );
        assert!(e.ends_with("SOFTWARE"), "{e}");

        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let e = read_evidence(&fifo).unwrap_err().to_string();
        assert_eq!(e, "not a regular file: FIFO");

        let e = read_evidence(dir.path()).unwrap_err().to_string();
        assert_eq!(e, "not a regular file: folder");
        assert!(matches!(
            read_evidence(&dir.path().join("absent")),
            Err(OpenError::Io(_))
        ));
    }

    #[test]
    fn reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        std::fs::write(&file, vec![0u8; 100]).unwrap();
        let (f, meta) = open_evidence(&file).unwrap();
        assert!(matches!(
            read_bounded(f, meta.len(), 99),
            Err(OpenError::TooLarge { size: 100, max: 99 })
        ));
        // A file that grows past its announced size is cut off too.
        let (f, _) = open_evidence(&file).unwrap();
        assert!(matches!(
            read_bounded(f, 10, 50),
            Err(OpenError::TooLarge { .. })
        ));
        let (f, meta) = open_evidence(&file).unwrap();
        assert_eq!(read_bounded(f, meta.len(), 100).unwrap().len(), 100);
    }
}
