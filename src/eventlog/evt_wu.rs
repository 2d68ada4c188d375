//! Windows Update Agent records of an XP/2003 event log.

use std::io::{Read, Seek};

use crate::evt::{self, EvtRecord};
use crate::warning::WarningCode;

use super::event::{Item, WuEvent};
use super::totals::Totals;

/// The event source of Windows Update Agent records.
pub const SOURCE: &str = "Windows Update Agent";

/// Event Viewer's wording for the WUA event ids, the record's strings following.
fn label(id: u16) -> &'static str {
    match id {
        16 => "Unable to Connect",
        17 => "Installation Ready",
        18 => "Installation Ready",
        19 => "Installation Successful",
        20 => "Installation Failure",
        21 => "Restart Required",
        22 => "Restart Required",
        _ => "Windows Update Agent event",
    }
}

/// Reads a log, handing each record over as an [`Item`] (older copies of
/// live records are left out); the reader's warnings go to `totals`.
pub fn read<R: Read + Seek>(
    r: R,
    totals: &mut Totals,
    f: &mut impl FnMut(Item),
) -> Result<(), evt::EvtError> {
    let info = evt::read(r, |rec: EvtRecord| {
        if rec.stale_copy {
            // An older copy of a live record: counted once, as the live one.
            return;
        }
        if !rec.source.eq_ignore_ascii_case(SOURCE) {
            return f(Item::Other);
        }
        let strings: Vec<&str> = rec.strings.iter().map(|s| s.trim()).collect();
        f(Item::Wu(WuEvent {
            number: rec.number as u64,
            time: rec.time_generated,
            pid: None,
            tid: None,
            component: SOURCE.to_string(),
            text: format!(
                "{} (event {}): {}",
                label(rec.id()),
                rec.id(),
                strings.join(" | ")
            ),
            codes: Vec::new(),
            event_id: Some(rec.id() as u32),
            recovered: rec.recovered,
        }))
    })?;
    if info.header.dirty() {
        totals.warn(
            WarningCode::EvtDirty,
            "the log is dirty (copied while in use): the end-of-log record's offsets are used"
                .into(),
        );
    }
    if info.recovered > 0 {
        totals.warn(
            WarningCode::EvtRecoveredRecords,
            format!(
                "{} records recovered outside the live region ({} live)",
                info.recovered, info.live
            ),
        );
    }
    for w in info.warnings {
        totals.keep(w);
    }
    Ok(())
}
