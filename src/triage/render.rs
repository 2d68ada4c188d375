//! The output formats of a batch, each written as a stream: a beginning,
//! one piece per host, an end.

use std::io::{self, Write};
use std::path::Path;

use super::Summary;
use crate::report::sarif::SarifWriter;
use crate::report::table::Table;
use crate::report::{csv, jsonl, timesketch, Tool};
use crate::scan::HostReport;

/// The formats `triage` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// Writes one format as hosts arrive.
pub trait HostRenderer {
    /// Writes what comes before the first host.
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()>;
    /// Writes one host.
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()>;
    /// Writes what comes after the last host (with the batch's counts).
    fn end(&mut self, w: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// The renderer for `format`. `root` is the triage root (SARIF locations
/// are relative to it); `names` are the hosts' names (for the table's width).
pub fn renderer<'a>(
    format: Format,
    root: &Path,
    names: impl IntoIterator<Item = &'a str>,
) -> Box<dyn HostRenderer> {
    match format {
        Format::Table => Box::new(TableOut(Table::new(names))),
        Format::Jsonl => Box::new(Lines(jsonl::line)),
        Format::Timesketch => Box::new(Lines(timesketch::lines)),
        Format::Csv => Box::new(CsvOut),
        Format::Sarif => Box::new(SarifOut(SarifWriter::new(root, Tool::default()))),
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
    fn begin(&mut self, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all((self.0)(host).as_bytes())
    }
    fn end(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

struct CsvOut;

impl HostRenderer for CsvOut {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(csv::header().as_bytes())
    }
    fn host(&mut self, w: &mut dyn Write, host: &HostReport) -> io::Result<()> {
        w.write_all(csv::rows(host).as_bytes())
    }
    fn end(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
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
