//! One decoded event of a trace.

use chrono::{DateTime, Utc};

use super::bytes::Guid;
use super::tracelogging::DecodeError;
use super::value::FieldValue;

/// One event of the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// UTC, from the trace's clock (`None` without a readable header).
    pub time: Option<DateTime<Utc>>,
    /// The raw timestamp (clock ticks).
    pub timestamp: u64,
    /// The processor whose buffer held the event.
    pub cpu: u16,
    /// The process that logged the event.
    pub pid: u32,
    /// The thread that logged the event.
    pub tid: u32,
    /// The provider's GUID, from the event header.
    pub provider_id: Guid,
    /// The provider name TraceLogging events carry (extended item 12).
    pub provider: Option<String>,
    /// The TraceLogging event name.
    pub name: Option<String>,
    /// The event id of the event header (0 for most TraceLogging events).
    pub id: u16,
    /// The event's level (1 critical … 5 verbose).
    pub level: u8,
    /// The decoded fields; `Err` for events without TraceLogging metadata
    /// or whose payload does not match it.
    pub fields: Result<Vec<(String, FieldValue)>, DecodeError>,
}

impl Event {
    /// The value of the field `name`.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .as_ref()
            .ok()?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}
