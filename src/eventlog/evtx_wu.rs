//! Windows Update events of an EVTX log, through the `evtx` crate:
//! provider `Microsoft-Windows-WindowsUpdateClient` (System and its
//! Operational channel); `errorCode` and `updateTitle` are read from the
//! EventData.

use std::io::{Read, Seek};

use chrono::{DateTime, Utc};
use evtx::{EvtxParser, ParserSettings};
use serde_json::Value;

use crate::warning::WarningCode;
use crate::wulog::Hresult;

use super::event::{Item, WuEvent};
use super::totals::Totals;

/// The provider of Windows Update client events.
pub const PROVIDER: &str = "Microsoft-Windows-WindowsUpdateClient";

/// Event Viewer's short wording for the client's event ids.
fn label(id: u64) -> &'static str {
    match id {
        16 => "Unable to Connect",
        17 | 18 => "Installation Ready",
        19 => "Installation Successful",
        20 => "Installation Failure",
        21 | 22 => "Restart Required",
        24 => "Uninstallation Failure",
        25 => "Failed to check for updates",
        26 => "Detection Successful",
        27 | 28 => "Automatic Updates",
        31 => "Download Failure",
        34 | 35 => "Download",
        41 => "Download Successful",
        43 => "Installation Started",
        44 => "Download Started",
        _ => "Windows Update client event",
    }
}

/// A JSON value as text (`{"#text": …}` unwrapped).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("#text").and_then(text),
        _ => None,
    }
}

fn attr<'a>(v: &'a Value, elem: &str, name: &str) -> Option<&'a Value> {
    v.get(elem)?.get("#attributes")?.get(name)
}

/// An `errorCode` such as `0x80073d02` (or decimal) as a code.
pub fn error_code(s: &str) -> Option<Hresult> {
    let s = s.trim();
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok()?,
        None => s.parse::<i64>().ok().map(|v| v as u32)?,
    };
    (v != 0).then_some(Hresult(v))
}

/// The Windows Update event a record holds, or what else it is.
fn item(number: u64, time: Option<DateTime<Utc>>, data: &Value) -> Item {
    let Some(sys) = data.get("Event").and_then(|e| e.get("System")) else {
        return Item::Other;
    };
    let provider = attr(sys, "Provider", "Name").and_then(text);
    if provider.as_deref() != Some(PROVIDER) {
        return Item::Other;
    }
    let Some(id) = sys
        .get("EventID")
        .and_then(text)
        .and_then(|t| t.parse::<u64>().ok())
    else {
        return Item::Undecoded;
    };
    let ed = data.get("Event").and_then(|e| e.get("EventData"));
    let field = |n: &str| ed.and_then(|d| d.get(n)).and_then(text);
    let code = field("errorCode");
    let title = field("updateTitle");
    let mut msg = format!("{} (event {id})", label(id));
    if let Some(c) = &code {
        msg.push_str(&format!(": error {c}"));
    }
    if let Some(t) = &title {
        msg.push_str(&format!(": {t}"));
    }
    let pid = attr(sys, "Execution", "ProcessID")
        .and_then(text)
        .and_then(|t| t.parse().ok());
    let tid = attr(sys, "Execution", "ThreadID")
        .and_then(text)
        .and_then(|t| t.parse().ok());
    Item::Wu(WuEvent {
        number,
        time,
        pid,
        tid,
        component: "WindowsUpdateClient".into(),
        text: msg,
        codes: code.as_deref().and_then(error_code).into_iter().collect(),
        event_id: Some(id as u32),
        recovered: false,
    })
}

/// Reads a log, handing each record over as an [`Item`]; records that
/// cannot be read and gaps in the record numbers are warnings in `totals`.
pub fn read<R: Read + Seek>(
    r: R,
    totals: &mut Totals,
    f: &mut impl FnMut(Item),
) -> Result<(), evtx::err::EvtxError> {
    let settings = ParserSettings::new()
        .num_threads(1)
        .validate_checksums(false);
    let mut parser = EvtxParser::from_read_seek(r)?.with_configuration(settings);
    let mut bad = 0u64;
    // Record ids run without gaps: a gap is a chunk that could not be read.
    let (mut lo, mut hi, mut n) = (u64::MAX, 0u64, 0u64);
    let finder = memchr::memmem::Finder::new(PROVIDER.as_bytes());
    for rec in parser.records_json_bytes() {
        match rec {
            Ok(rec) => {
                lo = lo.min(rec.event_record_id);
                hi = hi.max(rec.event_record_id);
                n += 1;
                // Only records naming the provider are worth building a tree for.
                if finder.find(&rec.data).is_none() {
                    f(Item::Other);
                    continue;
                }
                let time = DateTime::from_timestamp(
                    rec.timestamp.as_second(),
                    rec.timestamp.subsec_nanosecond().max(0) as u32,
                );
                match serde_json::from_slice::<Value>(&rec.data) {
                    Ok(data) => f(item(rec.event_record_id, time, &data)),
                    Err(_) => f(Item::Undecoded),
                }
            }
            Err(e) => {
                bad += 1;
                totals.warn(WarningCode::EvtxRecord, format!("record not read: {e}"));
            }
        }
    }
    if bad > 0 {
        totals.warn(
            WarningCode::EvtxRecordsUnread,
            format!("{bad} records could not be read"),
        );
    }
    let span = if n > 0 { hi - lo + 1 } else { 0 };
    if span > n {
        totals.warn(
            WarningCode::EvtxRecordsMissing,
            format!(
                "{} of the records {lo}–{hi} were not found (a damaged or overwritten chunk)",
                span - n
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes() {
        assert_eq!(error_code("0x80073d02"), Some(Hresult(0x80073D02)));
        assert_eq!(error_code("-2145124320"), Some(Hresult(0x80240020)));
        assert_eq!(error_code("0x0"), None);
        assert_eq!(error_code("x"), None);
    }

    #[test]
    fn events_of_the_client() {
        let v: Value = serde_json::from_str(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-WindowsUpdateClient"}},
                "EventID":20,"Execution":{"#attributes":{"ProcessID":7,"ThreadID":8}}},
                "EventData":{"errorCode":"0x80240020","updateTitle":"KB1"}}}"##,
        )
        .unwrap();
        let Item::Wu(e) = item(5, None, &v) else {
            panic!()
        };
        assert_eq!(e.codes, vec![Hresult(0x80240020)]);
        assert_eq!((e.pid, e.tid, e.number), (Some(7), Some(8), 5));
        assert!(e
            .text
            .contains("Installation Failure (event 20): error 0x80240020: KB1"));
        let other: Value = serde_json::from_str(r#"{"Event":{"System":{"EventID":1}}}"#).unwrap();
        assert!(matches!(item(1, None, &other), Item::Other));
    }
}
