//! `wutriage log FILE...`: summarise WindowsUpdate.log files.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WindowsUpdate.log, Get-WindowsUpdateLog output or ReportingEvents.log files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
