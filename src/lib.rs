//! wutriage: offline diagnosis of Windows Update failures from collected evidence.
//!
//! The data flows `evidence` (finding and recognising files) → readers
//! (`registry`, `wulog`) → facts → `rules` → `finding` → `report`.

pub mod registry;
pub mod wulog;
pub mod rules;
