//! KB910341: Automatic Updates cannot impersonate the logged-on user
//! (0x800704DD / 0x80240020) because SensLogn lost values.

pub mod expected;
pub mod remedy;
pub mod senslogn;
pub mod verdict;

pub use expected::SENSLOGN_KEY;
pub use senslogn::{judge, SensLognJudgement, Status, ValueCheck};
pub use verdict::{evaluate, RegistryFacts, CODES, RULE_ID};
