//! Triage of many hosts: each immediate subfolder of a root folder is one
//! host. Hosts are analysed in parallel and reported in the order of their
//! names, a chunk at a time, so memory does not grow with the batch.

pub mod discover;
pub mod render;
pub mod runner;
pub mod summary;

pub use crate::report::output::AtomicFile;
pub use discover::{hosts_in, hosts_under, is_one_host, DiscoverError};
pub use render::{
    csv_renderer, junit_renderer, renderer, renderer_with, table_renderer, Format, HostRenderer,
    RenderOptions,
};
pub use runner::{run, RunError, RunOptions};
pub use summary::Summary;
