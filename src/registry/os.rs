//! Which Windows a SOFTWARE hive belongs to, from `Microsoft\Windows NT\CurrentVersion`.

use serde::{Deserialize, Serialize};

use super::value::ValueData;
use super::view::RegistryView;
use super::RegistryError;

/// Where the version values live in a SOFTWARE hive.
pub const CURRENT_VERSION_KEY: &str = "Microsoft\\Windows NT\\CurrentVersion";

/// The OS families KB910341 tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsFamily {
    /// 5.0
    #[serde(rename = "windows-2000")]
    Windows2000,
    /// 5.1
    WindowsXp,
    /// 5.2: Windows Server 2003 and Windows XP Professional x64 Edition.
    #[serde(rename = "server-2003")]
    Server2003,
    /// 6.0 and later: no Winlogon Notify packages exist.
    VistaOrLater,
    /// The version values are missing or not understood.
    Unknown,
}

impl OsFamily {
    /// The family in words (`Windows XP`, `Windows Server 2003`, …).
    pub fn describe(self) -> &'static str {
        match self {
            Self::Windows2000 => "Windows 2000",
            Self::WindowsXp => "Windows XP",
            Self::Server2003 => "Windows Server 2003 / XP x64",
            Self::VistaOrLater => "Windows Vista or later",
            Self::Unknown => "unknown Windows version",
        }
    }
}

/// What the hive says about its OS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OsInfo {
    /// The OS family, from the version and product name.
    pub family: OsFamily,
    /// A readable name, e.g. `Microsoft Windows XP Service Pack 3 (5.1, build 2600)`.
    pub description: String,
    /// `CurrentVersion` (`5.1` …).
    pub current_version: Option<String>,
    /// `ProductName`.
    pub product_name: Option<String>,
    /// `CurrentBuildNumber` (or `CurrentBuild`).
    pub build: Option<String>,
    /// `CSDVersion` (the service pack).
    pub csd_version: Option<String>,
    /// Set when the family could not be told (key or values missing).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

fn text(data: &ValueData) -> Option<String> {
    match data {
        ValueData::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        ValueData::Dword(d) => Some(d.to_string()),
        _ => None,
    }
}

/// Maps `CurrentVersion` (and `CurrentMajorVersionNumber` where present) to a family.
pub fn family_of(current_version: &str, major_number: Option<u32>) -> OsFamily {
    if let Some(major) = major_number {
        if major >= 6 {
            return OsFamily::VistaOrLater;
        }
    }
    let mut parts = current_version.trim().split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
    match (major, minor) {
        (Some(5), Some(0)) => OsFamily::Windows2000,
        (Some(5), Some(1)) => OsFamily::WindowsXp,
        (Some(5), Some(2)) => OsFamily::Server2003,
        (Some(m), _) if m >= 6 => OsFamily::VistaOrLater,
        _ => OsFamily::Unknown,
    }
}

/// Reads the OS identity of a SOFTWARE hive. Missing values are said plainly
/// in `note`, never guessed.
pub fn identify(view: &dyn RegistryView) -> Result<OsInfo, RegistryError> {
    let key = view.key(CURRENT_VERSION_KEY)?;
    if let Some(Err(d)) = key.as_ref().map(|k| k.value_read("CurrentVersion")) {
        // Damaged where the version is stored: not "unknown", unreadable.
        if !d.uncovered {
            let why = format!("{CURRENT_VERSION_KEY}: {}", d.reason);
            return Err(RegistryError::Corrupt(why));
        }
    }
    let get = |name: &str| {
        key.as_ref()
            .and_then(|k| k.value(name))
            .and_then(|v| text(&v.data))
    };
    let current_version = get("CurrentVersion");
    let product_name = get("ProductName");
    let build = get("CurrentBuildNumber").or_else(|| get("CurrentBuild"));
    let csd_version = get("CSDVersion");
    let major_number = key
        .as_ref()
        .and_then(|k| k.value("CurrentMajorVersionNumber"))
        .and_then(|v| match v.data {
            ValueData::Dword(d) => Some(d),
            _ => None,
        });
    let family = current_version
        .as_deref()
        .map(|v| family_of(v, major_number))
        .unwrap_or(OsFamily::Unknown);
    let note = match (&key, &current_version, family) {
        (None, _, _) => Some(format!(
            "the key {CURRENT_VERSION_KEY} is absent: the OS version is unknown"
        )),
        (Some(_), None, _) => Some(format!(
            "{CURRENT_VERSION_KEY} has no CurrentVersion value: the OS version is unknown"
        )),
        (Some(_), Some(v), OsFamily::Unknown) => Some(format!(
            "CurrentVersion {v:?} is not a Windows version this tool knows"
        )),
        _ => None,
    };
    let mut description = product_name
        .clone()
        .unwrap_or_else(|| family.describe().to_string());
    if let Some(sp) = &csd_version {
        description.push(' ');
        description.push_str(sp);
    }
    let mut detail = Vec::new();
    if let Some(v) = &current_version {
        detail.push(v.clone());
    }
    if let Some(b) = &build {
        detail.push(format!("build {b}"));
    }
    if !detail.is_empty() {
        description.push_str(&format!(" ({})", detail.join(", ")));
    }
    Ok(OsInfo {
        family,
        description,
        current_version,
        product_name,
        build,
        csd_version,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_from_versions() {
        assert_eq!(family_of("5.0", None), OsFamily::Windows2000);
        assert_eq!(family_of("5.1", None), OsFamily::WindowsXp);
        assert_eq!(family_of("5.2", None), OsFamily::Server2003);
        assert_eq!(family_of("6.0", None), OsFamily::VistaOrLater);
        assert_eq!(family_of("6.3", Some(10)), OsFamily::VistaOrLater);
        assert_eq!(family_of("garbage", None), OsFamily::Unknown);
        assert_eq!(family_of("4.0", None), OsFamily::Unknown);
    }
}
