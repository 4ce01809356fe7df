"""Roles backed by a process that speaks the control API of docs/control-api.md (the reference
binaries, or any IUT that implements the same API)."""
from __future__ import annotations

import contextlib
import urllib.parse

from .control import ControlClient, ControlError
from .process import ManagedProcess
from .roles import DeviceRole, ServerRole, Unsupported


def _q(text: str) -> str:
    return urllib.parse.quote(str(text), safe="")


@contextlib.contextmanager
def _observation(route: str):
    """A route the peer does not serve (404, 405, 501) is an observation the harness cannot make:
    Unsupported (INCONCLUSIVE), never an empty answer that a check would judge."""
    try:
        yield
    except ControlError as e:
        if e.status in (404, 405, 501):
            raise Unsupported(f"the peer's control API does not serve {route} ({e.status})") from e
        raise


class _ControlBacked:
    def __init__(self, proc: ManagedProcess | None, client: ControlClient, ready: dict, features, stop_timeout_s=3.0):
        self.proc = proc
        self.api = client
        self.ready = ready
        self.features = frozenset(features)
        self.stop_timeout_s = stop_timeout_s

    def events(self, after: int, wait_ms: int, kind: str | None = None):
        with _observation("GET /v1/events"):
            return self.api.events(after, wait_ms, kind)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(self.stop_timeout_s)

    def set_faults(self, faults):
        self.api.put("/v1/faults", faults)


class ControlServer(_ControlBacked, ServerRole):
    name = "server"

    def dm_url(self) -> str:
        scheme = self.ready.get("scheme", "http")
        return f"{scheme}://127.0.0.1:{self.ready['port']}/dm"

    def set_account(self, device_id, account):
        self.api.put(f"/v1/devices/{_q(device_id)}/account", account)

    def send_commands(self, device_id, commands):
        return self.api.post(f"/v1/devices/{_q(device_id)}/commands", {"commands": commands})["batch"]

    def policy(self, device_id, op, policy, pid, correlator):
        base = f"/v1/devices/{_q(device_id)}/policies"
        pid = pid or (policy or {}).get("id")
        if op == "download":
            answer = self.api.post(base, policy)
        elif op == "update":
            answer = self.api.put(f"{base}/{_q(pid)}", policy)
        elif op in ("activate", "deactivate"):
            answer = self.api.post(f"{base}/{_q(pid)}/{op}", {"correlator": correlator} if correlator else {})
        elif op == "remove":
            answer = self.api.delete(f"{base}/{_q(pid)}")
        elif op == "query":
            answer = self.api.post(f"{base}/{_q(pid)}/query")
        else:
            raise Unsupported(f"policy op {op}")
        return answer["batch"]

    def batch(self, device_id, batch_id):
        return self.api.get(f"/v1/devices/{_q(device_id)}/batches/{_q(batch_id)}")

    def cancel_batch(self, device_id, batch_id):
        self.api.delete(f"/v1/devices/{_q(device_id)}/batches/{_q(batch_id)}")

    def notify(self, device_id, udp):
        body = {"ui_mode": 0}
        if udp:
            body["udp"] = udp
        answer = self.api.post(f"/v1/devices/{_q(device_id)}/notify", body) or {}
        return answer.get("session_id")

    def alerts(self, device_id):
        return self.api.get(f"/v1/devices/{_q(device_id)}/alerts") or []

    def sessions(self, device_id):
        return self.api.get(f"/v1/devices/{_q(device_id)}/sessions") or []

    def transcript(self, session_id):
        doc = self.api.get(f"/v1/sessions/{_q(session_id)}/transcript") or {}
        return doc.get("masked") or doc.get("messages", [])


class ControlDevice(_ControlBacked, DeviceRole):
    name = "device"

    def __init__(self, *args, device_id: str = "dev-1", **kwargs):
        super().__init__(*args, **kwargs)
        self.device_id = device_id

    def pkg0_address(self):
        port = self.ready.get("pkg0_udp_port")
        return f"127.0.0.1:{port}" if port else None

    def start_session(self, reason, server_id=None):
        body = {"reason": reason} if server_id is None else {"reason": reason, "server_id": server_id}
        return (self.api.post("/v1/session", body) or {}).get("session_id")

    def set_properties(self, props):
        self.api.post("/v1/properties", props)

    def clock(self, advance_ms=None, set_to=None):
        self.api.post("/v1/clock", {"advance_ms": advance_ms} if advance_ms is not None else {"set": set_to})

    def read_tree(self, uri):
        with _observation("GET /v1/tree"):  # a missing node is {"exists": false}, never a 404
            return self.api.get("/v1/tree", uri=uri)

    def apply_local(self, commands, server_id):
        answer = self.api.post("/v1/tree/commands", {"server_id": server_id, "commands": commands}) or {}
        return answer.get("statuses", []) if isinstance(answer, dict) else answer

    def policies(self):
        with _observation("GET /v1/policies"):
            answer = self.api.get("/v1/policies") or []
        return answer.get("policies", []) if isinstance(answer, dict) else answer
