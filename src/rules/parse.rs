//! Reading a rule file's text: the TOML deserialised into a [`Rule`], then
//! the checks its types alone cannot make, each problem with its line.

use super::spec::Rule;

/// A rule file that could not be read, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct RuleError {
    /// The file, as named when read.
    pub file: String,
    /// 1-based; 0 when the problem has no single place.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Finds the line where `needle` (a key's TOML spelling) first appears, for
/// problems found after parsing.
fn line_of_text(text: &str, needle: &str) -> usize {
    text.find(needle).map(|o| line_of(text, o)).unwrap_or(0)
}

impl Rule {
    /// Parses and checks one rule file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Rule, RuleError> {
        let rule: Rule = toml::from_str(text).map_err(|e| RuleError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        rule.lint(text, file)?;
        Ok(rule)
    }

    /// Checks what the types alone cannot: one expectation per check,
    /// known value types, non-empty lists.
    fn lint(&self, text: &str, file: &str) -> Result<(), RuleError> {
        let err = |needle: &str, message: String| RuleError {
            file: file.to_string(),
            line: line_of_text(text, needle),
            message,
        };
        let id_ok = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-';
        if self.id.is_empty() || !self.id.chars().all(id_ok) {
            return Err(err(
                "id",
                format!("rule id {:?} must be one word of A-Z, 0-9 and '-'", self.id),
            ));
        }
        if self.codes.is_empty() {
            return Err(err("codes", "a rule needs at least one error code".into()));
        }
        if self.check_sets.is_empty() {
            return Err(err(
                "[[check_set]]",
                "a rule needs at least one [[check_set]]".into(),
            ));
        }
        for set in &self.check_sets {
            if set.checks.is_empty() {
                return Err(err(
                    &set.name,
                    format!("check set {:?} has no checks", set.name),
                ));
            }
            if !set
                .checks
                .iter()
                .any(|c| c.hive.is_none_or(|h| h == self.hive))
            {
                return Err(err(&set.name, format!("check set {:?}: no check reads the rule's own hive ({}), whose key the findings report", set.name, self.hive.as_str())));
            }
            for c in &set.checks {
                let e = &c.expect;
                let n = [
                    e.equals.is_some(),
                    e.not.is_some(),
                    e.present.is_some(),
                    e.contains.is_some(),
                ]
                .iter()
                .filter(|b| **b)
                .count();
                let what = c.value.as_deref().or(c.key.as_deref()).unwrap_or(&self.key);
                if n != 1 {
                    return Err(err(
                        what,
                        format!("check of {what:?}: expect needs exactly one of equals, not, present, contains"),
                    ));
                }
                if c.value.is_none() && e.present.is_none() {
                    return Err(err(
                        what,
                        format!("check of key {what:?}: without `value` only `present` applies"),
                    ));
                }
                for t in &c.types {
                    if crate::registry::value::type_number(t).is_none() {
                        return Err(err(t, format!("unknown value type {t:?}")));
                    }
                }
            }
        }
        self.lint_held(text, file)?;
        self.lint_contexts(text, file)?;
        if self.superseded_by.iter().any(|id| id == &self.id) {
            return Err(err(
                "superseded_by",
                "a rule cannot be superseded by itself".into(),
            ));
        }
        Ok(())
    }

    /// A summary that says `{held}` needs every check's `ok_label`.
    fn lint_held(&self, text: &str, file: &str) -> Result<(), RuleError> {
        let s = &self.summary;
        let templates = [&s.confirmed, &s.latent, &s.other_cause, &s.healthy];
        if !templates.iter().any(|t| t.contains("{held}")) {
            return Ok(());
        }
        let unlabelled = self
            .check_sets
            .iter()
            .flat_map(|set| &set.checks)
            .find(|c| c.ok_label.is_none());
        match unlabelled {
            Some(c) => {
                let what = c.value.as_deref().or(c.key.as_deref()).unwrap_or(&self.key);
                Err(RuleError {
                    file: file.to_string(),
                    line: line_of_text(text, "{held}"),
                    message: format!(
                        "a summary says {{held}}, but the check of {what:?} has no ok_label"
                    ),
                })
            }
            None => Ok(()),
        }
    }

    /// Checks the `[[log_context]]` tables: known codes, something to match,
    /// words that can occur on a line.
    fn lint_contexts(&self, text: &str, file: &str) -> Result<(), RuleError> {
        let err = |message: String| RuleError {
            file: file.to_string(),
            line: line_of_text(text, "[[log_context]]"),
            message,
        };
        for ctx in &self.log_contexts {
            if ctx.codes.is_empty() {
                return Err(err("a [[log_context]] needs at least one code".into()));
            }
            if let Some(c) = ctx.codes.iter().find(|c| !self.codes.contains(c)) {
                return Err(err(format!(
                    "[[log_context]] code {c} is not one of the rule's codes"
                )));
            }
            if ctx.about.trim().is_empty() {
                return Err(err(
                    "a [[log_context]] needs `about` (what its lines are about)".into(),
                ));
            }
            if ctx.components.is_empty() && ctx.words.is_empty() {
                return Err(err(
                    "a [[log_context]] needs `components` or `words` to match lines".into(),
                ));
            }
            let blank = |w: &String| w.trim().is_empty() || w.trim() != w;
            if let Some(w) = ctx.words.iter().chain(&ctx.components).find(|w| blank(w)) {
                return Err(err(format!(
                    "[[log_context]] entry {w:?} is empty or has spaces around it"
                )));
            }
        }
        Ok(())
    }
}
