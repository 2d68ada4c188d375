//! The keys of an export, built section by section.
//!
//! Node 0 is an unnamed top whose children are the roots
//! (`HKEY_LOCAL_MACHINE\SOFTWARE`, …); below them the keys, each holding the
//! [`Key`] the view hands out. Parents of exported keys exist implicitly.
//!
//! Memory and time stay linear in the export: a node keeps its own name
//! only (its path is built when the key is handed out, by walking up), and
//! a deleted value leaves an empty slot instead of re-indexing the key.

use std::collections::HashMap;

use crate::registry::value::Value;
use crate::registry::view::Key;

/// The note on a key that the export only implies.
pub const IMPLIED_NOTE: &str =
    "not exported itself (implied by a subkey's section): its values are unknown";

const TOP: usize = 0;

#[derive(Debug, Clone)]
pub struct Node {
    /// The name as first spelled (for a root: the root path).
    pub name: String,
    /// Its subkey names, notes and timestamps; path and values are filled
    /// in by [`Tree::key`].
    pub key: Key,
    parent: usize,
    /// Values in stored order; `None` where one was deleted.
    slots: Vec<Option<Value>>,
    pub children: Vec<usize>,
    /// True until a section names this key itself.
    pub implied: bool,
    /// Case-folded value name → position in `slots`.
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
            parent: TOP,
            slots: Vec::new(),
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
        let id = self.nodes.len();
        self.nodes.push(Node {
            name: name.to_string(),
            key: Key {
                notes: vec![IMPLIED_NOTE.to_string()],
                ..Key::default()
            },
            parent,
            slots: Vec::new(),
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
                let slot = &mut node.slots[pos];
                let kept = slot.take().map(|v| v.name).unwrap_or(name);
                *slot = Some(Value::from_raw(kept, raw_type, raw));
            }
            None => {
                node.value_index.insert(folded, node.slots.len());
                node.slots.push(Some(Value::from_raw(name, raw_type, raw)));
            }
        }
    }

    /// Removes a value; false when the key had none of that name. Constant
    /// time: the slot is emptied, nothing is re-indexed.
    pub fn delete_value(&mut self, id: usize, name: &str) -> bool {
        let node = &mut self.nodes[id];
        match node.value_index.remove(&fold(name)) {
            Some(pos) => {
                node.slots[pos] = None;
                true
            }
            None => false,
        }
    }

    /// The key's path below its root (`Microsoft\Windows`; empty for a root).
    pub fn path(&self, id: usize) -> String {
        let mut names = Vec::new();
        let mut at = id;
        while at != TOP && self.nodes[at].parent != TOP {
            names.push(self.nodes[at].name.as_str());
            at = self.nodes[at].parent;
        }
        names.reverse();
        names.join("\\")
    }

    /// The key as handed out: with its path and its values.
    pub fn key(&self, id: usize) -> Key {
        let node = &self.nodes[id];
        let mut key = node.key.clone();
        key.path = self.path(id);
        key.values = node.slots.iter().flatten().cloned().collect();
        key
    }

    /// The roots present, in order of first appearance.
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.nodes[TOP]
            .children
            .iter()
            .map(|&c| self.nodes[c].name.as_str())
    }

    /// Every key under `root`, parents before children, in stored order.
    pub fn walk(&self, root: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(start) = self.child(TOP, root) else {
            return out;
        };
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
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
        assert_eq!(t.path(id), "Microsoft\\Winlogon\\Notify\\SensLogn");
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
            t.path(notify),
            "Microsoft\\Winlogon\\Notify",
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
        let key = t.key(id);
        let names: Vec<_> = key.values.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["A", "B"]);
        assert_eq!(key.values[0].raw, vec![2, 0, 0, 0]);
        assert!(t.delete_value(id, "b"));
        assert!(!t.delete_value(id, "b"));
        assert_eq!(t.key(id).values.len(), 1);
        // Added again after a delete: at the end, as regedit would.
        t.set_value(id, "b".into(), 3, vec![]);
        let names: Vec<_> = t.key(id).values.into_iter().map(|v| v.name).collect();
        assert_eq!(names, vec!["A", "b"]);
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
        assert!(t.key(c).values.is_empty());
        let paths: Vec<_> = t.walk(R).iter().map(|&n| t.path(n)).collect();
        assert_eq!(paths, vec!["", "A", "A\\D", "A\\B", "A\\B\\C"]);
        assert!(t.remove(R, &[]));
        assert!(t.walk(R).is_empty());
    }
}
