//! Which hive a binary hive or .reg export is (SOFTWARE, SYSTEM, NTUSER.DAT, …), from its content.

use serde::{Deserialize, Serialize};

use crate::registry::view::eq_ignore_case;
use crate::registry::RegistryView;

/// The hives Windows keeps, as far as this tool tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HiveKind {
    /// The SOFTWARE hive.
    Software,
    /// The SYSTEM hive.
    System,
    /// A user's NTUSER.DAT or UsrClass.dat.
    User,
    /// The SAM hive.
    Sam,
    /// The SECURITY hive.
    Security,
    /// The COMPONENTS hive (Vista and later).
    Components,
    /// A hive of none of these kinds.
    Other,
}

impl HiveKind {
    /// The name used in reports (`SOFTWARE`, `SYSTEM`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Software => "SOFTWARE",
            Self::System => "SYSTEM",
            Self::User => "NTUSER.DAT",
            Self::Sam => "SAM",
            Self::Security => "SECURITY",
            Self::Components => "COMPONENTS",
            Self::Other => "other",
        }
    }
}

/// Tells the hive by the keys under its root, with the base block's file
/// name (`\SystemRoot\System32\Config\SOFTWARE`) as a tie-breaker.
pub fn hive_kind(view: &dyn RegistryView, embedded_name: Option<&str>) -> HiveKind {
    let subkeys = match view.key("") {
        Ok(Some(root)) => root.subkeys,
        _ => Vec::new(),
    };
    let has = |name: &str| subkeys.iter().any(|s| eq_ignore_case(s, name));
    let has_control_set = subkeys.iter().any(|s| {
        s.len() == 13
            && s.get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("ControlSet"))
    });
    if has("Select") && has_control_set {
        return HiveKind::System;
    }
    if has("Microsoft")
        && (has("Classes") || has("Policies") || has("Clients") || has("Wow6432Node"))
    {
        return HiveKind::Software;
    }
    if has("Control Panel") || has("Environment") || has("Console") {
        return HiveKind::User;
    }
    if has("SAM") && subkeys.len() == 1 {
        return HiveKind::Sam;
    }
    if has("Policy") && has("RXACT") {
        return HiveKind::Security;
    }
    if has("CanonicalData") || has("DerivedData") {
        return HiveKind::Components;
    }
    let base = embedded_name
        .map(|n| {
            n.rsplit(['\\', '/'])
                .next()
                .unwrap_or(n)
                .to_ascii_uppercase()
        })
        .unwrap_or_default();
    match base.as_str() {
        "SOFTWARE" => HiveKind::Software,
        "SYSTEM" => HiveKind::System,
        "NTUSER.DAT" | "USRCLASS.DAT" => HiveKind::User,
        "SAM" => HiveKind::Sam,
        "SECURITY" => HiveKind::Security,
        "COMPONENTS" => HiveKind::Components,
        // A SOFTWARE hive cut down to the keys this tool reads (or an
        // export of them) still has Microsoft\Windows NT at the top.
        _ if has("Microsoft") && !has("Software") => HiveKind::Software,
        _ => HiveKind::Other,
    }
}
