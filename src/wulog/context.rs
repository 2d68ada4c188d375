//! Line contexts: the lines on which some codes count (a rule's
//! `[[log_context]]`), matched during the scan so that a log is read once.

use super::codes::Hresult;

/// One way for a line to be in a context: its component is one of
/// `components` (case-insensitive; empty: any) and its text holds one of
/// `words` (case-insensitive, starting at a word boundary; empty: any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMatch {
    components: Vec<String>,
    /// Lower-case.
    words: Vec<String>,
}

impl LineMatch {
    /// Lines of one of `components` (any when empty) holding one of `words` as a whole word, in any case (any line when empty).
    pub fn new(components: &[String], words: &[String]) -> Self {
        LineMatch {
            components: components.to_vec(),
            words: words.iter().map(|w| w.to_ascii_lowercase()).collect(),
        }
    }

    /// Whether a line with `component` and whole text `lower` (already
    /// lower-cased, ASCII) matches.
    fn matches(&self, component: &str, lower: &str) -> bool {
        let component_ok = self.components.is_empty()
            || self
                .components
                .iter()
                .any(|k| k.eq_ignore_ascii_case(component));
        component_ok
            && (self.words.is_empty() || self.words.iter().any(|w| has_lower_word(lower, w)))
    }
}

/// Codes that count only on lines matching one of `any_of`. A scan
/// records, per code, the lines in each context that names the code
/// ([`super::CodeSummary::in_context`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeContext {
    /// The codes.
    pub codes: Vec<Hresult>,
    /// The lines they count on: any one of these.
    pub any_of: Vec<LineMatch>,
}

impl CodeContext {
    /// Whether a line with `component` and whole text `lower` (lower-cased)
    /// is in this context.
    pub fn matches(&self, component: &str, lower: &str) -> bool {
        self.any_of.iter().any(|m| m.matches(component, lower))
    }
}

/// True when `word` occurs in `text` (case-insensitively) starting at a
/// word boundary: `download` in `downloading`, `BITS` not in `64bits`.
pub fn has_word(text: &str, word: &str) -> bool {
    has_lower_word(&text.to_ascii_lowercase(), &word.to_ascii_lowercase())
}

fn has_lower_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(components: &[&str], words: &[&str]) -> LineMatch {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        LineMatch::new(&s(components), &s(words))
    }

    fn in_context(any_of: &[LineMatch], component: &str, line: &str) -> bool {
        let c = CodeContext {
            codes: vec![Hresult(0x80070002)],
            any_of: any_of.to_vec(),
        };
        c.matches(component, &line.to_ascii_lowercase())
    }

    #[test]
    fn words_start_at_a_word_boundary_and_ignore_case() {
        assert!(has_word("Failed to create BITS job", "bits"));
        assert!(has_word("error while downloading update", "download"));
        assert!(!has_word("a 64bits build", "BITS"));
        assert!(!has_word("ResetPendingBlocks: Directory failed", "BITS"));
    }

    #[test]
    fn a_context_needs_its_component_and_one_of_its_words() {
        let c = ctx(&["DnldMgr"], &["BITS"]);
        assert!(in_context(
            std::slice::from_ref(&c),
            "dnldmgr",
            "Failed to create BITS job"
        ));
        assert!(!in_context(
            std::slice::from_ref(&c),
            "Handler",
            "Failed to create BITS job"
        ));
        assert!(!in_context(
            std::slice::from_ref(&c),
            "DnldMgr",
            "Error occurred"
        ));
        let any_component = ctx(&[], &["qmgr"]);
        assert!(in_context(&[c, any_component], "Misc", "qmgr.dll failed"));
    }
}
