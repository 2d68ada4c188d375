//! Diagnoses as data: rule files (`rules/*.toml`, embedded; more with
//! `--rules DIR`) evaluated by one engine.

pub mod checks;
pub mod context;
pub mod engine;
pub mod files;
mod gather;
pub mod remedy;
pub mod spec;
mod story;
mod verdict;
mod wording;
