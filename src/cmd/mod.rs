//! One module per subcommand: each has its `Args` (clap) and a `run`.

pub mod log;
pub mod query;
pub mod recover;
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
