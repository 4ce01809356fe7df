#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine: installs dependencies, builds with the ci preset
# (warnings are errors), checks the house rules (tools/check_house_rules.py) and runs clang-tidy on
# core/ (tools/run_clang_tidy.py), runs each libFuzzer target for a bounded time on its seed corpus,
# runs the main job (scripts/main.sh, whose unity build no other step compiles), then the unit and
# end-to-end suites through CTest. Exit code non-zero on any failure,
# including "no test ran".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${OMADM_JOBS:-$(nproc)}
FUZZ_SECONDS=${OMADM_FUZZ_SECONDS:-20}

bash scripts/setup-deps.sh

echo "== configure and build (ci preset)"
cmake --preset ci
cmake --build --preset ci -j "$JOBS"

echo "== house rules (format, sans-IO core, requirement labels, citations)"
/usr/bin/python3 tools/check_house_rules.py

echo "== clang-tidy on core (warnings are errors)"
/usr/bin/python3 tools/run_clang_tidy.py --build-dir build/ci -j "$JOBS"

echo "== traceability"
/usr/bin/python3 tools/check_traceability.py

echo "== fuzz smoke (${FUZZ_SECONDS}s per target)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$JOBS" \
    --target fuzz_xml_decode fuzz_wbxml_decode fuzz_package0_decode fuzz_tnds_decode fuzz_hmac_header \
    fuzz_server_session fuzz_client_session fuzz_command_json fuzz_http_request fuzz_dm_endpoint
bash scripts/run-fuzzers.sh "$ROOT/build/fuzz" "$FUZZ_SECONDS"

echo "== the main job as a user runs it (unity build of the two binaries, the suite, exit 0)"
bash scripts/main.sh --out "$ROOT/build/main-reports" -q

echo "== unit and end-to-end tests"
# CTest prints the closing "N% tests passed, N tests failed out of N" line; the ci test preset
# treats "no tests" as an error.
ctest --preset ci
