# Sourced by the bench scripts: a monotonic clock in seconds and the difference of two readings.
# Usage: t0=$(now); ...; elapsed "$t0" "$(now)" [decimals]       (default 1 decimal)
now() { /usr/bin/python3 -c 'import time; print(time.monotonic())'; }
elapsed() { /usr/bin/python3 -c "print(f'{$2 - $1:.${3:-1}f}')"; }
