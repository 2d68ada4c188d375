//! The independent decoders the event-log tests compare against: Python
//! packages installed by `scripts/oracles.sh` into `target/oracles`
//! (`$WUTRIAGE_ORACLE_PYTHON` names another interpreter). Absent: the
//! comparison is skipped with a line saying so; under `CI=true` it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use serde_json::Value;

use crate::util::root;

/// The Python interpreter that has etl-parser and dissect.etl, if any.
pub fn python() -> Option<PathBuf> {
    let py = std::env::var_os("WUTRIAGE_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/oracles/bin/python"));
    let ok = Command::new(&py)
        .args(["-c", "import etl, dissect.etl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "oracle decoders not installed at {} (run scripts/oracles.sh)",
            py.display()
        );
    }
    eprintln!(
        "skipping oracle comparison: run scripts/oracles.sh to install etl-parser and dissect.etl"
    );
    None
}

/// Outputs already computed in this test run (the decoders are slow).
static CACHE: Mutex<BTreeMap<(String, PathBuf), Value>> = Mutex::new(BTreeMap::new());

/// The JSON `scripts/etl_oracle.py` prints for `file` with `decoder`.
pub fn etl(py: &Path, decoder: &str, file: &Path) -> Value {
    let key = (decoder.to_string(), file.to_path_buf());
    if let Some(v) = CACHE.lock().unwrap().get(&key) {
        return v.clone();
    }
    let v = run_etl(py, decoder, file);
    CACHE.lock().unwrap().insert(key, v.clone());
    v
}

fn run_etl(py: &Path, decoder: &str, file: &Path) -> Value {
    let out = Command::new(py)
        .arg(root().join("scripts/etl_oracle.py"))
        .arg(decoder)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{decoder} on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
