//! Windows Update's last results as the SOFTWARE hive records them: error
//! evidence for hosts whose logs are missing.

use crate::finding::RegistryResult;
use crate::registry::{RegistryView, ValueData};
use crate::wulog::Hresult;

/// Where Automatic Updates records the outcome of its last detection, download and installation.
pub const RESULTS_KEY: &str =
    "Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results";

/// Non-zero `LastError` values under `Results\{Detect,Download,Install}`.
pub fn read(view: &dyn RegistryView, source: &str) -> Vec<RegistryResult> {
    let mut out = Vec::new();
    for phase in ["Detect", "Download", "Install"] {
        let path = format!("{RESULTS_KEY}\\{phase}");
        let Ok(Some(key)) = view.key(&path) else {
            continue;
        };
        let code = key.value("LastError").and_then(|v| match v.data {
            ValueData::Dword(d) if d != 0 => Some(d),
            _ => None,
        });
        let Some(code) = code else { continue };
        let last_success_time = key.value("LastSuccessTime").and_then(|v| match &v.data {
            ValueData::String(s) => crate::finding::parse_registry_time(s),
            _ => None,
        });
        out.push(RegistryResult {
            code: Hresult(code),
            name: Hresult(code).name().map(str::to_string),
            key: path,
            source: source.to_string(),
            last_success_time,
        });
    }
    out
}
