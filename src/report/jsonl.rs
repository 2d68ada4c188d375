//! JSON Lines output: one host object per line, the schema of a `scan`
//! report's `hosts[]` element ([docs/json.md]).

use crate::scan::HostReport;

/// One host as a line of JSON, ending with a newline.
pub fn line(host: &HostReport) -> String {
    let mut s = serde_json::to_string(host).expect("reports serialise");
    s.push('\n');
    s
}
