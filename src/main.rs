//! The `wutriage` command line: parsing in `cli`, one module per subcommand in `cmd`.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    default_sigpipe();
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("wutriage: error: {err:#}");
            ExitCode::from(cmd::EXIT_TROUBLE)
        }
    }
}

/// A reader that goes away (`wutriage rules list | head -1`) ends the
/// process quietly, as it does any Unix filter, instead of every later
/// write failing (Rust ignores SIGPIPE by default, and `println!` panics).
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists;
    // setting a signal's disposition to its default is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// No SIGPIPE elsewhere: a closed reader is a broken-pipe error, handled below.
#[cfg(not(unix))]
fn default_sigpipe() {}

/// Output cut short by the reader (`wutriage … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
