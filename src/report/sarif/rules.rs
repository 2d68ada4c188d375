//! The rules table: one descriptor per rule of the rule set used, then the
//! rule of unreadable inputs.

use super::ids::INPUT_RULE;
use super::model::{text, Configuration, RuleOut};
use crate::rules::spec::Rule;

/// A rule's `name`: its title in PascalCase, without parenthesised parts and
/// what follows a colon (`BitsServiceMissing`), never equal to its id.
pub fn rule_name(id: &str, title: &str) -> String {
    let head = title.split(':').next().unwrap_or(title);
    let mut name = String::new();
    let mut depth = 0usize;
    for word in head.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        let mut part = String::new();
        for c in word.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 && c.is_ascii_alphanumeric() => part.push(c),
                _ => {}
            }
        }
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if name.len() + part.len() > 64 {
                break;
            }
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    if name.is_empty() || name == id {
        name.push_str("Rule");
    }
    name
}

fn descriptor(r: &Rule) -> RuleOut {
    RuleOut {
        id: r.id.clone(),
        name: rule_name(&r.id, &r.title),
        short_description: text(&r.title),
        full_description: text(&r.source),
        help: text(format!(
            "{} The finding lists the registry values expected and found, the log lines, and a remedy where one can be written.",
            r.source
        )),
        help_uri: r.source_url.clone(),
        default_configuration: Configuration { level: "error" },
    }
}

/// The descriptors of `rules`, then `WUTRIAGE-INPUT`.
pub fn descriptors(rules: &[Rule]) -> Vec<RuleOut> {
    let mut out: Vec<RuleOut> = rules.iter().map(descriptor).collect();
    out.push(RuleOut {
        id: INPUT_RULE.to_string(),
        name: "UnreadableEvidence".to_string(),
        short_description: text("An evidence file could not be read"),
        full_description: text(
            "A file collected from the host looks like evidence (by name or content) but could not be read: a damaged hive, a truncated export, junk named like a log. The host's verdict may rest on less evidence than was collected.",
        ),
        help: text("Collect the file again from the machine, or check how it was copied (a hive copied while in use can be incomplete)."),
        help_uri: None,
        default_configuration: Configuration { level: "error" },
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_pascal_case_titles_distinct_from_ids() {
        assert_eq!(
            rule_name("BITS-MISSING", "BITS service missing (0x80070424)"),
            "BITSServiceMissing"
        );
        assert_eq!(
            rule_name(
                "KB910341",
                "Automatic Updates cannot impersonate the logged-on user: SensLogn values missing"
            ),
            "AutomaticUpdatesCannotImpersonateTheLoggedOnUser"
        );
        assert_eq!(rule_name("X", "X"), "XRule");
        assert_eq!(rule_name("X", "(only brackets)"), "Rule");
    }
}
