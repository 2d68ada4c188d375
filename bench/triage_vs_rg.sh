#!/usr/bin/env bash
# `wutriage triage` over a batch of hosts against a one-pass search of the
# same files with ripgrep, timed with hyperfine.
#
#   bash bench/triage_vs_rg.sh [WORKDIR]
#
# Each host holds distinct files (copies, not hard links, each with its own
# content), so no file is read from another host's pages:
#   Windows/System32/config/SOFTWARE  one of four fixture hives in turn
#       (confirmed, healthy, latent, not-applicable), grown to HIVE_KIB KiB
#       (default: as is) by appending empty hive bins, with the host's
#       number written into a free cell so that every copy differs;
#   Windows/WindowsUpdate.log  a classic log of LOG_MIB MiB (default 3) made
#       of real lines: the corpus's Windows 7 log (when ../shared/corpus is
#       present) and the project's fixture logs with 0x800704DD/0x80240020,
#       each host's copy starting at a different line of the same text.
#
# Compared commands (each reads every byte of every file once):
#   wutriage triage -q --format jsonl --jobs 2 ROOT       (output to /dev/null)
#   rg -c -j2 -a '0x8024|800704DD' ROOT                   (-a: hives searched
#       as text too, instead of skipped as binary at their first NUL)
#   rg -c -j2 -a -i '800704dd|80240020' ROOT              (KB910341's two codes
#       whatever their case, as logs write them: bench/log.sh's search)
# and, as the floor of any tool that gives every file's SHA-256 as triage
# does, OpenSSL's SHA-256 of the same files on 2 processes.
#
# The batch (HOSTS hosts, default 1,000; about HOSTS x LOG_MIB MiB) is made
# under WORKDIR (default $TMPDIR or /tmp) and removed at the end unless
# KEEP=1. Caches: after hyperfine's warm-up run the batch is in the page
# cache when it fits in memory (3 GB does on a machine with 23 GB), so the
# figures are CPU-bound, warm-cache figures; cold storage adds the disk's
# read time to both commands alike.
#
# Environment: HOSTS (1000), LOG_MIB (3), HIVE_KIB (0: fixture size),
# RUNS (5), WARMUP (1). Needs python3, hyperfine, rg, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)

hosts=${HOSTS:-1000}
log_mib=${LOG_MIB:-3}
hive_kib=${HIVE_KIB:-0}
runs=${RUNS:-5}
warmup=${WARMUP:-1}
work=$(mktemp -d "${1:-${TMPDIR:-/tmp}}/wutriage-vs-rg-XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

for tool in python3 hyperfine rg openssl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/wutriage

echo "generating $hosts hosts under $work" >&2
python3 - "$work/batch" "$hosts" "$log_mib" "$hive_kib" "$root_dir" <<'PY'
import os, struct, sys

out, hosts, log_mib, hive_kib, root = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def lines_of(path):
    with open(path, "rb") as f:
        return [l.rstrip(b"\r\n") + b"\r\n" for l in f if l.strip()]

seed = []
corpus = os.path.join(root, "../shared/corpus/logs/classic_win7sp1_rkudache31_WindowsUpdate.log")
if os.path.exists(corpus):
    seed += lines_of(corpus)
for f in ["fixtures/logs/classic_kb910341_WindowsUpdate.log",
          "fixtures/hosts/xp-broken/Windows/WindowsUpdate.log"]:
    seed += lines_of(os.path.join(root, f))
want = int(log_mib * 1024 * 1024)
text, n = [], 0
while n < want:
    for l in seed:
        text.append(l)
        n += len(l)
        if n >= want:
            break

def checksum(block):
    x = 0
    for (v,) in struct.iter_unpack("<I", block[:508]):
        x ^= v
    return 1 if x == 0 else (0xFFFFFFFE if x == 0xFFFFFFFF else x)

def grow(hive, kib, host):
    """Appends empty hive bins (one free cell each) up to `kib` KiB; writes
    the host's number into the last free cell, so each copy differs."""
    hive = bytearray(hive)
    bins = struct.unpack_from("<I", hive, 40)[0]
    target = max(kib * 1024, len(hive) + 4096)
    while 4096 + bins + 4096 <= target:
        hbin = bytearray(4096)
        hbin[0:4] = b"hbin"
        struct.pack_into("<III", hbin, 4, bins, 4096, 0)
        struct.pack_into("<i", hbin, 32, 4096 - 32)  # one free cell
        hive[4096 + bins:4096 + bins + 4096] = hbin
        bins += 4096
    struct.pack_into("<Q", hive, len(hive) - 8, host)
    struct.pack_into("<I", hive, 40, bins)
    struct.pack_into("<I", hive, 508, checksum(hive))
    return bytes(hive)

names = ["xp-missing-values", "xp-complete", "xp-wrong-data", "win7"]
hives = [open(os.path.join(root, "fixtures/registry", n + ".hive"), "rb").read() for n in names]
step = max(1, len(text) // max(hosts, 1))
for i in range(hosts):
    host = os.path.join(out, f"host{i:05d}", "Windows")
    os.makedirs(os.path.join(host, "System32", "config"))
    with open(os.path.join(host, "System32", "config", "SOFTWARE"), "wb") as f:
        f.write(grow(hives[i % len(hives)], hive_kib, i))
    k = (i * step) % len(text)
    with open(os.path.join(host, "WindowsUpdate.log"), "wb") as f:
        f.write(b"".join(text[k:]))
        f.write(b"".join(text[:k]))
PY
du -sh "$work/batch" >&2

find "$work/batch" -type f -print0 >"$work/files"
sha="sh -c 'xargs -0 -P2 -n100 openssl dgst -sha256 <$work/files >/dev/null'"
tri="$bin triage -q --format jsonl --jobs 2 $work/batch"
rg="rg -c -j2 -a '0x8024|800704DD' $work/batch"
rgi="rg -c -j2 -a -i '800704dd|80240020' $work/batch"
echo "cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg); binary: $bin" >&2
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/h.json" \
    --export-markdown "$work/h.md" -n wutriage "$tri" -n rg "$rg" -n "rg -i" "$rgi" \
    -n sha256-only "$sha" >&2 || true
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for name, x in r.items():
    print(f"{name}: wall {x['mean']:.3f} s ± {x['stddev']:.3f} (min {x['min']:.3f}), "
          f"user {x['user']:.3f} s, sys {x['system']:.3f} s, user+sys {x['user'] + x['system']:.3f} s")
w, g = r["wutriage"], r["rg"]
s = r["sha256-only"]
print(f"SHA-256 alone / rg: user+sys {(s['user'] + s['system']) / (g['user'] + g['system']):.2f}")
for name in ["rg", "rg -i"]:
    g = r[name]
    print(f"against {name}: ratio wall (mean): {w['mean'] / g['mean']:.2f}, "
          f"wall (min): {w['min'] / g['min']:.2f}, "
          f"user+sys: {(w['user'] + w['system']) / (g['user'] + g['system']):.2f}; "
          f"SHA-256 alone / {name} (wall): {s['mean'] / g['mean']:.2f}")
PY
echo "peak memory:" >&2
/usr/bin/time -f "  %M KiB max RSS, %e s wall, %U s user, %S s sys" $tri >/dev/null
