//! The line-by-line reading of an export into a [`RegExport`].

use std::collections::HashMap;

use super::export::{DeletedKey, DeletedValue, RegExport, MAX_WARNINGS};
use super::line::{self, is_hex_data, parse_data, parse_section, split_name, ValueLine};
use super::roots::split_root;
use super::text::{self, RegVersion, TextEncoding};
use super::tree::Tree;
use crate::registry::view::{ReaderWarning, MAX_DEPTH};
use crate::registry::RegistryError;

/// Decodes and reads a whole export.
pub fn parse(bytes: &[u8]) -> Result<RegExport, RegistryError> {
    let (text, encoding) = text::decode(bytes);
    let version = text::header_version(&text).ok_or(RegistryError::NotRegistry)?;
    let mut parser = Parser {
        export: RegExport {
            version,
            encoding,
            tree: Tree::new(),
            primary: None,
            warnings: Vec::new(),
            deleted_keys: Vec::new(),
            deleted_values: Vec::new(),
        },
        current: Current::None,
        root_lines: HashMap::new(),
        dropped_warnings: 0,
    };
    if version == RegVersion::V5 && encoding == TextEncoding::Windows1252 {
        parser.warn(
            1,
            "version 5 export is not valid UTF-8 or UTF-16: read as Windows-1252",
        );
    }
    let lines: Vec<&str> = text.split('\n').collect();
    parser.run(&lines);
    Ok(parser.finish())
}

/// Where value lines go while parsing.
enum Current {
    /// No section yet.
    None,
    /// The section's key.
    Key { id: usize, root: String },
    /// After a section that could not be read (already warned about).
    Skip,
    /// After a `[-path]` section.
    Deleted,
}

struct Parser {
    export: RegExport,
    current: Current,
    /// First section line of each root (case-folded), for the "other root" warning.
    root_lines: HashMap<String, (String, usize)>,
    dropped_warnings: usize,
}

