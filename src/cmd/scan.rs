//! `wutriage scan PATH...`: diagnose hosts, one folder of evidence each.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use wutriage::report::escape::escape_text;
use wutriage::report::filter::Filter;
use wutriage::report::html::HtmlWriter;
use wutriage::report::output::write_atomic;
use wutriage::report::sarif::SarifWriter;
use wutriage::report::text::Style;
use wutriage::report::{json, junit, text, Report, Tool};
use wutriage::rules::spec::Rule;
use wutriage::scan::{analyse_with, HostReport, HostSpec};
use wutriage::triage::hosts_in;

use super::remedy::RemedyWriter;
use super::{EXIT_FINDING, EXIT_TROUBLE};

/// `scan --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// One self-contained HTML page.
    Html,
    /// JUnit XML: a test suite per host, a test case per rule.
    Junit,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Host folders: each is one host, its evidence found anywhere beneath it; a folder
    /// of several machines' folders gives one host per machine, as `triage` finds them.
    pub paths: Vec<PathBuf>,
    /// A SOFTWARE hive or .reg export to use (with one PATH: added to that host).
    #[arg(long, value_name = "FILE")]
    pub software: Vec<PathBuf>,
    /// A WindowsUpdate.log (or ReportingEvents.log) to use.
    #[arg(long, value_name = "FILE")]
    pub log: Vec<PathBuf>,
    /// The host's name (default: its folder's name). Only with one host.
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// Output format: text, json, junit (JUnit XML for CI dashboards), sarif (code scanning)
    /// or html (one self-contained page).
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Write the report to FILE instead of standard output (`-`: standard
    /// output; a regular file is replaced atomically, a FIFO or character
    /// device written to; a symbolic link is refused).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Text: every rule on a line of its own with its summary, instead of the
    /// rules with nothing to act on folded into one line per verdict.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Overwrite existing output and remedy files.
    #[arg(long)]
    pub force: bool,
    /// Write `<host>-<RULE>.reg` remedy files (e.g. `pc-17-KB910341.reg`) into DIR.
    #[arg(long, value_name = "DIR")]
    pub remedy_dir: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: super::AnalysisArgs,
    #[command(flatten)]
    pub sarif: super::SarifArgs,
}

fn folder_name(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "host".to_string())
}

/// Why a path named on the command line cannot be read as evidence.
fn missing(p: &Path) -> Option<String> {
    // The link itself: a link or special file is listed as an input and refused there.
    match std::fs::symlink_metadata(p) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Some(format!("{}: no such file or folder", p.display()))
        }
        Err(e) => Some(format!("{}: {e}", p.display())),
        Ok(_) => None,
    }
}

/// Turns the arguments into host specifications. Usage errors are `Err`;
/// PATHs that do not exist are named in the returned errors and left out.
fn hosts(args: &Args) -> anyhow::Result<(Vec<HostSpec>, Vec<String>)> {
    let explicit = !args.software.is_empty() || !args.log.is_empty();
    if args.paths.is_empty() && !explicit {
        bail!("nothing to scan: give host folders, or --software / --log files");
    }
    if args.paths.len() > 1 && (explicit || args.host.is_some()) {
        bail!("--software, --log and --host go with at most one host folder");
    }
    for f in args.software.iter().chain(&args.log) {
        if let Some(why) = missing(f) {
            bail!("{why}");
        }
        if std::fs::symlink_metadata(f).is_ok_and(|m| m.is_dir()) {
            bail!("{}: a folder, not a file", f.display());
        }
    }
    let mut errors = Vec::new();
    let mut specs: Vec<HostSpec> = Vec::new();
    for p in &args.paths {
        match missing(p) {
            Some(why) => errors.push(why),
            None => specs.extend(hosts_in(p, &folder_name(p))),
        }
    }
    if args.paths.len() == 1 && specs.len() > 1 && (explicit || args.host.is_some()) {
        bail!(
            "{} holds {} machines' folders: --software, --log and --host go with one host",
            args.paths[0].display(),
            specs.len()
        );
    }
    if args.paths.is_empty() {
        let first = args.software.iter().chain(&args.log).next().unwrap();
        let parent = first.parent().filter(|p| !p.as_os_str().is_empty());
        specs.push(HostSpec::named(folder_name(
            parent.unwrap_or(Path::new(".")),
        )));
    }
    if let Some(spec) = specs.first_mut().filter(|_| args.paths.len() <= 1) {
        spec.software = args.software.clone();
        spec.logs = args.log.clone();
        if let Some(name) = &args.host {
            spec.name = name.clone();
        }
    }
    let window = args.analysis.window().map_err(anyhow::Error::msg)?;
    for spec in &mut specs {
        spec.no_recover = args.analysis.no_recover;
        spec.window = window;
    }
    Ok((specs, errors))
}

