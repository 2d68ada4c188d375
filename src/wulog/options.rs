//! Limits of a log scan and how text beyond them is cut.

use super::codes::Hresult;
use super::context::CodeContext;
use super::engine::MAX_LINE;

/// Longest component name kept (longer ones are cut, with [`CUT_MARK`]).
pub const COMPONENT_MAX_BYTES: usize = 64;
/// Appended to a text that was cut.
pub const CUT_MARK: &str = "…";

/// `text` cut to at most `max` bytes (at a character boundary), followed
/// by `marker(total length)` when it was cut. Returns whether it was cut.
pub(crate) fn cut_text(text: &str, max: usize, marker: impl Fn(usize) -> String) -> (String, bool) {
    if text.len() <= max {
        return (text.to_string(), false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (format!("{}{}", &text[..end], marker(text.len())), true)
}

/// Limits of a scan. Memory use is bounded by these, not by the file.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Example lines kept per code.
    pub examples_per_code: usize,
    /// Line numbers of unparsed lines kept (the count is always exact).
    pub max_unparsed_lines: usize,
    /// Components kept per code.
    pub max_components: usize,
    /// Distinct codes kept per file (in order of first appearance); reports
    /// of further codes are only counted (`codes_over_limit`).
    pub max_codes: usize,
    /// Codes kept whatever `max_codes` says.
    pub always_keep: Vec<Hresult>,
    /// Longest example text, in bytes; a longer one is cut and marked.
    pub example_bytes: usize,
    /// Contexts in which codes are also counted on their own
    /// ([`super::CodeSummary::in_context`], by position in this list).
    pub contexts: Vec<CodeContext>,
}

impl ScanOptions {
    /// Whether `code` is kept beyond `max_codes`: the codes in
    /// `always_keep` and those the diagnosis explains.
    pub fn always_keeps(&self, code: Hresult) -> bool {
        self.always_keep.contains(&code) || code.explanation().is_some()
    }

    /// Whether some context names `code`.
    pub(crate) fn has_context(&self, code: Hresult) -> bool {
        self.contexts.iter().any(|c| c.codes.contains(&code))
    }

    /// An example's text: `full` cut to `example_bytes` and marked when it
    /// is longer, or when the line itself was cut (`line_cut`).
    pub(crate) fn cut_example(&self, full: &str, line_cut: bool) -> (String, bool) {
        let max = if line_cut {
            self.example_bytes.min(full.len())
        } else {
            self.example_bytes
        };
        if line_cut && full.len() <= max {
            return (format!("{full}{}", example_mark(full.len(), true)), true);
        }
        cut_text(full, max, |_| example_mark(max, line_cut))
    }
}

/// The marker ending a cut example: how much of the line it shows.
fn example_mark(shown: usize, line_cut: bool) -> String {
    if line_cut {
        format!("… [cut: first {shown} bytes of a line over {MAX_LINE} bytes]")
    } else {
        format!("… [cut: first {shown} bytes]")
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            examples_per_code: 5,
            max_unparsed_lines: 1000,
            max_components: 32,
            max_codes: 4096,
            always_keep: Vec::new(),
            example_bytes: 1024,
            contexts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_respects_characters_and_marks() {
        let m = |n: usize| format!("[{n}]");
        assert_eq!(cut_text("abc", 3, m), ("abc".to_string(), false));
        assert_eq!(cut_text("abcd", 3, m), ("abc[4]".to_string(), true));
        // 'é' is two bytes: never split.
        assert_eq!(cut_text("aé", 2, m), ("a[3]".to_string(), true));
    }
}
