//! The story a finding tells beyond its summary, told the same way as its
//! verdict: the timeline remark (which key, which first error, what the
//! order means for this verdict), the steps to take by hand, and the causes
//! related rules found.

use chrono::{DateTime, Utc};

use super::checks::{Outcome, Status};
use super::spec::{Check, Rule};
use crate::finding::{Finding, LoggedError, Verdict};
use crate::registry::os::OsFamily;
use crate::registry::Key;
use crate::report::time;
use crate::wulog::LogStamp;

/// The article's steps collected files cannot show, for this OS and
/// verdict (none for a healthy finding; a step about fixing the cause only
/// where the cause was found).
pub(crate) fn steps(rule: &Rule, family: OsFamily, verdict: Verdict) -> Vec<String> {
    if verdict == Verdict::Healthy {
        return Vec::new();
    }
    rule.unchecked_steps
        .iter()
        .filter(|s| s.os.as_ref().is_none_or(|os| os.contains(&family)))
        .filter(|s| s.verdicts.as_ref().is_none_or(|v| v.contains(&verdict)))
        .map(|s| s.text.clone())
        .collect()
}

/// The key a timeline speaks of, and its last-written time: the key of the
/// first deviating check (the change that would explain the errors, which
/// may be another key than the rule's: BITS for KB910341-SERVICES), else
/// the rule's own key. An absent key has no time, so no timeline.
pub(crate) fn timeline_key<'r>(
    rule: &'r Rule,
    main: Option<&Key>,
    outcomes: &'r [(&Check, Outcome)],
    written_of: impl Fn(&Check, &str) -> Option<DateTime<Utc>>,
) -> (&'r str, Option<DateTime<Utc>>) {
    let deviating = outcomes
        .iter()
        .find(|(_, o)| matches!(o.status, Status::Deviates(_)));
    match deviating {
        Some((c, o)) if o.key != rule.key => (o.key.as_str(), written_of(c, &o.key)),
        _ => (&rule.key, main.and_then(|k| k.last_written)),
    }
}

/// How a key's last write stands to the first error.
enum Order {
    Before,
    After,
    /// Too close to tell without the log's offset.
    Unknown,
}

/// The order of `written` and a log time; a local time of unknown offset
/// may be up to 14 hours off UTC.
fn order(written: DateTime<Utc>, first: LogStamp) -> Order {
    let (first, slack) = match first {
        LogStamp::Utc(t) => (t.naive_utc(), chrono::Duration::zero()),
        LogStamp::Local(t) => (t, chrono::Duration::hours(14)),
    };
    let w = written.naive_utc();
    if w + slack < first {
        Order::Before
    } else if w > first + slack {
        Order::After
    } else {
        Order::Unknown
    }
}

/// The remark on the order of the key's last write and the first error,
/// worded for the verdict: only a deviating key (`confirmed`) can have
/// caused the errors; a key that is right (`other-cause`) did not; where the
/// key could not be judged the two times are only set side by side.
pub(crate) fn timeline(
    key_name: &str,
    written: Option<DateTime<Utc>>,
    errors: &[LoggedError],
    verdict: Verdict,
) -> Vec<String> {
    let Some(written) = written else {
        return Vec::new();
    };
    if !matches!(
        verdict,
        Verdict::Confirmed | Verdict::OtherCause | Verdict::Inconclusive
    ) {
        return Vec::new();
    }
    let first = errors
        .iter()
        .filter_map(|e| {
            let stamp = e.first?;
            Some((stamp.sort_key(), stamp, e))
        })
        // Times of known offset order among themselves; a local time only
        // where no time is known in UTC.
        .min_by_key(|(key, stamp, ..)| (matches!(stamp, LogStamp::Local(_)), *key));
    let Some((_, stamp, err)) = first else {
        return Vec::new();
    };
    let written_s = time::utc(written);
    let first_s = time::log(stamp, err.first_offset);
    let code = &err.code;
    let head = format!("The {key_name} key was last written at {written_s}");
    let remark = match (verdict, order(written, stamp)) {
        (Verdict::Confirmed, Order::Before) => format!("{head}, before the first {code} at {first_s}: consistent with the change to {key_name} causing the errors."),
        (Verdict::Confirmed, Order::After) => format!("{head}, after the first {code} at {first_s}: it changed since the errors began (a repair attempt, or a later change), and is still not right."),
        (Verdict::OtherCause, Order::Before) => format!("{head}, before the first {code} at {first_s}: it has been as it is now (right) since before the errors began, so it did not cause them."),
        (Verdict::OtherCause, Order::After) => format!("{head}, after the first {code} at {first_s}: it is right now, but it changed since the errors began (perhaps a repair); see whether the errors go on after {written_s}."),
        (Verdict::Inconclusive, _) => format!("{head}; the first {code} is at {first_s}. The key could not be judged, so this says nothing about the cause."),
        (_, _) => format!("{head}, close to the first {code} at {first_s}; without the log's offset their order cannot be told."),
    };
    vec![remark]
}

/// An `other-cause` finding names the causes its related rules found
/// (`confirmed` or `latent`): the errors' cause, where this rule's is absent.
pub(crate) fn name_related(rules: &[Rule], findings: &mut [Finding]) {
    for (i, rule) in rules.iter().enumerate() {
        if findings[i].verdict != Verdict::OtherCause {
            continue;
        }
        let found: Vec<String> = rule
            .related
            .iter()
            .filter_map(|id| findings.iter().find(|f| &f.rule == id))
            .filter(|f| matches!(f.verdict, Verdict::Confirmed | Verdict::Latent))
            .map(|f| format!("{} ({})", f.title, f.rule))
            .collect();
        if !found.is_empty() {
            findings[i]
                .summary
                .push_str(&format!(" Found: {}.", found.join("; ")));
        }
    }
}
