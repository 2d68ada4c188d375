//! Remedy files of one run: each written once, under a name no other host
//! or rule of the run uses.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wutriage::report::output::write_atomic;
use wutriage::rules::remedy::{file_bytes, file_name};
use wutriage::scan::HostReport;

/// Names longer than this (in bytes) are shortened with a hash.
const MAX_NAME: usize = 200;

/// Where a run's remedy files go, and the names it has used.
pub struct RemedyWriter {
    dir: PathBuf,
    force: bool,
    /// Names used in this run, lowercased (file systems that ignore case).
    used: HashSet<String>,
}

impl RemedyWriter {
    pub fn new(dir: &Path, force: bool) -> Self {
        Self {
            dir: dir.to_path_buf(),
            force,
            used: HashSet::new(),
        }
    }

    /// Writes a host's remedy files, noting in each finding the file really
    /// written; returns the errors.
    pub fn write(&mut self, host: &mut HostReport) -> Vec<String> {
        let mut errors = Vec::new();
        for f in &mut host.findings {
            let Some(remedy) = &mut f.remedy else {
                continue;
            };
            if let Err(e) = std::fs::create_dir_all(&self.dir) {
                errors.push(format!("{}: {e}", self.dir.display()));
                continue;
            }
            let name = self.unique(&file_name(&host.host, &f.rule));
            let path = self.dir.join(name);
            match write_atomic(&path, &file_bytes(&remedy.reg), self.force) {
                Ok(()) => remedy.file = Some(path.display().to_string()),
                Err(e) => errors.push(format!("remedy for {}: {e}", host.host)),
            }
        }
        errors
    }

    /// `name` shortened if too long, with `-2`, `-3`… before `.reg` when an
    /// earlier host or rule of this run already has it.
    fn unique(&mut self, name: &str) -> String {
        let stem = name.strip_suffix(".reg").unwrap_or(name);
        let stem = shorten(stem, MAX_NAME - 12);
        let mut candidate = format!("{stem}.reg");
        let mut n = 1;
        while !self.used.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{stem}-{n}.reg");
        }
        candidate
    }
}

/// `stem` if at most `max` bytes, else its start and a hash of the whole.
fn shorten(stem: &str, max: usize) -> String {
    if stem.len() <= max {
        return stem.to_string();
    }
    let hash: String = Sha256::digest(stem.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut cut = max - hash.len() - 1;
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash}", &stem[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_short() {
        let mut w = RemedyWriter::new(Path::new("."), false);
        assert_eq!(w.unique("pc_1-KB.reg"), "pc_1-KB.reg");
        assert_eq!(w.unique("pc_1-KB.reg"), "pc_1-KB-2.reg");
        assert_eq!(w.unique("PC_1-KB.reg"), "PC_1-KB-3.reg");
        let long = format!("{}-KB.reg", "ж".repeat(200));
        let a = w.unique(&long);
        assert!(a.len() <= MAX_NAME, "{}", a.len());
        assert!(a.ends_with(".reg"));
        let other = format!("{}-KC.reg", "ж".repeat(200));
        assert_ne!(w.unique(&other), a, "hash tells long names apart");
    }
}
