#!/usr/bin/env bash
# Event-log reading benchmark: `wutriage log` on an ETL trace and an EVTX
# log against the decoders a user has on Linux, on the same files.
#
#   ETL:  etl-parser 1.0.1 and dissect.etl 3.14 (through scripts/etl_oracle.py,
#         which walks the buffers, decodes TraceLogging and prints JSON)
#   EVTX: python-evtx 0.8.1 (scripts/python_evtx_dump.py: its dump loop, XML) and the evtx crate's own
#         evtx_dump 0.15.1 (JSON, one thread and all threads)
#
# Usage: bench/eventlog.sh [COPIES]   (default 200)
# Needs: hyperfine, /usr/bin/time, the Python decoders (scripts/oracles.sh)
# and evtx_dump (cargo install evtx --version =0.15.1 --locked --root target/tools).
# Inputs are built under /tmp from the corpus and deleted at the end (and an
# ETL of twice the size, for the memory figures):
#   - the ASUS Windows Update trace (60 KiB, 173 events): its header buffer,
#     then its 14 other buffers repeated COPIES times;
#   - ts-evtx System.evtx (1,247 records): its header block, then its chunks
#     repeated COPIES/20 times (the evtx crate counts chunks from the file
#     size; python-evtx reads every chunk it finds). python-evtx takes about
#     3 s per copy, so it is timed in 2 runs without warm-up.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
copies="${1:-200}"
corpus="$root/../shared/corpus"
py="$root/target/oracles/bin/python"
evtx_dump_rs="$root/target/tools/bin/evtx_dump"
evtx_dump_py="$root/scripts/python_evtx_dump.py"
work="$(mktemp -d /tmp/wutriage-bench-ev-XXXXXX)"
trap 'rm -rf "$work"' EXIT

for tool in hyperfine /usr/bin/time "$py" "$evtx_dump_rs" "$evtx_dump_py"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/wutriage"

etl_src="$corpus/etl/asus_g713qm/WindowsUpdate.20250426.052044.386.1.etl"
etl="$work/WindowsUpdate.etl"
bs=$(od -An -tu4 -N4 "$etl_src" | tr -d ' ')
head -c "$bs" "$etl_src" >"$etl"
tail -c +"$((bs + 1))" "$etl_src" >"$work/buffers"
for _ in $(seq "$copies"); do cat "$work/buffers"; done >>"$etl"

evtx_src="$corpus/evtx/ts-evtx/System.evtx"
evtx="$work/System.evtx"
head -c 4096 "$evtx_src" >"$evtx"
tail -c +4097 "$evtx_src" >"$work/chunks"
for _ in $(seq $((copies / 20))); do cat "$work/chunks"; done >>"$evtx"
# python-evtx reads as many chunks as the header counts: make it count them all.
python3 - "$evtx" <<'PY'
import struct, sys, zlib
p = sys.argv[1]
with open(p, "r+b") as f:
    h = bytearray(f.read(4096))
    f.seek(0, 2)
    n = (f.tell() - 4096) // 65536
    struct.pack_into("<Q", h, 16, n - 1)
    struct.pack_into("<H", h, 42, n)
    struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
    f.seek(0)
    f.write(h)
PY

etl2="$work/WindowsUpdate2.etl"
cat "$etl" "$work/buffers" >"$etl2"
for _ in $(seq "$copies"); do cat "$work/buffers"; done >>"$etl2"
echo "etl:  $(stat -c %s "$etl") bytes"
echo "evtx: $(stat -c %s "$evtx") bytes"
echo "cpu:  $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$bin" log "$etl" | sed -n 4,5p
"$bin" log "$evtx" | sed -n 4,5p
echo

hyperfine --warmup 1 --runs 5 -N \
    --export-markdown "$work/etl.md" \
    "$bin log $etl" \
    "$py $root/scripts/etl_oracle.py etl-parser $etl" \
    "$py $root/scripts/etl_oracle.py dissect $etl"
cat "$work/etl.md"
echo

hyperfine --warmup 1 --runs 5 -N \
    --export-markdown "$work/evtx.md" \
    "$bin log $evtx" \
    "$evtx_dump_rs -t 1 -o json $evtx" \
    "$evtx_dump_rs -o json $evtx"
cat "$work/evtx.md"
hyperfine --runs 2 -N --export-markdown "$work/evtx-py.md" "$py $evtx_dump_py $evtx"
cat "$work/evtx-py.md"
echo

echo "peak RSS in KiB (wutriage log): the ETL at 1x, ${copies}x and $((2 * copies + 1))x, the EVTX at 1x and $((copies / 20))x:"
for f in "$etl_src" "$etl" "$etl2" "$evtx_src" "$evtx"; do
    printf '%s: ' "$(basename "$f") $(stat -c %s "$f")"
    /usr/bin/time -v "$bin" log "$f" 2>&1 >/dev/null | grep -E 'Maximum resident' | sed 's/.*: //'
done
