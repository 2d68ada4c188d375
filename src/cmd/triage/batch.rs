//! The batch: every host analysed, its problems said and its remedies
//! written, and written out as soon as it is done.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use wutriage::report::csv;
use wutriage::report::escape::escape_text;
use wutriage::report::filter::Filter;
use wutriage::rules::spec::Rule;
use wutriage::scan::{HostReport, HostSpec};
use wutriage::triage::{self, Format, RunOptions, Summary};

use super::renderer::choose_renderer;
use super::Args;
use crate::cmd::remedy::RemedyWriter;

/// What the whole batch came to, for the summary and the exit code.
pub struct Tally {
    /// The counts of the batch.
    pub summary: Summary,
    /// A finding reached --fail-on.
    pub reached: bool,
    /// Remedy files that could not be written.
    pub remedy_errors: usize,
}

/// Analyses every host and writes each, as it is done, to `out` in
/// `format`, between the format's beginning and end.
pub fn analyse_hosts(
    args: &Args,
    hosts: &[HostSpec],
    rules: &[Rule],
    format: Format,
    out: &mut dyn Write,
    started: Instant,
) -> anyhow::Result<Tally> {
    let bar = progress_bar(hosts.len(), args.quiet);
    let mut render = choose_renderer(args, format, hosts, rules);
    let filter = filter_of(args, format);
    let mut tally = Tally {
        summary: Summary {
            saved: saved_to(args),
            ..Summary::default()
        },
        reached: false,
        remedy_errors: 0,
    };
    let mut remedies = args
        .remedy_dir
        .as_ref()
        .map(|dir| RemedyWriter::new(dir, args.force));
    render.begin(out)?;
    let opts = RunOptions {
        jobs: args.jobs.map(usize::from),
        chunk: args.chunk,
    };
    triage::run(
        hosts,
        rules,
        opts,
        |_| bar.inc(1),
        |mut host| {
            tally.remedy_errors += report_problems(&mut host, args, &bar, remedies.as_mut());
            // --fail-on judges every finding, before --min-severity leaves some out.
            tally.reached |= args
                .analysis
                .fail_on
                .is_some_and(|level| host.findings.iter().any(|f| f.severity >= level));
            filter.apply(&mut host);
            tally.summary.add(&host);
            if filter.drops(&host) {
                tally.summary.left_out += 1;
                return Ok(());
            }
            render.host(out, &host)
        },
    )?;
    bar.finish_and_clear();
    tally.summary.elapsed = started.elapsed();
    render.end(out, &tally.summary)?;
    out.flush()?;
    Ok(tally)
}

/// A progress bar on standard error, when it is a terminal and not --quiet.
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
