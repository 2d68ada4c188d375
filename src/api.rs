//! The library's front door: describe a host, analyse it, read its findings.
//!
//! Everything here is re-exported at the crate root (`wutriage::analyse`,
//! `wutriage::HostSpec`, …); the modules behind it stay reachable for callers
//! that need more (one reader, one renderer).

use std::path::{Path, PathBuf};

use crate::scan::HostSpec;

/// Why a folder cannot be taken as one host's evidence.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostSpecError {
    /// The path is not a folder (a file, a symbolic link, a device …).
    #[error("{}: not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The path could not be examined.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder named.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl HostSpec {
    /// One host whose evidence is anywhere beneath the folder `dir`, named
    /// after the folder. The folder must exist and be a real folder (a
    /// symbolic link is not followed); its content is read only by
    /// [`analyse`](crate::analyse).
    ///
    /// A folder holding several machines' folders is still one host here
    /// (the analysis then reports evidence of several machines and judges
    /// none); [`triage::hosts_in`](crate::triage::hosts_in) splits such a
    /// folder into one spec per machine.
    ///
    /// ```
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hosts/xp-broken");
    /// let spec = wutriage::HostSpec::from_dir(dir)?;
    /// assert_eq!(spec.name, "xp-broken");
    /// assert!(wutriage::HostSpec::from_dir("/no/such/folder").is_err());
    /// # Ok::<(), wutriage::HostSpecError>(())
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, HostSpecError> {
        let dir = dir.as_ref();
        let meta = std::fs::symlink_metadata(dir).map_err(|source| HostSpecError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(HostSpecError::NotAFolder(dir.to_path_buf()));
        }
        let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let name = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "host".to_string());
        Ok(Self::named(name).with_dir(dir))
    }

    /// A host named `name` with no evidence yet: add folders and files with
    /// [`with_dir`](Self::with_dir), [`with_software`](Self::with_software)
    /// and [`with_log`](Self::with_log).
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Also searches the folder `dir` for this host's evidence.
    pub fn with_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// Also reads this file as a registry hive or `.reg` export.
    pub fn with_software(mut self, file: impl Into<PathBuf>) -> Self {
        self.software.push(file.into());
        self
    }

    /// Also reads this file as a Windows Update log.
    pub fn with_log(mut self, file: impl Into<PathBuf>) -> Self {
        self.logs.push(file.into());
        self
    }

    /// Reads dirty hives as they are on disk, without replaying their
    /// transaction logs.
    pub fn without_recovery(mut self) -> Self {
        self.no_recover = true;
        self
    }
}

/// Summarises the Windows Update log (classic, Windows 10+ or
/// ReportingEvents) at `path`: its format, time span and error codes.
/// Content never fails: lines that do not parse are counted.
///
/// ```
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hosts/xp-broken/Windows/WindowsUpdate.log");
/// let log = wutriage::read_log(path)?;
/// assert!(log.code(wutriage::wulog::E_NOT_LOGGED_ON).is_some());
/// # Ok::<(), wutriage::wulog::LogError>(())
/// ```
pub fn read_log(path: impl AsRef<Path>) -> Result<crate::LogSummary, crate::wulog::LogError> {
    crate::wulog::scan_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_dir_refuses_files_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(
            HostSpec::from_dir(&file),
            Err(HostSpecError::NotAFolder(_))
        ));
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(dir.path(), &link).unwrap();
        assert!(matches!(
            HostSpec::from_dir(&link),
            Err(HostSpecError::NotAFolder(_))
        ));
        let spec = HostSpec::from_dir(dir.path()).unwrap();
        assert_eq!(spec.dirs, vec![dir.path().to_path_buf()]);
        assert!(!spec.no_recover);
    }
}
