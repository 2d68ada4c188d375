//! The one integration-test binary: a module per area, a temp dir per test.

mod contrib;
mod contrib_globs;
mod contrib_kape;
mod contrib_run;
mod hive;
mod log;
mod query;
mod recovery;
mod regfile;
mod replay;
mod rule_hosts;
mod rules;
mod scan;
mod senslogn;
mod triage;
mod util;
