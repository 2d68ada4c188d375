//! The counts and warnings of one event log file.

use super::kind::EventLogKind;
use crate::warning::{push_capped, Warning, WarningCode};

/// Counts of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// What kind of event log the file is.
    pub kind: EventLogKind,
    /// Windows Update events read.
    pub wu_events: u64,
    /// Windows Update events that could not be decoded.
    pub unparsed: u64,
    /// Events of other providers (other sources in `.evt`).
    pub other_events: u64,
    /// ETL: events lost, as the trace header states.
    pub lost_events: Option<u64>,
    /// What the reader met besides the events (damage, lost or recovered
    /// records), at most [`MAX_KEPT`](crate::warning::MAX_KEPT).
    pub warnings: Vec<Warning>,
}

impl Totals {
    /// Nothing counted yet, for a file of `kind`.
    pub(crate) fn new(kind: EventLogKind) -> Self {
        Totals {
            kind,
            wu_events: 0,
            unparsed: 0,
            other_events: 0,
            lost_events: None,
            warnings: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, code: WarningCode, message: String) {
        push_capped(&mut self.warnings, Warning::new(code, message));
    }

    /// The warning that some Windows Update events could not be decoded;
    /// `None` when all were.
    pub fn undecoded(&self) -> Option<Warning> {
        (self.unparsed > 0).then(|| {
            Warning::new(
                WarningCode::EventsUndecoded,
                format!(
                    "{} of {} Windows Update events could not be decoded",
                    self.unparsed,
                    self.unparsed + self.wu_events
                ),
            )
        })
    }

    /// Adds a warning of the file's own reader as it is.
    pub(crate) fn keep(&mut self, w: Warning) {
        push_capped(&mut self.warnings, w);
    }
}