fn write_remedies(dir: &std::path::Path, hosts: &mut [HostReport], force: bool) -> bool {
    let mut writer = RemedyWriter::new(dir, force);
    let mut ok = true;
    for host in hosts {
        for e in writer.write(host) {
            eprintln!("{}", escape_text(&format!("wutriage: {e}")));
            ok = false;
        }
    }
    ok
}

/// The report as SARIF, locations relative to the working folder.
fn sarif(report: &Report, rules: &[Rule], args: &super::SarifArgs) -> std::io::Result<String> {
    let mut w = SarifWriter::new(Path::new("."), report.tool.clone(), rules, args.options());
    let mut out = Vec::new();
    w.begin(&mut out)?;
    for h in &report.hosts {
        w.host(&mut out, h)?;
    }
    w.end(&mut out, true)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The report as one HTML page.
fn html(report: &Report, rules: &[Rule]) -> std::io::Result<String> {
    let mut w = HtmlWriter::new(report.tool.clone(), rules);
    let mut out = Vec::new();
    w.begin(&mut out)?;
    for h in &report.hosts {
        w.host(&mut out, h)?;
    }
    w.end(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Says on standard error which inputs could not be read; true when one could not.
fn say_input_errors(hosts: &[HostReport]) -> bool {
    let mut any = false;
    for h in hosts {
        for i in h.input_errors() {
            eprintln!(
                "{}",
                escape_text(&format!(
                    "wutriage: {}: {}: {}",
                    h.host,
                    i.path,
                    i.error.as_deref().unwrap_or("")
                ))
            );
            any = true;
        }
    }
    any
}

/// The report of `hosts`, findings below --min-severity left out.
fn filtered_report(args: &Args, mut hosts: Vec<HostReport>) -> Report {
    let filter = Filter {
        min_severity: args.analysis.min_severity,
        only_problems: false,
    };
    for h in &mut hosts {
        filter.apply(h);
    }
    Report {
        tool: Tool::default(),
        hosts,
    }
}

/// The report in the format asked for.
fn render(args: &Args, report: &Report, rules: &[Rule]) -> std::io::Result<String> {
    Ok(match args.format {
        ScanFormat::Json => json::render(report),
        ScanFormat::Sarif => sarif(report, rules, &args.sarif)?,
        ScanFormat::Html => html(report, rules)?,
        ScanFormat::Junit => junit::render(
            &report.hosts,
            args.analysis.fail_on.unwrap_or(junit::DEFAULT_FAIL_ON),
        ),
        ScanFormat::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let verbose = args.verbose;
            text::render(report, Style { color, verbose })
        }
    })
}

/// Writes the rendered report to --output or standard output; false (said
/// on standard error) when the output file could not be written.
fn write_output(args: &Args, rendered: &str) -> std::io::Result<bool> {
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomic(path, rendered.as_bytes(), args.force) {
                eprintln!("wutriage: {e}");
                return Ok(false);
            }
        }
        None => std::io::stdout().lock().write_all(rendered.as_bytes())?,
    }
    Ok(true)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (specs, path_errors) = match hosts(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wutriage: error: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let rules = match super::rules::rule_set(args.analysis.rules.as_ref(), &args.analysis.only) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wutriage: {e}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    for e in &path_errors {
        eprintln!("wutriage: error: {e}");
    }
    if specs.is_empty() {
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    let mut hosts: Vec<HostReport> = specs.iter().map(|s| analyse_with(s, &rules)).collect();
    let mut trouble = !path_errors.is_empty();
    trouble |= say_input_errors(&hosts);
    if let Some(dir) = &args.remedy_dir {
        trouble |= !write_remedies(dir, &mut hosts, args.force);
    }
    // --fail-on judges every finding, before --min-severity leaves some out.
    let reached = args.analysis.fail_on.is_some_and(|level| {
        hosts
            .iter()
            .flat_map(|h| &h.findings)
            .any(|f| f.severity >= level)
    });
    let report = filtered_report(&args, hosts);
    let rendered = render(&args, &report, &rules)?;
    if !write_output(&args, &rendered)? || trouble {
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    Ok(ExitCode::from(if reached { EXIT_FINDING } else { 0 }))
}
