//! HRESULT values: the `Hresult` type, symbolic names from the embedded
//! table, decoding by facility, and short explanations for the codes the
//! diagnosis rules use.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::codes_table::CODE_NAMES;
use super::winerror_table::WINERROR_NAMES;

/// An HRESULT (or a Windows Update success code), printed as `0x` + 8
/// upper-case hex digits, e.g. `0x800704DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hresult(pub u32);

/// HRESULT_FROM_WIN32(1245), ERROR_NOT_LOGGED_ON: the KB910341 symptom.
pub const E_NOT_LOGGED_ON: Hresult = Hresult(0x8007_04DD);
/// WU_E_NO_INTERACTIVE_USER: the other KB910341 symptom.
pub const WU_E_NO_INTERACTIVE_USER: Hresult = Hresult(0x8024_0020);

impl Hresult {
    /// Severity bit set: a failure code.
    pub fn is_failure(self) -> bool {
        self.0 & 0x8000_0000 != 0
    }

    /// The facility number (bits 16..=26).
    pub fn facility(self) -> u16 {
        ((self.0 >> 16) & 0x7FF) as u16
    }

    /// The code part (low 16 bits).
    pub fn code(self) -> u16 {
        (self.0 & 0xFFFF) as u16
    }

    /// The first symbolic name known for this code.
    pub fn name(self) -> Option<&'static str> {
        names(self).next()
    }

    /// A name for display: the symbolic name, else a decoding by facility
    /// (e.g. `FACILITY_WIN32 error 1245`), else `None`.
    pub fn describe(self) -> Option<String> {
        if let Some(n) = self.name() {
            return Some(n.to_string());
        }
        let f = self.facility();
        match f {
            FACILITY_WIN32 if self.is_failure() => {
                Some(format!("FACILITY_WIN32 error {}", self.code()))
            }
            _ => facility_name(f).map(|fname| {
                let kind = if self.is_failure() {
                    "failure"
                } else {
                    "success"
                };
                format!("{fname} {kind} 0x{:04X}", self.code())
            }),
        }
    }

    /// Our own one-line explanation, for the codes the rules use.
    pub fn explanation(self) -> Option<&'static str> {
        EXPLANATIONS
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, e)| *e)
    }
}

impl fmt::Display for Hresult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_some() {
            return f.pad(&format!("0x{:08X}", self.0));
        }
        write!(f, "0x{:08X}", self.0)
    }
}

impl std::str::FromStr for Hresult {
    type Err = std::num::ParseIntError;

    /// Accepts `0x800704DD`, `0X800704dd` or `800704DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let digits = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s);
        u32::from_str_radix(digits, 16).map(Hresult)
    }
}

impl Serialize for Hresult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hresult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// All symbolic names the embedded tables hold for `code`: first the
/// Windows Update table (some codes were renamed between SDK versions), then
/// the names winerror.h gives that the first table lacks.
pub fn names(code: Hresult) -> impl Iterator<Item = &'static str> {
    let wu = rows_of(CODE_NAMES, code);
    let win = rows_of(WINERROR_NAMES, code);
    wu.iter().map(|(_, n)| *n).chain(
        win.iter()
            .map(|(_, n)| *n)
            .filter(move |n| !wu.iter().any(|(_, w)| w == n)),
    )
}

/// The rows of a table sorted by code that hold `code`.
fn rows_of(table: &'static [(u32, &'static str)], code: Hresult) -> &'static [(u32, &'static str)] {
    let start = table.partition_point(|(c, _)| *c < code.0);
    let end = table.partition_point(|(c, _)| *c <= code.0);
    &table[start..end]
}

/// Number of rows in the embedded tables (Windows Update, winerror.h).
pub fn table_len() -> usize {
    CODE_NAMES.len() + WINERROR_NAMES.len()
}

const FACILITY_WIN32: u16 = 7;

/// Names of the facilities seen in Windows Update logs.
pub fn facility_name(facility: u16) -> Option<&'static str> {
    Some(match facility {
        0 => "FACILITY_NULL",
        1 => "FACILITY_RPC",
        2 => "FACILITY_DISPATCH",
        3 => "FACILITY_STORAGE",
        4 => "FACILITY_ITF",
        7 => "FACILITY_WIN32",
        8 => "FACILITY_WINDOWS",
        9 => "FACILITY_SECURITY",
        10 => "FACILITY_CONTROL",
        11 => "FACILITY_CERT",
        12 => "FACILITY_INTERNET",
        13 => "FACILITY_MEDIASERVER",
        14 => "FACILITY_MSMQ",
        15 => "FACILITY_SETUPAPI",
        16 => "FACILITY_SCARD",
        17 => "FACILITY_COMPLUS",
        25 => "FACILITY_HTTP",
        32 => "FACILITY_BACKGROUNDCOPY",
        33 => "FACILITY_CONFIGURATION",
        36 => "FACILITY_WINDOWSUPDATE",
        208 => "FACILITY_DELIVERY_OPTIMIZATION",
        _ => return None,
    })
}

