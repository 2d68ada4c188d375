//! Evaluating one registry check of a rule against a hive.

use crate::finding::TypedData;
use crate::registry::view::eq_ignore_case;
use crate::registry::{Key, RegistryError, RegistryView, Value, ValueData, ValueType};
use crate::rules::spec::{Check, Data, Expect};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Missing,
    WrongType,
    WrongData,
    /// Its `when` condition does not hold: the check does not apply.
    Skipped,
}

impl Status {
    /// The name used in reports (`missing`, `wrong-type`, `wrong-data`).
    pub fn problem(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::WrongType => "wrong-type",
            Self::WrongData => "wrong-data",
            Self::Ok => "ok",
            Self::Skipped => "skipped",
        }
    }
}

/// One check's outcome, with what was expected and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The value's name, or `(key)` for checks on a key's existence.
    pub value: String,
    /// The key, hive-relative (below the control set for SYSTEM).
    pub key: String,
    pub status: Status,
    pub expected: TypedData,
    pub actual: Option<TypedData>,
    pub note: Option<String>,
}

/// `REG_SZ` → 1 …; `None` for names that are not value types.
pub fn type_number(name: &str) -> Option<u32> {
    (0..=11).find(|n| ValueType::from_raw(*n).name().eq_ignore_ascii_case(name))
}

fn inferred_type(data: &Data) -> &'static str {
    match data {
        Data::Number(n) if *n > u32::MAX as u64 => "REG_QWORD",
        Data::Number(_) => "REG_DWORD",
        Data::Text(_) => "REG_SZ",
    }
}

/// What a check expects, in the report's words.
fn expected(check: &Check) -> TypedData {
    let first = check.types.first().cloned();
    let e = &check.expect;
    let (ty, data) = if let Some(d) = &e.equals {
        (
            first.unwrap_or_else(|| inferred_type(d).into()),
            d.to_string(),
        )
    } else if let Some(d) = &e.not {
        (
            first.unwrap_or_else(|| inferred_type(d).into()),
            format!("not {d}"),
        )
    } else if let Some(s) = &e.contains {
        (
            first.unwrap_or_else(|| "REG_MULTI_SZ".into()),
            format!("contains {s}"),
        )
    } else if e.present == Some(false) {
        (first.unwrap_or_default(), "absent".into())
    } else if check.value.is_none() {
        ("key".into(), "present".into())
    } else {
        (first.unwrap_or_default(), "present".into())
    };
    TypedData { ty, data }
}

fn actual(v: &Value) -> TypedData {
    let data = match &v.data {
        ValueData::Dword(d) => format!("0x{d:08x}"),
        other => other.display(),
    };
    TypedData {
        ty: v.ty.name(),
        data,
    }
}

fn number(v: &Value) -> Option<u64> {
    match v.data {
        ValueData::Dword(d) => Some(d as u64),
        ValueData::Qword(q) => Some(q),
        _ => None,
    }
}

/// Does the value hold `data`? `None` when the value's kind cannot hold it.
fn holds(v: &Value, data: &Data) -> Option<bool> {
    match (data, &v.data) {
        (Data::Number(n), _) => number(v).map(|got| got == *n),
        (Data::Text(s), ValueData::String(got)) => Some(eq_ignore_case(got, s)),
        (Data::Text(_), _) => None,
    }
}

fn type_ok(check: &Check, v: &Value) -> bool {
    check.types.is_empty()
        || check
            .types
            .iter()
            .any(|t| type_number(t) == Some(v.raw_type))
}

/// Evaluates a value check on a key that exists, or is absent (`key` None).
pub fn value_status<'k>(check: &Check, key: Option<&'k Key>) -> (Status, Option<&'k Value>) {
    let name = check.value.as_deref().unwrap_or_default();
    let v = key.and_then(|k| k.value(name));
    let e: &Expect = &check.expect;
    let Some(v) = v else {
        let absent_ok = e.not.is_some() || e.present == Some(false);
        return (
            if absent_ok {
                Status::Ok
            } else {
                Status::Missing
            },
            None,
        );
    };
    if e.present == Some(false) {
        return (Status::WrongData, Some(v));
    }
    if e.not.is_none() && !type_ok(check, v) {
        return (Status::WrongType, Some(v));
    }
    let status = if let Some(d) = &e.equals {
        match holds(v, d) {
            Some(true) => Status::Ok,
            Some(false) => Status::WrongData,
            None => Status::WrongType,
        }
    } else if let Some(d) = &e.not {
        if holds(v, d) == Some(true) {
            Status::WrongData
        } else {
            Status::Ok
        }
    } else if let Some(s) = &e.contains {
        match &v.data {
            ValueData::MultiString(items) if items.iter().any(|i| eq_ignore_case(i, s)) => {
                Status::Ok
            }
            ValueData::MultiString(_) => Status::WrongData,
            _ => Status::WrongType,
        }
    } else {
        Status::Ok
    };
    (status, Some(v))
}

/// Evaluates one check. `key_path` is the resolved, hive-relative key;
/// `prefix` is prepended to paths read from the view (a SYSTEM hive's control set).
pub fn evaluate(
    check: &Check,
    key_path: &str,
    view: &dyn RegistryView,
    prefix: &str,
) -> Result<Outcome, RegistryError> {
    let full = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}\\{k}")
        }
    };
    let key = view.key(&full(key_path))?;
    let mut out = Outcome {
        value: check.value.clone().unwrap_or_else(|| "(key)".into()),
        key: key_path.to_string(),
        status: Status::Ok,
        expected: expected(check),
        actual: None,
        note: None,
    };
    if let Some(when) = &check.when {
        let wkey = match &when.key {
            Some(k) => view.key(&full(k))?,
            None => key.clone(),
        };
        let applies = wkey
            .as_ref()
            .and_then(|k| k.value(&when.value))
            .and_then(|v| holds(v, &when.equals))
            .unwrap_or(false);
        if !applies {
            out.status = Status::Skipped;
            return Ok(out);
        }
    }
    if check.value.is_none() {
        let want = check.expect.present.unwrap_or(true);
        out.status = match (key.is_some(), want) {
            (true, true) | (false, false) => Status::Ok,
            (false, true) => Status::Missing,
            (true, false) => Status::WrongData,
        };
        if key.is_some() {
            out.actual = Some(TypedData {
                ty: "key".into(),
                data: "present".into(),
            });
        }
        return Ok(out);
    }
    let (status, v) = value_status(check, key.as_ref());
    out.status = status;
    out.actual = v.map(actual);
    if let (Status::Ok, Some(v), Some(first)) = (status, v, check.types.first()) {
        if type_number(first) != Some(v.raw_type) {
            if let Some(note) = &check.accepted_note {
                out.note = Some(format!(
                    "{} instead of {first}: {note}, accepted",
                    v.ty.name()
                ));
            }
        }
    }
    Ok(out)
}
