//! Windows Update events of an ETL trace: WUTraceLogging and SIHTraceLogging
//! (field `Info`) and WaaSMedic (field `m`), each as a Windows 10 log line.

use std::io::Read;

use crate::etl::{self, Event, Guid};
use crate::warning::WarningCode;

use super::event::{Item, WuEvent};
use super::totals::Totals;

/// Providers whose events are Windows Update events, with their text field.
const PROVIDERS: [(&str, &str); 3] = [
    ("WUTraceLogging", "Info"),
    ("SIHTraceLogging", "Info"),
    ("Microsoft.Windows.WaaSMedic.Local", "m"),
];
const WU_TRACE_LOGGING: Guid = Guid::from_u128(0x0b7a6f19_47c4_454e_8c5c_e868d637e4d8);

/// The text field of a Windows Update provider, `None` for other providers.
fn text_field(e: &Event) -> Option<&'static str> {
    if e.provider_id == WU_TRACE_LOGGING {
        return Some("Info");
    }
    let name = e.provider.as_deref()?;
    PROVIDERS.iter().find(|(p, _)| *p == name).map(|(_, f)| *f)
}

/// Reads a trace, handing each event over as an [`Item`]; what the trace
/// says of lost events and the reader's warnings go to `totals`.
pub fn read<R: Read>(
    r: R,
    totals: &mut Totals,
    f: &mut impl FnMut(Item),
) -> Result<(), etl::EtlError> {
    let mut number = 0u64;
    let info = etl::read(r, |e| {
        number += 1;
        let Some(field) = text_field(&e) else {
            return f(Item::Other);
        };
        match (e.name.as_ref(), e.field(field).and_then(|v| v.as_str())) {
            (Some(name), Some(text)) => f(Item::Wu(WuEvent {
                number,
                time: e.time,
                pid: Some(e.pid),
                tid: Some(e.tid),
                component: name.clone(),
                text: text.to_string(),
                codes: Vec::new(),
                event_id: None,
                recovered: false,
            })),
            _ => f(Item::Undecoded),
        }
    })?;
    if let Some(h) = &info.header {
        if h.events_lost > 0 {
            totals.warn(
                WarningCode::EtlEventsLost,
                format!("the trace header states {} events lost", h.events_lost),
            );
        }
        if h.buffers_lost > 0 {
            totals.warn(
                WarningCode::EtlBuffersLost,
                format!("the trace header states {} buffers lost", h.buffers_lost),
            );
        }
    }
    totals.lost_events = info.events_lost().map(u64::from);
    if info.buffers_after_loss > 0 {
        totals.warn(
            WarningCode::EtlBuffersAfterLoss,
            format!("{} buffers follow lost events", info.buffers_after_loss),
        );
    }
    if info.late_events > 0 {
        totals.warn(
            WarningCode::EtlLateEvents,
            format!("{} events out of time order", info.late_events),
        );
    }
    for w in info.warnings {
        totals.keep(w);
    }
    Ok(())
}
