//! A decoded TraceLogging field value.

use std::fmt;

use super::bytes::Guid;

/// A field's value, by its TraceLogging type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
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
    Array(Vec<Value>),
}

impl Value {
    /// The text of a string value; `None` for other types.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Str(s) => f.write_str(s),
            Value::Int(v) => write!(f, "{v}"),
            Value::UInt(v) => write!(f, "{v}"),
            Value::Hex(v) => write!(f, "{v:#x}"),
            Value::Float(v) => write!(f, "{v}"),
            Value::Bool(v) => write!(f, "{v}"),
            Value::Guid(g) => write!(f, "{{{g}}}"),
            Value::FileTime(v) => write!(f, "filetime:{v}"),
            Value::Binary(n) => write!(f, "<{n} bytes>"),
            Value::Array(items) => {
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
