#!/usr/bin/env python3
"""Lists import cycles between the library's modules (one module per file).

An edge A -> B is a `use crate::…`/`use super::…` statement, or an inline
`crate::…`/`super::…` path, in A's file naming an item of B. Re-exports
(`pub use`, `pub(crate) use`) are not edges: a module that re-exports a child
does not depend on it. Test modules (from the first `#[cfg(test)]` on) are
left out. The binary's modules (src/main.rs, src/cli.rs, src/cmd/) are a
separate crate and are not scanned.

Usage: scripts/import_cycles.py [SRC_DIR]   (exit 1 when a cycle exists)
"""

import re
import sys
from pathlib import Path

BINARY = {"main.rs", "cli.rs"}


def module_of(path: Path, src: Path) -> tuple:
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def code_of(text: str) -> str:
    cut = text.find("#[cfg(test)]")
    if cut >= 0:
        text = text[:cut]
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def expand(tree: str) -> list:
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = tree.strip()
    i = tree.find("{")
    if i < 0:
        return [re.split(r"\s+as\s+", tree)[0].strip()] if tree else []
    prefix, inner = tree[:i], tree[i + 1 : tree.rfind("}")]
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(inner):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            parts.append(inner[start:k])
            start = k + 1
    parts.append(inner[start:])
    out = []
    for p in parts:
        out += [prefix + q for q in expand(p)]
    return out


def resolve(path: str, me: tuple, is_mod: bool, modules: set):
    segs = [s.strip() for s in path.split("::") if s.strip() and s.strip() != "self"]
    if not segs:
        return None
    if me + (segs[0],) in modules:
        base = list(me)
    elif segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] == "super":
        base = list(me)
        while segs and segs[0] == "super":
            base = base[:-1]
            segs = segs[1:]
    else:
        return None
    full = tuple(base + segs)
    for n in range(len(full), -1, -1):
        if full[:n] in modules:
            return full[:n]
    return None


def edges(src: Path):
    files = {}
    for f in sorted(src.rglob("*.rs")):
        rel = f.relative_to(src)
        if rel.parts[0] == "cmd" or str(rel) in BINARY:
            continue
        files[module_of(f, src)] = f
    modules = set(files)
    graph = {m: set() for m in modules}
    for me, f in files.items():
        is_mod = f.name in ("mod.rs", "lib.rs")
        code = code_of(f.read_text())
        paths = []
        for m in re.finditer(r"(?m)^\s*(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", code):
            if not m.group(1):
                paths += expand(m.group(2))
        code = re.sub(r"(?m)^\s*(pub(?:\([^)]*\))?\s+)?use\s+[^;]+;", "", code)
        paths += re.findall(r"\b(?:crate|super)(?:::\w+)+", code)
        paths += [c + p for c in ("",) for p in re.findall(r"\b\w+(?:::\w+)+", code)
                  if me + (p.split("::")[0],) in modules]
        if "--edges" in sys.argv:
            pass
        for p in paths:
            t = resolve(p, me, is_mod, modules)
            if t is not None and t != me and t != ():
                graph[me].add(t)
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    graph = edges(src)
    found = cycles(graph)
    name = lambda m: "::".join(m) or "crate"
    for comp in found:
        members = set(comp)
        print("cycle: " + ", ".join(name(m) for m in comp))
        for m in comp:
            for t in sorted(graph[m] & members):
                print(f"    {name(m)} -> {name(t)}")
    if not found:
        print(f"no import cycles among {len(graph)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
