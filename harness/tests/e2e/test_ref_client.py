"""End-to-end tests of omadm-ref-client against the real omadm-ref-server: both binaries run as
processes, the server's control API queues DM commands and policies, the device's control API
starts sessions and reads its tree, and every wait is an event long-poll with a deadline."""
from __future__ import annotations

import json
import secrets
import signal
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from omadm_harness.buildinfo import candidate_build_dirs, find_build_info
from omadm_harness.control import ControlClient, ControlError, EventCursor, wait_until
from omadm_harness.process import ManagedProcess

DEVICE = "IMEI:356938035643809"
SERVER_ID = "omadm-ref-server"
USER = "dev-7"
PASSWORD = "dev-7-secret"
SERVER_PASSWORD = "srv-7-secret"
DEADLINE_S = 10.0
MO = "./MgmtPolicy"


def _build_info() -> dict:
    """harness.json of the build under test: $OMADM_BUILD_DIR, else the newest build/*/harness.json."""
    info = find_build_info(("server", "client"))
    if info is None:
        pytest.fail("omadm-ref-server and omadm-ref-client not found: set OMADM_BUILD_DIR to a build directory "
                    "whose harness.json names both built binaries, or build them under build/<dir> "
                    f"(looked at {[str(d) for d in candidate_build_dirs()]})")
    return info


def _q(text: str) -> str:
    return urllib.parse.quote(text, safe="")


@dataclass
class Peer:
    """One running binary: its process, control API and event cursor."""
    proc: ManagedProcess
    api: ControlClient
    ready: dict
    events: EventCursor = field(init=False)

    def __post_init__(self):
        self.events = EventCursor(lambda after, wait_ms, kind: self.api.events(after, wait_ms, kind))

    def wait(self, kind: str, timeout_s: float = DEADLINE_S, count: int = 1, **match) -> list[dict]:
        def hit(e: dict) -> bool:
            return e.get("kind") == kind and all(e.get(k) == v for k, v in match.items())
        found = self.events.wait_for(hit, timeout_s, count)
        assert len(found) >= count, (f"{self.proc.name}: expected {count} '{kind}' event(s) matching {match} "
                                     f"within {timeout_s} s; saw {[e.get('kind') for e in self.events.seen]}")
        return found

    def seen(self, kind: str, **match) -> list[dict]:
        self.events.poll()
        return [e for e in self.events.seen if e.get("kind") == kind and all(e.get(k) == v for k, v in match.items())]

    def stop(self) -> None:
        self.proc.stop()


def _start(argv: list[str], workdir: Path, name: str) -> Peer:
    token = secrets.token_hex(16)
    proc = ManagedProcess(argv + ["--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--token", token,
                                  "--events", str(workdir / "events.jsonl"),
                                  "--wire-trace", str(workdir / "wire")], workdir, name)
    proc.start()
    try:
        ready = proc.wait_ready(DEADLINE_S)
    except Exception:
        proc.stop()
        raise
    return Peer(proc, ControlClient("127.0.0.1", ready["control_port"], ready.get("token", token)), ready)


