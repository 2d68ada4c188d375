//! The SensLogn values KB910341 expects, as the article's two tables list them.

use crate::registry::os::OsFamily;

/// Where the Winlogon notification package lives in the SOFTWARE hive.
pub const SENSLOGN_KEY: &str = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\SensLogn";

/// The data a value must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// REG_DWORD with this value.
    Dword(u32),
    /// REG_SZ with this text (compared case-insensitively).
    String(&'static str),
}

/// One row of the KB's table: name, data type and data value.
pub type Row = (&'static str, Expected);

use Expected::{Dword, String as Str};

/// Section A, step 5 (Windows 2000): 14 values.
#[rustfmt::skip]
pub const WINDOWS_2000: &[Row] = &[
    // Name               Data type and value
    ("Asynchronous",      Dword(0x0000_0001)),
    ("DLLName",           Str("WlNotify.dll")),
    ("Impersonate",       Dword(0x0000_0001)),
    ("Lock",              Str("SensLockEvent")),
    ("Logoff",            Str("SensLogoffEvent")),
    ("Logon",             Str("SensLogonEvent")),
    ("MaxWait",           Dword(0x0000_0258)),
    ("Safe",              Dword(0x0000_0001)),
    ("Shutdown",          Str("SensShutdownEvent")),
    ("StartScreenSaver",  Str("SensStartScreenSaverEvent")),
    ("StartShell",        Str("SensStartShellEvent")),
    ("Startup",           Str("SensStartupEvent")),
    ("StopScreenSaver",   Str("SensStopScreenSaverEvent")),
    ("Unlock",            Str("SensUnlockEvent")),
];

/// Section B, step 2 (Windows XP and Windows Server 2003): 17 values.
#[rustfmt::skip]
pub const XP_2003: &[Row] = &[
    // Name               Data type and value
    ("Asynchronous",      Dword(0x0000_0001)),
    ("Disconnect",        Str("SensDisconnectEvent")),
    ("DLLName",           Str("WlNotify.dll")),
    ("Impersonate",       Dword(0x0000_0001)),
    ("Lock",              Str("SensLockEvent")),
    ("Logoff",            Str("SensLogoffEvent")),
    ("Logon",             Str("SensLogonEvent")),
    ("MaxWait",           Dword(0x0000_0258)),
    ("PostShell",         Str("SensPostShellEvent")),
    ("Reconnect",         Str("SensReconnectEvent")),
    ("Safe",              Dword(0x0000_0001)),
    ("Shutdown",          Str("SensShutdownEvent")),
    ("StartScreenSaver",  Str("SensStartScreenSaverEvent")),
    ("StartShell",        Str("SensStartShellEvent")),
    ("Startup",           Str("SensStartupEvent")),
    ("StopScreenSaver",   Str("SensStopScreenSaverEvent")),
    ("Unlock",            Str("SensUnlockEvent")),
];

/// The table for an OS; `None` where Winlogon Notify packages do not exist
/// (Vista and later). An unknown OS gets the XP / 2003 table (the caller notes it).
pub fn table_for(family: OsFamily) -> Option<&'static [Row]> {
    match family {
        OsFamily::Windows2000 => Some(WINDOWS_2000),
        OsFamily::WindowsXp | OsFamily::Server2003 | OsFamily::Unknown => Some(XP_2003),
        OsFamily::VistaOrLater => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_the_article() {
        assert_eq!(WINDOWS_2000.len(), 14);
        assert_eq!(XP_2003.len(), 17);
        // XP / 2003 is the Windows 2000 set plus exactly these three.
        let extra: Vec<&str> = XP_2003
            .iter()
            .filter(|(n, _)| !WINDOWS_2000.iter().any(|(m, _)| m == n))
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(extra, ["Disconnect", "PostShell", "Reconnect"]);
        for row in WINDOWS_2000 {
            assert!(XP_2003.contains(row), "{row:?} differs between the tables");
        }
    }
}
