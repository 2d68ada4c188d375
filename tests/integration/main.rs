//! The one integration-test binary: a module per area, a temp dir per test.

mod hive;
mod log;
mod log_decoys;
mod log_encodings;
mod log_limits;
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
