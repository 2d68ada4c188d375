//! Evaluating one registry check of a rule against a hive.

use crate::finding::{DataType, Problem, TypedData};
use crate::registry::value::ValueType;
use crate::registry::view::eq_ignore_case;
use crate::registry::{Key, RegistryView, Value, ValueData};
use crate::rules::spec::{Check, Data, Expect};

/// How a value or key deviates from what the check expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deviation {
    Missing,
    WrongType,
    WrongData,
}

impl Deviation {
    pub const ALL: [Deviation; 3] = [Self::Missing, Self::WrongType, Self::WrongData];

    /// The problem a report names.
    pub fn problem(self) -> Problem {
        match self {
            Self::Missing => Problem::Missing,
            Self::WrongType => Problem::WrongType,
            Self::WrongData => Problem::WrongData,
        }
    }

    /// The words used in summaries (`missing`, `of the wrong type` …).
    pub fn words(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::WrongType => "of the wrong type",
            Self::WrongData => "with wrong data",
        }
    }
}

/// How a check came out. Every check ends in exactly one of these; a check
/// that could not be judged is never `Ok`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Read, and as expected.
    Ok,
    /// Read, and not as expected.
    Deviates(Deviation),
    /// The evidence is damaged where the check looks (parser error, cell out
    /// of range, bad signature): the reason names what failed.
    Unreadable(String),
    /// The evidence does not cover what the check needs (an export without
    /// that key); nothing is wrong with the input itself.
    NotInEvidence(String),
    /// Its `when` condition does not hold: the check does not apply.
    Skipped,
}

