"""Test double: an in-memory server role and device role implementing the adapter interface.

It is not a DM implementation: sessions apply queued commands to a dict-backed tree at once, and
activation raises a Generic Alert when the policy asks for one. Enough to exercise the runner."""
from __future__ import annotations

import contextlib
import itertools

from omadm_harness.engine import Pair
from omadm_harness.roles import DeviceRole, ServerRole, Unsupported

ALL_FEATURES = frozenset({"pkg0_notification", "client_initiated_session", "generic_alert", "correlator",
                          "local_tree_access", "property_simulation", "clock_control", "system_properties",
                          "restart", "mgmt_policy_mo"})


GENUINE_ACCOUNT = {"user": "dev-1", "password": "dev-1-secret", "auth": "md5", "server_password": "srv"}


class World:
    def __init__(self, faults=None):
        self.tree: dict[str, str] = {}
        self.batches: dict[str, dict] = {}
        self.queue: list[str] = []
        self.alerts: list[dict] = []
        self.sessions: list[dict] = []
        self.events: list[dict] = []
        self.faults = dict(faults or {})
        self.ids = itertools.count(1)
        self.initiators: list[str] = []  # who started each session
        self.refused = False  # the device refuses the server's credentials (FakeServer.set_account)

    def emit(self, kind, **fields):
        self.events.append({"seq": len(self.events) + 1, "kind": kind, **fields})

    def apply(self, cmd) -> tuple[int, dict | None]:
        target = cmd.get("target", "")
        name = cmd["cmd"]
        if name == "Add":
            if target in self.tree:
                return 418, None
            self.tree[target] = cmd.get("data", "")
            return 200, None
        if name == "Replace":
            if target not in self.tree:
                return 404, None
            self.tree[target] = cmd.get("data", "")
            return 200, None
        if name == "Get":
            if target not in self.tree:
                return 404, None
            return 200, {"source": target, "format": "chr", "data": self.tree[target]}
        if name == "Delete":
            gone = [k for k in self.tree if k == target or k.startswith(target + "/")]
            for k in gone:
                del self.tree[k]
            return (200 if gone else 404), None
        if name == "Exec":
            lost = self.faults.get("never_alert") or self.faults.get("never_ack_alert")  # device / server fault
            if target.endswith("/Operations/Activate") and not lost:
                self.alerts.append({"code": 1226, "source": target.rsplit("/Operations", 1)[0],
                                    "type": "urn:oma:at:mgmtpolicy:1.0:Activated", "correlator": cmd.get("correlator"),
                                    "data": "1200"})
            return 200, None
        return 406, None

    def session(self) -> str:
        sid = f"S{next(self.ids)}"
        if self.refused:  # nothing is carried: the batches stay queued
            self.sessions.append({"id": sid, "state": "ended", "auth": "md5", "end_reason": "auth_failed",
                                  "messages": []})
            return sid
        messages = []
        for b in self.queue:
            batch = self.batches[b]
            for cmd in batch["commands"]:
                code, res = self.apply(cmd)
                batch["statuses"].append({"cmd": cmd["cmd"], "target": cmd.get("target"), "code": code})
                if res:
                    batch["results"].append(res)
                # Masked as the reference server masks its transcripts: the harness shows them as given.
                messages.append({"dir": "out", "msg_id": len(messages) + 1,
                                 "xml": "<SyncML><SyncHdr><SessionID>{SessionID}</SessionID></SyncHdr><SyncBody>"
                                        f"<{cmd['cmd']}/><Final/></SyncBody></SyncML>"})
            batch["state"] = "done"
        self.queue = []
        self.sessions.append({"id": sid, "state": "ended", "auth": "md5", "end_reason": "normal",
                              "messages": messages})
        self.emit("requirement_exercised", label="MgmtPolicyMO-OSR-01")
        if self.faults.get("finding"):  # what the server peer reports having found in the device's messages
            self.emit("finding", **self.faults["finding"])
        self.emit("session_end", session=sid)
        return sid


