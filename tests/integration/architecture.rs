//! The layout rules of the library, checked on every test run: no import
//! cycle between its modules (`scripts/import_cycles.py`) and no file or
//! function in `src/` over its size limit (`scripts/check_size.py`).

use crate::util;
use std::process::Command;

/// Runs a check script with python3; `None` (with a line saying why) when
/// python3 is absent, which fails under `CI=true`.
fn run_script(script: &str) -> Option<std::process::Output> {
    match Command::new("python3")
        .arg(util::root().join("scripts").join(script))
        .arg(util::root().join("src"))
        .output()
    {
        Ok(out) => Some(out),
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("python3 is needed to run {script} (required under CI=true): {e}");
            }
            eprintln!("skipping: python3 not found ({e})");
            None
        }
    }
}

/// Runs a check script and fails with its output when it finds something.
fn assert_script_passes(script: &str) {
    let Some(out) = run_script(script) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_import_cycles_between_modules() {
    assert_script_passes("import_cycles.py");
}

#[test]
fn no_file_or_function_over_its_size_limit() {
    assert_script_passes("check_size.py");
}
