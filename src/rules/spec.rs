//! Rule files: the TOML a person reads and reviews, and the typed rules it
//! deserialises into (read with [`Rule::parse`]).
//!
//! A rule names its source article, the OS versions it applies to, the error
//! codes it explains, the registry checks that describe the healthy state
//! (grouped in check sets chosen by OS), and how to word its findings. See
//! `docs/rules.md` for the format.

use serde::Deserialize;

pub use super::files::{builtin, check_unique_ids, load_dir, load_file, BUILTIN};
pub use super::parse::RuleError;
pub use super::values::{Code, Data, HiveName};
use crate::registry::os::OsFamily;

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

/// Where some of a rule's codes count in the logs: only on lines that
/// match (a generic code, such as 0x80070002, is evidence of the rule's
/// cause only where the line is about it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogContext {
    /// The codes restricted, each one of the rule's `codes`.
    pub codes: Vec<Code>,
    /// What matching lines are about, in words (`BITS`), for sentences.
    pub about: String,
    /// The line's component is one of these (case-insensitive); empty: any.
    #[serde(default)]
    pub components: Vec<String>,
    /// The line holds one of these words (case-insensitive, starting at a
    /// word boundary: `download` matches `downloading`, `BITS` not `64bits`);
    /// empty: any.
    #[serde(default)]
    pub words: Vec<String>,
}

impl LogContext {
    /// How a log scan matches this context's lines.
    pub fn line_match(&self) -> crate::wulog::LineMatch {
        crate::wulog::LineMatch::new(&self.components, &self.words)
    }
}

impl Rule {
    /// The contexts that restrict `code` (empty: it counts on every line).
    pub fn contexts_of(&self, code: Code) -> impl Iterator<Item = &LogContext> {
        self.log_contexts
            .iter()
            .filter(move |c| c.codes.contains(&code))
    }
}
