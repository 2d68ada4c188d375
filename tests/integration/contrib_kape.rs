//! contrib/kape: the target and the module parsed, their required fields
//! and their `# Documentation` blocks checked.

use regex::Regex;

use crate::contrib::{contrib, files, module, target};
use crate::util;

#[test]
fn kape_files_parse_with_their_required_fields() {
    let t = target();
    let m = module();
    let uuid = Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for id in [&t.id, &m.id] {
        assert!(uuid.as_ref().unwrap().is_match(id), "{id}");
    }
    for text in [
        &t.description,
        &t.author,
        &m.description,
        &m.category,
        &m.author,
        &m.binary_url,
    ] {
        assert!(!text.trim().is_empty());
    }
    assert_ne!(t.id, m.id);
    assert!(t.recreate_directories && t.version > 0.0 && m.version > 0.0);
    for e in &t.targets {
        assert!(
            e.path.starts_with("C:\\") && e.path.ends_with('\\'),
            "{}",
            e.path
        );
        assert!(!e.name.is_empty() && !e.category.is_empty() && !e.comment.is_empty());
    }
    let formats: Vec<&str> = m
        .processors
        .iter()
        .map(|p| p.export_format.as_str())
        .collect();
    assert!(formats.contains(&m.export_format.as_str()));
    assert_eq!(formats, ["csv", "json"]);
    for p in &m.processors {
        assert!(p.executable.ends_with("\\wutriage.exe"), "{}", p.executable);
        assert!(p.command_line.starts_with("triage %sourceDirectory% "));
        assert!(p.command_line.contains("%destinationDirectory%\\"));
    }
    for f in [
        files(&contrib("kape"), "tkape"),
        files(&contrib("kape"), "mkape"),
    ]
    .concat()
    {
        let text = String::from_utf8(util::read(&f)).unwrap();
        let (_, doc) = text
            .split_once("\n# Documentation\n")
            .expect("a # Documentation block");
        assert!(
            doc.lines().all(|l| l.starts_with('#')),
            "{}: the block ends the file",
            f.display()
        );
    }
}
