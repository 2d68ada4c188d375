//! The keys of an export, built section by section.
//!
//! Node 0 is an unnamed top whose children are the roots
//! (`HKEY_LOCAL_MACHINE\SOFTWARE`, …); below them the keys, each holding the
//! [`Key`] the view hands out. Parents of exported keys exist implicitly.

use std::collections::HashMap;

use crate::registry::value::Value;
use crate::registry::view::{eq_ignore_case, Key};

/// The note on a key that the export only implies.
pub const IMPLIED_NOTE: &str =
    "not exported itself (implied by a subkey's section): its values are unknown";

const TOP: usize = 0;

#[derive(Debug, Clone)]
pub struct Node {
    /// The name as first spelled (for a root: the root path).
    pub name: String,
    pub key: Key,
    pub children: Vec<usize>,
    /// True until a section names this key itself.
    pub implied: bool,
    /// Case-folded value name → position in `key.values`.
    value_index: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    index: HashMap<(usize, String), usize>,
}

impl Default for Tree {
    fn default() -> Self {
        Self::new()
    }
}

/// The case-folded form used to look names up.
fn fold(name: &str) -> String {
    name.chars().flat_map(char::to_uppercase).collect()
}

impl Tree {
    pub fn new() -> Self {
        let top = Node {
            name: String::new(),
            key: Key::default(),
            children: Vec::new(),
            implied: true,
            value_index: HashMap::new(),
        };
        Self {
            nodes: vec![top],
            index: HashMap::new(),
        }
    }

    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    fn child(&self, parent: usize, name: &str) -> Option<usize> {
        self.index.get(&(parent, fold(name))).copied()
    }

