//! A line (or event-log record) carrying a code the scan watches for,
//! handed over during the scan's own pass (see [`super::scan_reader_seeing`]),
//! so that what a summary does not keep can be gathered without reading the
//! file again.

use std::borrow::Cow;

use super::codes::Hresult;
use super::encoding::Encoding;
use super::time::LogTime;

/// A line holding at least one of the codes the scan always keeps
/// ([`super::ScanOptions::always_keep`]). Its text is decoded only when asked.
#[derive(Debug, Clone, Copy)]
pub struct CodedLine<'a> {
    /// 1-based line number (event logs: the record's number).
    pub number: u64,
    /// The line's time: the offset in force resolved, as in the summary.
    pub time: Option<LogTime>,
    /// Every code the line reports, each once.
    pub codes: &'a [Hresult],
    text: Text<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Text<'a> {
    /// A text log's line, as read.
    Encoded {
        encoding: Encoding,
        raw: &'a [u8],
        component: &'a [u8],
    },
    /// An event: component, message and the event as a line.
    Decoded {
        component: &'a str,
        message: &'a str,
        shown: &'a str,
    },
}

impl<'a> CodedLine<'a> {
    /// A text log's line: `raw` the whole line as read, `component` its
    /// component field (empty when the line did not parse).
    pub(crate) fn encoded(
        number: u64,
        time: Option<LogTime>,
        codes: &'a [Hresult],
        encoding: Encoding,
        raw: &'a [u8],
        component: &'a [u8],
    ) -> Self {
        CodedLine {
            number,
            time,
            codes,
            text: Text::Encoded {
                encoding,
                raw,
                component,
            },
        }
    }

    /// An event: its component, its message (in which contexts' words are
    /// looked for) and the event written as a line (shown).
    pub fn event(
        number: u64,
        time: Option<LogTime>,
        codes: &'a [Hresult],
        component: &'a str,
        message: &'a str,
        shown: &'a str,
    ) -> Self {
        CodedLine {
            number,
            time,
            codes,
            text: Text::Decoded {
                component,
                message,
                shown,
            },
        }
    }

    /// The component (`AU`, `Agent`, …; empty when the line did not parse).
    pub fn component(&self) -> Cow<'a, str> {
        match self.text {
            Text::Encoded {
                encoding,
                component,
                ..
            } => encoding.decode(component),
            Text::Decoded { component, .. } => Cow::Borrowed(component),
        }
    }

    /// The text a rule's context words are looked for in: a text log's
    /// whole line, an event's message.
    pub fn context(&self) -> Cow<'a, str> {
        match self.text {
            Text::Encoded { encoding, raw, .. } => encoding.decode(raw),
            Text::Decoded { message, .. } => Cow::Borrowed(message),
        }
    }

    /// The line as shown: a text log's whole line, an event as a line.
    pub fn shown(&self) -> Cow<'a, str> {
        match self.text {
            Text::Encoded { encoding, raw, .. } => encoding.decode(raw),
            Text::Decoded { shown, .. } => Cow::Borrowed(shown),
        }
    }
}
