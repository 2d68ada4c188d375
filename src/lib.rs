//! wutriage: offline diagnosis of Windows Update failures from collected evidence.
//!
//! The data flows `evidence` (finding and recognising files) → readers
//! (`registry`, `wulog`) → facts → `rules` → `finding` → `report`.

pub mod etl;
pub mod eventlog;
pub mod evidence;
pub mod evt;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod registry;
pub mod report;
pub mod rules;
pub mod scan;
pub mod triage;
pub mod wulog;
