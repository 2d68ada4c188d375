//! The .reg parser stays linear in its input: many deletes do not re-index
//! a key each time, and deep keys with long names do not store a full path
//! per key. Inputs are built here; figures for time and memory are measured
//! by hand (see docs/performance.md), not asserted.

use wutriage::registry::regfile::RegExport;
use wutriage::registry::RegistryView;

const KEY: &str = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Many";

#[test]
fn adding_then_deleting_twenty_thousand_values_leaves_the_rest() {
    let mut text = format!("Windows Registry Editor Version 5.00\r\n\r\n[{KEY}]\r\n");
    for i in 0..20_000 {
        text.push_str(&format!("\"V{i}\"=dword:{i:08x}\r\n"));
    }
    text.push_str("\"Kept\"=\"yes\"\r\n");
    for i in 0..20_000 {
        text.push_str(&format!("\"v{i}\"=-\r\n"));
    }
    // One value added again after its delete: it comes back at the end.
    text.push_str("\"V7\"=dword:00000007\r\n");
    let e = RegExport::parse(text.as_bytes()).unwrap();
    let key = e.key("Many").unwrap().unwrap();
    let names: Vec<&str> = key.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Kept", "V7"]);
    assert_eq!(e.deleted_values().len(), 20_000);
}

#[test]
fn five_hundred_nested_keys_with_long_names_are_read() {
    let names: Vec<String> = (0..500)
        .map(|i| format!("{i:03}{}", "k".repeat(9_997)))
        .collect();
    let deep = names.join("\\");
    let text = format!(
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\{deep}]\r\n\"Leaf\"=dword:00000001\r\n"
    );
    assert!(text.len() < 6_000_000);
    let e = RegExport::parse(text.as_bytes()).unwrap();
    let key = e.key(&deep).unwrap().unwrap();
    assert_eq!(key.path.len(), deep.len());
    assert_eq!(key.values.len(), 1);
    // The parents exist, implied, each with its own path.
    let parent = e.key(&names[..250].join("\\")).unwrap().unwrap();
    assert!(e.is_implied(&parent.path));
    assert_eq!(parent.subkeys, [names[250].clone()]);
    // Walking every key builds one path at a time.
    let mut count = 0;
    let mut longest = 0;
    for k in e.keys() {
        count += 1;
        longest = longest.max(k.path.len());
    }
    assert_eq!((count, longest), (501, deep.len()));
}