class Bench:
    """The server and the device of one test, with the helpers the tests share."""

    def __init__(self, workdir: Path):
        self.info = _build_info()
        self.workdir = workdir
        self.server: Peer | None = None
        self.device: Peer | None = None

    # --- processes ----------------------------------------------------------------------------

    def start_server(self, auth: str = "md5", password: str = PASSWORD) -> Peer:
        work = self.workdir / "server"
        work.mkdir(parents=True, exist_ok=True)
        self.server = _start([self.info["server"], "--state", str(work / "state")], work, "omadm-ref-server")
        self.set_account(auth, password)
        return self.server

    def set_account(self, auth: str, password: str = PASSWORD, server_password: str = SERVER_PASSWORD) -> None:
        self.server.api.put(f"/v1/devices/{_q(DEVICE)}/account",
                            {"user": USER, "password": password, "auth": auth, "server_password": server_password})

    def start_device(self, auth: str = "md5", encoding: str = "xml", server_password: str = SERVER_PASSWORD,
                     run: str = "1") -> Peer:
        work = self.workdir / "device"
        work.mkdir(parents=True, exist_ok=True)
        config = work / "client-config.json"
        config.write_text(json.dumps({
            "device_id": DEVICE, "server_id": SERVER_ID,
            "server_url": f"{self.server.ready.get('scheme', 'http')}://127.0.0.1:{self.server.ready['port']}/dm",
            "auth": auth, "user": USER, "password": PASSWORD, "server_password": server_password,
            "encoding": encoding,
        }), encoding="utf-8")
        run_dir = work / f"run-{run}"
        run_dir.mkdir(exist_ok=True)
        self.device = _start([self.info["client"], "--config", str(config), "--state", str(work / "state")],
                             run_dir, "omadm-ref-client")
        return self.device

    def close(self) -> None:
        for peer in (self.device, self.server):
            if peer is not None:
                peer.stop()

    # --- DM work --------------------------------------------------------------------------------

    def queue(self, commands: list[dict]) -> str:
        return self.server.api.post(f"/v1/devices/{_q(DEVICE)}/commands", {"commands": commands})["batch"]

    def batch(self, batch_id: str) -> dict:
        return self.server.api.get(f"/v1/devices/{_q(DEVICE)}/batches/{_q(batch_id)}")

    def wait_batch(self, batch_id: str, timeout_s: float = DEADLINE_S) -> dict:
        """The batch once every top-level command has its final status (state `done`, or `sent` with
        all statuses in: the server marks a batch done only later, see build notes)."""
        def complete() -> bool:
            b = self.batch(batch_id)
            if b.get("state") == "done":
                return True
            final = {s.get("command") for s in b.get("statuses", []) if "member" not in s and s.get("code") != 213}
            return b.get("state") == "sent" and len(final) == len(b.get("commands", []))
        done = wait_until(complete, timeout_s, lambda s: self.server.events.poll(wait_ms=int(s * 1000)))
        answer = self.batch(batch_id)
        assert done, f"batch {batch_id} not done within {timeout_s} s: {answer}"
        return answer

    def session(self) -> list[dict]:
        """A client-initiated session, run to its end; returns the device's session_end events."""
        before = len(self.device.seen("session_end"))
        self.device.api.post("/v1/session", {"reason": "user"})
        return self.device.wait("session_end", count=before + 1)

    def policy(self, description: dict) -> str:
        return self.server.api.post(f"/v1/devices/{_q(DEVICE)}/policies", description)["batch"]

    def activate(self, pid: str) -> str:
        return self.server.api.post(f"/v1/devices/{_q(DEVICE)}/policies/{_q(pid)}/activate", {})["batch"]

    def tree(self, uri: str) -> dict:
        try:
            return self.device.api.get("/v1/tree", uri=uri)
        except ControlError as e:
            if e.status == 404:
                return {"uri": uri, "exists": False}
            raise

    def local(self, commands: list[dict]) -> dict:
        return self.device.api.post("/v1/tree/commands", {"server_id": "local", "commands": commands})

    def alerts(self) -> list:
        answer = self.server.api.get(f"/v1/devices/{_q(DEVICE)}/alerts") or []
        return answer.get("alerts", []) if isinstance(answer, dict) else answer


@pytest.fixture
def bench(tmp_path):
    b = Bench(tmp_path)
    yield b
    b.close()


def _codes(batch: dict) -> list[tuple[str, int]]:
    """Final statuses in order (a 213 for a non-last chunk of a large object is not final)."""
    return [(s.get("cmd"), int(s.get("code", 0))) for s in batch.get("statuses", []) if s.get("code") != 213]


