//! The one integration-test binary: a module per area, a temp dir per test.

mod hive;
mod query;
mod recovery;
mod scan;
mod senslogn;
mod regfile;
mod replay;
mod util;
