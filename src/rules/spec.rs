//! Rule files: the TOML a person reads and reviews, parsed into typed rules.
//!
//! A rule names its source article, the OS versions it applies to, the error
//! codes it explains, the registry checks that describe the healthy state
//! (grouped in check sets chosen by OS), and how to word its findings. See
//! `docs/rules.md` for the format.

use std::fmt;

use serde::{Deserialize, Deserializer};

pub use super::context::LogContext;
pub use super::files::{builtin, check_unique_ids, load_dir, load_file, BUILTIN};
use crate::registry::os::OsFamily;

/// Which hive a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HiveName {
    /// The SOFTWARE hive.
    Software,
    /// Paths start below the current control set (`Services\BITS`).
    System,
}

impl HiveName {
    /// The root a `.reg` file uses for this hive's keys.
    pub fn reg_root(self) -> &'static str {
        match self {
            Self::Software => "HKEY_LOCAL_MACHINE\\SOFTWARE",
            Self::System => "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet",
        }
    }

    /// The hive's name (`SOFTWARE`, `SYSTEM`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Software => "SOFTWARE",
            Self::System => "SYSTEM",
        }
    }
}

/// An HRESULT written as `0x` and 8 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(pub u32);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let hex = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .filter(|h| h.len() == 8)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("code {s:?} is not 0x and 8 hex digits"))
            })?;
        u32::from_str_radix(hex, 16)
            .map(Code)
            .map_err(|_| serde::de::Error::custom(format!("code {s:?} is not hexadecimal")))
    }
}

/// Data to compare with: a number (REG_DWORD/REG_QWORD) or a string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Data {
    /// A number, compared with REG_DWORD or REG_QWORD data.
    Number(u64),
    /// A string.
    Text(String),
}

impl fmt::Display for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "0x{n:08x}"),
            Self::Text(s) => f.write_str(s),
        }
    }
}

/// What a healthy value (or key) looks like. Exactly one field is set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The value holds exactly this (strings compare case-insensitively).
    pub equals: Option<Data>,
    /// The value, if present, does not hold this.
    pub not: Option<Data>,
    /// The value (or, without `value`, the key) exists (`true`) or does not (`false`).
    pub present: Option<bool>,
    /// A REG_MULTI_SZ value lists this string (case-insensitively).
    pub contains: Option<String>,
}

/// A condition on another value that must hold for a check to apply.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The key of the value (default: the check's key).
    pub key: Option<String>,
    /// The value the condition reads.
    pub value: String,
    /// The data it must have for the check to apply.
    pub equals: Data,
}

/// One registry check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Default: the rule's `hive`.
    pub hive: Option<HiveName>,
    /// Default: the rule's `key`. Relative to the hive (SYSTEM: below the current control set).
    pub key: Option<String>,
    /// The value name; absent for checks on the key itself.
    pub value: Option<String>,
    /// Accepted types, the first being the one to write in a remedy (`REG_DWORD`, `REG_SZ`, …).
    #[serde(default)]
    pub types: Vec<String>,
    /// What the value must be.
    pub expect: Expect,
    /// Said when a type other than the first was accepted.
    pub accepted_note: Option<String>,
    /// What is wrong when the check fails, in words (used in summaries).
    pub label: Option<String>,
    /// What holds when the check passes on a value that was read, in words
    /// (the `{held}` placeholder).
    pub ok_label: Option<String>,
    /// Said instead of `ok_label` when the check passes because the value
    /// (or its key) is absent: nothing is claimed of what was not read.
    pub absent_label: Option<String>,
    /// Only checked when this condition holds.
    pub when: Option<When>,
    /// Value a remedy writes when the check fails (default: `expect.equals`).
    pub fix: Option<Data>,
}

/// A group of checks for some OS versions (the KB's tables per OS).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSet {
    /// The set's name (`xp-2003`), shown as the finding's table.
    pub name: String,
    /// In words, e.g. `Windows XP / Server 2003`.
    pub description: String,
    /// The OS versions the set applies to.
    pub os: Vec<OsFamily>,
    /// The checks.
    #[serde(rename = "check")]
    pub checks: Vec<Check>,
}

