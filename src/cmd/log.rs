//! `wutriage log FILE...`: summarise WindowsUpdate.log files.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{OutputFormat, EXIT_TROUBLE};
use wutriage::eventlog;
use wutriage::report::escape::escape_text;
use wutriage::wulog::{self, CodeSummary, LogSummary, LogTime, ScanOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WindowsUpdate.log, Get-WindowsUpdateLog output or ReportingEvents.log
    /// files, ETL traces, EVTX or XP/2003 .evt event logs.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Example lines shown per code.
    #[arg(long, default_value_t = 5)]
    pub examples: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opts = ScanOptions {
        examples_per_code: args.examples,
        ..ScanOptions::default()
    };
    let mut summaries = Vec::new();
    let mut trouble = false;
    for f in &args.files {
        // Read as an event log when its first bytes say so (the file opened
        // once), else as a text log.
        let result = match eventlog::scan_file(f, &opts) {
            Ok((s, totals)) => {
                for w in &totals.warnings {
                    eprintln!("wutriage log: {}: {w}", f.display());
                }
                Ok(s)
            }
            Err(
                eventlog::EventLogError::NotEventLog { .. } | eventlog::EventLogError::Open { .. },
            ) => wulog::scan_file_with(f, &opts).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(s) => summaries.push(s),
            Err(e) => {
                eprintln!("wutriage log: {e}");
                trouble = true;
            }
        }
    }
    let out = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&summaries)? + "\n",
        OutputFormat::Text => summaries.iter().map(text).collect::<Vec<_>>().join("\n"),
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if trouble {
        ExitCode::from(EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    })
}

fn time(t: &Option<LogTime>) -> String {
    t.as_ref()
        .map_or_else(|| "-".to_string(), LogTime::to_string)
}

/// The readable form of one summary (file names and components from the
/// evidence shown with control characters escaped).
fn text(s: &LogSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", escape_text(&s.path.to_string()));
    let _ = writeln!(o, "  format:    {}", s.format);
    let _ = writeln!(o, "  encoding:  {}", s.encoding);
    let _ = writeln!(o, "  lines:     {} ({} unparsed)", s.lines, s.unparsed);
    if let Some(n) = s.other_events {
        let _ = writeln!(o, "  other:     {n} events of other providers");
    }
    let _ = writeln!(o, "  first:     {}", time(&s.first));
    let _ = writeln!(o, "  last:      {}", time(&s.last));
    for w in s.warnings() {
        let _ = writeln!(o, "  warning:   {w}");
    }
    if s.errors.is_empty() {
        let _ = writeln!(o, "  codes:     none");
    } else {
        table(&mut o, "CODE", &s.errors);
    }
    if !s.success_codes.is_empty() {
        table(&mut o, "SUCCESS CODE", &s.success_codes);
    }
    o
}

/// One table of codes, headed by `first` (failure or success codes).
fn table(o: &mut String, first: &'static str, codes: &[CodeSummary]) {
    let rows: Vec<[String; 6]> = codes
        .iter()
        .map(|e| {
            [
                e.code.to_string(),
                e.name.clone().unwrap_or_else(|| "?".into()),
                e.count.to_string(),
                time(&e.first),
                time(&e.last),
                escape_text(&e.components.join(",")).into_owned(),
            ]
        })
        .collect();
    let head = [first, "NAME", "LINES", "FIRST", "LAST", "COMPONENTS"];
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut line = |cells: [&str; 6]| {
        let mut l = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            if i == 2 {
                let _ = write!(l, "{c:>w$}  ", w = width[i]);
            } else if i == 5 {
                l.push_str(c);
            } else {
                let _ = write!(l, "{c:<w$}  ", w = width[i]);
            }
        }
        let _ = writeln!(o, "{}", l.trim_end());
    };
    line(head);
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
}
