//! The `wutriage` command line: parsing in `cli`, one module per subcommand in `cmd`.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("wutriage: error: {err:#}");
            ExitCode::from(cmd::EXIT_TROUBLE)
        }
    }
}
