//! The values a rule file writes: hive names, error codes and registry data.

use std::fmt;

use serde::{Deserialize, Deserializer};

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