def _vendor_root(bench: Bench) -> None:
    """./Vendor/T, writable by the account's server (precondition, applied by the device itself)."""
    bench.local([{"cmd": "Add", "target": "./Vendor", "format": "node"},
                 {"cmd": "Add", "target": "./Vendor/T", "format": "node"},
                 {"cmd": "Replace", "target": "./Vendor/T?prop=ACL",
                  "data": f"Add={SERVER_ID}&Get={SERVER_ID}&Replace={SERVER_ID}&Delete={SERVER_ID}&Exec={SERVER_ID}"}])


EVERY_COMMAND = [
    {"cmd": "Add", "target": "./Vendor/T/A", "format": "chr", "data": "one"},
    {"cmd": "Replace", "target": "./Vendor/T/A", "data": "two"},
    {"cmd": "Get", "target": "./Vendor/T/A"},
    {"cmd": "Copy", "target": "./Vendor/T/B", "source": "./Vendor/T/A"},
    {"cmd": "Atomic", "commands": [{"cmd": "Add", "target": "./Vendor/T/C", "format": "int", "data": "3"},
                                   {"cmd": "Replace", "target": "./Vendor/T/C", "data": "4"}]},
    {"cmd": "Sequence", "commands": [{"cmd": "Add", "target": "./Vendor/T/D", "format": "chr", "data": "d"},
                                     {"cmd": "Delete", "target": "./Vendor/T/D"}]},
    {"cmd": "Exec", "target": "./Vendor/T/A"},
    {"cmd": "Delete", "target": "./Vendor/T/B"},
]


@pytest.mark.requirement("MgmtPolicyMO-HLF-8")
def test_session_runs_every_dm_command_with_statuses(bench):
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    batch_id = bench.queue(EVERY_COMMAND)
    ends = bench.session()
    assert ends[-1].get("reason") == "completed", ends[-1]
    batch = bench.wait_batch(batch_id)
    codes = dict()
    for cmd, code in _codes(batch):
        codes.setdefault(cmd, []).append(code)
    assert codes["Add"][0] == 200 and codes["Replace"][0] == 200 and codes["Get"] == [200], codes
    assert codes["Copy"] == [200] and codes["Atomic"] == [200] and codes["Sequence"] == [200], codes
    assert codes["Delete"][-1] == 200, codes
    assert codes["Exec"] and codes["Exec"][0] >= 400, codes  # a plain leaf has nothing to execute
    assert any(r.get("source") == "./Vendor/T/A" and r.get("data") == "two" for r in batch.get("results", [])), batch
    assert bench.tree("./Vendor/T/A")["value"] == "two"
    assert bench.tree("./Vendor/T/C")["value"] == "4"
    assert not bench.tree("./Vendor/T/B").get("exists", True)
    assert not bench.tree("./Vendor/T/D").get("exists", True)


@pytest.mark.requirement("MgmtPolicyMO-HLF-1")
def test_wrong_credentials_refused_then_clean_retry(bench):
    bench.start_server(password="not-the-device-password")
    bench.start_device()
    _vendor_root(bench)
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/X", "format": "chr", "data": "x"}])
    bench.session()
    assert bench.device.seen("session_auth_failed"), "the device saw no refused authentication"
    assert bench.batch(batch_id).get("state") == "queued"
    assert not bench.tree("./Vendor/T/X").get("exists", True)
    bench.set_account("md5", PASSWORD)
    bench.session()
    assert _codes(bench.wait_batch(batch_id)) == [("Add", 200)]
    assert bench.tree("./Vendor/T/X")["value"] == "x"


@pytest.mark.parametrize("encoding", ["xml", "wbxml"])
@pytest.mark.parametrize("auth", ["basic", "md5", "hmac"])
def test_each_auth_scheme_and_encoding(bench, auth, encoding):
    bench.start_server(auth=auth)
    bench.start_device(auth=auth, encoding=encoding)
    _vendor_root(bench)
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/S", "format": "chr", "data": auth},
                            {"cmd": "Get", "target": "./DevInfo/DevId"}])
    bench.session()
    batch = bench.wait_batch(batch_id)
    assert _codes(batch) == [("Add", 200), ("Get", 200)], batch
    assert any(r.get("data") == DEVICE for r in batch.get("results", [])), batch
    assert bench.device.seen("session_authenticated")
    assert bench.tree("./Vendor/T/S")["value"] == auth


