//! `wutriage recover HIVE -o OUT`: a recovered copy of a dirty hive, written elsewhere.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::replay::recover_path;
use wutriage::report::output::write_atomic;

use super::{EXIT_FINDING, EXIT_TROUBLE};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A primary hive file; its `.LOG`, `.LOG1`, `.LOG2` beside it are used.
    pub hive: PathBuf,
    /// Where to write the recovered copy: never inside the evidence's folder;
    /// `-` is standard output (messages then go to standard error).
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

/// True when `out` would land in the evidence's folder (or beneath it):
/// no name there is safe, whatever its case.
fn inside_evidence(hive: &Path, out: &Path) -> bool {
    let folder = |p: &Path| match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let evidence = std::fs::canonicalize(folder(hive));
    let target = std::fs::canonicalize(folder(out));
    match (evidence, target) {
        (Ok(e), Ok(t)) => t.starts_with(e),
        // A folder that does not exist cannot be the evidence's.
        _ => false,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && inside_evidence(&args.hive, &args.output) {
        eprintln!(
            "wutriage: {}: refusing to write inside the evidence's folder",
            args.output.display()
        );
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    // With `-o -` the hive goes to standard output, so words go to stderr.
    let say = |line: String| {
        if to_stdout {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let recovery = match recover_path(&args.hive) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wutriage: {}: {e}", args.hive.display());
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    if let Err(e) = BinaryHive::from_bytes(recovery.bytes.clone()) {
        eprintln!("wutriage: {}: {e}", args.hive.display());
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    say(format!("{}: {}", args.hive.display(), recovery.describe()));
    for log in &recovery.logs_used {
        say(format!("  replayed {}", log.display()));
    }
    for w in &recovery.warnings {
        say(format!("  warning: {w}"));
    }
    if recovery.dirty && !recovery.recovered {
        eprintln!(
            "wutriage: nothing written: the hive is dirty and its logs could not be replayed"
        );
        return Ok(ExitCode::from(EXIT_FINDING));
    }
    if let Err(e) = write_atomic(&args.output, &recovery.bytes, args.force) {
        eprintln!("wutriage: {e}");
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    say(format!("  written to {}", args.output.display()));
    Ok(ExitCode::SUCCESS)
}
