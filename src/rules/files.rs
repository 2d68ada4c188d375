//! Rule files: the built-in ones embedded from `rules/`, more from a folder.

use std::path::Path;

use super::spec::{Rule, RuleError};

/// The rules shipped in the binary, from `rules/` in the source tree.
pub const BUILTIN: &[(&str, &str)] = &[
    ("kb910341.toml", include_str!("../../rules/kb910341.toml")),
    (
        "kb910341-services.toml",
        include_str!("../../rules/kb910341-services.toml"),
    ),
    (
        "kb910341-client.toml",
        include_str!("../../rules/kb910341-client.toml"),
    ),
    (
        "wu-service-disabled.toml",
        include_str!("../../rules/wu-service-disabled.toml"),
    ),
    (
        "bits-missing.toml",
        include_str!("../../rules/bits-missing.toml"),
    ),
    (
        "bits-not-in-netsvcs.toml",
        include_str!("../../rules/bits-not-in-netsvcs.toml"),
    ),
    (
        "bits-dependency.toml",
        include_str!("../../rules/bits-dependency.toml"),
    ),
    (
        "bits-servicedll.toml",
        include_str!("../../rules/bits-servicedll.toml"),
    ),
    (
        "wsus-server-not-set.toml",
        include_str!("../../rules/wsus-server-not-set.toml"),
    ),
    (
        "wu-internet-locations-blocked.toml",
        include_str!("../../rules/wu-internet-locations-blocked.toml"),
    ),
    (
        "wu-access-disabled.toml",
        include_str!("../../rules/wu-access-disabled.toml"),
    ),
    (
        "trustedinstaller-start.toml",
        include_str!("../../rules/trustedinstaller-start.toml"),
    ),
];

/// The built-in rules (a broken built-in file is a bug: tests parse them all).
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    BUILTIN
        .iter()
        .map(|(name, text)| Rule::parse(text, name))
        .collect()
}

/// Rules loaded together must not share an id (one would silently replace
/// the other): the error names the later file and the earlier one.
pub fn check_unique_ids(rules: &[(String, Rule)]) -> Result<(), RuleError> {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (file, rule) in rules {
        if let Some(first) = seen.insert(&rule.id, file) {
            return Err(RuleError {
                file: file.clone(),
                line: 0,
                message: format!("rule id {} is already used by {first}", rule.id),
            });
        }
    }
    Ok(())
}

/// Every `*.toml` in `dir`, sorted by name, with its file; ids must be unique.
pub fn load_dir(dir: &Path) -> Result<Vec<(String, Rule)>, RuleError> {
    let io = |e: std::io::Error| RuleError {
        file: dir.display().to_string(),
        line: 0,
        message: e.to_string(),
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let rules = paths
        .iter()
        .map(|p| Ok((p.display().to_string(), load_file(p)?)))
        .collect::<Result<Vec<_>, RuleError>>()?;
    check_unique_ids(&rules)?;
    Ok(rules)
}

/// One rule file.
pub fn load_file(path: &Path) -> Result<Rule, RuleError> {
    let text = std::fs::read_to_string(path).map_err(|e| RuleError {
        file: path.display().to_string(),
        line: 0,
        message: e.to_string(),
    })?;
    Rule::parse(&text, &path.display().to_string())
}