/// Our own short explanations (not Microsoft's wording).
const EXPLANATIONS: &[(u32, &str)] = &[
    (
        0x8007_04DD,
        "A step needed a signed-in user session and Windows reported none; with Automatic Updates this is the KB910341 symptom of a damaged SensLogn Winlogon notification package.",
    ),
    (
        0x8024_0020,
        "Windows Update wanted an interactive user for the operation but found no usable session; KB910341 ties it to the same SensLogn problem as 0x800704DD.",
    ),
    (
        0x8007_0005,
        "Access was refused: permissions, a service's security settings or policy blocked the call.",
    ),
    (
        0x8007_045B,
        "The system was already shutting down, so the requested operation was refused.",
    ),
    (
        0x8024_402C,
        "The update server's or proxy's host name could not be resolved.",
    ),
    (
        0x8007_2EFE,
        "The connection to the update server was dropped before the reply was complete.",
    ),
    (
        0x8007_2EE2,
        "The request to the update server timed out.",
    ),
    (
        0x8024_000E,
        "The client met update metadata (XML) it could not accept.",
    ),
    (
        0x0024_0001,
        "Not a failure: the Windows Update service stopped normally.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_table() {
        assert_eq!(E_NOT_LOGGED_ON.name(), Some("ERROR_NOT_LOGGED_ON"));
        assert_eq!(
            WU_E_NO_INTERACTIVE_USER.name(),
            Some("WU_E_NO_INTERACTIVE_USER")
        );
        assert_eq!(Hresult(0x0024_0001).name(), Some("WU_S_SERVICE_STOP"));
        let both: Vec<_> = names(Hresult(0x8024_0047)).collect();
        assert_eq!(both, ["WU_E_REVERT_NOT_ALLOWED", "WU_E_NOTSUPPORTED"]);
        assert!(table_len() > 544 + 3000);
    }

    #[test]
    fn winerror_h_names_win32_errors_and_other_facilities() {
        let cases = [
            (0x8007_0032, "ERROR_NOT_SUPPORTED"),
            (0x8000_4001, "E_NOTIMPL"),
            (0x8007_0006, "ERROR_INVALID_HANDLE"),
            (0x8007_3D02, "ERROR_PACKAGES_IN_USE"),
            (0x8007_3CF9, "ERROR_INSTALL_FAILED"),
            (0x8007_04CF, "ERROR_NETWORK_UNREACHABLE"),
            (0x8007_0534, "ERROR_NONE_MAPPED"),
            (0x8007_2746, "WSAECONNRESET"),
            (0x8009_0016, "NTE_BAD_KEYSET"),
        ];
        for (code, name) in cases {
            assert_eq!(Hresult(code).name(), Some(name), "{code:#X}");
            assert_eq!(Hresult(code).describe().as_deref(), Some(name));
        }
        // The Windows Update table's name comes first; winerror.h adds none twice.
        let dd: Vec<_> = names(E_NOT_LOGGED_ON).collect();
        assert_eq!(dd, ["ERROR_NOT_LOGGED_ON"]);
    }

    #[test]
    fn unknown_codes_are_decoded_by_facility() {
        // Win32 error 65520 has no name in winerror.h.
        assert_eq!(Hresult(0x8007_FFF0).name(), None);
        assert_eq!(
            Hresult(0x8007_FFF0).describe().as_deref(),
            Some("FACILITY_WIN32 error 65520")
        );
        assert_eq!(
            Hresult(0x8024_FFFE).describe().as_deref(),
            Some("FACILITY_WINDOWSUPDATE failure 0xFFFE")
        );
        assert_eq!(Hresult(0x87FF_0001).describe(), None);
    }

    #[test]
    fn display_and_parse_round_trip() {
        assert_eq!(E_NOT_LOGGED_ON.to_string(), "0x800704DD");
        assert_eq!(Hresult(0x240001).to_string(), "0x00240001");
        assert_eq!("0X800704dd".parse::<Hresult>().unwrap(), E_NOT_LOGGED_ON);
        assert_eq!(
            "80240020".parse::<Hresult>().unwrap(),
            WU_E_NO_INTERACTIVE_USER
        );
        let json = serde_json::to_string(&E_NOT_LOGGED_ON).unwrap();
        assert_eq!(json, "\"0x800704DD\"");
        assert_eq!(
            serde_json::from_str::<Hresult>(&json).unwrap(),
            E_NOT_LOGGED_ON
        );
    }

    #[test]
    fn explanations_exist_for_the_kb910341_codes() {
        assert!(E_NOT_LOGGED_ON.explanation().unwrap().contains("KB910341"));
        assert!(WU_E_NO_INTERACTIVE_USER.explanation().is_some());
        assert_eq!(Hresult(0x8007_0006).explanation(), None);
    }
}
