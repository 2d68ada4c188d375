//! Registry value types and decoded data, shared by every reader.

use serde::{Deserialize, Serialize};

/// A registry value type. The raw type number is always kept (`raw()`), so types
/// outside the documented range survive a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// `REG_NONE` (0).
    None,
    /// `REG_SZ` (1): a string.
    Sz,
    /// `REG_EXPAND_SZ` (2): a string with `%VARIABLES%`.
    ExpandSz,
    /// `REG_BINARY` (3).
    Binary,
    /// `REG_DWORD` (4): a little-endian 32-bit number.
    Dword,
    /// `REG_DWORD_BIG_ENDIAN` (5).
    DwordBigEndian,
    /// `REG_LINK` (6).
    Link,
    /// `REG_MULTI_SZ` (7): a list of strings.
    MultiSz,
    /// `REG_RESOURCE_LIST` (8).
    ResourceList,
    /// `REG_FULL_RESOURCE_DESCRIPTOR` (9).
    FullResourceDescriptor,
    /// `REG_RESOURCE_REQUIREMENTS_LIST` (10).
    ResourceRequirementsList,
    /// `REG_QWORD` (11): a little-endian 64-bit number.
    Qword,
    /// Any other type number.
    Other(u32),
}

impl ValueType {
    /// The type of a type number; unknown numbers are kept as `Other`.
    pub fn from_raw(raw: u32) -> Self {
        match raw {
            0 => Self::None,
            1 => Self::Sz,
            2 => Self::ExpandSz,
            3 => Self::Binary,
            4 => Self::Dword,
            5 => Self::DwordBigEndian,
            6 => Self::Link,
            7 => Self::MultiSz,
            8 => Self::ResourceList,
            9 => Self::FullResourceDescriptor,
            10 => Self::ResourceRequirementsList,
            11 => Self::Qword,
            other => Self::Other(other),
        }
    }

    /// The type number as stored.
    pub fn raw(self) -> u32 {
        match self {
            Self::None => 0,
            Self::Sz => 1,
            Self::ExpandSz => 2,
            Self::Binary => 3,
            Self::Dword => 4,
            Self::DwordBigEndian => 5,
            Self::Link => 6,
            Self::MultiSz => 7,
            Self::ResourceList => 8,
            Self::FullResourceDescriptor => 9,
            Self::ResourceRequirementsList => 10,
            Self::Qword => 11,
            Self::Other(n) => n,
        }
    }

    /// The name `reg query` prints (`REG_SZ`, `REG_DWORD`, …); unknown types as `REG_0xN`.
    pub fn name(self) -> String {
        let s = match self {
            Self::None => "REG_NONE",
            Self::Sz => "REG_SZ",
            Self::ExpandSz => "REG_EXPAND_SZ",
            Self::Binary => "REG_BINARY",
            Self::Dword => "REG_DWORD",
            Self::DwordBigEndian => "REG_DWORD_BIG_ENDIAN",
            Self::Link => "REG_LINK",
            Self::MultiSz => "REG_MULTI_SZ",
            Self::ResourceList => "REG_RESOURCE_LIST",
            Self::FullResourceDescriptor => "REG_FULL_RESOURCE_DESCRIPTOR",
            Self::ResourceRequirementsList => "REG_RESOURCE_REQUIREMENTS_LIST",
            Self::Qword => "REG_QWORD",
            Self::Other(n) => return format!("REG_0x{n:X}"),
        };
        s.to_string()
    }

    /// True for `REG_SZ` and `REG_EXPAND_SZ`.
    pub fn is_string(self) -> bool {
        matches!(self, Self::Sz | Self::ExpandSz)
    }

    /// The type a name (`REG_SZ`, any case) stands for; `None` for names
    /// that are not one of the twelve documented value types.
    pub fn from_name(name: &str) -> Option<Self> {
        (0..=11)
            .map(Self::from_raw)
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }
}

impl Serialize for ValueType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for ValueType {
    /// A documented type's name (`REG_DWORD`, any case), or `REG_0xN` as
    /// [`ValueType::name`] writes other type numbers.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let other = s
            .strip_prefix("REG_0x")
            .and_then(|n| u32::from_str_radix(n, 16).ok())
            .filter(|n| *n > 11);
        Self::from_name(&s)
            .or(other.map(Self::Other))
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown value type {s:?} (REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_QWORD, …)"
                ))
            })
    }
}

