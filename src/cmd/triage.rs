//! `wutriage triage ROOT`: many hosts at once, each subfolder of ROOT one host.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wutriage::report::escape::escape_text;
use wutriage::report::filter::Filter;
use wutriage::report::table::{terminal_width, Table, DEFAULT_WIDTH};
use wutriage::report::{csv, junit, timesketch};
use wutriage::scan::{HostReport, HostSpec, TimeWindow};
use wutriage::triage::{
    self, csv_renderer, hosts_under, is_one_host, junit_renderer, renderer_with, table_renderer,
    AtomicFile, Format, HostRenderer, RenderOptions, RunOptions, Summary,
};

use super::remedy::RemedyWriter;
use super::{EXIT_FINDING, EXIT_TROUBLE};

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TriageFormat {
    Table,
    Jsonl,
    Csv,
    Sarif,
    Timesketch,
    Html,
    Junit,
}

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

impl From<TriageFormat> for Format {
    fn from(f: TriageFormat) -> Self {
        match f {
            TriageFormat::Table => Format::Table,
            TriageFormat::Jsonl => Format::Jsonl,
            TriageFormat::Csv => Format::Csv,
            TriageFormat::Sarif => Format::Sarif,
            TriageFormat::Timesketch => Format::Timesketch,
            TriageFormat::Html => Format::Html,
            TriageFormat::Junit => Format::Junit,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder whose immediate subfolders are hosts (plain, KAPE or Velociraptor layouts).
    pub root: PathBuf,
    /// Output format (default: table on a terminal, else jsonl): table, jsonl,
    /// csv, sarif, timesketch, junit.
    #[arg(long, value_enum)]
    pub format: Option<TriageFormat>,
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

fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} hosts (eta {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Whether the table is coloured.
fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The renderer for `format`, with the options of the command line.
fn choose_renderer(
    args: &Args,
    format: Format,
    hosts: &[HostSpec],
    rules: &[wutriage::rules::spec::Rule],
) -> Box<dyn HostRenderer> {
    let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-");
    let to_terminal = to_stdout && io::stdout().is_terminal();
    match format {
        Format::Table => {
            let width = if to_stdout {
                terminal_width()
            } else {
                DEFAULT_WIDTH
            };
            table_renderer(Table::new(
                hosts.iter().map(|h| h.name.as_str()),
                rules.iter().map(|r| r.id.as_str()),
                width,
                use_color(args.color, to_terminal),
                args.analysis.min_severity,
            ))
        }
        Format::Csv => csv_renderer(args.analysis.min_severity.unwrap_or(csv::DEFAULT_MIN)),
        Format::Junit => junit_renderer(args.analysis.fail_on.unwrap_or(junit::DEFAULT_FAIL_ON)),
        _ => {
            let opts = RenderOptions {
                rules: rules.to_vec(),
                sarif: args.sarif.options(),
            };
            let names = hosts.iter().map(|h| h.name.as_str());
            renderer_with(format, &args.root, names, &opts)
        }
    }
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

/// Writes a host's remedy files and says on standard error what could not
/// be read or written; returns the number of remedy files not written.
fn report_problems(
    host: &mut HostReport,
    args: &Args,
    bar: &ProgressBar,
    remedies: Option<&mut RemedyWriter>,
) -> usize {
    let mut remedy_errors = 0;
    if let Some(remedies) = remedies {
        for e in remedies.write(host) {
            remedy_errors += 1;
            if !args.quiet {
                let line = escape_text(&format!("wutriage: {e}")).into_owned();
                bar.suspend(|| eprintln!("{line}"));
            }
        }
    }
    if !args.quiet {
        for i in host.input_errors() {
            let line = escape_text(&format!(
                "wutriage: {}: {}: {}",
                host.host,
                i.path,
                i.error.as_deref().unwrap_or("")
            ))
            .into_owned();
            bar.suspend(|| eprintln!("{line}"));
        }
    }
    remedy_errors
}

/// What the output keeps: --min-severity (CSV: low unless given) and --only-problems.
fn filter_of(args: &Args, format: Format) -> Filter {
    Filter {
        min_severity: args
            .analysis
            .min_severity
            .or((format == Format::Csv).then_some(csv::DEFAULT_MIN)),
        only_problems: args.only_problems,
    }
}

/// The file the output goes to, for the summary (not standard output).
fn saved_to(args: &Args) -> Option<String> {
    args.output
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| p.display().to_string())
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
    let format = match args.format {
        Some(f) => Format::from(f),
        None if args.output.is_none() && io::stdout().is_terminal() => Format::Table,
        None => Format::Jsonl,
    };
    match args.analysis.window() {
        Ok(window) => configure(&mut hosts, &args, format, window),
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    }
    let mut file = match &args.output {
        Some(path) => match AtomicFile::create(path, args.force) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("wutriage: {e}");
                return Ok(ExitCode::from(EXIT_TROUBLE));
            }
        },
        None => None,
    };
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = match file.as_mut() {
        Some(f) => Box::new(f),
        None => Box::new(BufWriter::new(stdout.lock())),
    };

    let bar = progress_bar(hosts.len(), args.quiet);
    let mut render = choose_renderer(&args, format, &hosts, &rules);
    let filter = filter_of(&args, format);
    let mut reached = false;
    let mut summary = Summary {
        saved: saved_to(&args),
        ..Summary::default()
    };
    let mut remedy_errors = 0;
    let mut remedies = args
        .remedy_dir
        .as_ref()
        .map(|dir| RemedyWriter::new(dir, args.force));
    render.begin(&mut out)?;
    let opts = RunOptions {
        jobs: args.jobs.map(usize::from),
        chunk: args.chunk,
    };
    triage::run(
        &hosts,
        &rules,
        opts,
        |_| bar.inc(1),
        |mut host| {
            remedy_errors += report_problems(&mut host, &args, &bar, remedies.as_mut());
            // --fail-on judges every finding, before --min-severity leaves some out.
            reached |= args
                .analysis
                .fail_on
                .is_some_and(|level| host.findings.iter().any(|f| f.severity >= level));
            filter.apply(&mut host);
            summary.add(&host);
            if filter.drops(&host) {
                summary.left_out += 1;
                return Ok(());
            }
            render.host(&mut out, &host)
        },
    )?;
    bar.finish_and_clear();
    summary.elapsed = started.elapsed();
    render.end(&mut out, &summary)?;
    out.flush()?;
    drop(out);
    if let Some(file) = file {
        if let Err(e) = file.commit() {
            eprintln!("wutriage: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    }
    let summary_in_output = format == Format::Table && args.output.is_none();
    if !args.quiet && !summary_in_output {
        eprint!("{}", summary.render());
    }
    if summary.input_errors > 0 || remedy_errors > 0 {
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    Ok(ExitCode::from(if reached { EXIT_FINDING } else { 0 }))
}
