//! One log line as an event, for callers that stream a log.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::codes::Hresult;
use super::time::LogTime;

/// How serious a line says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineSeverity {
    /// No mark.
    Info,
    /// `WARNING:` or `* WARNING:`.
    Warning,
    /// `*FAILED*`, `FAILED`, or a ReportingEvents `Failure`.
    Failed,
    /// `FATAL:`.
    Fatal,
}

impl LineSeverity {
    /// The severity marked at the start of a line's text.
    #[inline]
    pub fn of_text(text: &[u8]) -> LineSeverity {
        let t = text.trim_ascii_start();
        match t.first() {
            Some(b'W') if t.starts_with(b"WARNING:") => LineSeverity::Warning,
            Some(b'F') if t.starts_with(b"FATAL:") => LineSeverity::Fatal,
            Some(b'F') if t.starts_with(b"FAILED") => LineSeverity::Failed,
            Some(b'*') if t.starts_with(b"*FAILED*") => LineSeverity::Failed,
            Some(b'*') if t.starts_with(b"* WARNING:") => LineSeverity::Warning,
            _ => LineSeverity::Info,
        }
    }
}

/// A line of a log, as handed to the callback of [`super::read_events`].
#[derive(Debug, Clone)]
pub struct LogEvent<'a> {
    /// 1-based line number (empty lines count).
    pub line: u64,
    /// False when the line did not match the file's format; such a line
    /// still reports the codes it holds, with no time, process or component.
    pub parsed: bool,
    /// The line's time, when it has one.
    pub time: Option<LogTime>,
    /// The process id.
    pub pid: Option<u32>,
    /// The thread id.
    pub tid: Option<u32>,
    /// The component (`AU`, `Agent`, …).
    pub component: Cow<'a, str>,
    /// How serious the line says it is.
    pub severity: LineSeverity,
    /// The message part of the line (the whole line when unparsed).
    pub text: Cow<'a, str>,
    /// The whole line as read (decoded).
    pub raw: Cow<'a, str>,
    /// The codes the line reports, each once.
    pub codes: &'a [Hresult],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities() {
        assert_eq!(LineSeverity::of_text(b"WARNING: x"), LineSeverity::Warning);
        assert_eq!(
            LineSeverity::of_text(b"  * WARNING: x"),
            LineSeverity::Warning
        );
        assert_eq!(LineSeverity::of_text(b"FATAL: x"), LineSeverity::Fatal);
        assert_eq!(
            LineSeverity::of_text(b"*FAILED* [8024000E]"),
            LineSeverity::Failed
        );
        assert_eq!(LineSeverity::of_text(b"FAILED to x"), LineSeverity::Failed);
        assert_eq!(LineSeverity::of_text(b"Warning: lower"), LineSeverity::Info);
    }
}
