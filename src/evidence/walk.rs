//! Listing a host's evidence: the files beneath its folders and the files
//! named for it, each file read once, nothing followed.
//!
//! Symbolic links are never followed (neither to files nor to folders). A
//! symbolic link, FIFO, socket or device whose name suggests evidence is
//! listed so that opening it reports it ("not a regular file: …"); other
//! special files are left out like any unrecognised file. A folder that
//! cannot be listed is reported by its own path and the rest is still walked.
//! Hard links to one file (same device and inode) are listed once.

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use super::discover::name_suggests_evidence;
use super::open::{describe_type, FileId};

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Named explicitly (not found by walking a folder).
    pub explicit: bool,
    /// Other names (hard links) of the same file in this host, not read again.
    pub also: Vec<PathBuf>,
}

/// A host's files and what stood in the way of listing them.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Found>,
    /// Folders that could not be listed or were not entered, with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

/// Lists the evidence of a host: everything beneath `dirs` (a file given as
/// a dir is read as named evidence), then the `explicit` files.
pub fn walk_host(dirs: &[PathBuf], explicit: &[PathBuf]) -> Walk {
    let mut walk = Walk::default();
    let mut seen: HashMap<FileId, usize> = HashMap::new();
    for dir in dirs {
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk_dir(dir, &mut found, &mut walk.problems);
                found.sort_by(|a, b| a.0.cmp(&b.0));
                for (path, meta) in found {
                    walk.add(&mut seen, path, meta.as_ref(), false);
                }
            }
            Ok(m) if m.file_type().is_symlink() => {
                let what = describe_type(dir, &m).unwrap_or_default();
                walk.problems
                    .push((dir.clone(), format!("not followed: {what}")));
            }
            Ok(m) => walk.add(&mut seen, dir.clone(), Some(&m), true),
            Err(e) => walk
                .problems
                .push((dir.clone(), format!("cannot list folder: {e}"))),
        }
    }
    for f in explicit {
        let meta = std::fs::symlink_metadata(f).ok();
        walk.add(&mut seen, f.clone(), meta.as_ref(), true);
    }
    walk
}

impl Walk {
    fn add(
        &mut self,
        seen: &mut HashMap<FileId, usize>,
        path: PathBuf,
        meta: Option<&Metadata>,
        explicit: bool,
    ) {
        if let Some(m) = meta.filter(|m| m.is_file()) {
            if let Some(&k) = seen.get(&FileId::of(m)) {
                if self.files[k].path != path {
                    self.files[k].also.push(path);
                }
                return;
            }
            seen.insert(FileId::of(m), self.files.len());
        }
        self.files.push(Found {
            path,
            explicit,
            also: Vec::new(),
        });
    }
}

/// True when a special file's name says it stands for evidence or a hive's
/// transaction log, so that it deserves an error rather than silence.
fn name_deserves_report(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name_suggests_evidence(path) || [".log", ".log1", ".log2"].iter().any(|s| name.ends_with(s))
}

/// Collects the files beneath `dir` (regular files with their metadata,
/// special files worth reporting without), never following a link.
fn walk_dir(
    dir: &Path,
    out: &mut Vec<(PathBuf, Option<Metadata>)>,
    problems: &mut Vec<(PathBuf, String)>,
) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                problems.push((d, format!("cannot list folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push((d.clone(), format!("cannot list folder: {e}")));
                    break;
                }
            };
            let path = entry.path();
            // DirEntry::metadata does not follow symbolic links.
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) if m.is_file() => out.push((path, Some(m))),
                Ok(_) if name_deserves_report(&path) => out.push((path, None)),
                Ok(_) => {}
                Err(e) => problems.push((path, format!("cannot read: {e}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_links_once_links_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let host = dir.path().join("host");
        std::fs::create_dir_all(host.join("a")).unwrap();
        std::fs::write(host.join("SOFTWARE"), b"x").unwrap();
        std::fs::hard_link(host.join("SOFTWARE"), host.join("a/SOFTWARE")).unwrap();
        std::os::unix::fs::symlink("/etc", host.join("etc")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", host.join("system")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", host.join("notes")).unwrap();
        let w = walk_host(std::slice::from_ref(&host), &[host.join("SOFTWARE")]);
        let paths: Vec<_> = w.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(paths, [host.join("SOFTWARE"), host.join("system")]);
        assert_eq!(w.files[0].also, [host.join("a/SOFTWARE")]);
        assert!(w.problems.is_empty());
    }

    #[test]
    fn a_symlinked_or_missing_folder_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("host");
        std::os::unix::fs::symlink("/etc", &link).unwrap();
        let w = walk_host(&[link.clone(), dir.path().join("absent")], &[]);
        assert!(w.files.is_empty());
        assert_eq!(w.problems[0].0, link);
        assert_eq!(w.problems[0].1, "not followed: symbolic link to /etc");
        assert!(w.problems[1].1.starts_with("cannot list folder: "));
    }
}