/// A step of the source article that collected files cannot show.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step, in the article's words.
    pub text: String,
    /// Only for these OS versions (default: all). A host without SOFTWARE evidence counts as `unknown`.
    pub os: Option<Vec<OsFamily>>,
    /// Only for findings with these verdicts (default: every verdict but
    /// `healthy`), e.g. a step about fixing the cause for `confirmed`/`latent`.
    pub verdicts: Option<Vec<crate::finding::Verdict>>,
}

/// A registry setting reported as a fact in the finding.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    /// What the setting is, in words.
    pub label: String,
    /// Default: the rule's `hive`.
    pub hive: Option<HiveName>,
    /// The key, hive-relative.
    pub key: String,
    /// The value's name.
    pub value: String,
    /// What the data means, by its decimal (or string) form.
    #[serde(default)]
    pub meanings: std::collections::BTreeMap<String, String>,
}

/// Summary sentences per verdict. Placeholders: `{problems}`, `{held}`, `{os}`,
/// `{os_description}`, `{errors}`, `{reported}`, `{no_errors}`, `{count}`, `{key_name}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summaries {
    /// For `confirmed`.
    pub confirmed: String,
    /// For `latent`.
    pub latent: String,
    /// For `other-cause`.
    pub other_cause: String,
    /// For `healthy`.
    pub healthy: String,
    /// For `not-applicable`.
    pub not_applicable: String,
    /// For `inconclusive`.
    pub inconclusive: String,
    /// Used instead of `not_applicable` when the codes are logged anyway.
    pub not_applicable_with_errors: Option<String>,
    /// Used instead of `inconclusive` when the codes are logged.
    pub inconclusive_with_errors: Option<String>,
}

/// One rule, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's id: one word of A-Z, 0-9 and `-`.
    pub id: String,
    /// The rule's title.
    pub title: String,
    /// Where the link between the codes and the registry cause is documented.
    pub source: String,
    /// A link to the source.
    pub source_url: Option<String>,
    /// OS versions the rule applies to; others get `not-applicable`.
    pub os: Vec<OsFamily>,
    /// The error codes the cause produces.
    pub codes: Vec<Code>,
    /// The default hive and key of the checks; the key's state is reported.
    pub hive: HiveName,
    /// The key, hive-relative (SYSTEM: below the current control set).
    pub key: String,
    /// The rule's `key` absent means the evidence is partial (an export of
    /// another subtree), not that the cause is present: the verdict is then
    /// `inconclusive`. For keys every whole hive has.
    #[serde(default)]
    pub key_absent_is_inconclusive: bool,
    /// Report values of `key` that no check names (not problems).
    #[serde(default)]
    pub list_extra_values: bool,
    /// Said when the OS is outside `os`. Placeholder `{os_description}`.
    pub not_applicable_note: Option<String>,
    /// Other rules whose failing checks explain the codes when this rule's cause is absent.
    #[serde(default)]
    pub related: Vec<String>,
    /// Rules whose cause, when found (`confirmed` or `latent`), leaves this
    /// rule nothing to judge (BITS-MISSING for BITS-DEPENDENCY: no BITS key,
    /// no dependencies): this rule then says so instead of a second alarm.
    #[serde(default)]
    pub superseded_by: Vec<String>,
    /// Write a `.reg` remedy for failing checks.
    #[serde(default)]
    pub remedy: bool,
    /// The checks, in groups per OS.
    #[serde(rename = "check_set")]
    pub check_sets: Vec<CheckSet>,
    /// Settings reported as facts.
    #[serde(default, rename = "fact")]
    pub facts: Vec<FactSpec>,
    /// The article's steps that collected files cannot show.
    #[serde(default, rename = "unchecked_step")]
    pub unchecked_steps: Vec<Step>,
    /// Why the codes, where they count, are evidence of this cause and not
    /// noise (shown in docs/rules.md).
    #[serde(default)]
    pub code_specificity: Option<String>,
    /// Codes that count only on some lines (none: every code counts everywhere).
    #[serde(default, rename = "log_context")]
    pub log_contexts: Vec<LogContext>,
    /// The finding's summary per verdict.
    pub summary: Summaries,
}

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
pub(super) fn line_of_text(text: &str, needle: &str) -> usize {
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
        super::context::lint(self, text, file)?;
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

    /// The contexts that restrict `code` (empty: it counts on every line).
    pub fn contexts_of(&self, code: Code) -> impl Iterator<Item = &LogContext> {
        self.log_contexts
            .iter()
            .filter(move |c| c.codes.contains(&code))
    }
}
