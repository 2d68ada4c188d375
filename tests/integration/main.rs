//! The one integration-test binary: a module per area, a temp dir per test.

mod eventlog_damage;
mod eventlog_etl;
mod eventlog_evt;
mod eventlog_evtx;
mod eventlog_hosts;
mod hive;
mod log;
mod oracles;
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
