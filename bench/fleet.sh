#!/usr/bin/env bash
# Times `wutriage triage` over fleets laid out as the collection engines lay
# them out (docs/fleet.md), with hyperfine:
#
#   bash bench/fleet.sh [WORKDIR]
#
# - velociraptor: HOSTS host folders C.<16 hex>/uploads/ntfs/%5C%5C.%5CC%3A/…
#   (what Server.WUTriage.Analyse hands wutriage for a hunt), each one of the
#   fixture hosts in turn (fixtures/hosts/* and fixtures/hosts/rules/*);
# - kape: the same hosts as HOST/C/… (the WUTriage KAPE module's --msource);
# - heavy: HEAVY hosts in the Velociraptor layout, each with the corpus's
#   real 11.8 MB SYSTEM hive and 1 MB Windows 7 WindowsUpdate.log besides a
#   fixture SOFTWARE hive (skipped without ../shared/corpus);
# - one flow: a root holding one host, as Server.WUTriage.Monitor runs it per
#   completed flow (process start included).
# Files are hard links to one copy each, so the page cache serves them after
# the first read: the figures are CPU-bound, not disk-bound.
#
# Environment: HOSTS (default 10000), HEAVY (default 1000), RUNS (default 3).
# Needs python3, hyperfine, /usr/bin/time. KEEP=1 keeps WORKDIR's batches.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${1:-${TMPDIR:-/tmp}/wutriage-fleet}
hosts=${HOSTS:-10000}
heavy=${HEAVY:-1000}
runs=${RUNS:-3}

cargo build --release --quiet
bin=$PWD/${CARGO_TARGET_DIR:-target}/release/wutriage
mkdir -p "$work"

# gen LAYOUT ROOT COUNT [SYSTEM LOG]: the batch, made once.
gen() {
    python3 - "$@" <<'PY'
import os, shutil, sys
layout, root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
extra = sys.argv[4:]
done = os.path.join(root, ".complete")
if os.path.exists(done):
    sys.exit(0)
shutil.rmtree(root, ignore_errors=True)
fixtures = "fixtures/hosts"
sources = [os.path.join(fixtures, h) for h in sorted(os.listdir(fixtures))
           if h not in ("rules", "garbage")]
sources += [os.path.join(fixtures, "rules", h) for h in sorted(os.listdir(os.path.join(fixtures, "rules")))]
files = []
for s in sources:
    fs = []
    for d, _, names in os.walk(s):
        fs += [os.path.relpath(os.path.join(d, n), s) for n in names]
    files.append((s, sorted(fs)))
for i in range(count):
    src, rels = files[i % len(files)]
    if layout == "kape":
        base = os.path.join(root, f"host{i:06d}", "C")
    else:
        base = os.path.join(root, f"C.{0x5eed0000 + i:016x}", "uploads", "ntfs", "%5C%5C.%5CC%3A")
    for rel in rels:
        if rel.endswith(".reg") or rel.endswith(".txt"):
            continue  # not collected by the artifacts
        if extra and not rel.endswith("SOFTWARE"):
            continue
        to = os.path.join(base, rel)
        os.makedirs(os.path.dirname(to), exist_ok=True)
        os.link(os.path.join(src, rel), to)
    if extra:
        cfg = os.path.join(base, "Windows", "System32", "config")
        os.makedirs(cfg, exist_ok=True)
        if not os.path.exists(os.path.join(cfg, "SOFTWARE")):
            os.link("fixtures/registry/xp-missing-values.hive", os.path.join(cfg, "SOFTWARE"))
        os.link(extra[0], os.path.join(cfg, "SYSTEM"))
        os.link(extra[1], os.path.join(base, "Windows", "WindowsUpdate.log"))
open(done, "w").close()
PY
}

gen velociraptor "$work/velociraptor" "$hosts"
gen kape "$work/kape" "$hosts"
mkdir -p "$work/one"
[ -d "$work/one/C.000000005eed0000" ] || cp -al "$work/velociraptor/C.000000005eed0000" "$work/one/"
batches=(velociraptor kape one)
if [ -f ../shared/corpus/hives/regipy/SYSTEM ]; then
    cp -f ../shared/corpus/hives/regipy/SYSTEM "$work/SYSTEM"
    cp -f ../shared/corpus/logs/classic_win7sp1_rkudache31_WindowsUpdate.log "$work/WindowsUpdate.log"
    gen heavy "$work/heavy" "$heavy" "$work/SYSTEM" "$work/WindowsUpdate.log"
    batches+=(heavy)
else
    echo "fleet: no corpus, heavy batch skipped" >&2
fi

cmds=()
for b in "${batches[@]}"; do
    cmds+=("$bin triage $work/$b --format jsonl -q --force -o $work/$b.jsonl")
done
hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$work/fleet.md" "${cmds[@]}"
for b in "${batches[@]}"; do
    /usr/bin/time -f "fleet: $b: max RSS %M KiB, %e s, user %U s" \
        "$bin" triage "$work/$b" --format jsonl -q --force -o "$work/$b.jsonl"
    echo "fleet: $b: $(wc -l <"$work/$b.jsonl") hosts, $(stat -c %s "$work/$b.jsonl") bytes of JSON Lines"
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"/{velociraptor,kape,one,heavy} "$work"/*.jsonl
