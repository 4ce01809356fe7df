#!/bin/sh
# Time to the first report: the main job's wall time split into package installation, the build
# of what it runs (the main preset in a fresh tree) and the suite, with each phase's
# share of the total. On a machine with the packages already present the install phase only checks
# them; run it on a fresh Debian 12 machine for the figure a new user sees.
#
# Usage: bench/first_report_bench.sh [jobs]      (default: nproc)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
jobs=${1:-$(nproc)}
scratch first
machine
t0=$(now)
bash scripts/setup-deps.sh --main >"$out/deps.log" 2>&1
t1=$(now)
cmake --preset main -B "$out/build" >"$out/configure.log"
cmake --build "$out/build" -j "$jobs" --target omadm-ref-server omadm-ref-client >"$out/build.log"
t2=$(now)
status=0
PYTHONPATH=harness $py -m omadm_harness run --build-dir "$out/build" --out "$out/reports" -j "$jobs" -q \
    --baseline testcases/baselines/ref-peers.yaml >"$out/suite.log" 2>&1 || status=$?
t3=$(now)
total=$(elapsed "$t0" "$t3")
for phase in "install $t0 $t1" "build $t1 $t2" "suite $t2 $t3"; do
    set -- $phase
    s=$(elapsed "$2" "$3")
    echo "$1: $s s ($($py -c "print(f'{100 * $s / max($total, 0.001):.0f}')")% of the total)"
done
echo "first report: $total s (suite exit $status; target: under 300 s on a fresh 2-core machine)"
