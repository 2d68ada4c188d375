#!/usr/bin/env bash
# Runs the Windows build under wine64 on the fixture hosts and compares its
# output with the Linux release build's: same JSON (path separators aside),
# same CSV, same exit codes. Then times both with hyperfine.
#
#   bash scripts/check-windows.sh [EXE]     # default target/dist/wutriage.exe
#
# Needs: apt-get install wine64 mingw-w64 hyperfine; python3. Uses its own wine prefix
# (WINEPREFIX, default /tmp/wutriage-wine) so nothing else is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

exe=${1:-target/dist/wutriage.exe}
linux=target/release/wutriage
export WINEPREFIX=${WINEPREFIX:-/tmp/wutriage-wine}
export WINEDEBUG=-all
# Debian's wine64 package installs /usr/lib/wine/wine64 (the `wine` package adds /usr/bin/wine).
wine=$(command -v wine64 || command -v wine || ls /usr/lib/wine/wine64 2>/dev/null || true)
if [ -z "$wine" ]; then
    echo "check-windows: wine64 not found; apt-get install wine64" >&2
    exit 2
fi
[ -x "$linux" ] || cargo build --release --quiet

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Debian 12's wine 8.0 has no bcryptprimitives.dll, from which Rust's std
# takes ProcessPrng (real Windows 10+ has it): a stand-in built from
# scripts/wine/ goes into this wine prefix only, never beside the .exe.
"$wine" cmd /c exit >/dev/null 2>&1 || true
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -f "$sys32/bcryptprimitives.dll" ] || grep -q "Wine builtin DLL" "$sys32/bcryptprimitives.dll"; then
    x86_64-w64-mingw32-gcc -O2 -shared -o "$sys32/bcryptprimitives.dll" \
        scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32
fi

# Every fixture host for scan; the rule hosts (one folder each) for triage.
hosts=()
for h in fixtures/hosts/*/; do
    [ "$h" = fixtures/hosts/rules/ ] || hosts+=("${h%/}")
done

# run NAME ARGS...: both builds, stdout and exit code kept.
run() {
    local name=$1
    shift
    set +e
    "$linux" "$@" >"$out/$name.linux" 2>/dev/null
    echo $? >"$out/$name.linux.rc"
    "$wine" "$exe" "$@" >"$out/$name.windows" 2>/dev/null
    echo $? >"$out/$name.windows.rc"
    set -e
}
run scan scan --format json "${hosts[@]}"
run triage-jsonl triage fixtures/hosts/rules --format jsonl -q
run triage-csv triage fixtures/hosts/rules --format csv -q

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]

def norm(v):
    """Windows joins paths with '\\': every string gets '/' instead, on both
    sides alike, so only the path separator is left out of the comparison."""
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v.replace("\\", "/") if isinstance(v, str) else v

def load(name, side):
    with open(f"{out}/{name}.{side}", encoding="utf-8", newline="") as f:
        text = f.read()
    rc = open(f"{out}/{name}.{side}.rc").read().strip()
    return text, rc

failed = False
for name in ["scan", "triage-jsonl", "triage-csv"]:
    (lt, lrc), (wt, wrc) = load(name, "linux"), load(name, "windows")
    if name == "scan":
        same = norm(json.loads(lt)) == norm(json.loads(wt))
        what = f"{len(json.loads(lt)['hosts'])} hosts"
    elif name == "triage-jsonl":
        ll = [norm(json.loads(x)) for x in lt.splitlines()]
        wl = [norm(json.loads(x)) for x in wt.splitlines()]
        same, what = ll == wl, f"{len(ll)} hosts"
    else:
        same = lt.replace("\\", "/") == wt.replace("\\", "/")
        what = f"{len(lt.splitlines()) - 1} rows"
    raw = "identical bytes" if lt == wt else "separators aside"
    same = same and lrc == wrc
    failed |= not same
    print(f"check-windows: {name}: {what}, exit {lrc} / {wrc}: "
          f"{'same (' + raw + ')' if same else 'DIFFERENT'}")
sys.exit(1 if failed else 0)
PY

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 1 --runs "${RUNS:-5}" \
        "$linux triage fixtures/hosts/rules --format jsonl -q -o $out/l.jsonl --force" \
        "$wine $exe triage fixtures/hosts/rules --format jsonl -q -o $out/w.jsonl --force"
fi
