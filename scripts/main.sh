#!/usr/bin/env bash
# Main job: installs what it needs, builds only the two reference binaries (main preset: optimised,
# quiet; the test command keeps the full, strict build), and runs the conformance suite against the
# reference peers, writing reports under reports/out/. Exit code as the harness's: 0 all as
# expected, 1 an unexpected result, 2 the harness could not do its job, 3 interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${OMADM_JOBS:-$(nproc)}

bash scripts/setup-deps.sh --main
cmake --preset main >/dev/null
cmake --build --preset main -j "$JOBS"
export PYTHONPATH="$(pwd)/harness${PYTHONPATH:+:$PYTHONPATH}"
exec /usr/bin/python3 -m omadm_harness run --build-dir build/main --out reports/out -j "$JOBS" \
    --baseline testcases/baselines/ref-peers.yaml "$@"
