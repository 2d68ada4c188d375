//! A decoded TraceLogging field value.

use std::fmt;

use super::bytes::Guid;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Int(i64),
    UInt(u64),
    Hex(u64),
    Float(f64),
    Bool(bool),
    Guid(Guid),
    FileTime(u64),
    /// Binary data, SIDs and SYSTEMTIMEs: only their size is kept.
    Binary(usize),
    Array(Vec<Value>),
}

impl Value {
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