impl Parser {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        if self.export.warnings.len() < MAX_WARNINGS {
            self.export.warnings.push(ReaderWarning {
                line: Some(line),
                message: message.into(),
            });
        } else {
            self.dropped_warnings += 1;
        }
    }

    fn run(&mut self, lines: &[&str]) {
        // The header is the first non-blank line (checked by the caller).
        let Some(header) = lines.iter().position(|l| {
            !l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .is_empty()
        }) else {
            return;
        };
        let mut i = header + 1;
        while i < lines.len() {
            let number = i + 1;
            let line =
                lines[i].trim_matches(|c: char| c.is_whitespace() || c == '\0' || c == '\u{feff}');
            i += 1;
            if line.is_empty() || line.starts_with(';') {
                continue;
            }
            if let Some(version) = text::header_version(line) {
                // Exports pasted one after the other repeat the header.
                if version != self.export.version {
                    self.warn(
                        number,
                        format!(
                            "header of another version ({}) ignored; the file is read as {}",
                            version.header(),
                            self.export.version.header()
                        ),
                    );
                }
                continue;
            }
            if line.starts_with('[') {
                self.section(number, line);
                continue;
            }
            let (name, data) = match split_name(line) {
                Ok(nd) => nd,
                Err(e) => {
                    self.warn(number, e);
                    continue;
                }
            };
            let mut data = data.to_string();
            if is_hex_data(&data) {
                i = self.continue_hex(lines, i, number, &name, &mut data);
            }
            self.value(number, name, &data);
        }
    }

    /// Appends the continuation lines of a hex list; returns the next line index.
    fn continue_hex(
        &mut self,
        lines: &[&str],
        mut i: usize,
        number: usize,
        name: &str,
        data: &mut String,
    ) -> usize {
        loop {
            let end = data.trim_end().len();
            if !data[..end].ends_with('\\') {
                return i;
            }
            data.truncate(end - 1);
            let next = lines.get(i).map(|l| l.trim());
            match next {
                Some(n) if n.starts_with(|c: char| c.is_ascii_hexdigit() || c == ',') => {
                    data.push_str(n);
                    i += 1;
                }
                _ => {
                    self.warn(
                        number,
                        format!("value {name:?}: hex data ends with `\\` but no continuation line follows"),
                    );
                    return i;
                }
            }
        }
    }

    fn section(&mut self, number: usize, line: &str) {
        let section = match parse_section(line) {
            Ok(s) => s,
            Err(e) => {
                self.warn(number, format!("{e}; its values are skipped"));
                self.current = Current::Skip;
                return;
            }
        };
        let Some(p) = split_root(section.path) else {
            self.warn(
                number,
                format!(
                    "section {} does not start with a root key (HKEY_LOCAL_MACHINE, HKLM, HKEY_CURRENT_USER, …); its values are skipped",
                    line::excerpt(section.path)
                ),
            );
            self.current = Current::Skip;
            return;
        };
        if p.components.len() > MAX_DEPTH {
            self.warn(
                number,
                format!("section nested deeper than {MAX_DEPTH} levels; its values are skipped"),
            );
            self.current = Current::Skip;
            return;
        }
        let is_bare = p.root == "HKEY_LOCAL_MACHINE" || p.root == "HKEY_USERS";
        let replace = match &self.export.primary {
            None => true,
            Some((root, _)) => !is_bare && (root == "HKEY_LOCAL_MACHINE" || root == "HKEY_USERS"),
        };
        if replace {
            self.export.primary = Some((p.root.clone(), p.hive.clone()));
        }
        let folded: String = p.root.chars().flat_map(char::to_uppercase).collect();
        self.root_lines
            .entry(folded)
            .or_insert_with(|| (p.root.clone(), number));
        if section.delete {
            self.export.tree.remove(&p.root, &p.components);
            self.export.deleted_keys.push(DeletedKey {
                root: p.root,
                path: p.components.join("\\"),
                line: number,
            });
            self.current = Current::Deleted;
        } else {
            let id = self.export.tree.open(&p.root, &p.components);
            self.current = Current::Key { id, root: p.root };
        }
    }

    fn value(&mut self, number: usize, name: String, data: &str) {
        let (id, root) = match &self.current {
            Current::Key { id, root } => (*id, root.clone()),
            Current::Skip => return,
            Current::None => {
                self.warn(
                    number,
                    format!("value {name:?} before any [key] section is skipped"),
                );
                return;
            }
            Current::Deleted => {
                self.warn(
                    number,
                    format!("value {name:?} after a [-key] deletion is skipped"),
                );
                return;
            }
        };
        match parse_data(&name, data, self.export.version) {
            Ok(ValueLine::Set { raw_type, raw }) => {
                self.export.tree.set_value(id, name, raw_type, raw)
            }
            Ok(ValueLine::Delete) => {
                self.export.tree.delete_value(id, &name);
                let key = self.export.tree.path(id);
                self.export.deleted_values.push(DeletedValue {
                    root,
                    key,
                    name,
                    line: number,
                });
            }
            Err(e) => self.warn(number, e),
        }
    }

    fn finish(mut self) -> RegExport {
        if let Some((primary, _)) = self.export.primary.clone() {
            let folded: String = primary.chars().flat_map(char::to_uppercase).collect();
            let mut others: Vec<(String, usize)> = self
                .root_lines
                .iter()
                .filter(|(k, _)| **k != folded)
                .map(|(_, v)| v.clone())
                .collect();
            others.sort_by_key(|(_, line)| *line);
            for (root, line) in others {
                self.warn(
                    line,
                    format!(
                        "keys under {root} are outside this view's hive ({primary}); they are reachable by their full path"
                    ),
                );
            }
            self.export.warnings.sort_by_key(|w| w.line);
        }
        if self.dropped_warnings > 0 {
            self.export.warnings.push(ReaderWarning {
                line: None,
                message: format!("{} more problems not listed", self.dropped_warnings),
            });
        }
        self.export
    }
}
