#!/usr/bin/env python3
"""Lists files in src/ over a line limit and functions over a length limit.

A file's length counts every line except its `#[cfg(test)]` module at the
end (unit tests may grow with what they test); generated tables
(`*_table.rs`) are left out. A function's length runs from its `fn` line to
its closing brace, found by counting braces outside strings, characters and
comments.

Usage: scripts/check_size.py [--file-limit N] [--fn-limit N] [SRC_DIR]
Exit status 1 when something is over a limit.
"""

import argparse
import re
import sys
from pathlib import Path

FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def strip(line: str, in_block: bool):
    """The line's code without strings, chars and comments; and whether a
    block comment is still open at its end."""
    out, i, n = [], 0, len(line)
    while i < n:
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_block = end + 2, False
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            in_block, i = True, i + 2
            continue
        if c == '"':
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
            continue
        if c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:]) or line.startswith("'\\u{", i):
            i = line.find("'", i + 1) + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block


def code_lines(lines):
    in_block, raw = False, None
    for line in lines:
        if raw:
            if raw in line:
                line = line[line.index(raw) + len(raw) :]
                raw = None
            else:
                yield ""
                continue
        m = re.search(r'r(#+)"', line)
        if m and line.count('"' + m.group(1)) == 0:
            raw = '"' + m.group(1)
            line = line[: m.start()]
        code, in_block = strip(line, in_block)
        yield code


def test_start(lines):
    for i, line in enumerate(lines):
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r"\s*mod \w+", lines[i + 1]):
            return i
    return len(lines)


def functions(lines):
    """(name, first line (1-based), length) of every function with a body."""
    code = list(code_lines(lines))
    out = []
    for i, line in enumerate(lines):
        m = FN.match(code[i])
        if not m:
            continue
        depth, opened = 0, False
        for j in range(i, len(lines)):
            c = code[j]
            if not opened and ";" in c and "{" not in c:
                break  # a declaration without a body
            depth += c.count("{") - c.count("}")
            opened |= "{" in c
            if opened and depth <= 0:
                out.append((m.group(1), i + 1, j - i + 1))
                break
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file-limit", type=int, default=400)
    ap.add_argument("--fn-limit", type=int, default=80)
    ap.add_argument("src", nargs="?", default="src")
    args = ap.parse_args()
    over = False
    for f in sorted(Path(args.src).rglob("*.rs")):
        if f.name.endswith("_table.rs"):
            continue
        lines = f.read_text().splitlines()
        length = test_start(lines)
        if length > args.file_limit:
            print(f"file {f}: {length} lines (limit {args.file_limit})")
            over = True
        for name, at, n in functions(lines):
            if n > args.fn_limit:
                print(f"fn   {f}:{at} {name}: {n} lines (limit {args.fn_limit})")
                over = True
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
