#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each and prints the
# executions per target. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 60 s, every target
#
# Environment:
#   FUZZ_PARALLEL=N   targets run at once (default 1; the machine's cores are shared)
#   FUZZ_WORK=DIR     corpora, crashes and logs (default target/fuzz-work; never committed)
#   WUTRIAGE_CORPUS   extra read-only seeds (default ../shared/corpus when present)
set -euo pipefail

secs=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(hive regfile wulog replay rules etl evt eventlog)
work=${FUZZ_WORK:-$root/target/fuzz-work}
parallel=${FUZZ_PARALLEL:-1}
corpus=${WUTRIAGE_CORPUS:-$root/../shared/corpus}
[ -f "$corpus/README.md" ] || corpus=

# Longest input per target: seeds above it are cut when loaded.
max_len() {
	case $1 in
	hive | etl | evt) echo 65536 ;;
	replay) echo 131072 ;;
	eventlog) echo 135168 ;;
	rules) echo 16384 ;;
	*) echo 32768 ;;
	esac
}

# Extra read-only seed folders for a target (the shared corpus, if any).
extra_seeds() {
	[ -n "$corpus" ] || return 0
	case $1 in
	hive) echo "$corpus/hives" ;;
	wulog) echo "$corpus/logs" ;;
	etl) echo "$corpus/etl" ;;
	evt) echo "$corpus/evt" ;;
	eventlog) echo "$corpus/evtx $corpus/etl $corpus/evt" ;;
	esac
}

mkdir -p "$work"
cd "$root/fuzz"
echo "building fuzz targets (nightly, no sanitizer, debug assertions on)" >&2
nice cargo +nightly fuzz build -s none -a >&2
bin="$root/fuzz/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
# Seeds of this run only (two runs on different targets may overlap).
seeds="$work/seeds.$$"
trap 'rm -rf "$seeds"' EXIT
nice cargo +nightly run -q --example seeds -- "$seeds" >&2

run_one() {
	local t=$1 dir="$work/corpus/$t" log="$work/$t.log"
	mkdir -p "$dir" "$work/artifacts/$t"
	# shellcheck disable=SC2046
	nice "$bin/$t" "$dir" "$seeds/$t" $(extra_seeds "$t") \
		-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		-max_len="$(max_len "$t")" -artifact_prefix="$work/artifacts/$t/" >"$log" 2>&1
}

declare -A status
running=0
for t in "${targets[@]}"; do
	(run_one "$t" && echo ok >"$work/$t.status" || echo "FAILED (exit $?)" >"$work/$t.status") &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

total=0
printf '%-10s %14s  %s\n' target executions result
for t in "${targets[@]}"; do
	n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$' | tail -1)
	n=${n:-0}
	status[$t]=$(cat "$work/$t.status" 2>/dev/null || echo "?")
	printf '%-10s %14s  %s\n' "$t" "$n" "${status[$t]}"
	total=$((total + n))
	printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$secs" "$n" "${status[$t]}" >>"$work/stats.tsv"
done
printf '%-10s %14s\n' total "$total"
[ -z "$(find "$work/artifacts" -type f)" ] || echo "inputs that failed: $work/artifacts/" >&2
for t in "${targets[@]}"; do [ "${status[$t]}" = ok ] || exit 1; done
