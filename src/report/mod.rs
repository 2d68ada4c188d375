//! Renderers: one module per output format, over the same report.

pub mod csv;
pub mod escape;
pub mod filter;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod output;
pub mod sarif;
pub mod table;
pub mod text;
pub mod time;
pub mod timesketch;

use serde::{Deserialize, Serialize};

use crate::scan::HostReport;

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// The tool's name (`wutriage`).
    pub name: String,
    /// The tool's version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// A `scan` report: the JSON document's top level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The tool that made the report.
    pub tool: Tool,
    /// One entry per host, in the order analysed.
    pub hosts: Vec<HostReport>,
}