impl Status {
    /// The problem a report names; `None` for a check that passed or did not apply.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            Self::Deviates(d) => Some(d.problem()),
            Self::Ok | Self::Skipped => None,
            Self::Unreadable(_) => Some(Problem::Unreadable),
            Self::NotInEvidence(_) => Some(Problem::NotInEvidence),
        }
    }

    /// Why the check could not be judged, if it could not.
    pub fn unjudged(&self) -> Option<&str> {
        match self {
            Self::Unreadable(r) | Self::NotInEvidence(r) => Some(r),
            _ => None,
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

fn inferred_type(data: &Data) -> DataType {
    DataType::Value(match data {
        Data::Number(n) if *n > u32::MAX as u64 => ValueType::Qword,
        Data::Number(_) => ValueType::Dword,
        Data::Text(_) => ValueType::Sz,
    })
}

/// What a check expects, in the report's words.
fn expected(check: &Check) -> TypedData {
    let first = check.types.first().copied().map(DataType::Value);
    let (ty, data) = match &check.expect {
        Expect::Equals(d) => (first.unwrap_or_else(|| inferred_type(d)), d.to_string()),
        Expect::Not(d) => (
            first.unwrap_or_else(|| inferred_type(d)),
            format!("not {d}"),
        ),
        Expect::Contains(s) => (
            first.unwrap_or(DataType::Value(ValueType::MultiSz)),
            format!("contains {s}"),
        ),
        Expect::Present(false) => (first.unwrap_or(DataType::Any), "absent".into()),
        Expect::Present(true) if check.value.is_none() => (DataType::Key, "present".into()),
        Expect::Present(true) => (first.unwrap_or(DataType::Any), "present".into()),
    };
    TypedData { ty, data }
}

fn actual(v: &Value) -> TypedData {
    let data = match &v.data {
        ValueData::Dword(d) => format!("0x{d:08x}"),
        other => other.display(),
    };
    TypedData {
        ty: DataType::Value(v.ty),
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
    check.types.is_empty() || check.types.iter().any(|t| t.raw() == v.raw_type)
}

/// Evaluates a value check on the value as read (`None`: absent).
pub fn value_status(check: &Check, v: Option<&Value>) -> Status {
    use Deviation::*;
    let Some(v) = v else {
        return match check.expect {
            Expect::Not(_) | Expect::Present(false) => Status::Ok,
            _ => Status::Deviates(Missing),
        };
    };
    match &check.expect {
        Expect::Present(false) => Status::Deviates(WrongData),
        // Any type may hold something other than `d`.
        Expect::Not(d) if holds(v, d) == Some(true) => Status::Deviates(WrongData),
        Expect::Not(_) => Status::Ok,
        _ if !type_ok(check, v) => Status::Deviates(WrongType),
        Expect::Equals(d) => match holds(v, d) {
            Some(true) => Status::Ok,
            Some(false) => Status::Deviates(WrongData),
            None => Status::Deviates(WrongType),
        },
        Expect::Contains(s) => match &v.data {
            ValueData::MultiString(items) if items.iter().any(|i| eq_ignore_case(i, s)) => {
                Status::Ok
            }
            ValueData::MultiString(_) => Status::Deviates(WrongData),
            _ => Status::Deviates(WrongType),
        },
        Expect::Present(true) => Status::Ok,
    }
}

/// A key as far as it could be read: `Ok(None)` when it is known to be
/// absent, `Err(status)` when that cannot be told.
fn read_key(view: &dyn RegistryView, full: &str, shown: &str) -> Result<Option<Key>, Status> {
    match view.key(full) {
        Ok(Some(k)) => Ok(Some(k)),
        Ok(None) => match view.absence_unknown(full) {
            Some(why) => Err(Status::NotInEvidence(why)),
            None => Ok(None),
        },
        Err(e) => Err(Status::Unreadable(format!("key {shown}: {e}"))),
    }
}

/// A value of a key as far as it could be read.
fn read_value<'k>(key: Option<&'k Key>, name: &str) -> Result<Option<&'k Value>, Status> {
    match key {
        None => Ok(None),
        Some(k) => k.value_read(name).map_err(|d| {
            let why = format!("{}: {}", k.path, d.reason);
            if d.uncovered {
                Status::NotInEvidence(why)
            } else {
                Status::Unreadable(why)
            }
        }),
    }
}

/// Does the check's `when` condition hold?
fn applies(
    when: &crate::rules::spec::When,
    key: Option<&Key>,
    view: &dyn RegistryView,
    full: &dyn Fn(&str) -> String,
) -> Result<bool, Status> {
    let owned;
    let wkey = match &when.key {
        Some(k) => {
            owned = read_key(view, &full(k), k)?;
            owned.as_ref()
        }
        None => key,
    };
    Ok(read_value(wkey, &when.value)?
        .and_then(|v| holds(v, &when.equals))
        .unwrap_or(false))
}

/// Evaluates one check. `key_path` is the resolved, hive-relative key;
/// `prefix` is prepended to paths read from the view (a SYSTEM hive's control set).
/// What cannot be read ends as `Unreadable` or `NotInEvidence`, never `Ok`.
pub fn evaluate(check: &Check, key_path: &str, view: &dyn RegistryView, prefix: &str) -> Outcome {
    let mut out = Outcome {
        value: check.value.clone().unwrap_or_else(|| "(key)".into()),
        key: key_path.to_string(),
        status: Status::Ok,
        expected: expected(check),
        actual: None,
        note: None,
    };
    if let Err(status) = judge(check, key_path, view, prefix, &mut out) {
        out.status = status;
    }
    out
}

fn judge(
    check: &Check,
    key_path: &str,
    view: &dyn RegistryView,
    prefix: &str,
    out: &mut Outcome,
) -> Result<(), Status> {
    let full = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}\\{k}")
        }
    };
    let key = read_key(view, &full(key_path), key_path)?;
    if let Some(when) = &check.when {
        if !applies(when, key.as_ref(), view, &full)? {
            out.status = Status::Skipped;
            return Ok(());
        }
    }
    let Some(name) = check.value.as_deref() else {
        let want = check.expect != Expect::Present(false);
        out.status = match (key.is_some(), want) {
            (true, true) | (false, false) => Status::Ok,
            (false, true) => Status::Deviates(Deviation::Missing),
            (true, false) => Status::Deviates(Deviation::WrongData),
        };
        if key.is_some() {
            out.actual = Some(TypedData {
                ty: DataType::Key,
                data: "present".into(),
            });
        }
        return Ok(());
    };
    let v = read_value(key.as_ref(), name)?;
    out.status = value_status(check, v);
    out.actual = v.map(actual);
    if let (Status::Ok, Some(v), Some(first)) = (&out.status, v, check.types.first()) {
        if first.raw() != v.raw_type {
            if let Some(note) = &check.accepted_note {
                out.note = Some(format!(
                    "{} instead of {}: {note}, accepted",
                    v.ty.name(),
                    first.name()
                ));
            }
        }
    }
    Ok(())
}
