//! Which lines a rule counts a code on: its `[[log_context]]`s, and where
//! the scan options hold them.

use crate::rules::spec::{LogContext, Rule};
use crate::wulog::context::has_word;
use crate::wulog::{Hresult, LineMatch, ScanOptions};

/// True when a line (its component and whole text) is in one of `contexts`
/// (any line when there are none).
pub fn in_context(contexts: &[&LogContext], component: &str, line: &str) -> bool {
    contexts.is_empty()
        || contexts.iter().any(|c| {
            let component_ok = c.components.is_empty()
                || c.components
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(component));
            let words_ok = c.words.is_empty() || c.words.iter().any(|w| has_word(line, w));
            component_ok && words_ok
        })
}

/// The lines on which `rule` counts `code` (empty: every line).
pub(super) fn context_of(rule: &Rule, code: Hresult) -> Vec<LineMatch> {
    rule.contexts_of(code).map(LogContext::line_match).collect()
}

/// The position in `opts.contexts` of `rule`'s context for `code`.
pub(super) fn context_index(opts: &ScanOptions, rule: &Rule, code: Hresult) -> Option<usize> {
    let any_of = context_of(rule, code);
    opts.contexts
        .iter()
        .position(|c| c.any_of == any_of && c.codes.contains(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(components: &[&str], words: &[&str]) -> LogContext {
        LogContext {
            codes: vec![Hresult(0x80070002)],
            about: "BITS".into(),
            components: components.iter().map(|s| s.to_string()).collect(),
            words: words.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_context_needs_its_component_and_one_of_its_words() {
        let c = ctx(&["DnldMgr"], &["BITS"]);
        assert!(in_context(&[&c], "dnldmgr", "Failed to create BITS job"));
        assert!(!in_context(&[&c], "Handler", "Failed to create BITS job"));
        assert!(!in_context(&[&c], "DnldMgr", "Error occurred"));
        let any_component = ctx(&[], &["qmgr"]);
        assert!(in_context(&[&c, &any_component], "Misc", "qmgr.dll failed"));
    }
}
