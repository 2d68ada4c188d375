//! Writing output files atomically: a temporary file beside the target, then a rename.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: already exists (use --force to overwrite)", .0.display())]
    Exists(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so
/// that readers never see a half-written file. Refuses to replace an
/// existing file unless `force`.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    let mut f = AtomicFile::create(path, force)?;
    f.write_all(bytes).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    f.commit()
}

/// An output file being written; `commit` puts it in place, dropping it
/// without committing removes the temporary file.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
    force: bool,
}

impl AtomicFile {
    /// Starts writing `path`; refuses an existing file unless `force`.
    pub fn create(path: &Path, force: bool) -> Result<Self, OutputError> {
        if !force && path.exists() {
            return Err(OutputError::Exists(path.to_path_buf()));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            tmp,
            file: Some(BufWriter::new(file)),
            force,
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let file = self.file.take().expect("not yet committed");
        let result = (|| {
            let file = file.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            if !self.force && self.path.exists() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "appeared while writing",
                ));
            }
            fs::rename(&self.tmp, &self.path)
        })();
        result.map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not yet committed").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Removes the temporary file unless it was renamed into place.
        self.file.take();
        let _ = fs::remove_file(&self.tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
