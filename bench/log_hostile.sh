#!/usr/bin/env bash
# Hostile logs: `wutriage log` and `wutriage scan` on generated logs built to
# defeat per-code state, at 1x and 10x size (time should grow linearly, peak
# RSS stay flat and under 256 MiB):
#   one-line   a classic line holding 20,000 distinct HRESULTs (220 KB; 10x:
#              ten such lines, 200,000 codes)
#   per-line   400,000 lines, each with its own HRESULT (23 MB; 10x: 4,000,000)
#   dense      20,000 lines of 90 codes each (20 MB; 10x: 200,000 lines)
#
# Usage: bench/log_hostile.sh
# Needs: python3, hyperfine, /usr/bin/time. Files are made under a temp dir
# and deleted at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/wutriage-hostile-XXXXXX)"
trap 'rm -rf "$work"' EXIT

for tool in python3 hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/wutriage"

python3 - "$work" <<'PY'
import os, sys
w = sys.argv[1]
head = "2024-03-01\t16:00:00:000\t 900\t 3a4\tAU\t"
for scale in (1, 10):
    with open(f"{w}/one-line-{scale}x.log", "w") as f:
        for j in range(scale):
            f.write(head + "".join(f"0x8{j*20000+i+1:07X} " for i in range(20000)) + "\n")
    with open(f"{w}/per-line-{scale}x.log", "w") as f:
        for i in range(400000 * scale):
            f.write(f"{head}failed, hr=0x8{i+1:07X}\n")
    with open(f"{w}/dense-{scale}x.log", "w") as f:
        k = 0
        for j in range(20000 * scale):
            f.write(head + "".join(f"0x8{(k+i)%9000+1:07X} " for i in range(90)) + "\n")
            k += 90
PY

for name in one-line per-line dense; do
    for scale in 1 10; do
        log="$work/$name-${scale}x.log"
        host="$work/host-$name-$scale"
        mkdir -p "$host" && ln "$log" "$host/WindowsUpdate.log"
        for cmd in "log --format json $log" "scan --format json $host"; do
            /usr/bin/time -f "%M" -o "$work/rss" "$bin" $cmd >/dev/null || true
            printf '%-9s %3sx %-4s %9s bytes  peak RSS %6s KiB\n' "$name" "$scale" \
                "${cmd%% *}" "$(stat -c %s "$log")" "$(cat "$work/rss")"
        done
    done
    hyperfine --warmup 1 --runs 5 -N \
        "$bin log --format json $work/$name-1x.log" \
        "$bin log --format json $work/$name-10x.log"
done