/// Value data decoded according to its type. Strings are decoded from UTF-16LE
/// (binary hives, v5 exports) or from the export's code page (REGEDIT4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ValueData {
    /// A `REG_SZ` or `REG_EXPAND_SZ` string.
    String(String),
    /// A `REG_MULTI_SZ` list.
    MultiString(Vec<String>),
    /// A `REG_DWORD` number.
    Dword(u32),
    /// A `REG_QWORD` number.
    Qword(u64),
    /// Anything else, or data that does not fit its type (kept as bytes).
    Bytes(#[serde(serialize_with = "hex_bytes")] Vec<u8>),
}

fn hex_bytes<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&to_hex(b))
}

/// Lower-case hex, comma separated, as `reg` exports print binary data.
pub fn to_hex(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() * 3);
    for (i, byte) in b.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

impl ValueData {
    /// Decodes `raw` as a value of type `ty` stored as UTF-16LE (the on-disk form).
    pub fn decode_utf16(ty: ValueType, raw: &[u8]) -> Self {
        match ty {
            ValueType::Sz | ValueType::ExpandSz | ValueType::Link => {
                Self::String(utf16_until_nul(raw))
            }
            ValueType::MultiSz => Self::MultiString(multi_sz_utf16(raw)),
            ValueType::Dword if raw.len() == 4 => {
                Self::Dword(u32::from_le_bytes(raw.try_into().unwrap()))
            }
            ValueType::DwordBigEndian if raw.len() == 4 => {
                Self::Dword(u32::from_be_bytes(raw.try_into().unwrap()))
            }
            ValueType::Qword if raw.len() == 8 => {
                Self::Qword(u64::from_le_bytes(raw.try_into().unwrap()))
            }
            _ => Self::Bytes(raw.to_vec()),
        }
    }

    /// A one-line rendering for people: strings as they are, DWORDs as
    /// `0x00000258 (600)`, multi-strings joined with `\0`, bytes as hex.
    pub fn display(&self) -> String {
        match self {
            Self::String(s) => s.clone(),
            Self::MultiString(v) => v.join("\\0"),
            Self::Dword(d) => format!("0x{d:08x} ({d})"),
            Self::Qword(q) => format!("0x{q:016x} ({q})"),
            Self::Bytes(b) => to_hex(b),
        }
    }
}

fn utf16_units(raw: &[u8]) -> impl Iterator<Item = u16> + '_ {
    raw.chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
}

/// UTF-16LE to a String, stopping at the first NUL (strings are often stored
/// NUL-terminated, sometimes with garbage after the terminator).
pub fn utf16_until_nul(raw: &[u8]) -> String {
    let units: Vec<u16> = utf16_units(raw).take_while(|&u| u != 0).collect();
    String::from_utf16_lossy(&units)
}

/// REG_MULTI_SZ: NUL-separated UTF-16LE strings ending with an empty string.
pub fn multi_sz_utf16(raw: &[u8]) -> Vec<String> {
    let units: Vec<u16> = utf16_units(raw).collect();
    let mut out = Vec::new();
    for part in units.split(|&u| u == 0) {
        if part.is_empty() {
            break;
        }
        out.push(String::from_utf16_lossy(part));
    }
    out
}

/// One value of a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Value {
    /// The value's name; the empty string is the key's default value (`@`).
    pub name: String,
    /// The type the raw type number stands for.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// The raw type number, as stored.
    pub raw_type: u32,
    /// The raw data bytes (UTF-16LE for strings, as in a binary hive).
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// The data, decoded by type where it can be.
    pub data: ValueData,
}

impl Value {
    /// Builds a value from its on-disk form (raw type number and bytes).
    pub fn from_raw(name: String, raw_type: u32, raw: Vec<u8>) -> Self {
        let ty = ValueType::from_raw(raw_type);
        let data = ValueData::decode_utf16(ty, &raw);
        Self {
            name,
            ty,
            raw_type,
            raw,
            data,
        }
    }
}