def _notify(bench: Bench) -> str:
    udp = f"127.0.0.1:{bench.device.ready['pkg0_udp_port']}"
    return bench.server.api.post(f"/v1/devices/{_q(DEVICE)}/notify", {"ui_mode": 0, "udp": udp})["session_id"]


def test_package0_triggers_a_server_initiated_session(bench):
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/P", "format": "chr", "data": "pushed"}])
    session_id = _notify(bench)
    received = bench.device.wait("pkg0_received")
    assert received[0].get("session_id", "").upper() == session_id.upper()
    requested = bench.device.wait("session_requested")
    assert requested[-1].get("trigger") == "server" and requested[-1].get("session") == received[0].get("session_id")
    assert _codes(bench.wait_batch(batch_id)) == [("Add", 200)]
    assert bench.tree("./Vendor/T/P")["value"] == "pushed"


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_device_never_answers_a_basic_challenge_with_its_password(bench):
    """The server's account asks basic of a device set up for md5: the server challenges the md5
    Cred for basic, and the device ends the session instead of sending user:password in clear."""
    bench.start_server()
    bench.set_account("basic")
    bench.start_device(auth="md5")
    ends = bench.session()
    assert ends[-1].get("reason") == "auth_failed", ends[-1]
    assert any("weaker" in e.get("detail", "") for e in bench.device.seen("session_auth_failed"))
    sessions = bench.server.api.get(f"/v1/devices/{_q(DEVICE)}/sessions")
    for s in sessions:
        for m in bench.server.api.get(f"/v1/sessions/{s['id']}/transcript")["messages"]:
            assert m["dir"] == "out" or "syncml:auth-basic" not in m["xml"], m["xml"]


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_device_executes_nothing_for_a_server_with_the_wrong_secret(bench):
    """The device verifies the server by default: a server presenting another server secret gets
    401 on its SyncHdr and its Add is not executed."""
    bench.start_server()
    bench.set_account("md5", server_password="not-the-server-secret")
    bench.start_device()
    _vendor_root(bench)
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/Rogue", "format": "chr", "data": "x"}])
    ends = bench.session()
    assert ends[-1].get("reason") == "auth_failed", ends[-1]
    assert bench.tree("./Vendor/T/Rogue").get("exists") is False
    statuses = bench.batch(batch_id).get("statuses", [])
    assert [int(x.get("code", 0)) for x in statuses if x.get("cmd") == "Add"] in ([], [401]), statuses


def test_package0_with_bad_digest_is_refused(bench):
    bench.start_server()
    bench.start_device(server_password="a-different-server-secret")
    _notify(bench)
    rejected = bench.device.wait("pkg0_rejected")
    assert rejected[0].get("verdict") == "bad_digest"
    assert not bench.device.seen("session_requested")


@pytest.mark.requirement("MgmtPolicyMO-HLF-1")
def test_large_object_add(bench):
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    value = "".join(chr(ord("a") + i % 26) for i in range(20_000))
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/Big", "format": "chr", "data": value}])
    bench.session()
    assert _codes(bench.wait_batch(batch_id)) == [("Add", 200)]
    assert bench.tree("./Vendor/T/Big")["value"] == value


def _battery_policy(pid: str = "p1") -> dict:
    return {"id": pid, "version": "1",
            "conditions": [{"id": "c1", "uri": "./DevDetail/Ext/SysProps/Battery", "operator": "lt", "value": 20}],
            "actions": [{"id": "a1", "command": "Replace", "target": "./Vendor/T/Saver", "data": "on"}]}


