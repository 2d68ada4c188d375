//! Diagnoses as data: rule files (`rules/*.toml`, embedded; more with
//! `--rules DIR`) evaluated by one engine.

pub(crate) mod checks;
pub(crate) mod context;
pub mod engine;
mod facts;
mod files;
mod gather;
mod parse;
pub mod remedy;
pub mod spec;
mod story;
mod values;
mod verdict;
mod wording;
