//! KB910341's registry check: the SensLogn values against the article's table for the OS.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::expected::{table_for, Expected, Row, SENSLOGN_KEY};
use crate::finding::TypedData;
use crate::registry::os::{OsFamily, OsInfo};
use crate::registry::view::eq_ignore_case;
use crate::registry::{Key, RegistryError, RegistryView, Value, ValueData, ValueType};

/// How one expected value compares with what the hive holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    Missing,
    WrongType,
    WrongData,
}

/// One expected value's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCheck {
    pub value: String,
    pub status: Status,
    pub expected: TypedData,
    /// What the hive holds; `None` when the value is missing.
    pub actual: Option<TypedData>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

/// The judgement of the SensLogn key of one SOFTWARE hive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensLognJudgement {
    pub key: String,
    /// False on Vista and later, where Winlogon Notify packages do not exist.
    pub applicable: bool,
    /// Which of the article's tables was used (`windows-2000` or `xp-2003`).
    pub table: Option<String>,
    pub present: bool,
    pub last_written: Option<DateTime<Utc>>,
    pub checks: Vec<ValueCheck>,
    /// Values present in the key that the table does not list (not problems).
    pub extra_values: Vec<String>,
    pub notes: Vec<String>,
}

impl SensLognJudgement {
    /// True when any expected value is not `ok`.
    pub fn deviates(&self) -> bool {
        self.checks.iter().any(|c| c.status != Status::Ok)
    }

    /// The checks that are not `ok`.
    pub fn problems(&self) -> impl Iterator<Item = &ValueCheck> {
        self.checks.iter().filter(|c| c.status != Status::Ok)
    }
}

fn expected_repr(e: Expected) -> TypedData {
    match e {
        Expected::Dword(d) => TypedData {
            ty: ValueType::Dword.name(),
            data: format!("0x{d:08x}"),
        },
        Expected::String(s) => TypedData {
            ty: ValueType::Sz.name(),
            data: s.to_string(),
        },
    }
}

fn actual_repr(v: &Value) -> TypedData {
    let data = match &v.data {
        ValueData::Dword(d) => format!("0x{d:08x}"),
        other => other.display(),
    };
    TypedData {
        ty: v.ty.name(),
        data,
    }
}

fn check(row: &Row, key: Option<&Key>) -> ValueCheck {
    let (name, expected) = *row;
    let mut out = ValueCheck {
        value: name.to_string(),
        status: Status::Missing,
        expected: expected_repr(expected),
        actual: None,
        note: None,
    };
    let Some(v) = key.and_then(|k| k.value(name)) else {
        return out;
    };
    out.actual = Some(actual_repr(v));
    out.status = match (expected, v.ty, &v.data) {
        (Expected::Dword(want), ValueType::Dword, ValueData::Dword(got)) => {
            if *got == want {
                Status::Ok
            } else {
                Status::WrongData
            }
        }
        (Expected::Dword(_), _, _) => Status::WrongType,
        (Expected::String(want), ty @ (ValueType::Sz | ValueType::ExpandSz), ValueData::String(got)) => {
            let type_ok = ty == ValueType::Sz || eq_ignore_case(name, "DLLName");
            if !type_ok {
                Status::WrongType
            } else if eq_ignore_case(got, want) {
                if ty == ValueType::ExpandSz {
                    out.note = Some(
                        "REG_EXPAND_SZ instead of REG_SZ: Winlogon expands it to the same DLL name, accepted"
                            .into(),
                    );
                }
                Status::Ok
            } else {
                Status::WrongData
            }
        }
        (Expected::String(_), _, _) => Status::WrongType,
    };
    out
}

