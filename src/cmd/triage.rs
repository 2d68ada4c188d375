//! `wutriage triage ROOT`: many hosts at once.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder whose immediate subfolders are hosts.
    pub root: PathBuf,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("triage is not available yet")
}
