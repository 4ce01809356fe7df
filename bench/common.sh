# Sourced by the bench scripts after setting `here` (this folder): the repository root, the Python
# that has the harness's packages, a monotonic clock, a scratch folder and the build folder check.
# Usage: t0=$(now); ...; elapsed "$t0" "$(now)" [decimals]       (default 1 decimal)
root=$(dirname "$here")
py=/usr/bin/python3
now() { $py -c 'import time; print(time.monotonic())'; }
elapsed() { $py -c "print(f'{$2 - $1:.${3:-1}f}')"; }

# scratch NAME: sets `out` to a new folder under /tmp, removed when the script exits.
scratch() {
    out=$(mktemp -d "/tmp/omadm-bench-$1-XXXXXX")
    trap 'rm -rf "$out"' EXIT
}

# built_harness SCRIPT DIR: sets `build` to DIR made absolute; stops the script when DIR has no
# harness.json (not configured and built).
built_harness() {
    case "$2" in /*) build=$2 ;; *) build=$(pwd)/$2 ;; esac
    [ -f "$build/harness.json" ] || { echo "$1: $build/harness.json missing (configure and build first)" >&2; exit 2; }
}

# The machine line every bench prints first; run from the repository root.
machine() {
    cd "$root"
    echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