class FakeServer(ServerRole):
    name = "server"

    def __init__(self, world: World):
        self.w = world

    def events(self, after, wait_ms, kind=None):
        ev = [e for e in self.w.events if e["seq"] > after and (kind is None or e["kind"] == kind)]
        return ev, max([after] + [e["seq"] for e in ev])

    def dm_url(self):
        return "http://fake/dm"

    def set_account(self, device_id, account):
        self.w.refused = account.get("password") != GENUINE_ACCOUNT["password"]

    def send_commands(self, device_id, commands):
        bid = f"B{next(self.w.ids)}"
        self.w.batches[bid] = {"state": "queued", "commands": commands, "statuses": [], "results": []}
        self.w.queue.append(bid)
        return bid

    def policy(self, device_id, op, policy, pid, correlator):
        pid = pid or policy["id"]
        base = f"./MgmtPolicy/{pid}"
        if op == "download":
            cmds = [{"cmd": "Add", "target": base, "data": ""}]
        elif op == "activate":
            cmds = [{"cmd": "Exec", "target": f"{base}/Operations/Activate", "correlator": correlator}]
        elif op == "remove":
            cmds = [{"cmd": "Delete", "target": base}]
        elif op == "query":
            cmds = [{"cmd": "Get", "target": base}]
        else:
            raise Unsupported(op)
        return self.send_commands(device_id, cmds)

    def batch(self, device_id, batch_id):
        b = self.w.batches[batch_id]
        return {k: b[k] for k in ("state", "statuses", "results")}

    def cancel_batch(self, device_id, batch_id):
        self.w.queue.remove(batch_id)
        self.w.batches[batch_id]["state"] = "cancelled"

    def notify(self, device_id, udp):
        self.w.initiators.append("server")
        return self.w.session()

    def alerts(self, device_id):
        return list(self.w.alerts)

    def sessions(self, device_id):
        return [{k: v for k, v in s.items() if k != "messages"} for s in self.w.sessions]

    def transcript(self, session_id):
        return next(s["messages"] for s in self.w.sessions if s["id"] == session_id)

    def set_faults(self, faults):
        self.w.faults.update(faults)


class FakeDevice(DeviceRole):
    name = "device"
    device_id = "dev-1"

    def __init__(self, world: World):
        self.w = world

    def events(self, after, wait_ms, kind=None):
        return [], after

    def pkg0_address(self):
        return "127.0.0.1:1"

    def start_session(self, reason):
        self.w.initiators.append("client")
        return self.w.session()

    def set_properties(self, props):
        for k, v in props.items():
            self.w.tree[f"./DevDetail/Ext/Props/{k}"] = str(v)

    def clock(self, advance_ms=None, set_to=None):
        pass

    def read_tree(self, uri):
        if uri in self.w.tree:
            return {"uri": uri, "exists": True, "value": self.w.tree[uri]}
        return {"uri": uri, "exists": False}

    def apply_local(self, commands, server_id):
        return [{"cmd": c["cmd"], "code": self.w.apply(c)[0]} for c in commands]

    def policies(self):
        return [{"id": k.rsplit("/", 1)[1], "state": 10} for k in self.w.tree if k.count("/") == 2
                and k.startswith("./MgmtPolicy/")]

    def set_faults(self, faults):
        self.w.faults.update(faults)


class DoubleTopology:
    """Stands in for ProcessTopology: a fresh World per case."""

    def __init__(self, features=ALL_FEATURES, faults=None, broken=False, profile=None, scratch=None):
        self.features, self.faults, self.broken, self.profile = frozenset(features), faults, broken, profile
        self.scratch = scratch
        self.restarts = 0

    def _restart(self, world):
        self.restarts += 1
        return FakeDevice(world)

    @contextlib.contextmanager
    def open(self, case_key, role, account=None):
        if self.broken:
            raise RuntimeError("IUT did not start")
        w = self.world = World(self.faults)  # the last case's world, for tests to look into
        yield Pair(server=FakeServer(w), device=FakeDevice(w), iut_features=self.features, device_profile=self.profile,
                   scratch=self.scratch, account=dict(GENUINE_ACCOUNT), restart_device=lambda: self._restart(w))
