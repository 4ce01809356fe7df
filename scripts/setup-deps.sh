#!/usr/bin/env bash
# Installs every Debian package the project builds, tests and runs with (`--main`: only what the
# main job needs). Idempotent: does nothing when all are present. Needs root (apt-get); no other
# network than Debian's archive.
set -euo pipefail

# What the main job builds and runs with (the two reference binaries and the harness).
MAIN_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libpugixml-dev libssl-dev openssl libwbxml2-dev
  libsqlite3-dev libspdlog-dev
  python3 python3-yaml python3-jinja2 python3-lxml python3-jsonschema
)
# Everything the test command needs besides: tests, benchmarks, fuzzers, linters, the browser.
TEST_PACKAGES=(
  git libwbxml2-utils libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  python3-pytest python3-pytest-xdist python3-pytest-timeout python3-filelock
  python3-venv python3-pip python3-setuptools python3-wheel
  chromium
)
PACKAGES=("${MAIN_PACKAGES[@]}")
if [ "${1:-}" != "--main" ]; then PACKAGES+=("${TEST_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "setup-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
