//! The `wutriage` command line: parsing in `cli`, one module per subcommand in `cmd`.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    default_sigpipe();
    quiet_dependency_panics();
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
fn default_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists;
    // setting a signal's disposition to its default is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The hive parser can panic on damaged input; the library catches that and
/// reports it as an error on that input, so its panic message is not printed.
/// Panics anywhere else still print as usual.
fn quiet_dependency_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_hive_parser = info
            .location()
            .is_some_and(|l| l.file().contains("nt-hive") || l.file().contains("nt_hive"));
        if !in_hive_parser {
            default(info);
        }
    }));
}

/// Output cut short by the reader (`wutriage … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
