//! The one integration-test binary: a module per area, a temp dir per test.

mod cli_robustness;
mod contexts;
mod hive;
mod hive_bounds;
mod hive_builder;
mod hostile_fs;
mod hosts;
mod log;
mod log_decoys;
mod log_encodings;
mod log_limits;
mod query;
mod recovery;
mod regfile;
mod regfile_bounds;
mod registry_trust;
mod replay;
mod replay_baseblock;
mod rule_eval;
mod rule_hosts;
mod rules;
mod safe_output;
mod scan;
mod senslogn;
mod triage;
mod util;
