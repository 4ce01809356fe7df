#!/usr/bin/env bash
# Main job: installs dependencies, builds the release preset, and runs the conformance suite
# against the reference peers, writing reports under reports/out/. Exit code as the harness's:
# 0 all as expected, 1 an unexpected result, 2 the harness could not do its job, 3 interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${OMADM_JOBS:-$(nproc)}

bash scripts/setup-deps.sh
cmake --preset release
cmake --build --preset release -j "$JOBS"
export PYTHONPATH="$(pwd)/harness${PYTHONPATH:+:$PYTHONPATH}"
exec /usr/bin/python3 -m omadm_harness run --build-dir build/release --out reports/out -j "$JOBS" \
    --baseline testcases/baselines/ref-peers.yaml "$@"
