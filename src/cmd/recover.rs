//! `wutriage recover HIVE -o OUT`: a recovered copy of a dirty hive, written elsewhere.

use std::path::PathBuf;
use std::process::ExitCode;

use wutriage::registry::hive::BinaryHive;
use wutriage::registry::replay::{find_logs, recover_path};
use wutriage::report::output::write_atomic;

use super::{EXIT_FINDING, EXIT_TROUBLE};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A primary hive file; its `.LOG`, `.LOG1`, `.LOG2` beside it are used.
    pub hive: PathBuf,
    /// Where to write the recovered copy (never beside the evidence's own files).
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut evidence = find_logs(&args.hive);
    evidence.push(args.hive.clone());
    if evidence.iter().any(|e| same_file(e, &args.output)) {
        eprintln!(
            "wutriage: {}: refusing to overwrite evidence",
            args.output.display()
        );
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
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
    println!("{}: {}", args.hive.display(), recovery.describe());
    for log in &recovery.logs_used {
        println!("  replayed {}", log.display());
    }
    for w in &recovery.warnings {
        println!("  warning: {w}");
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
    println!("  written to {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
