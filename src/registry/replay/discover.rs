//! Finding a hive's transaction logs beside it (read-only: the folder is
//! listed, nothing in it is opened for writing).

use std::path::{Path, PathBuf};

/// The log suffixes, in the order replay considers them.
const SUFFIXES: [&str; 3] = [".LOG1", ".LOG2", ".LOG"];

/// The transaction logs beside `hive_path`: files named like the hive plus
/// `.LOG1`, `.LOG2` or `.LOG`, in any case, in that order (at most one per
/// suffix; an exact-case match is preferred). Empty when the folder cannot
/// be listed. Special files and symbolic links are listed too, so that
/// opening them (through `evidence::open`, which refuses them)
/// reports them instead of dropping them silently.
pub fn find_logs(hive_path: &Path) -> Vec<PathBuf> {
    let Some(name) = hive_path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = match hive_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| !t.is_dir()).unwrap_or(false))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    let mut found = Vec::new();
    for suffix in SUFFIXES {
        let want = format!("{name}{suffix}");
        let hit = names
            .iter()
            .find(|n| **n == want)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(&want)));
        if let Some(hit) = hit {
            found.push(dir.join(hit));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_logs_in_any_case_and_ignores_others() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "SYSTEM",
            "system.log1",
            "SYSTEM.LOG2",
            "SYSTEM.log",
            "SYSTEM.LOG3",
            "SOFTWARE.LOG",
        ] {
            std::fs::write(dir.path().join(f), b"").unwrap();
        }
        std::fs::create_dir(dir.path().join("SYSTEM.LOG1.d")).unwrap();
        let got: Vec<String> = find_logs(&dir.path().join("SYSTEM"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["system.log1", "SYSTEM.LOG2", "SYSTEM.log"]);
    }

    #[test]
    fn missing_folder_gives_nothing() {
        assert!(find_logs(Path::new("/nonexistent/dir/SYSTEM")).is_empty());
        assert!(find_logs(Path::new("/")).is_empty());
    }
}
