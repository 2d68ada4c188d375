//! Finding the hosts under a triage root: its immediate subfolders.

use std::io;
use std::path::{Path, PathBuf};

use crate::scan::HostSpec;

/// Why the hosts under a root could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{}: not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: cannot list: {source}", path.display())]
    List { path: PathBuf, source: io::Error },
}

/// One host per immediate subfolder of `root`, named after the folder and
/// sorted by name. A symbolic link to a folder is listed as a host too, but
/// is not entered: its host reports the link as an error. Files directly in
/// `root` are not hosts and are left out; evidence is searched for anywhere
/// beneath each host folder, whatever the layout (plain, KAPE, Velociraptor).
pub fn hosts_under(root: &Path) -> Result<Vec<HostSpec>, DiscoverError> {
    if !root.is_dir() {
        return Err(DiscoverError::NotAFolder(root.to_path_buf()));
    }
    let list_err = |source| DiscoverError::List {
        path: root.to_path_buf(),
        source,
    };
    let mut hosts = Vec::new();
    for entry in std::fs::read_dir(root).map_err(list_err)? {
        let entry = entry.map_err(list_err)?;
        let path = entry.path();
        // `is_dir` follows a link: a linked folder is a host, reported by the walk.
        if !path.is_dir() {
            continue;
        }
        hosts.push(HostSpec {
            name: entry.file_name().to_string_lossy().into_owned(),
            dirs: vec![path],
            ..HostSpec::default()
        });
    }
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
