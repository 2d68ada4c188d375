//! Locations: artifact URIs relative to the root, regions (a log line, or
//! a whole hive as bytes), the registry key as a logical location.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::ids::ROOT_BASE;
use super::model::{
    text, Artifact, ArtifactLocation, Location, LogicalLocation, PhysicalLocation, Region,
};
use crate::finding::{Finding, Verdict};
use crate::scan::Input;

/// Log lines given as related locations of one result, at most.
pub const MAX_RELATED: usize = 10;
/// Characters of a log line quoted as a snippet, at most.
const MAX_SNIPPET: usize = 2000;

/// Percent-encodes a path for a URI: everything but unreserved characters
/// and `/` (so Velociraptor's `C%3A` becomes `C%253A`).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A host's inputs: artifact index and size by path.
#[derive(Default)]
pub struct Artifacts {
    by_path: HashMap<String, (usize, u64)>,
    first: Option<String>,
}

impl Artifacts {
    pub fn insert(&mut self, path: &str, index: usize, size: u64) {
        self.first.get_or_insert_with(|| path.to_string());
        self.by_path.insert(path.to_string(), (index, size));
    }
    fn get(&self, path: &str) -> (Option<usize>, u64) {
        match self.by_path.get(path) {
            Some((i, s)) => (Some(*i), *s),
            None => (None, 0),
        }
    }
}

/// The root locations are relative to, as given and as an absolute path.
pub struct Paths {
    root: PathBuf,
    abs: PathBuf,
    cwd: Option<PathBuf>,
}

impl Paths {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            abs: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// `originalUriBaseIds.ROOT`: the root as a `file://` URI ending in `/`.
    pub fn root_uri(&self) -> String {
        let mut uri = format!("file://{}", uri_path(&self.abs.to_string_lossy()));
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }

    /// The path relative to the root, when it lies beneath it.
    fn relative(&self, path: &str) -> Option<PathBuf> {
        let p = Path::new(path);
        if let Ok(rel) = p.strip_prefix(&self.root) {
            return Some(rel.to_path_buf());
        }
        let abs = match (&self.cwd, p.is_relative()) {
            (Some(cwd), true) => cwd.join(p),
            _ => p.to_path_buf(),
        };
        abs.strip_prefix(&self.abs).ok().map(Path::to_path_buf)
    }

    /// An artifact location for an input path: relative to the root when beneath it.
    pub fn location(&self, path: &str, index: Option<usize>) -> ArtifactLocation {
        match self.relative(path) {
            Some(rel) => ArtifactLocation {
                uri: uri_path(&rel.to_string_lossy()),
                uri_base_id: Some(ROOT_BASE),
                index,
            },
            None => ArtifactLocation {
                uri: format!("file://{}", uri_path(path)),
                uri_base_id: None,
                index,
            },
        }
    }

    /// An input as an artifact (its index is `index`).
    pub fn artifact(&self, input: &Input, index: usize) -> (usize, Artifact) {
        let mut hashes = BTreeMap::new();
        if let Some(h) = &input.sha256 {
            hashes.insert("sha-256", h.clone());
        }
        let a = Artifact {
            location: self.location(&input.path, None),
            length: input.size,
            hashes,
            roles: ["analysisTarget"],
        };
        (index, a)
    }

    /// The whole of an input, as bytes.
    pub fn whole(&self, path: &str, art: &Artifacts) -> PhysicalLocation {
        let (index, size) = art.get(path);
        PhysicalLocation {
            artifact_location: self.location(path, index),
            region: Region::whole(size),
        }
    }

    /// A log line; its text as the snippet unless it was cut (by the log
    /// reader, or here when long).
    fn line(&self, path: &str, line: u64, snippet: &str, art: &Artifacts) -> PhysicalLocation {
        let cut = snippet.chars().nth(MAX_SNIPPET).is_some()
            || (snippet.ends_with(']') && snippet.contains("\u{2026} [cut: first "));
        PhysicalLocation {
            artifact_location: self.location(path, art.get(path).0),
            region: Region::line(line.max(1), (!cut).then_some(snippet)),
        }
    }

    /// A finding's primary location and its related ones. The registry
    /// (the whole hive, the key as a logical location) comes first when
    /// the cause was found there, else the first log line quoted, else the
    /// first log, else the host's first input; the log lines quoted are
    /// related locations.
    pub fn finding_locations(
        &self,
        f: &Finding,
        art: &Artifacts,
    ) -> (Vec<Location>, Vec<Location>) {
        let mut related = Vec::new();
        let mut seen = BTreeSet::new();
        for e in f.log.iter().flat_map(|l| &l.errors) {
            for x in &e.examples {
                if related.len() == MAX_RELATED || !seen.insert((&x.file, x.line)) {
                    continue;
                }
                let name = e
                    .name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                related.push(Location {
                    id: Some(related.len() + 1),
                    physical_location: Some(self.line(&x.file, x.line, &x.text, art)),
                    logical_locations: Vec::new(),
                    message: Some(text(format!("{}{name}", e.code))),
                });
            }
        }
        let cause_in_registry = matches!(f.verdict, Verdict::Confirmed | Verdict::Latent);
        let registry = f
            .registry
            .as_ref()
            .filter(|_| cause_in_registry || related.is_empty());
        let primary = if let Some(reg) = registry {
            Location {
                id: None,
                physical_location: Some(self.whole(&reg.source, art)),
                logical_locations: vec![LogicalLocation {
                    name: reg.key.rsplit('\\').next().unwrap_or(&reg.key).to_string(),
                    fully_qualified_name: reg.key.clone(),
                    kind: "object",
                }],
                message: None,
            }
        } else if !related.is_empty() {
            Location {
                id: None,
                message: None,
                ..related.remove(0)
            }
        } else {
            // No evidence judged: the logs read, else the host's first input.
            let log = f.log.as_ref().and_then(|l| l.files.first());
            match log.or(art.first.as_ref()) {
                Some(file) => Location {
                    id: None,
                    physical_location: Some(self.whole(file, art)),
                    logical_locations: Vec::new(),
                    message: None,
                },
                None => return (Vec::new(), related),
            }
        };
        (vec![primary], related)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_percent_and_spaces_but_not_slashes() {
        assert_eq!(
            uri_path("uploads/auto/C%3A/My Docs"),
            "uploads/auto/C%253A/My%20Docs"
        );
    }
}
