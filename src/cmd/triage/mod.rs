//! `wutriage triage ROOT`: many hosts at once, each subfolder of ROOT one host.

mod batch;
mod renderer;

use std::io::{self, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use wutriage::report::timesketch;
use wutriage::scan::{HostSpec, TimeWindow};
use wutriage::triage::{hosts_under, is_one_host, AtomicFile, Format};

use super::{EXIT_FINDING, EXIT_TROUBLE};
use batch::analyse_hosts;

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing the table to a terminal and NO_COLOR is not set.
    Auto,
    /// Colour, even into a file or pipe and with NO_COLOR set.
    Always,
    /// No colour.
    Never,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder whose immediate subfolders are hosts (plain, KAPE or Velociraptor layouts).
    pub root: PathBuf,
    /// Output format (default: table on a terminal, else jsonl).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Colour the table by severity: auto (on a terminal, unless NO_COLOR is
    /// set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Leave out hosts with no finding at or above low and no unreadable input.
    #[arg(long)]
    pub only_problems: bool,
    /// Write the output to FILE instead of standard output (`-`: standard
    /// output; a regular file is replaced atomically, a FIFO or character
    /// device written to; a symbolic link is refused).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file and remedy files.
    #[arg(long)]
    pub force: bool,
    /// Write `<host>-<RULE>.reg` remedy files (e.g. `pc-17-KB910341.reg`) into DIR.
    #[arg(long, value_name = "DIR")]
    pub remedy_dir: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No progress bar, no summary or error lines on standard error.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    #[command(flatten)]
    pub analysis: super::AnalysisArgs,
    #[command(flatten)]
    pub sarif: super::SarifArgs,
    /// Hosts analysed together before their output is written.
    #[arg(long, value_name = "N", hide = true)]
    pub chunk: Option<usize>,
}

/// The name of a root folder analysed as one host.
fn root_name(root: &Path) -> String {
    let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.display().to_string())
}

/// The hosts of the command line: ROOT's host folders, or ROOT as one
/// host. `None` when there are none (said on standard error).
fn discover(args: &Args) -> Option<Vec<HostSpec>> {
    let discovered = if is_one_host(&args.root) {
        if !args.quiet {
            eprintln!(
                "wutriage: {} is one machine's folder (its evidence lies in it, not in host \
                 subfolders): analysed as one host",
                args.root.display()
            );
        }
        Ok(vec![
            HostSpec::named(root_name(&args.root)).with_dir(args.root.clone())
        ])
    } else {
        hosts_under(&args.root)
    };
    match discovered {
        Ok(h) if h.is_empty() => {
            eprintln!(
                "wutriage: error: {}: no host folders in it",
                args.root.display()
            );
            None
        }
        Ok(h) => Some(h),
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            None
        }
    }
}

/// Sets what every host is analysed with: recovery, time window, and the
/// occurrences gathered (all for Timesketch, per-day counts for a summary).
fn configure(hosts: &mut [HostSpec], args: &Args, format: Format, window: TimeWindow) {
    let summary_shown = format == Format::Table || !args.quiet;
    for spec in hosts {
        spec.no_recover = args.analysis.no_recover;
        spec.window = window;
        spec.occurrences = match format {
            Format::Timesketch => Some(timesketch::MAX_EVENTS_PER_HOST),
            _ if summary_shown => Some(0),
            _ => None,
        };
    }
}

/// The output format: as asked, else a table on a terminal and JSON lines elsewhere.
fn format_of(args: &Args) -> Format {
    match args.format {
        Some(f) => f,
        None if args.output.is_none() && io::stdout().is_terminal() => Format::Table,
        None => Format::Jsonl,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = match super::rules::rule_set(args.analysis.rules.as_ref(), &args.analysis.only) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let Some(mut hosts) = discover(&args) else {
        return Ok(ExitCode::from(EXIT_TROUBLE));
    };
    let format = format_of(&args);
    match args.analysis.window() {
        Ok(window) => configure(&mut hosts, &args, format, window),
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    }
    let file = (args.output.as_ref())
        .map(|path| AtomicFile::create(path, args.force))
        .transpose();
    let mut file = match file {
        Ok(f) => f,
        Err(e) => {
            eprintln!("wutriage: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let tally = match file.as_mut() {
        Some(f) => analyse_hosts(&args, &hosts, &rules, format, f, started)?,
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            analyse_hosts(&args, &hosts, &rules, format, &mut out, started)?
        }
    };
    if let Some(file) = file {
        if let Err(e) = file.commit() {
            eprintln!("wutriage: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    }
    let summary_in_output = format == Format::Table && args.output.is_none();
    if !args.quiet && !summary_in_output {
        eprint!("{}", tally.summary.render());
    }
    if tally.summary.input_errors > 0 || tally.remedy_errors > 0 {
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    Ok(ExitCode::from(if tally.reached { EXIT_FINDING } else { 0 }))
}
