//! One module per subcommand: each has its `Args` (clap) and a `run`.

use std::path::PathBuf;

use wutriage::finding::Severity;
use wutriage::report::sarif::{SarifOptions, GITHUB_MAX_RESULTS};
use wutriage::scan::{TimeBound, TimeWindow};

pub mod log;
pub mod query;
pub mod recover;
pub mod remedy;
pub mod rules;
pub mod scan;
pub mod triage;

/// Exit code: analysed, nothing reached `--fail-on`.
#[allow(dead_code)]
pub const EXIT_OK: u8 = 0;
/// Exit code: a finding reached the `--fail-on` severity.
pub const EXIT_FINDING: u8 = 1;
/// Exit code: usage error, or an input could not be read.
pub const EXIT_TROUBLE: u8 = 2;

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// What `scan` and `triage` share: which rules, how hives are read, when to fail.
#[derive(Debug, clap::Args)]
pub struct AnalysisArgs {
    /// Also use the *.toml rule files in DIR (ids must differ from the built-in ones).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Evaluate only the rule with this id (repeatable).
    #[arg(long, value_name = "ID")]
    pub only: Vec<String>,
    /// Read dirty hives as they are on disk: do not replay their transaction logs.
    #[arg(long)]
    pub no_recover: bool,
    /// Exit with 1 when a finding reaches this severity (info, low, medium, high);
    /// judged on every finding, whatever --min-severity leaves out. With
    /// --format junit: findings at or above it are failures (default medium).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Leave findings below this severity (info, low, medium, high) out of the
    /// output, in every format (triage's CSV: low unless given).
    #[arg(long, value_name = "SEVERITY")]
    pub min_severity: Option<Severity>,
    /// Count only log lines at or after this time: RFC 3339
    /// (2024-03-01T08:00:00Z) or a date (YYYY-MM-DD, from 00:00 UTC).
    /// Lines without a time then do not count; registry state is not filtered.
    #[arg(long, value_name = "TIME")]
    pub since: Option<TimeBound>,
    /// Count only log lines at or before this time: RFC 3339, or a date
    /// (YYYY-MM-DD, to the end of that day UTC).
    #[arg(long, value_name = "TIME")]
    pub until: Option<TimeBound>,
}

impl AnalysisArgs {
    /// The time window of --since and --until.
    pub fn window(&self) -> Result<TimeWindow, String> {
        TimeWindow::new(self.since, self.until)
    }
}

/// SARIF options of `scan` and `triage`.
#[derive(Debug, clap::Args)]
pub struct SarifArgs {
    /// SARIF: a result for every finding (healthy and not-applicable ones too), not only
    /// for those that point at a problem.
    #[arg(long)]
    pub sarif_all: bool,
    /// SARIF: results kept at most, the most severe first.
    #[arg(long, value_name = "N", hide = true, default_value_t = GITHUB_MAX_RESULTS)]
    pub sarif_max_results: usize,
}

impl SarifArgs {
    pub fn options(&self) -> SarifOptions {
        SarifOptions {
            all: self.sarif_all,
            limit: self.sarif_max_results,
        }
    }
}
