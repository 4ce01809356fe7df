#!/usr/bin/python3
"""Alert latency: from a system property change on the device to the server holding the Generic Alert.

Starts omadm-ref-server and omadm-ref-client (paths from <build-dir>/harness.json), downloads and
activates a policy whose condition watches ./DevDetail/Ext/SysProps/Battery (lt 20) and whose
action replaces ./Vendor/Demo/Brightness, with notify enabled. Then, N times: battery 80 (the
condition becomes false, nothing is sent), then battery 10 through the client's control API, and
the time until the server's event stream (long-poll on kind generic_alert, no sleeping) shows the
Generic Alert received. The baseline, in the same run and over the same kind of connection (one
HTTP/1.1 connection per request, as the harness's control client), is a bare control-API round
trip (GET /v1/health on the client).

Usage: /usr/bin/python3 bench/alert_latency.py --build-dir build/bench [-n 50]
Traffic stays on 127.0.0.1; ports are 0; every wait is bounded.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

DEVICE = "IMEI:490154203237518"
SERVER_ID = "omadm-ref-server"


class Api:
    """Control API client: one connection per request, bearer token, JSON in and out."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def call(self, method: str, path: str, body=None, timeout_s: float = 15.0):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)
        try:
            headers = {"Authorization": f"Bearer {self.token}"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode()
        finally:
            conn.close()
        if resp.status >= 300:
            raise RuntimeError(f"{method} {path} -> {resp.status}: {text[:200]}")
        return json.loads(text) if text.strip() else None

    def events(self, after: int, kind: str | None, wait_ms: int):
        q = {"after": after, "wait_ms": wait_ms}
        if kind:
            q["kind"] = kind
        doc = self.call("GET", "/v1/events?" + urllib.parse.urlencode(q), timeout_s=5 + wait_ms / 1000)
        return doc.get("events", []), int(doc.get("next", after))

    def wait_event(self, after: int, kind: str, timeout_s: float, match=lambda e: True):
        """Long-polls until an event of `kind` satisfying `match`; returns (event, next)."""
        deadline = time.monotonic() + timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"no {kind} event within {timeout_s} s")
            events, after = self.events(after, kind, int(min(left, 60) * 1000))
            for e in events:
                if match(e):
                    return e, after


class Proc:
    def __init__(self, argv: list[str], workdir: Path):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=open(workdir / "stderr.log", "wb"),
                                  cwd=workdir, text=True)
        line = self.p.stdout.readline()
        if not line.startswith("READY "):
            self.p.kill()
            raise RuntimeError(f"{argv[0]} did not print READY (got {line!r})")
        self.ready = json.loads(line[6:])
        self.api = Api(self.ready["control_port"], self.ready["token"])

    def stop(self):
        try:
            self.api.call("POST", "/v1/shutdown", {})
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def binaries(build_dir: Path) -> tuple[str, str]:
    info = json.loads((build_dir / "harness.json").read_text())
    server = info.get("server") or str(build_dir / "reference-server/omadm-ref-server")
    client = info.get("client") or str(build_dir / "reference-client/omadm-ref-client")
    return server, client


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("-n", type=int, default=50, help="measured property changes (default 50)")
    args = ap.parse_args()
    server_bin, client_bin = binaries(args.build_dir)

    with tempfile.TemporaryDirectory(prefix="omadm-bench-alert-") as tmp:
        work = Path(tmp)
        (work / "server").mkdir()
        (work / "device").mkdir()
        server = Proc([server_bin, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
                       "--state", str(work / "server/state"), "--log-level", "error"], work / "server")
        device = None
        try:
            account = {"user": "dev-1", "password": "dev-1-secret", "auth": "md5", "server_password": "srv-secret"}
            server.api.call("PUT", f"/v1/devices/{urllib.parse.quote(DEVICE, safe='')}/account", account)
            config = {"device_id": DEVICE, "server_id": SERVER_ID,
                      "server_url": f"http://127.0.0.1:{server.ready['port']}/dm",
                      "auth": "md5", "user": account["user"], "password": account["password"],
                      "server_password": account["server_password"], "encoding": "xml",
                      "ver_proto": "DM/1.3", "dev_info": {"dmv": "1.3"}, "properties": {"battery": 80}}
            (work / "device/config.json").write_text(json.dumps(config))
            device = Proc([client_bin, "--config", str(work / "device/config.json"), "--listen", "127.0.0.1:0",
                           "--control", "127.0.0.1:0", "--state", str(work / "device/state"),
                           "--log-level", "error"], work / "device")
            dev = f"/v1/devices/{urllib.parse.quote(DEVICE, safe='')}"
            device.api.call("POST", "/v1/tree/commands", {"server_id": "local", "commands": [
                {"cmd": "Add", "target": "./Vendor/Demo/Brightness", "format": "int", "data": "80"}]})

            # Download and activate, delivered in one client-initiated session.
            policy = {"id": "p1", "version": "1",
                      "conditions": [{"id": "c1", "uri": "./DevDetail/Ext/SysProps/Battery",
                                      "operator": "lt", "value": "20"}],
                      "actions": [{"id": "a1", "order": 1, "command": "Replace",
                                   "target": "./Vendor/Demo/Brightness", "data": "30"}],
                      "trigger": "OnChange", "notify": {"enabled": True}}
            _, cursor = server.api.events(0, None, 0)
            server.api.call("POST", f"{dev}/policies", policy)
            act = server.api.call("POST", f"{dev}/policies/p1/activate", {"correlator": "bench"})
            device.api.call("POST", "/v1/session", {"reason": "bench"})
            # The Status of the Exec, not batch_done: batch_done is missing while a batch stays "sent"
            # after its session (known server defect); the Status arrives either way.
            _, cursor = server.api.wait_event(cursor, "command_status", 20,
                                              lambda e: e.get("batch") == act["batch"] and e.get("cmd") == "Exec")
            installed = device.api.call("GET", "/v1/policies")

            latencies, rtts, defects = [], [], 0
            for i in range(args.n):
                device.api.call("POST", "/v1/properties", {"battery": 80})
                t0 = time.perf_counter()
                device.api.call("POST", "/v1/properties", {"battery": 10})
                ev, cursor = server.api.wait_event(cursor, "generic_alert", 20)
                latencies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                device.api.call("GET", "/v1/health")
                rtts.append(time.perf_counter() - t0)
            batch = server.api.call("GET", f"{dev}/batches/{act['batch']}")
            if batch.get("state") != "done":
                defects += 1
        finally:
            if device:
                device.stop()
            server.stop()

    ms = lambda v: v * 1000.0  # noqa: E731
    lat_med, lat_p95 = statistics.median(latencies), percentile(latencies, 0.95)
    rtt_med, rtt_p95 = statistics.median(rtts), percentile(rtts, 0.95)
    print(f"policy installed: {json.dumps(installed)[:160]}")
    print(f"alert latency (property change -> generic_alert on the server), n={args.n}: "
          f"median {ms(lat_med):.2f} ms, p95 {ms(lat_p95):.2f} ms")
    print(f"bare control-API round trip (GET /v1/health), n={args.n}: "
          f"median {ms(rtt_med):.3f} ms, p95 {ms(rtt_p95):.3f} ms")
    print(f"ratio alert latency / bare round trip: median {lat_med / rtt_med:.1f}x, p95 {lat_p95 / rtt_p95:.1f}x")
    if defects:
        print("note: the activation batch was not 'done' at the end of the run")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