/// Judges the SensLogn key of a SOFTWARE hive for the given OS.
pub fn judge(view: &dyn RegistryView, os: &OsInfo) -> Result<SensLognJudgement, RegistryError> {
    let key = view.key(SENSLOGN_KEY)?;
    let mut notes = Vec::new();
    let Some(table) = table_for(os.family) else {
        return Ok(SensLognJudgement {
            key: SENSLOGN_KEY.to_string(),
            applicable: false,
            table: None,
            present: key.is_some(),
            last_written: key.as_ref().and_then(|k| k.last_written),
            checks: Vec::new(),
            extra_values: Vec::new(),
            notes: vec![format!(
                "{}: Winlogon notification packages do not exist on Windows Vista and later, so SensLogn is not checked",
                os.description
            )],
        });
    };
    let table_name = if os.family == OsFamily::Windows2000 {
        "windows-2000"
    } else {
        "xp-2003"
    };
    if os.family == OsFamily::Unknown {
        notes.push(format!(
            "the OS version is unknown ({}); judged against the Windows XP / Server 2003 table",
            os.note.as_deref().unwrap_or("no version values")
        ));
    }
    if key.is_none() {
        let notify = SENSLOGN_KEY.rsplit_once('\\').map(|(p, _)| p).unwrap_or("");
        if view.key(notify)?.is_none() {
            notes.push(format!("the key {notify} is absent too"));
        }
    }
    let checks: Vec<ValueCheck> = table.iter().map(|row| check(row, key.as_ref())).collect();
    for c in &checks {
        if let Some(n) = &c.note {
            notes.push(format!("{}: {n}", c.value));
        }
    }
    let extra_values = key
        .as_ref()
        .map(|k| {
            k.values
                .iter()
                .filter(|v| !table.iter().any(|(n, _)| eq_ignore_case(n, &v.name)))
                .map(|v| if v.name.is_empty() { "(Default)".to_string() } else { v.name.clone() })
                .collect()
        })
        .unwrap_or_default();
    Ok(SensLognJudgement {
        key: SENSLOGN_KEY.to_string(),
        applicable: true,
        table: Some(table_name.to_string()),
        present: key.is_some(),
        last_written: key.as_ref().and_then(|k| k.last_written),
        checks,
        extra_values,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz(name: &str, s: &str, ty: u32) -> Value {
        let mut raw: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        raw.extend([0, 0]);
        Value::from_raw(name.into(), ty, raw)
    }

    fn dword(name: &str, d: u32) -> Value {
        Value::from_raw(name.into(), 4, d.to_le_bytes().to_vec())
    }

    fn key_with(values: Vec<Value>) -> Key {
        Key {
            path: SENSLOGN_KEY.into(),
            values,
            ..Key::default()
        }
    }

    fn status(row: &Row, values: Vec<Value>) -> Status {
        check(row, Some(&key_with(values))).status
    }

    #[test]
    fn statuses() {
        let maxwait = ("MaxWait", Expected::Dword(0x258));
        assert_eq!(status(&maxwait, vec![dword("maxwait", 600)]), Status::Ok);
        assert_eq!(status(&maxwait, vec![dword("MaxWait", 300)]), Status::WrongData);
        assert_eq!(status(&maxwait, vec![sz("MaxWait", "600", 1)]), Status::WrongType);
        assert_eq!(status(&maxwait, vec![]), Status::Missing);
        assert_eq!(check(&maxwait, None).status, Status::Missing);

        let dll = ("DLLName", Expected::String("WlNotify.dll"));
        assert_eq!(status(&dll, vec![sz("dllname", "wlnotify.DLL", 1)]), Status::Ok);
        assert_eq!(status(&dll, vec![sz("DLLName", "WlNotify.dll", 2)]), Status::Ok);
        assert_eq!(status(&dll, vec![sz("DLLName", "WlNotify2.dll", 1)]), Status::WrongData);
        assert_eq!(status(&dll, vec![dword("DLLName", 1)]), Status::WrongType);

        // REG_EXPAND_SZ is accepted for DLLName only.
        let lock = ("Lock", Expected::String("SensLockEvent"));
        assert_eq!(status(&lock, vec![sz("Lock", "SensLockEvent", 2)]), Status::WrongType);
        // A DWORD stored big-endian is the wrong type.
        let safe = ("Safe", Expected::Dword(1));
        let be = Value::from_raw("Safe".into(), 5, 1u32.to_be_bytes().to_vec());
        assert_eq!(status(&safe, vec![be]), Status::WrongType);
    }
}
