//! The output formats of a batch, each written as a stream: a beginning,
//! one piece per host, an end.

use std::io::{self, Write};
use std::path::Path;

use super::Summary;
use crate::finding::Severity;
use crate::report::html::HtmlWriter;
use crate::report::junit::{JunitWriter, DEFAULT_FAIL_ON};
use crate::report::sarif::{SarifOptions, SarifWriter};
use crate::report::table::{Table, DEFAULT_WIDTH};
use crate::report::{csv, jsonl, timesketch, Tool};
use crate::rules::spec::Rule;
use crate::scan::{builtin_rules, HostReport};

/// The formats `triage` writes (also its `--format` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// One line per host, then the summary.
    Table,
    /// One host object per line (`scan`'s `hosts[]` element).
    Jsonl,
    /// One row per host and finding, with a header.
    Csv,
    /// SARIF 2.1.0.
    Sarif,
    /// Timesketch events, one per line.
    Timesketch,
    /// One self-contained HTML page.
    Html,
    /// JUnit XML: a test suite per host.
    Junit,
}

/// Writes one format as hosts arrive.
pub trait HostRenderer {
    /// Writes what comes before the first host (nothing by default).
    fn begin(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// Writes one host.
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()>;
    /// Writes what comes after the last host, with the batch's counts
    /// (nothing by default).
    fn end(&mut self, _w: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The renderer for `format`, with the built-in rules and default options.
/// `root` is the triage root (SARIF locations are relative to it); `names`
/// are the hosts' names (for the table's width).
pub fn renderer<'a>(
    format: Format,
    root: &Path,
    names: impl IntoIterator<Item = &'a str>,
) -> Box<dyn HostRenderer> {
    let opts = RenderOptions {
        rules: builtin_rules().to_vec(),
        sarif: SarifOptions::default(),
    };
    renderer_with(format, root, names, &opts)
}

/// What some renderers need besides the hosts.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The rule set evaluated (SARIF's rules table, HTML's rule list).
    pub rules: Vec<Rule>,
    /// SARIF's options.
    pub sarif: SarifOptions,
}

/// The renderer for `format` (see `renderer`), with `opts`.
pub fn renderer_with<'a>(
    format: Format,
    root: &Path,
    names: impl IntoIterator<Item = &'a str>,
    opts: &RenderOptions,
) -> Box<dyn HostRenderer> {
    match format {
        Format::Table => table_renderer(Table::new(names, [], DEFAULT_WIDTH, false, None)),
        Format::Jsonl => Box::new(Lines(jsonl::line)),
        Format::Timesketch => Box::new(Lines(timesketch::lines)),
        Format::Csv => csv_renderer(csv::DEFAULT_MIN),
        Format::Junit => junit_renderer(DEFAULT_FAIL_ON),
        Format::Sarif => Box::new(SarifOut(SarifWriter::new(
            root,
            Tool::default(),
            &opts.rules,
            opts.sarif.clone(),
        ))),
        Format::Html => Box::new(HtmlOut(HtmlWriter::new(Tool::default(), &opts.rules))),
    }
}

/// The table in a given layout.
pub fn table_renderer(table: Table) -> Box<dyn HostRenderer> {
    Box::new(TableOut(table))
}

/// CSV whose hosts without findings say nothing was found at or above `min`.
pub fn csv_renderer(min: Severity) -> Box<dyn HostRenderer> {
    Box::new(CsvOut(min))
}

/// JUnit XML failing at `fail_on`.
pub fn junit_renderer(fail_on: Severity) -> Box<dyn HostRenderer> {
    Box::new(JunitOut(JunitWriter { fail_on }))
}

struct JunitOut(JunitWriter);

impl HostRenderer for JunitOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        self.0.begin(w)
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        self.0.host(w, host)
    }
    fn end(&mut self, w: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.0.end(w)
    }
}

struct TableOut(Table);

impl HostRenderer for TableOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(self.0.header().as_bytes())
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all(self.0.row(host).as_bytes())
    }
    fn end(&mut self, w: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        write!(w, "\n{}", summary.render())
    }
}

struct Lines(fn(&HostReport) -> String);

impl HostRenderer for Lines {
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all((self.0)(host).as_bytes())
    }
}

struct CsvOut(Severity);

impl HostRenderer for CsvOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(csv::header().as_bytes())
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all(csv::rows(host, self.0).as_bytes())
    }
}

struct SarifOut(SarifWriter);

impl HostRenderer for SarifOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        self.0.begin(w)
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        self.0.host(w, host)
    }
    fn end(&mut self, w: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.0.end(w, true)
    }
}

struct HtmlOut(HtmlWriter);

impl HostRenderer for HtmlOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        self.0.begin(w)
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        self.0.host(w, host)
    }
    fn end(&mut self, w: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.0.end(w)
    }
}
