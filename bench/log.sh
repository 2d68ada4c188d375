#!/usr/bin/env bash
# Log scanning benchmark: `wutriage log` on a generated 1 GiB classic
# WindowsUpdate.log against `rg -c -i '800704dd|80240020'` on the same file,
# plus the peak RSS of `wutriage log`.
#
# Usage: bench/log.sh [SIZE_MIB]   (default 1024)
#        FORMAT=win10 bench/log.sh  Get-WindowsUpdateLog output instead: the
#        corpus's Windows 10/11 logs (without a BOM) repeated (needs the corpus)
# Needs: hyperfine, rg, /usr/bin/time (apt-get install time).
# The log is built under /tmp from the corpus's real Windows 7 log (when
# ../shared/corpus is present) and our fixture with 0x800704DD/0x80240020
# lines, and deleted at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
size_mib="${1:-1024}"
log="$(mktemp /tmp/wutriage-bench-XXXXXX.log)"
trap 'rm -f "$log" "$log.seed"' EXIT

for tool in hyperfine rg /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/wutriage"

corpus_log="$root/../shared/corpus/logs/classic_win7sp1_rkudache31_WindowsUpdate.log"
fixture="$root/fixtures/logs/classic_kb910341_WindowsUpdate.log"
if [ "${FORMAT:-classic}" = win10 ]; then
    corpus="$root/../shared/corpus/logs"
    [ -d "$corpus" ] || { echo "FORMAT=win10 needs ../shared/corpus" >&2; exit 2; }
    cat "$corpus/win10fmt_dashdate_debajyati_WindowsUpdate.log" \
        "$corpus/win10fmt_wsus_findingsanity_WindowsUpdate.log" >"$log.seed"
else
    {
        [ -f "$corpus_log" ] && cat "$corpus_log"
        cat "$fixture"
    } >"$log.seed"
fi

# Double the seed until the target size is reached, then cut at a line end.
target=$((size_mib * 1024 * 1024))
cp "$log.seed" "$log"
while [ "$(stat -c %s "$log")" -lt "$target" ]; do
    cat "$log" "$log" >"$log.seed" && mv "$log.seed" "$log"
done
head -c "$target" "$log" | sed '$d' >"$log.seed" && mv "$log.seed" "$log"

echo "format: ${FORMAT:-classic}; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $log ($(stat -c %s "$log") bytes, $(wc -l <"$log") lines)"
echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

hyperfine --warmup 2 --runs 10 -N -i \
    --export-markdown /tmp/wutriage-bench-log.md \
    "$bin log $log" \
    "rg -c -i '800704dd|80240020' $log"
echo
echo "single-threaded (RAYON_NUM_THREADS=1):"
RAYON_NUM_THREADS=1 hyperfine --warmup 1 --runs 5 -N "$bin log $log"
echo
echo "peak RSS:"
/usr/bin/time -v "$bin" log "$log" 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed'
echo
"$bin" log "$log"
