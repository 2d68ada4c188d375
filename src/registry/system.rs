//! The SYSTEM hive's current control set, found as Windows finds it: `Select\Current`.

use super::value::ValueData;
use super::view::RegistryView;
use super::RegistryError;

/// The name of the current control set (`ControlSet001`), from
/// `Select\Current`; `None` when the hive does not say or the set is absent.
pub fn current_control_set(view: &dyn RegistryView) -> Result<Option<String>, RegistryError> {
    let Some(select) = view.key("Select")? else {
        return Ok(None);
    };
    let current = select.value("Current").and_then(|v| match v.data {
        ValueData::Dword(d) => Some(d),
        _ => None,
    });
    let Some(n) = current.filter(|n| (1..=999).contains(n)) else {
        return Ok(None);
    };
    let name = format!("ControlSet{n:03}");
    Ok(view.key(&name)?.map(|_| name))
}

/// Where Windows keeps the machine's name, below a control set.
pub const COMPUTER_NAME_KEY: &str = "Control\\ComputerName\\ComputerName";

/// The machine's name as the SYSTEM hive records it
/// (`<control set>\Control\ComputerName\ComputerName`, value `ComputerName`);
/// `None` when the key or a non-empty string value is absent.
pub fn computer_name(
    view: &dyn RegistryView,
    control_set: &str,
) -> Result<Option<String>, RegistryError> {
    let Some(key) = view.key(&format!("{control_set}\\{COMPUTER_NAME_KEY}"))? else {
        return Ok(None);
    };
    Ok(key.value("ComputerName").and_then(|v| match &v.data {
        ValueData::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }))
}