    fn add_child(&mut self, parent: usize, name: &str) -> usize {
        if let Some(id) = self.child(parent, name) {
            return id;
        }
        let path = if parent == TOP {
            String::new()
        } else {
            let base = &self.nodes[parent].key.path;
            if base.is_empty() {
                name.to_string()
            } else {
                format!("{base}\\{name}")
            }
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: name.to_string(),
            key: Key {
                path,
                notes: vec![IMPLIED_NOTE.to_string()],
                ..Key::default()
            },
            children: Vec::new(),
            implied: true,
            value_index: HashMap::new(),
        });
        self.index.insert((parent, fold(name)), id);
        let p = &mut self.nodes[parent];
        p.children.push(id);
        if parent != TOP {
            p.key.subkeys.push(name.to_string());
        }
        id
    }

    /// The key at `root` + `components`, created (with its parents) when
    /// absent and marked as exported.
    pub fn open(&mut self, root: &str, components: &[&str]) -> usize {
        let mut id = self.add_child(TOP, root);
        for c in components {
            id = self.add_child(id, c);
        }
        let node = &mut self.nodes[id];
        if node.implied {
            node.implied = false;
            node.key.notes.retain(|n| n != IMPLIED_NOTE);
        }
        id
    }

    /// The key at `root` + `components`, if present.
    pub fn find<'a>(
        &self,
        root: &str,
        components: impl IntoIterator<Item = &'a str>,
    ) -> Option<usize> {
        let mut id = self.child(TOP, root)?;
        for c in components {
            id = self.child(id, c)?;
        }
        Some(id)
    }

    /// Removes a key and its subtree; false when it was absent.
    pub fn remove(&mut self, root: &str, components: &[&str]) -> bool {
        let Some(id) = self.find(root, components.iter().copied()) else {
            return false;
        };
        let (parent, name) = match components.split_last() {
            Some((last, init)) => match self.find(root, init.iter().copied()) {
                Some(p) => (p, *last),
                None => return false,
            },
            None => (TOP, root),
        };
        self.index.remove(&(parent, fold(name)));
        let p = &mut self.nodes[parent];
        if let Some(pos) = p.children.iter().position(|&c| c == id) {
            p.children.remove(pos);
            if parent != TOP {
                p.key.subkeys.remove(pos);
            }
        }
        true
    }

    /// Sets a value, replacing one of the same name (case-insensitively) in
    /// place and keeping its first spelling.
    pub fn set_value(&mut self, id: usize, name: String, raw_type: u32, raw: Vec<u8>) {
        let node = &mut self.nodes[id];
        let folded = fold(&name);
        match node.value_index.get(&folded) {
            Some(&pos) => {
                let v = &mut node.key.values[pos];
                let kept = std::mem::take(&mut v.name);
                *v = Value::from_raw(kept, raw_type, raw);
            }
            None => {
                node.value_index.insert(folded, node.key.values.len());
                node.key.values.push(Value::from_raw(name, raw_type, raw));
            }
        }
    }

    /// Removes a value; false when the key had none of that name.
    pub fn delete_value(&mut self, id: usize, name: &str) -> bool {
        let node = &mut self.nodes[id];
        if node.value_index.remove(&fold(name)).is_none() {
            return false;
        }
        node.key.values.retain(|v| !eq_ignore_case(&v.name, name));
        node.value_index = node
            .key
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (fold(&v.name), i))
            .collect();
        true
    }

    /// The roots present, in order of first appearance.
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.nodes[TOP]
            .children
            .iter()
            .map(|&c| self.nodes[c].name.as_str())
    }

    /// Every key under `root`, parents before children, in stored order.
    pub fn walk(&self, root: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        let Some(start) = self.child(TOP, root) else {
            return out;
        };
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id];
            out.push(node);
            stack.extend(node.children.iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "HKEY_LOCAL_MACHINE\\SOFTWARE";

    #[test]
    fn parents_are_implied() {
        let mut t = Tree::new();
        let id = t.open(R, &["Microsoft", "Winlogon", "Notify", "SensLogn"]);
        assert_eq!(t.node(id).key.path, "Microsoft\\Winlogon\\Notify\\SensLogn");
        assert!(t.node(id).key.notes.is_empty());
        let notify = t.find(R, ["microsoft", "WINLOGON", "notify"]).unwrap();
        let n = t.node(notify);
        assert!(n.implied);
        assert_eq!(n.key.subkeys, vec!["SensLogn"]);
        assert_eq!(n.key.notes, vec![IMPLIED_NOTE]);
        // Naming it later makes it exported.
        t.open(R, &["MICROSOFT", "winlogon", "Notify"]);
        let n = t.node(notify);
        assert!(!n.implied && n.key.notes.is_empty());
        assert_eq!(
            n.key.path, "Microsoft\\Winlogon\\Notify",
            "first spelling kept"
        );
        assert_eq!(t.roots().collect::<Vec<_>>(), vec![R]);
    }

    #[test]
    fn values_override_in_place_and_delete() {
        let mut t = Tree::new();
        let id = t.open(R, &["K"]);
        t.set_value(id, "A".into(), 4, vec![1, 0, 0, 0]);
        t.set_value(id, "B".into(), 3, vec![]);
        t.set_value(id, "a".into(), 4, vec![2, 0, 0, 0]);
        let names: Vec<_> = t
            .node(id)
            .key
            .values
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, vec!["A", "B"]);
        assert_eq!(t.node(id).key.values[0].raw, vec![2, 0, 0, 0]);
        assert!(t.delete_value(id, "b"));
        assert!(!t.delete_value(id, "b"));
        assert_eq!(t.node(id).key.values.len(), 1);
    }

    #[test]
    fn remove_subtree_and_recreate() {
        let mut t = Tree::new();
        t.open(R, &["A", "B", "C"]);
        t.open(R, &["A", "D"]);
        assert!(t.remove(R, &["a", "b"]));
        assert!(!t.remove(R, &["a", "b"]));
        assert_eq!(t.find(R, ["A", "B", "C"]), None);
        let a = t.find(R, ["A"]).unwrap();
        assert_eq!(t.node(a).key.subkeys, vec!["D"]);
        let c = t.open(R, &["A", "B", "C"]);
        assert!(t.node(c).key.values.is_empty());
        let paths: Vec<_> = t.walk(R).iter().map(|n| n.key.path.clone()).collect();
        assert_eq!(paths, vec!["", "A", "A\\D", "A\\B", "A\\B\\C"]);
        assert!(t.remove(R, &[]));
        assert!(t.walk(R).is_empty());
    }
}
