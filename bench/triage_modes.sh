#!/usr/bin/env bash
# What the summary, Timesketch events and a time window cost on top of a
# plain triage, timed with hyperfine.
#
#   bash bench/triage_modes.sh [WORKDIR] [BINARY...]
#
# HOSTS hosts (default 300), each the xp-broken SOFTWARE hive and a classic
# log of LOG_MIB MiB (default 3) made by repeating the xp-broken fixture log,
# so that every host has counted errors on every few lines (the worst case
# for anything gathered per counted line). Files are hard links to one copy.
# Compared, each with output to a file in WORKDIR:
#   triage -q --format jsonl                      (no summary)
#   triage --format jsonl                         (summary with busiest days)
#   triage -q --format timesketch                 (one event per counted line)
#   triage -q --format jsonl --since 2009-06-11   (a time window)
# With BINARY arguments, each is timed instead of this checkout's release
# build (to compare two builds on the same batch).
#
# Environment: HOSTS (300), LOG_MIB (3), RUNS (3). Needs python3, hyperfine.
# Removes the batch unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."

hosts=${HOSTS:-300}
log_mib=${LOG_MIB:-3}
runs=${RUNS:-3}
work=$(mktemp -d "${1:-${TMPDIR:-/tmp}}/wutriage-modes-XXXXXX")
shift || true
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

if [ $# -eq 0 ]; then
    cargo build --release --quiet
    set -- "${CARGO_TARGET_DIR:-target}/release/wutriage"
fi

python3 - "$work" "$hosts" "$log_mib" "$(pwd)" <<'PY'
import os, sys
work, hosts, log_mib, root = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
src = open(os.path.join(root, "fixtures/hosts/xp-broken/Windows/WindowsUpdate.log"), "rb").read()
want = int(log_mib * 1024 * 1024)
log = os.path.join(work, "WindowsUpdate.log")
with open(log, "wb") as f:
    f.write((src * (want // len(src) + 1))[:want].rsplit(b"\n", 1)[0] + b"\n")
hive = os.path.join(root, "fixtures/hosts/xp-broken/Windows/System32/config/SOFTWARE")
for i in range(hosts):
    d = os.path.join(work, "batch", f"host{i:05d}", "Windows")
    os.makedirs(os.path.join(d, "System32", "config"))
    os.link(log, os.path.join(d, "WindowsUpdate.log"))
    with open(hive, "rb") as s, open(os.path.join(d, "System32", "config", "SOFTWARE"), "wb") as t:
        t.write(s.read())
PY

batch=$work/batch
out=$work/out
for bin in "$@"; do
    echo "binary: $bin; cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    hyperfine -N -i --warmup 1 --runs "$runs" \
        -n "jsonl, -q" "$bin triage -q --format jsonl $batch -o $out --force" \
        -n "jsonl + summary" "$bin triage --format jsonl $batch -o $out --force" \
        -n "timesketch, -q" "$bin triage -q --format timesketch $batch -o $out --force" \
        -n "jsonl, -q, --since" "$bin triage -q --format jsonl --since 2009-06-11 $batch -o $out --force"
done
