//! The fixed names a SARIF log uses: the rule of unreadable inputs, the
//! fingerprint key and the base of artifact locations.

/// The rule id of results for inputs that could not be read.
pub const INPUT_RULE: &str = "WUTRIAGE-INPUT";
/// The key of `fingerprints` in each result.
pub const FINGERPRINT_KEY: &str = "wutriage/v1";
/// The `uriBaseId` artifact locations are relative to: the triage root.
pub const ROOT_BASE: &str = "ROOT";
