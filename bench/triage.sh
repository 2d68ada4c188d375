#!/usr/bin/env bash
# Times `wutriage triage` over generated batches of hosts with hyperfine.
#
#   bash bench/triage.sh [WORKDIR]
#
# Each host is Windows/System32/config/SOFTWARE (one of four fixture hives,
# in turn: confirmed, healthy, latent, not-applicable) and
# Windows/WindowsUpdate.log (a classic log of LOG_MIB MiB, default 3, made by
# repeating the xp-broken fixture log). Files are hard links to one copy, so
# 10,000 hosts take little disk; that also means the page cache holds every
# host's log after the first read, so the figures are optimistic. A second
# batch of DISTINCT hosts (default 1,000) gets its own copy of the log each.
#
# Environment: SIZES (default "1000 10000"), DISTINCT (default 1000, 0 to
# skip), RUNS (default 3), LOG_MIB (default 3), JOBS (default: all cores).
# Needs python3, hyperfine and /usr/bin/time. Removes WORKDIR's batches when done
# unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${1:-${TMPDIR:-/tmp}/wutriage-bench}
sizes=${SIZES:-1000 10000}
distinct=${DISTINCT:-1000}
runs=${RUNS:-3}
log_mib=${LOG_MIB:-3}
jobs=${JOBS:-}

cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/wutriage
mkdir -p "$work"

# gen.py ROOT COUNT LINK(1|0): the batch under ROOT, made once.
gen() {
    python3 - "$@" <<'PY'
import os, shutil, sys
root, count, link = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
work = os.path.dirname(root)
log = os.path.join(work, "WindowsUpdate.log")
hives = ["xp-missing-values", "xp-complete", "xp-wrong-data", "win7"]
done = os.path.join(root, ".complete")
if os.path.exists(done):
    sys.exit(0)
shutil.rmtree(root, ignore_errors=True)
for i in range(count):
    host = os.path.join(root, f"host{i:05d}", "Windows")
    os.makedirs(os.path.join(host, "System32", "config"))
    hive = os.path.join(work, hives[i % len(hives)] + ".hive")
    os.link(hive, os.path.join(host, "System32", "config", "SOFTWARE"))
    target = os.path.join(host, "WindowsUpdate.log")
    if link:
        os.link(log, target)
    else:
        shutil.copyfile(log, target)
open(done, "w").close()
PY
}

# The shared files: the hives, and the log repeated to LOG_MIB MiB.
for h in xp-missing-values xp-complete xp-wrong-data win7; do
    cp -f "fixtures/registry/$h.hive" "$work/$h.hive"
done
python3 - "$work/WindowsUpdate.log" "$log_mib" <<'PY'
import sys
day = open("fixtures/hosts/xp-broken/Windows/WindowsUpdate.log", "rb").read()
want = int(float(sys.argv[2]) * 1024 * 1024)
open(sys.argv[1], "wb").write(day * (want // len(day) + 1))
PY

args=(triage -q --format jsonl)
[ -n "$jobs" ] && args+=(--jobs "$jobs")
cmds=()
for n in $sizes; do
    echo "generating $n hosts (hard links)" >&2
    gen "$work/linked-$n" "$n" 1
    cmds+=("$bin ${args[*]} $work/linked-$n")
done
if [ "$distinct" -gt 0 ]; then
    echo "generating $distinct hosts (distinct files)" >&2
    gen "$work/distinct-$distinct" "$distinct" 0
    cmds+=("$bin ${args[*]} $work/distinct-$distinct")
fi

echo "cores: $(nproc); log: $(stat -c %s "$work/WindowsUpdate.log") bytes; binary: $bin" >&2
hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$work/triage.md" "${cmds[@]}"

echo "peak memory (max RSS):" >&2
for c in "${cmds[@]}"; do
    /usr/bin/time -f "  %M KiB  %e s  $c" $c >/dev/null
done

cat "$work/triage.md"
if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"/linked-* "$work"/distinct-*
fi
