//! Finding the hosts in a folder: one machine's folder is one host; a
//! folder of several machines' folders (a triage root) is one host per
//! immediate subfolder, each split again when it holds several machines.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::evidence::discover::{read_head, sniff_head, Sniffed};
use crate::evidence::open::FileId;
use crate::evidence::walk::walk_host;
use crate::scan::HostSpec;

/// Why the hosts under a root could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The root is not a folder.
    #[error("{}: not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The root's entries could not be listed.
    #[error("{}: cannot list: {source}", path.display())]
    List {
        /// The root.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// The evidence beneath a folder, as far as telling machines apart needs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Holds {
    /// A machine's hive (not a user's NTUSER.DAT/UsrClass.dat) or a .reg export.
    registry: bool,
    /// A WindowsUpdate.log or ReportingEvents.log.
    log: bool,
}

impl Holds {
    fn any(self) -> bool {
        self.registry || self.log
    }
}

/// The head of a regular file (never a link, FIFO or device).
fn head_of(path: &Path) -> Option<Vec<u8>> {
    read_head(path).ok()
}

/// True for a user's hive, by the name in its base block or its file name.
fn is_user_hive(path: &Path, head: &[u8]) -> bool {
    let embedded: Vec<u16> = head
        .get(0x30..0x70)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|u| *u != 0)
        .collect();
    let embedded = String::from_utf16_lossy(&embedded).to_ascii_lowercase();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [embedded.as_str(), file.as_str()]
        .iter()
        .any(|n| n.ends_with("ntuser.dat") || n.ends_with("usrclass.dat"))
}

/// What one file is, for telling machines apart.
fn holds_file(path: &Path) -> Holds {
    let Some(head) = head_of(path) else {
        return Holds::default();
    };
    match sniff_head(&head) {
        Sniffed::Hive => Holds {
            registry: !is_user_hive(path, &head),
            log: false,
        },
        Sniffed::RegExport => Holds {
            registry: true,
            log: false,
        },
        Sniffed::UpdateLog | Sniffed::EventLog => Holds {
            registry: false,
            log: true,
        },
        Sniffed::HiveLog | Sniffed::Unknown => Holds::default(),
    }
}

/// What the files beneath `dir` hold (stops reading once both are known).
/// Files in `seen` (the same file reached by another name: a hard link)
/// count once, in the first folder that holds them.
fn holds_beneath(dir: &Path, seen: &mut HashSet<FileId>) -> Holds {
    let mut holds = Holds::default();
    for f in walk_host(&[dir.to_path_buf()], &[]).files {
        let id = std::fs::symlink_metadata(&f.path).map(|m| FileId::of(&m));
        if id.is_ok_and(|id| !seen.insert(id)) {
            continue;
        }
        let h = holds_file(&f.path);
        holds.registry |= h.registry;
        holds.log |= h.log;
        if holds.registry && holds.log {
            break;
        }
    }
    holds
}

/// Immediate subfolders of `dir` (symbolic links to folders count), sorted by name.
fn subfolders(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, path));
        }
    }
    out.sort();
    Ok(out)
}

/// True when `dir` holds several machines' folders: two or more of its
/// immediate subfolders each hold a machine's registry evidence, or two or
/// more each hold an update log. One machine's evidence spread over
/// subfolders (a log in `Windows`, an export in `evidence`) is one host.
pub fn holds_several_machines(dir: &Path) -> bool {
    let subs = match subfolders(dir) {
        Ok(s) if s.len() > 1 => s,
        _ => return false,
    };
    let (mut registry, mut log) = (0, 0);
    let mut seen = HashSet::new();
    for (_, sub) in &subs {
        let h = holds_beneath(sub, &mut seen);
        registry += usize::from(h.registry);
        log += usize::from(h.log);
        if registry > 1 || log > 1 {
            return true;
        }
    }
    false
}

/// The hosts in `dir` named `name`: the folder itself when it is one
/// machine's, else its immediate subfolders, each split in turn. Files
/// directly in a folder of machines are not hosts (as in a triage root).
pub fn hosts_in(dir: &Path, name: &str) -> Vec<HostSpec> {
    // A link is one host, never entered: its walk reports it.
    let real_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    if !real_dir || !holds_several_machines(dir) {
        return vec![HostSpec {
            name: name.to_string(),
            dirs: vec![dir.to_path_buf()],
            ..HostSpec::default()
        }];
    }
    subfolders(dir)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(n, p)| hosts_in(&p, &n))
        .collect()
}