def _download_and_activate(bench: Bench, pid: str = "p1") -> None:
    bench.local([{"cmd": "Add", "target": "./Vendor/T/Saver", "format": "chr", "data": "off"}])
    bench.device.api.post("/v1/properties", {"battery": 80})
    download = bench.policy(_battery_policy(pid))
    activate = bench.activate(pid)
    bench.session()
    assert all(code < 300 for _, code in _codes(bench.wait_batch(download))), bench.batch(download)
    assert all(code < 300 for _, code in _codes(bench.wait_batch(activate))), bench.batch(activate)


@pytest.mark.requirement("MgmtPolicyMO-HLF-5", "MgmtPolicyMO-HLF-8")
def test_generic_alert_from_a_fired_policy_reaches_the_server(bench):
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    _download_and_activate(bench)
    bench.device.api.post("/v1/properties", {"battery": 10})
    bench.device.wait("policy_executed", policy=f"{MO}/p1")
    bench.device.wait("alert_answered")
    assert bench.tree("./Vendor/T/Saver")["value"] == "on"
    found = wait_until(lambda: len(bench.alerts()) >= 1, DEADLINE_S,
                       lambda s: bench.server.events.poll(wait_ms=int(s * 1000)))
    assert found, "the server's alert listing stayed empty"
    alert = bench.alerts()[0]
    assert int(alert.get("code", 1226)) == 1226
    assert alert.get("source", "").startswith(f"{MO}/p1")


@pytest.mark.requirement("MgmtPolicyMO-HLF-5", "MgmtPolicyMO-Device-01")
def test_alerts_of_one_stimulus_travel_in_one_session(bench):
    """Two policies fired by one property change: both Generic Alerts go in one session, and no
    empty session follows (transcripts would otherwise depend on how far the sessions got)."""
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    _download_and_activate(bench, "p1")
    download = bench.policy(_battery_policy("p2"))
    activate = bench.activate("p2")
    bench.session()
    bench.wait_batch(download)
    bench.wait_batch(activate)
    requested_before = len(bench.device.seen("session_requested"))
    bench.device.api.post("/v1/properties", {"battery": 10})
    bench.device.wait("alert_answered", count=2)
    # Sessions run one after another: once this one ends, any session queued before it has run.
    bench.session()
    requested = bench.device.seen("session_requested")[requested_before:]
    assert [(r.get("reason"), r.get("alerts")) for r in requested] == [("generic_alert", 2), ("user", 0)], requested


@pytest.mark.requirement("MgmtPolicyMO-HLF-1", "MgmtPolicyMO-HLF-3")
def test_policy_survives_sigkill_and_restart(bench):
    bench.start_server()
    bench.start_device()
    _vendor_root(bench)
    _download_and_activate(bench)
    before = bench.tree(f"{MO}/p1/State")
    assert before["value"] == "20"
    owner = bench.tree(f"{MO}/p1/Owner")["value"]
    action_target = bench.tree(f"{MO}/p1/Actions/Simple/a1/Target")["value"]

    bench.device.proc.proc.send_signal(signal.SIGKILL)
    bench.device.proc.proc.wait(timeout=DEADLINE_S)
    bench.start_device(run="2")

    policies = bench.device.api.get("/v1/policies")
    policies = policies.get("policies", []) if isinstance(policies, dict) else policies
    p1 = [p for p in policies if p.get("uri", p.get("policy")) == f"{MO}/p1"]
    assert p1, policies
    assert p1[0].get("installed") is True and p1[0].get("state") == "active", p1
    assert bench.tree(f"{MO}/p1/State")["value"] == "20"
    assert bench.tree(f"{MO}/p1/Owner")["value"] == owner
    assert bench.tree(f"{MO}/p1/Actions/Simple/a1/Target")["value"] == action_target
    # Nothing re-ran at restart, and the restored policy still fires on the next edge.
    assert not bench.device.seen("policy_executed")
    assert not bench.device.seen("policy_installed")
    assert bench.tree("./Vendor/T/Saver")["value"] == "off"
    bench.device.api.post("/v1/properties", {"battery": 5})
    bench.device.wait("policy_executed", policy=f"{MO}/p1")
    assert bench.tree("./Vendor/T/Saver")["value"] == "on"
