#!/usr/bin/env python3
"""Lists import cycles between the library's modules (one module per file).

An edge A -> B is a `use crate::…`/`use super::…` statement, or an inline
`crate::…`/`super::…` path, in A's file naming an item of B. Re-exports
(`pub use`, `pub(crate) use`) are not edges: a module that re-exports a child
does not depend on it. Items under `#[cfg(test)]` (test modules, test
helpers) are left out; comments, strings and character literals are read as
such, and `super::` inside an inline `mod name { … }` names the file's own
module. The binary's modules (src/main.rs, src/cli.rs, src/cmd/) are a
separate crate and are not scanned.

Usage: scripts/import_cycles.py [SRC_DIR]   (exit 1 when a cycle exists)
"""

import re
import sys
from pathlib import Path

BINARY = {"main.rs", "cli.rs"}
RAW = re.compile(r'r(#*)"')
# What may stand before the `r` of a raw string: nothing of an identifier, or `b`.
RAW_START = re.compile(r"(?:^|\W)b?$")


def module_of(path: Path, src: Path) -> tuple:
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip(text: str) -> str:
    """The code without comments, and with every string and character
    literal emptied (`""`, `' '`), in one pass so that `//` inside a string
    or a quote inside a comment cannot hide code. Lifetimes are kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            out.append(" ")
        elif c == "r" and RAW.match(text, i) and RAW_START.search(text[max(0, i - 2) : i]):
            hashes = RAW.match(text, i).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            i = n if end < 0 else end + 1 + len(hashes)
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and (text[i + 1 : i + 2] == "\\" or text[i + 2 : i + 3] == "'"):
            i += 2
            while i < n and text[i] != "'":
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def item_end(code: str, i: int) -> int:
    """The end of the item starting at `i`: after its first `;`, or after
    the brace matching its first `{`, whichever comes first."""
    depth = 0
    for k in range(i, len(code)):
        ch = code[k]
        if ch == ";" and depth == 0:
            return k + 1
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(code)


def code_of(text: str) -> str:
    """The code that is compiled outside tests: comments and literals
    stripped, every `#[cfg(test)]` item (a test module, a test helper)
    left out."""
    code = strip(text)
    while True:
        m = re.search(r"#\[cfg\(test\)\]", code)
        if not m:
            return code
        code = code[: m.start()] + code[item_end(code, m.end()) :]


def inline_modules(code: str) -> list:
    """The inline modules (`mod name { … }`) of a file: (start, end, name)."""
    out = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", code):
        out.append((m.start(), item_end(code, m.start()), m.group(1)))
    return out


def scope_at(me: tuple, mods: list, pos: int) -> tuple:
    """The module a path at `pos` is written in: the file's module, plus
    the inline modules around `pos` (so `super::` inside `mod simd { … }`
    names the file's module, not its parent)."""
    return me + tuple(name for start, end, name in mods if start < pos < end)


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


def resolve(path: str, me: tuple, modules: set):
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
        code = code_of(f.read_text())
        mods = inline_modules(code)
        paths = []
        use = r"(?m)^\s*(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);"
        for m in re.finditer(use, code):
            if not m.group(1):
                paths += [(p, m.start()) for p in expand(m.group(2))]
        code = re.sub(use, lambda m: " " * len(m.group(0)), code)
        for m in re.finditer(r"\b\w+(?:::\w+)+", code):
            p, scope = m.group(0), scope_at(me, mods, m.start())
            first = p.split("::")[0]
            if first in ("crate", "super") or scope + (first,) in modules:
                paths.append((p, m.start()))
        for p, pos in paths:
            t = resolve(p, scope_at(me, mods, pos), modules)
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
