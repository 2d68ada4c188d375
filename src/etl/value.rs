//! A decoded TraceLogging field value.

use std::fmt;

use super::bytes::Guid;

/// A field's value, by its TraceLogging type.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A field of type NULL (no data).
    Null,
    /// A string (UTF-16, ANSI or counted), as text.
    Str(String),
    /// A signed integer (8 to 64 bits).
    Int(i64),
    /// An unsigned integer (8 to 64 bits).
    UInt(u64),
    /// A pointer or a value shown in hexadecimal (HEXINT32/64, POINTER).
    Hex(u64),
    /// A floating-point number (32 or 64 bits).
    Float(f64),
    /// A 32-bit boolean.
    Bool(bool),
    /// A GUID.
    Guid(Guid),
    /// A FILETIME, as stored (100 ns ticks since 1601).
    FileTime(u64),
    /// Binary data, SIDs and SYSTEMTIMEs: only their size is kept.
    Binary(usize),
    /// The elements of an array field.
    Array(Vec<FieldValue>),
}

impl FieldValue {
    /// The text of a string value; `None` for other types.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Null => f.write_str("null"),
            FieldValue::Str(s) => f.write_str(s),
            FieldValue::Int(v) => write!(f, "{v}"),
            FieldValue::UInt(v) => write!(f, "{v}"),
            FieldValue::Hex(v) => write!(f, "{v:#x}"),
            FieldValue::Float(v) => write!(f, "{v}"),
            FieldValue::Bool(v) => write!(f, "{v}"),
            FieldValue::Guid(g) => write!(f, "{{{g}}}"),
            FieldValue::FileTime(v) => write!(f, "filetime:{v}"),
            FieldValue::Binary(n) => write!(f, "<{n} bytes>"),
            FieldValue::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
        }
    }
}
