//! Which lines a rule counts a code on: its `[[log_context]]`s, as the
//! scan options hold them (matched by [`crate::wulog::CodeContext`]).

use crate::rules::spec::{LogContext, Rule};
use crate::wulog::{Hresult, LineMatch, ScanOptions};

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
