//! JSON output: the `Report` serialised as one pretty-printed document.

use super::Report;

/// The report as JSON text, ending with a newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("reports serialise");
    s.push('\n');
    s
}