/// Folder names of the layouts collection tools write at the top of one
/// machine's folder (`Windows`, a drive `C`, `C%3A`, Velociraptor's `uploads`).
fn is_layout_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let drive = |s: &str| s.len() == 1 && s.chars().all(|c| c.is_ascii_alphabetic());
    matches!(n.as_str(), "windows" | "system32" | "config" | "uploads")
        || drive(&n)
        || n.strip_suffix("%3a").is_some_and(drive)
        || n.strip_suffix(':').is_some_and(drive)
}

/// True when `root` is one machine's own folder rather than a folder of
/// hosts: evidence lies directly in it, or a layout folder (`Windows`, `C`,
/// `uploads` …) directly beneath it holds evidence, and it does not hold
/// several machines' folders.
pub fn is_one_host(root: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(root) else {
        return false;
    };
    let mut evidence = false;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ty) = entry.file_type() else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        evidence |= if ty.is_file() {
            holds_file(&path).any()
        } else {
            path.is_dir()
                && is_layout_name(&name)
                && holds_beneath(&path, &mut HashSet::new()).any()
        };
        if evidence {
            break;
        }
    }
    evidence && !holds_several_machines(root)
}

/// One host per immediate subfolder of `root` (symbolic links to folders
/// count), named after the folder and sorted by name, each split again when
/// it holds several machines' folders ([`hosts_in`]). Files directly in
/// `root` are not hosts and are left out; evidence is searched for anywhere
/// beneath each host folder, whatever the layout (plain, KAPE, Velociraptor).
pub fn hosts_under(root: &Path) -> Result<Vec<HostSpec>, DiscoverError> {
    if !root.is_dir() {
        return Err(DiscoverError::NotAFolder(root.to_path_buf()));
    }
    let subs = subfolders(root).map_err(|source| DiscoverError::List {
        path: root.to_path_buf(),
        source,
    })?;
    let mut hosts: Vec<HostSpec> = subs
        .into_iter()
        .flat_map(|(n, p)| hosts_in(&p, &n))
        .collect();
    hosts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(hosts)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subfolders_are_hosts_in_name_order_and_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["zeta", "alpha", "Mid"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("index.csv"), b"x").unwrap();
        let hosts = hosts_under(dir.path()).unwrap();
        let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["Mid", "alpha", "zeta"]);
        assert_eq!(hosts[1].dirs, vec![dir.path().join("alpha")]);
    }

    /// A file that starts like a primary hive whose base block names `name`.
    fn fake_hive(path: &Path, name: &str) {
        let mut b = vec![0u8; 4096];
        b[..4].copy_from_slice(b"regf");
        for (i, u) in name.encode_utf16().enumerate() {
            b[0x30 + 2 * i..0x32 + 2 * i].copy_from_slice(&u.to_le_bytes());
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }

    #[test]
    fn machines_are_told_apart_by_their_hives_not_by_user_hives() {
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("pc-1");
        fake_hive(
            &one.join("Windows/System32/config/SOFTWARE"),
            "\\SystemRoot\\System32\\Config\\SOFTWARE",
        );
        fake_hive(
            &one.join("Users/bob/NTUSER.DAT"),
            "\\??\\C:\\Users\\bob\\ntuser.dat",
        );
        assert!(!holds_several_machines(&one));
        assert_eq!(hosts_in(&one, "pc-1").len(), 1);
        assert!(is_one_host(&one), "a Windows folder directly beneath it");

        let two = dir.path().join("pc-2");
        fake_hive(&two.join("C/Windows/System32/config/SYSTEM"), "SYSTEM");
        let hosts = hosts_in(dir.path(), "all");
        let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["pc-1", "pc-2"]);
        assert!(!is_one_host(dir.path()));
        assert_eq!(hosts_under(dir.path()).unwrap().len(), 2);
    }

    #[test]
    fn a_file_as_root_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(
            hosts_under(&file),
            Err(DiscoverError::NotAFolder(_))
        ));
        assert!(hosts_under(&dir.path().join("absent")).is_err());
    }
}
