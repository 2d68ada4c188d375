//! `wutriage triage ROOT`: many hosts at once, each subfolder of ROOT one host.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wutriage::report::escape::escape_text;
use wutriage::scan::HostSpec;
use wutriage::triage::{
    self, hosts_under, is_one_host, renderer_with, AtomicFile, Format, RenderOptions, RunOptions,
    Summary,
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
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder whose immediate subfolders are hosts (plain, KAPE or Velociraptor layouts).
    pub root: PathBuf,
    /// Output format (default: table on a terminal, else jsonl).
    #[arg(long, value_enum)]
    pub format: Option<TriageFormat>,
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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = match super::rules::rule_set(args.analysis.rules.as_ref(), &args.analysis.only) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let discovered = if is_one_host(&args.root) {
        if !args.quiet {
            eprintln!(
                "wutriage: {} is one machine's folder (its evidence lies in it, not in host \
                 subfolders): analysed as one host",
                args.root.display()
            );
        }
        Ok(vec![HostSpec {
            name: root_name(&args.root),
            dirs: vec![args.root.clone()],
            ..HostSpec::default()
        }])
    } else {
        hosts_under(&args.root)
    };
    let hosts = match discovered {
        Ok(h) if h.is_empty() => {
            eprintln!(
                "wutriage: error: {}: no host folders in it",
                args.root.display()
            );
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
        Ok(mut h) => {
            h.iter_mut()
                .for_each(|spec| spec.no_recover = args.analysis.no_recover);
            h
        }
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let format = match args.format {
        Some(f) => Format::from(f),
        None if args.output.is_none() && io::stdout().is_terminal() => Format::Table,
        None => Format::Jsonl,
    };
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
    let render_opts = RenderOptions {
        rules: rules.clone(),
        sarif: args.sarif.options(),
    };
    let names = hosts.iter().map(|h| h.name.as_str());
    let mut render = renderer_with(format, &args.root, names, &render_opts);
    let mut summary = Summary::default();
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
            if let Some(remedies) = remedies.as_mut() {
                for e in remedies.write(&mut host) {
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
            summary.add(&host);
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
    let reached = args
        .analysis
        .fail_on
        .is_some_and(|level| summary.reached(level));
    Ok(ExitCode::from(if reached { EXIT_FINDING } else { 0 }))
}
