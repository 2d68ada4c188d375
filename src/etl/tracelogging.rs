//! TraceLogging: the event's self-description (extended item 11), the
//! provider name (item 12), and decoding of the payload by field types.

use super::bytes::{cstr, u16_at, u32_at, u64_at, u8_at, utf16, wstr, Guid};
use super::value::FieldValue;

/// Extended item types.
pub const EXT_EVENT_SCHEMA_TL: u16 = 11;
pub const EXT_PROV_TRAITS: u16 = 12;

/// Field count flags of an InType (0x40: the count is in the payload).
const COUNT_MASK: u8 = 0x60;
const CCOUNT: u8 = 0x20;
const CUSTOM: u8 = 0x60;
const CHAIN: u8 = 0x80;
const STRUCT: u8 = 24;

/// Why a payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The event carries no TraceLogging metadata (extended item 11).
    #[error("no TraceLogging metadata")]
    NoMetadata,
    /// The metadata cannot be parsed.
    #[error("metadata is malformed")]
    BadMetadata,
    /// The named field runs past the end of the payload.
    #[error("field `{0}` runs past the end of the payload")]
    Short(String),
    /// A field of a type not decoded.
    #[error("field `{field}` has type {in_type:#x}, which is not decoded")]
    Unsupported {
        /// The field's name.
        field: String,
        /// Its TraceLogging InType.
        in_type: u8,
    },
}

/// One field of the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMeta {
    pub name: String,
    pub in_type: u8,
    /// STRUCT: the number of fields it groups (they follow it).
    pub out_type: u8,
    /// CCOUNT: the element count.
    pub count: u16,
}

/// The event name and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    pub name: String,
    pub fields: Vec<FieldMeta>,
}

/// Skips chained tag bytes (high bit set: another follows), at most 4.
fn skip_tags(b: &[u8], mut at: usize) -> Option<usize> {
    for _ in 0..4 {
        let t = u8_at(b, at)?;
        at += 1;
        if t & 0x80 == 0 {
            break;
        }
    }
    Some(at)
}

/// Parses item 11: u16 size, tags, NUL-terminated name, then fields.
pub fn parse_meta(item: &[u8]) -> Result<EventMeta, DecodeError> {
    let bad = || DecodeError::BadMetadata;
    let size = (u16_at(item, 0).ok_or_else(bad)? as usize).min(item.len());
    let m = &item[..size];
    let mut at = skip_tags(m, 2).ok_or_else(bad)?;
    let (name, n) = cstr(m.get(at..).ok_or_else(bad)?).ok_or_else(bad)?;
    at += n;
    let mut fields = Vec::new();
    while at < m.len() {
        let (fname, n) = cstr(&m[at..]).ok_or_else(bad)?;
        at += n;
        let in_type = u8_at(m, at).ok_or_else(bad)?;
        at += 1;
        let mut out_type = 0;
        if in_type & CHAIN != 0 {
            out_type = u8_at(m, at).ok_or_else(bad)?;
            at += 1;
            if out_type & CHAIN != 0 {
                at = skip_tags(m, at).ok_or_else(bad)?;
            }
        }
        let mut count = 0;
        match in_type & COUNT_MASK {
            CCOUNT => {
                count = u16_at(m, at).ok_or_else(bad)?;
                at += 2;
            }
            CUSTOM => {
                let n = u16_at(m, at).ok_or_else(bad)? as usize;
                at += 2 + n;
            }
            _ => {}
        }
        fields.push(FieldMeta {
            name: String::from_utf8_lossy(fname).into_owned(),
            in_type,
            out_type: out_type & 0x7F,
            count,
        });
    }
    Ok(EventMeta {
        name: String::from_utf8_lossy(name).into_owned(),
        fields,
    })
}

