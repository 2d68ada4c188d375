//! Command-line arguments. Each subcommand's arguments live with its code in `cmd`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

/// Diagnose Windows Update failures offline from collected hives and logs.
#[derive(Debug, Parser)]
#[command(name = "wutriage", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show a key of a hive or .reg export, like `reg query`, offline.
    Query(cmd::query::Args),
    /// Summarise WindowsUpdate.log files: format, time span and error codes.
    Log(cmd::log::Args),
    /// Diagnose hosts: each PATH is a folder of evidence from one machine.
    Scan(cmd::scan::Args),
    /// List the diagnostic rules, or check rule files.
    Rules(cmd::rules::Args),
    /// Write a copy of a dirty hive with its transaction logs replayed.
    Recover(cmd::recover::Args),
    /// Diagnose many hosts: each subfolder of ROOT is one host.
    Triage(cmd::triage::Args),
}

impl Cli {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Query(args) => cmd::query::run(args),
            Command::Log(args) => cmd::log::run(args),
            Command::Scan(args) => cmd::scan::run(args),
            Command::Recover(args) => cmd::recover::run(args),
            Command::Rules(args) => cmd::rules::run(args),
            Command::Triage(args) => cmd::triage::run(args),
        }
    }
}
