//! The `.reg` file that restores exactly the SensLogn values a host lacks,
//! from its own OS's table (never another OS's: the article warns that the
//! XP / 2003 values must not go onto Windows 2000).

use super::expected::{table_for, Expected, SENSLOGN_KEY};
use super::senslogn::{SensLognJudgement, Status};
use crate::finding::Remedy;
use crate::registry::os::OsFamily;
use crate::registry::regfile::{render_reg_v5, RegKeyEdit};

/// Builds the remedy for a judgement, `None` when nothing needs restoring
/// (or the OS has no SensLogn package).
pub fn remedy(judgement: &SensLognJudgement, family: OsFamily) -> Option<Remedy> {
    let table = table_for(family)?;
    let needed: Vec<_> = judgement
        .checks
        .iter()
        .filter(|c| c.status != Status::Ok)
        .filter_map(|c| table.iter().find(|(name, _)| *name == c.value))
        .collect();
    if needed.is_empty() {
        return None;
    }
    let mut key = RegKeyEdit::new(format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\{SENSLOGN_KEY}"));
    for (name, expected) in &needed {
        key = match expected {
            Expected::Dword(d) => key.dword(*name, *d),
            Expected::String(s) => key.string(*name, s),
        };
    }
    Some(Remedy {
        file: None,
        table: judgement.table.clone().unwrap_or_default(),
        values: needed.iter().map(|(n, _)| n.to_string()).collect(),
        reg: render_reg_v5(&[key]),
    })
}

/// The file name a host's remedy is written to.
pub fn file_name(host: &str) -> String {
    let safe: String = host
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect();
    format!("{safe}-KB910341.reg")
}

/// The file's bytes as regedit writes them: UTF-16LE with a byte-order mark.
pub fn file_bytes(reg_text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(reg_text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}
