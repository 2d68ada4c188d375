//! WindowsUpdate.log and ReportingEvents.log reading.
