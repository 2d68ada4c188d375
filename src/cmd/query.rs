//! `wutriage query FILE KEYPATH`: an offline `reg query`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A binary hive or a .reg export.
    pub file: PathBuf,
    /// Key path, hive-relative or with its HKLM\SOFTWARE root.
    pub keypath: String,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
