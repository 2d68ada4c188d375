//! Text output for people: per host, what needs action first (worst
//! first), the other rules folded into one line per verdict, the log
//! evidence once, the inputs; a closing summary when there are several hosts.

mod evidence;
mod finding;
mod host;
mod shown;
mod style;
mod summary;

use super::Report;
pub use style::Style;

/// The whole report as text (control characters from the evidence escaped).
pub fn render(report: &Report, style: Style) -> String {
    let report = &super::escape::escaped(report);
    let mut out = String::new();
    for (i, host) in report.hosts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        host::render_host(&mut out, host, style);
    }
    if report.hosts.len() > 1 {
        out.push('\n');
        summary::render_summary(&mut out, &report.hosts, style);
    }
    out
}