/// Parses item 12: u16 size, NUL-terminated provider name, traits.
pub fn parse_provider(item: &[u8]) -> Option<String> {
    let (name, _) = cstr(item.get(2..)?)?;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// Decodes `payload` by `meta`: (name, value) per field, structs flattened
/// as `struct.field`.
pub fn decode(
    meta: &EventMeta,
    payload: &[u8],
    ptr32: bool,
) -> Result<Vec<(String, FieldValue)>, DecodeError> {
    let mut out = Vec::with_capacity(meta.fields.len());
    let mut at = 0usize;
    for f in &meta.fields {
        let base = f.in_type & 0x1F;
        if base == STRUCT {
            if f.in_type & COUNT_MASK != 0 {
                return Err(DecodeError::Unsupported {
                    field: f.name.clone(),
                    in_type: f.in_type,
                });
            }
            continue;
        }
        let short = || DecodeError::Short(f.name.clone());
        let value = match f.in_type & COUNT_MASK {
            0 => {
                let (v, n) = scalar(base, &payload[at.min(payload.len())..], ptr32, &f.name)?;
                at += n;
                v
            }
            CUSTOM => {
                let n = u16_at(payload, at).ok_or_else(short)? as usize;
                at += 2 + n;
                FieldValue::Binary(n)
            }
            flag => {
                let count = if flag == CCOUNT {
                    f.count
                } else {
                    let c = u16_at(payload, at).ok_or_else(short)?;
                    at += 2;
                    c
                };
                let mut items = Vec::with_capacity(count.min(64) as usize);
                for _ in 0..count {
                    let (v, n) =
                        scalar(base, payload.get(at..).ok_or_else(short)?, ptr32, &f.name)?;
                    at += n;
                    items.push(v);
                }
                FieldValue::Array(items)
            }
        };
        if at > payload.len() {
            return Err(short());
        }
        out.push((f.name.clone(), value));
    }
    Ok(out)
}

/// One value of base type `t` at the start of `b`: (value, bytes used).
fn scalar(t: u8, b: &[u8], ptr32: bool, name: &str) -> Result<(FieldValue, usize), DecodeError> {
    let short = || DecodeError::Short(name.to_string());
    let fixed = |n: usize| b.get(..n).ok_or_else(short);
    Ok(match t {
        0 => (FieldValue::Null, 0),
        1 => {
            let (s, n) = wstr(b).ok_or_else(short)?;
            (FieldValue::Str(s), n)
        }
        2 => {
            let (s, n) = cstr(b).ok_or_else(short)?;
            (FieldValue::Str(String::from_utf8_lossy(s).into_owned()), n)
        }
        3 => (FieldValue::Int(fixed(1)?[0] as i8 as i64), 1),
        4 => (FieldValue::UInt(fixed(1)?[0] as u64), 1),
        5 => (
            FieldValue::Int(u16_at(b, 0).ok_or_else(short)? as i16 as i64),
            2,
        ),
        6 => (FieldValue::UInt(u16_at(b, 0).ok_or_else(short)? as u64), 2),
        7 => (
            FieldValue::Int(u32_at(b, 0).ok_or_else(short)? as i32 as i64),
            4,
        ),
        8 => (FieldValue::UInt(u32_at(b, 0).ok_or_else(short)? as u64), 4),
        9 => (FieldValue::Int(u64_at(b, 0).ok_or_else(short)? as i64), 8),
        10 => (FieldValue::UInt(u64_at(b, 0).ok_or_else(short)?), 8),
        11 => {
            let v = f32::from_bits(u32_at(b, 0).ok_or_else(short)?);
            (FieldValue::Float(v as f64), 4)
        }
        12 => (
            FieldValue::Float(f64::from_bits(u64_at(b, 0).ok_or_else(short)?)),
            8,
        ),
        13 => (FieldValue::Bool(u32_at(b, 0).ok_or_else(short)? != 0), 4),
        14 | 25 => {
            let n = u16_at(b, 0).ok_or_else(short)? as usize;
            fixed(2 + n)?;
            (FieldValue::Binary(n), 2 + n)
        }
        15 => (FieldValue::Guid(Guid::at(b, 0).ok_or_else(short)?), 16),
        16 if ptr32 => (FieldValue::Hex(u32_at(b, 0).ok_or_else(short)? as u64), 4),
        16 | 21 => (FieldValue::Hex(u64_at(b, 0).ok_or_else(short)?), 8),
        17 => (FieldValue::FileTime(u64_at(b, 0).ok_or_else(short)?), 8),
        18 => (FieldValue::Binary(16), fixed(16)?.len()),
        19 => {
            let n = 8 + 4 * u8_at(b, 1).ok_or_else(short)? as usize;
            fixed(n)?;
            (FieldValue::Binary(n), n)
        }
        20 => (FieldValue::Hex(u32_at(b, 0).ok_or_else(short)? as u64), 4),
        22 => {
            let n = u16_at(b, 0).ok_or_else(short)? as usize;
            (
                FieldValue::Str(utf16(fixed(2 + n)?.get(2..).unwrap_or_default())),
                2 + n,
            )
        }
        23 => {
            let n = u16_at(b, 0).ok_or_else(short)? as usize;
            let s = fixed(2 + n)?.get(2..).unwrap_or_default();
            (
                FieldValue::Str(String::from_utf8_lossy(s).into_owned()),
                2 + n,
            )
        }
        _ => {
            return Err(DecodeError::Unsupported {
                field: name.to_string(),
                in_type: t,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(name: &str, fields: &[(&str, &[u8])]) -> Vec<u8> {
        let mut m = vec![0, 0, 0];
        m.extend_from_slice(name.as_bytes());
        m.push(0);
        for (n, types) in fields {
            m.extend_from_slice(n.as_bytes());
            m.push(0);
            m.extend_from_slice(types);
        }
        let len = m.len() as u16;
        m[..2].copy_from_slice(&len.to_le_bytes());
        m
    }

    #[test]
    fn strings_ints_guids_arrays() {
        let m = meta(
            "Agent",
            &[
                ("Info", &[1]),
                ("n", &[7]),
                ("g", &[15]),
                ("a", &[0xC6, 0x02]),
                ("c", &[0x28, 2, 0]),
            ],
        );
        let meta = parse_meta(&m).unwrap();
        assert_eq!(meta.name, "Agent");
        assert_eq!(meta.fields.len(), 5);
        let mut p: Vec<u8> = "hé".encode_utf16().flat_map(u16::to_le_bytes).collect();
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(&(-5i32).to_le_bytes());
        p.extend_from_slice(&[7; 16]);
        p.extend_from_slice(&[2, 0, 1, 0, 2, 0]);
        p.extend_from_slice(&[9, 0, 0, 0, 10, 0, 0, 0]);
        let v = decode(&meta, &p, false).unwrap();
        assert_eq!(v[0], ("Info".into(), FieldValue::Str("hé".into())));
        assert_eq!(v[1].1, FieldValue::Int(-5));
        assert_eq!(v[2].1, FieldValue::Guid(Guid([7; 16])));
        assert_eq!(
            v[3].1,
            FieldValue::Array(vec![FieldValue::UInt(1), FieldValue::UInt(2)])
        );
        assert_eq!(
            v[4].1,
            FieldValue::Array(vec![FieldValue::UInt(9), FieldValue::UInt(10)])
        );
        assert!(matches!(
            decode(&meta, &p[..p.len() - 1], false),
            Err(DecodeError::Short(f)) if f == "c"
        ));
    }

    #[test]
    fn bad_metadata_and_unknown_types() {
        assert_eq!(parse_meta(&[]), Err(DecodeError::BadMetadata));
        assert_eq!(parse_meta(&[9, 0, 0, b'x']), Err(DecodeError::BadMetadata));
        let meta = parse_meta(&meta("E", &[("z", &[30])])).unwrap();
        assert!(matches!(
            decode(&meta, &[0; 8], false),
            Err(DecodeError::Unsupported { in_type: 30, .. })
        ));
    }
}
