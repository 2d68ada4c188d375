//! How text is shown: colour and verbosity, and the small wording helpers
//! every part of the text shares.

use crate::finding::{Severity, Verdict};

/// How to show the text: colour (only on a terminal, never with
/// `NO_COLOR`), and every rule's summary instead of folded lines (`-v`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Colour the output with ANSI escapes.
    pub color: bool,
    /// Every rule's summary instead of folded lines.
    pub verbose: bool,
}

impl Style {
    pub(super) fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub(super) fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    pub(super) fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    pub(super) fn verdict(&self, v: Verdict, sev: Severity) -> String {
        let code = match sev {
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;36",
            Severity::Info => "1;32",
        };
        self.paint(code, &v.as_str().to_uppercase())
    }
}

/// "1 line", "12 lines".
pub(super) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
