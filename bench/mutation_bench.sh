#!/bin/sh
# The whole kill matrix (docs/faults.md): every fault of testcases/faults/ against the whole suite
# of its role, and the conforming peers against the whole suite, next to the wall time of one
# conforming suite run measured in the same invocation (the ratio is the matrix's cost in suites).
#
# Usage: bench/mutation_bench.sh [build-dir] [jobs]     (defaults build/ci 2)
# Prints the matrix, the server-mode runs that FAILed a faulty server, and the runner's last line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
built_harness mutation_bench "${1:-$root/build/ci}"
jobs=${2:-2}
scratch mutation
machine
t0=$(now)
PYTHONPATH=harness $py -m omadm_harness run --build-dir "$build" -j "$jobs" --out "$out/suite" -q >/dev/null 2>&1 || true
t1=$(now)
status=0
PYTHONPATH=harness $py -m omadm_harness mutation --build-dir "$build" -j "$jobs" --out "$out/m" \
    >"$out/m.log" 2>"$out/m.err" || status=$?
t2=$(now)
grep -E "^(conforming|KILLED|ALIVE|  )" "$out/m.err" || true
cat "$out/m.log"
suite_s=$(elapsed "$t0" "$t1")
matrix_s=$(elapsed "$t1" "$t2")
echo "baseline: one conforming suite run $suite_s s; matrix $matrix_s s (exit $status);" \
     "ratio $($py -c "print(f'{$matrix_s / max($suite_s, 0.001):.1f}')") suites"
