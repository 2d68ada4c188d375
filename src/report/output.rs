//! Writing output safely.
//!
//! - `-` is standard output.
//! - A regular file (or a name not yet taken) is written through a randomly
//!   named temporary file created exclusively in the target's folder, then
//!   renamed into place: readers never see a half-written file, and nothing
//!   planted beside the target (a symbolic link at a guessable name) is
//!   followed. An existing file is replaced only with `force`.
//! - A FIFO or a character device is written to directly: opened for writing
//!   without creating, truncating or replacing it (no `force` needed).
//! - Anything else (a symbolic link, even to a regular file, a folder, a
//!   socket, a block device) is refused, with or without `force`.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Stdout, Write};
#[cfg(unix)]
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::evidence::open::describe_type;

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file exists and overwriting was not asked for.
    #[error("{}: already exists (use --force to overwrite)", .0.display())]
    Exists(PathBuf),
    /// The path is not a regular file (or a place one may be written).
    #[error("{}: refusing to write: {why}", path.display())]
    Refused {
        /// The output path.
        path: PathBuf,
        /// What it is instead.
        why: String,
    },
    /// Writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The output path.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// Writes `bytes` to `path` (see the module's rules). Refuses to replace an
/// existing regular file unless `force`.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    let mut f = AtomicFile::create(path, force)?;
    f.write_all(bytes).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    f.commit()
}

enum Target {
    Stdout(BufWriter<Stdout>),
    Direct(BufWriter<File>),
    Temp(BufWriter<NamedTempFile>),
}

/// An output being written; `commit` puts it in place. Dropping a regular
/// file's output without committing removes its temporary file.
pub struct AtomicFile {
    path: PathBuf,
    target: Option<Target>,
    force: bool,
}

/// True for the outputs written to directly.
#[cfg(unix)]
fn is_stream(meta: &Metadata) -> bool {
    let t = meta.file_type();
    t.is_fifo() || t.is_char_device()
}

/// Elsewhere every output is a regular file.
#[cfg(not(unix))]
fn is_stream(_meta: &Metadata) -> bool {
    false
}

impl AtomicFile {
    /// Starts writing `path`; refuses an existing file unless `force`.
    pub fn create(path: &Path, force: bool) -> Result<Self, OutputError> {
        let io_err = |source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        };
        let target = if path.as_os_str() == "-" {
            Target::Stdout(BufWriter::new(io::stdout()))
        } else {
            match std::fs::symlink_metadata(path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => temp_beside(path)?,
                Err(e) => return Err(io_err(e)),
                Ok(m) if m.is_file() && !force => {
                    return Err(OutputError::Exists(path.to_path_buf()))
                }
                Ok(m) if m.is_file() => temp_beside(path)?,
                Ok(m) if is_stream(&m) => Target::Direct(BufWriter::new(open_stream(path)?)),
                Ok(m) => {
                    let what = describe_type(path, &m).unwrap_or_default();
                    return Err(OutputError::Refused {
                        path: path.to_path_buf(),
                        why: format!("{what} (only a regular file, FIFO or character device)"),
                    });
                }
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            target: Some(target),
            force,
        })
    }

    /// Flushes the output; a regular file is synced and renamed into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io_err = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        match self.target.take().expect("not yet committed") {
            Target::Stdout(mut w) => w.flush().map_err(io_err),
            Target::Direct(mut w) => w.flush().map_err(io_err),
            Target::Temp(w) => {
                let tmp = w.into_inner().map_err(|e| io_err(e.into_error()))?;
                tmp.as_file().sync_all().map_err(io_err)?;
                // What stands at the path now must still be replaceable.
                match std::fs::symlink_metadata(&self.path) {
                    Ok(m) if !m.is_file() => {
                        return Err(OutputError::Refused {
                            path: self.path.clone(),
                            why: "replaced by something other than a regular file while writing"
                                .to_string(),
                        })
                    }
                    Ok(_) if !self.force => return Err(OutputError::Exists(self.path.clone())),
                    _ => {}
                }
                let persisted = if self.force {
                    tmp.persist(&self.path)
                } else {
                    tmp.persist_noclobber(&self.path)
                };
                persisted.map(drop).map_err(|e| io_err(e.error))
            }
        }
    }
}

/// A temporary file with a random name, created exclusively beside `path`.
fn temp_beside(path: &Path) -> Result<Target, OutputError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Keep the temporary name within the file system's limit.
    let mut cut = name.len().min(64);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let prefix = format!(".{}.", &name[..cut]);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // As a file created by `File::create` would be (the umask applies).
    #[cfg(unix)]
    builder.permissions(std::fs::Permissions::from_mode(0o666));
    let tmp = builder.tempfile_in(dir).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Target::Temp(BufWriter::new(tmp)))
}

/// Opens an existing FIFO or character device for writing, as it is.
fn open_stream(path: &Path) -> Result<File, OutputError> {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NOCTTY);
    let file = options.open(path).map_err(|source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match file.metadata() {
        Ok(m) if is_stream(&m) => Ok(file),
        _ => Err(OutputError::Refused {
            path: path.to_path_buf(),
            why: "changed while being opened".to_string(),
        }),
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.target.as_mut().expect("not yet committed") {
            Target::Stdout(w) => w.write(buf),
            Target::Direct(w) => w.write(buf),
            Target::Temp(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.target.as_mut().expect("not yet committed") {
            Target::Stdout(w) => w.flush(),
            Target::Direct(w) => w.flush(),
            Target::Temp(w) => w.flush(),
        }
    }
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
