#!/usr/bin/env bash
# run-fuzzers.sh BUILD_DIR SECONDS: runs each fuzz target found under BUILD_DIR/fuzz for SECONDS,
# starting from its seed corpus fuzz/corpus/<target>/ (copied, so the checked-in seeds stay as they are).
set -euo pipefail
build=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
targets=("$build"/fuzz/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzz targets under $build/fuzz" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=$(basename "$t")
  work="$root/fuzz/corpus-work/$name"
  rm -rf "$work"; mkdir -p "$work"
  if [ -d "$root/fuzz/corpus/$name" ]; then cp -r "$root/fuzz/corpus/$name/." "$work/"; fi
  echo "-- $name for ${seconds}s ($(ls "$work" | wc -l) seeds)"
  "$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" 2>"$work.log" || {
    echo "run-fuzzers: $name found a crash; its log:" >&2
    tail -50 "$work.log" >&2
    exit 1
  }
  grep -E 'stat::number_of_executed_units' "$work.log" || true
done
echo "run-fuzzers: ${#targets[@]} targets ran clean"
