#!/bin/sh
# Conformance suite timing on this machine.
#
# 1. Wall time of the full suite: python -m omadm_harness run --build-dir <dir> -j <jobs>.
# 2. The harness's overhead per case: one case that downloads a policy through a server-initiated
#    session (MgmtPolicyMO-HLF-1-download-simple-policy, both roles), run through the harness,
#    next to the same exchange made directly by a small script over the control API (both
#    binaries started, account set, policy download queued, Package 0, wait for the Atomic's
#    Status, the tree and policy reads the case checks, both binaries stopped). Each side is
#    a fresh python process, run <reps> times; medians are compared as a ratio.
#
# Usage: bench/suite_bench.sh [build-dir] [jobs] [reps]     (defaults build/bench 2 5)
# Run from anywhere; reports go to a temporary directory removed at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
built_harness suite_bench "${1:-$root/build/bench}"
jobs=${2:-2}
reps=${3:-5}
case_id=MgmtPolicyMO-HLF-1-download-simple-policy
scratch suite
machine

# --- 1. Full suite -------------------------------------------------------------------------------
t0=$(now)
status=0
PYTHONPATH=harness $py -m omadm_harness run --build-dir "$build" -j "$jobs" --out "$out/suite" -q \
    >"$out/suite.log" 2>&1 || status=$?
t1=$(now)
cases=$(PYTHONPATH=harness $py -m omadm_harness list | wc -l)
suite_s=$(elapsed "$t0" "$t1" 3)
echo "full suite: $cases case instances, -j $jobs, wall $suite_s s (exit $status), $(tail -n 1 "$out/suite.log")"

# --- 2. Per-case overhead -------------------------------------------------------------------------
cat >"$out/direct.py" <<'EOF'
"""The exchange of MgmtPolicyMO-HLF-1-download-simple-policy, once per role, without the harness."""
import json, sys, tempfile, urllib.parse
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from alert_latency import DEVICE, SERVER_ID, Proc, binaries

server_bin, client_bin = binaries(Path(sys.argv[1]))
POLICY = {"id": "p1", "name": "low-battery-dim", "version": "1", "priority": 1,
          "conditions": [{"id": "c1", "uri": "./DevDetail/Ext/SysProps/Battery", "operator": "lt", "value": "20"}],
          "actions": [{"id": "a1", "order": 1, "command": "Replace", "target": "./Vendor/Demo/Brightness",
                       "data": "30", "format": "int"}],
          "trigger": "OnChange"}

def one():
    with tempfile.TemporaryDirectory(prefix="omadm-bench-direct-") as tmp:
        work = Path(tmp)
        (work / "server").mkdir()
        (work / "device").mkdir()
        server = Proc([server_bin, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
                       "--state", str(work / "server/state"), "--events", str(work / "server/events.jsonl"),
                       "--wire-trace", str(work / "server/wire")], work / "server")
        device = None
        try:
            acc = {"user": "dev-1", "password": "dev-1-secret", "auth": "md5", "server_password": "srv-secret"}
            dev = f"/v1/devices/{urllib.parse.quote(DEVICE, safe='')}"
            server.api.call("PUT", f"{dev}/account", acc)
            cfg = {"device_id": DEVICE, "server_id": SERVER_ID, "server_url": f"http://127.0.0.1:{server.ready['port']}/dm",
                   "auth": "md5", "user": acc["user"], "password": acc["password"],
                   "server_password": acc["server_password"], "encoding": "xml", "ver_proto": "DM/1.3",
                   "dev_info": {"dmv": "1.3"}}
            (work / "device/config.json").write_text(json.dumps(cfg))
            device = Proc([client_bin, "--config", str(work / "device/config.json"), "--listen", "127.0.0.1:0",
                           "--control", "127.0.0.1:0", "--state", str(work / "device/state"),
                           "--events", str(work / "device/events.jsonl"), "--wire-trace", str(work / "device/wire")],
                          work / "device")
            dl = server.api.call("POST", f"{dev}/policies", POLICY)
            server.api.call("POST", f"{dev}/notify", {"ui_mode": 0, "udp": f"127.0.0.1:{device.ready['pkg0_udp_port']}"})
            server.api.wait_event(0, "command_status", 15, lambda e: e.get("batch") == dl["batch"] and "member" not in e)
            server.api.call("GET", f"{dev}/batches/{dl['batch']}")
            for uri in ("./MgmtPolicy/p1", "./MgmtPolicy/p1/Conditions/Simple/c1/Operator",
                        "./MgmtPolicy/p1/Actions/Simple/a1/Target"):
                device.api.call("GET", "/v1/tree?uri=" + urllib.parse.quote(uri, safe=""))
            device.api.call("GET", "/v1/policies")
        finally:
            if device:
                device.stop()
            server.stop()

for _ in range(2):  # the case runs once per role (@client, @server)
    one()
EOF

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
: >"$out/harness.times"
: >"$out/direct.times"
i=0
while [ "$i" -lt "$reps" ]; do
    t0=$(now)
    PYTHONPATH=harness $py -m omadm_harness run --build-dir "$build" -j 1 --id "$case_id" --out "$out/one-$i" -q \
        >"$out/one.log" 2>&1 || { echo "suite_bench: the case failed, see below" >&2; cat "$out/one.log" >&2; exit 1; }
    t1=$(now)
    elapsed "$t0" "$t1" 3 >>"$out/harness.times"
    t0=$(now)
    $py "$out/direct.py" "$build" "$here"
    t1=$(now)
    elapsed "$t0" "$t1" 3 >>"$out/direct.times"
    i=$((i + 1))
done
h=$(median <"$out/harness.times")
d=$(median <"$out/direct.times")
echo "one case ($case_id, 2 role instances), median of $reps:"
echo "  through the harness: $h s   ($(tr '\n' ' ' <"$out/harness.times"))"
echo "  direct control-API script, same exchange: $d s   ($(tr '\n' ' ' <"$out/direct.times"))"
$py -c "h, d = $h, $d; print(f'ratio harness / direct: {h / d:.2f}x, overhead {1000 * (h - d) / 2:.0f} ms per case instance')"
