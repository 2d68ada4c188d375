#!/usr/bin/env python3
"""Regenerates the "The rules" part of docs/rules.md from rules/*.toml."""
import glob
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORDER = ["KB910341", "KB910341-SERVICES", "KB910341-CLIENT"]


def expect(c):
    e = c["expect"]
    if "equals" in e:
        v = e["equals"]
        return f"= {hex(v) if isinstance(v, int) else repr(v)}"
    if "not" in e:
        return f"≠ {e['not']}"
    if "contains" in e:
        return f"contains `{e['contains']}`"
    return "present" if e.get("present", True) else "absent"


def main():
    rules = []
    for f in sorted(glob.glob(str(ROOT / "rules" / "*.toml"))):
        with open(f, "rb") as fh:
            rules.append(tomllib.load(fh) | {"file": pathlib.Path(f).relative_to(ROOT)})
    rules.sort(key=lambda r: (ORDER.index(r["id"]) if r["id"] in ORDER else 9, r["id"]))
    out = []
    for r in rules:
        out.append(f"### {r['id']} — {r['title']}\n")
        url = f" ({r['source_url']})" if r.get("source_url") else ""
        out.append(f"- **Source**: {r['source']}{url}")
        out.append(f"- **Codes**: {', '.join(r['codes'])}")
        out.append(f"- **Windows**: {', '.join(r['os'])}")
        for s in r["check_set"]:
            checks = []
            for c in s["check"]:
                hive = (c.get("hive") or r["hive"]).upper()
                key = c.get("key") or r["key"]
                what = f"{hive} `{key}`" + (f" `{c['value']}`" if "value" in c else "")
                when = f" (when `{c['when']['value']}` = {c['when']['equals']})" if "when" in c else ""
                checks.append(f"{what} {expect(c)}{when}")
            label = f" ({s['description']})" if len(r["check_set"]) > 1 else ""
            out.append(f"- **Checks{label}**: " + "; ".join(checks))
        for ctx in r.get("log_context", []):
            where = []
            if ctx.get("components"):
                where.append("whose component is " + " or ".join(f"`{c}`" for c in ctx["components"]))
            if ctx.get("words"):
                where.append("holding " + " or ".join(f"`{w}`" for w in ctx["words"]))
            out.append(
                f"- **Counted only where** ({ctx['about']}): {', '.join(ctx['codes'])} on lines "
                + " and ".join(where)
            )
        if r.get("superseded_by"):
            out.append(f"- **Not judged when these find their cause**: {', '.join(r['superseded_by'])}")
        if r.get("code_specificity"):
            out.append(f"- **Why these codes**: {r['code_specificity']}")
        out.append(f"- **File**: `{r['file']}`\n")
    doc = ROOT / "docs" / "rules.md"
    text = doc.read_text()
    head = text[: text.index("## The rules\n") + len("## The rules\n")]
    doc.write_text(head + "\n" + "\n".join(out))


if __name__ == "__main__":
    main()
