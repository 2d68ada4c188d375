//! wutriage: offline diagnosis of Windows Update failures from collected evidence.
//!
//! The data flows `evidence` (finding and recognising files) → readers
//! (`registry`, `wulog`) → facts → `rules` → `finding` → `report`.
//!
//! Most callers need only the items at the crate root: describe a host with
//! [`HostSpec`], [`analyse`] it, and assert on its [`findings`](HostReport::findings):
//!
//! ```
//! use wutriage::{HostSpec, Severity, Verdict};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hosts/xp-broken");
//! let report = wutriage::analyse(&HostSpec::from_dir(dir)?);
//! let kb = report.findings.iter().find(|f| f.rule == "KB910341").unwrap();
//! assert_eq!(kb.verdict, Verdict::Confirmed);
//! assert_eq!(kb.severity, Severity::High);
//! # Ok::<(), wutriage::HostSpecError>(())
//! ```
//!
//! The readers work alone too: [`open_registry`] reads a binary hive or a
//! `.reg` export into a [`RegistryView`], [`read_log`] summarises a
//! Windows Update log, and [`builtin_rules`] lists the rules [`analyse`]
//! evaluates ([`analyse_with`] takes others).
//!
//! ```
//! use wutriage::RegistryView;
//!
//! let hive = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hosts/xp-broken/Windows/System32/config/SOFTWARE");
//! let software = wutriage::open_registry(hive.as_ref())?;
//! let key = software
//!     .key(r"Microsoft\Windows NT\CurrentVersion\Winlogon\Notify\SensLogn")?
//!     .expect("the key is there, some of its values are not");
//! assert!(key.value("DllName").is_some()); // names compare case-insensitively
//! assert!(key.value("Logon").is_none());
//! assert!(wutriage::builtin_rules().iter().any(|r| r.id == "KB910341"));
//! # Ok::<(), wutriage::registry::RegistryError>(())
//! ```

#![deny(missing_docs)]

mod api;
pub mod etl;
pub mod eventlog;
pub mod evidence;
pub mod evt;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod registry;
pub mod report;
pub mod rules;
pub mod scan;
pub mod triage;
pub mod warning;
pub mod wulog;

pub use api::{read_log, HostSpecError};
pub use finding::{Finding, Severity, Verdict};
pub use registry::{open_registry, RegistrySource, RegistryView};
pub use rules::spec::Rule;
pub use scan::{analyse, analyse_with, builtin_rules, HostReport, HostSpec};
pub use wulog::LogSummary;
