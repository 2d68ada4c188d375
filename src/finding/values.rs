//! The values of a registry finding: what a check expected and found, and
//! what is wrong with it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::registry::value::ValueType;

/// What is wrong with a registry value (or key), or why it could not be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// Absent where it should be present.
    Missing,
    /// Present, of a type the check does not accept.
    WrongType,
    /// Present, with data the check does not accept.
    WrongData,
    /// The input is damaged where the check looks (with a reason).
    Unreadable,
    /// The evidence does not cover it, e.g. an export without that key (with a reason).
    NotInEvidence,
}

impl Problem {
    /// The problem as written in reports (`missing`, `wrong-type`, `wrong-data`,
    /// `unreadable`, `not-in-evidence`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::WrongType => "wrong-type",
            Self::WrongData => "wrong-data",
            Self::Unreadable => "unreadable",
            Self::NotInEvidence => "not-in-evidence",
        }
    }

    /// True when the value could not be judged (`unreadable`, `not-in-evidence`).
    pub fn is_unjudged(self) -> bool {
        matches!(self, Self::Unreadable | Self::NotInEvidence)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What [`TypedData`] is the type of: a registry value of some type, a key,
/// or a value whose type the check does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// A value of this type (written `REG_SZ`, `REG_DWORD`, …).
    Value(ValueType),
    /// A key (written `key`).
    Key,
    /// A value of any type (written as an empty string).
    Any,
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(t) => f.pad(&t.name()),
            Self::Key => f.pad("key"),
            Self::Any => f.pad(""),
        }
    }
}

impl Serialize for DataType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DataType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "key" => Ok(Self::Key),
            "" => Ok(Self::Any),
            _ => {
                let v = serde::de::value::StrDeserializer::<D::Error>::new(&s);
                ValueType::deserialize(v).map(Self::Value)
            }
        }
    }
}

/// Type and data of a registry value, as expected or as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedData {
    /// The value type (`REG_SZ`, `REG_DWORD`, …), or `key`.
    #[serde(rename = "type")]
    pub ty: DataType,
    /// The data, in the report's words (`0x00000001`, a string).
    pub data: String,
}

/// One registry value that is not as it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueProblem {
    /// The value's name (`(key)` for checks on the key itself).
    pub value: String,
    /// The key, when it is not the finding's `registry.key` (`SYSTEM\Services\BITS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What is wrong, or why it could not be judged (then with `reason`).
    pub problem: Problem,
    /// Why the value could not be judged (with `unreadable` or `not-in-evidence`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the rule expects.
    pub expected: TypedData,
    /// What the evidence holds; `None` when the value is missing.
    pub actual: Option<TypedData>,
}
