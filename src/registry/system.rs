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
