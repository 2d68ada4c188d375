//! `wutriage query FILE KEYPATH`: an offline `reg query` over a hive or a .reg export.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use wutriage::registry::source::RegistryFormat;
use wutriage::registry::view::{strip_hive_root, walk};
use wutriage::registry::{open_registry, Key, ReaderWarning, RegistryView};
use wutriage::report::escape::escape_text;

use super::{OutputFormat, EXIT_FINDING, EXIT_TROUBLE};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A binary hive or a .reg export (recognised by content).
    pub file: PathBuf,
    /// Key path, hive-relative (`Microsoft\Windows NT\CurrentVersion`) or with
    /// its root (`HKLM\SOFTWARE\…`); empty for the hive's root.
    pub keypath: String,
    /// Also show every key below, depth first.
    #[arg(short = 's', long)]
    pub recurse: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Serialize)]
struct QueryReport<'a> {
    path: String,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dirty: Option<bool>,
    warnings: Vec<ReaderWarning>,
    /// The key asked for and, with `--recurse`, every key below it.
    keys: &'a [Key],
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let source = match open_registry(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wutriage: {}: {e}", args.file.display());
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let path = strip_hive_root(&args.keypath);
    let mut keys = Vec::new();
    let result = if args.recurse {
        walk(&source, path, &mut |k| keys.push(k))
    } else {
        source.key(path).map(|k| keys.extend(k))
    };
    if let Err(e) = result {
        eprintln!("wutriage: {}: {path}: {e}", args.file.display());
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    let report = QueryReport {
        path: args.file.display().to_string(),
        source: match source.format() {
            RegistryFormat::Hive => "hive",
            RegistryFormat::RegExport => "reg-export",
        },
        dirty: source.as_hive().map(|h| h.is_dirty()),
        warnings: source.warnings(),
        keys: &keys,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Text => write_text(&mut out, &report)?,
    }
    if keys.is_empty() {
        eprintln!("wutriage: {}: key not found: {path}", args.file.display());
        return Ok(ExitCode::from(EXIT_FINDING));
    }
    Ok(ExitCode::SUCCESS)
}

/// The text form; every string from the evidence goes through `e`
/// (control characters shown escaped).
fn write_text(out: &mut impl Write, r: &QueryReport) -> std::io::Result<()> {
    let e = escape_text;
    for w in &r.warnings {
        match w.line {
            Some(line) => writeln!(out, "warning: line {line}: {}", e(&w.message))?,
            None => writeln!(out, "warning: {}", e(&w.message))?,
        }
    }
    for (i, key) in r.keys.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let shown = if key.path.is_empty() {
            "(root)"
        } else {
            &key.path
        };
        writeln!(out, "{}", e(shown))?;
        match key.last_written {
            Some(t) => writeln!(
                out,
                "    last written  {}",
                t.format("%Y-%m-%dT%H:%M:%S%.3fZ")
            )?,
            None => writeln!(out, "    last written  (not recorded in this source)")?,
        }
        let width = key
            .values
            .iter()
            .map(|v| e(display_name(&v.name)).chars().count())
            .max()
            .unwrap_or(0);
        for v in &key.values {
            writeln!(
                out,
                "    {:<width$}  {:<13}  {}",
                e(display_name(&v.name)),
                v.ty.name(),
                e(&v.data.display().to_string())
            )?;
        }
        for note in &key.notes {
            writeln!(out, "    note: {}", e(note))?;
        }
        if !r.keys.is_empty() && !key.subkeys.is_empty() && r.keys.len() == 1 {
            for sub in &key.subkeys {
                writeln!(out, "    [{}]", e(sub))?;
            }
        }
    }
    Ok(())
}

fn display_name(name: &str) -> &str {
    if name.is_empty() {
        "(Default)"
    } else {
        name
    }
}
