//! The one integration-test binary: a module per area, a temp dir per test.

mod hive;
mod senslogn;
mod regfile;
mod util;
