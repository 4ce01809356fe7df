"""End-to-end tests of omadm-ref-server: a Python DM client speaks SyncML DM XML over HTTP to the
real binary (Package 1 with md5 credentials, then Package 3) while the control API queues work and
reads back what the server recorded."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from omadm_harness.buildinfo import find_build_info
from omadm_harness.control import ControlClient, ControlError, EventCursor
from omadm_harness.process import ManagedProcess

NS = "SYNCML:SYNCML1.2"
METINF = "syncml:metinf"
DEVICE = "IMEI:490154203237518"
USER = "dev-user"
PASSWORD = "dev-secret"
NONCE = base64.b64encode(b"first-nonce-0001").decode()
XML_TYPE = "application/vnd.syncml.dm+xml"


def _server_binary() -> Path:
    """OMADM_REF_SERVER when set; else the server of the build under test (omadm_harness.buildinfo)."""
    if os.environ.get("OMADM_REF_SERVER"):
        path = Path(os.environ["OMADM_REF_SERVER"])
        if path.is_file() and os.access(path, os.X_OK):
            return path
        pytest.fail(f"OMADM_REF_SERVER={path} is not an executable file")
    info = find_build_info(("server",))
    if info is None:
        pytest.fail("omadm-ref-server binary not found: set OMADM_REF_SERVER or OMADM_BUILD_DIR, or build it so "
                    "that build/<dir>/harness.json names it")
    return Path(info["server"])


def md5_cred(user: str, password: str, nonce_b64: str) -> str:
    secret = base64.b64encode(hashlib.md5(f"{user}:{password}".encode()).digest())
    nonce = base64.b64decode(nonce_b64)
    return base64.b64encode(hashlib.md5(secret + b":" + nonce).digest()).decode()


# --- a minimal SyncML DM client -------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path)
    return found.text or "" if found is not None else default


@dataclass
class Reply:
    http_status: int
    headers: dict
    body: bytes
    root: ET.Element | None = None

    @property
    def commands(self) -> list[ET.Element]:
        body = self.root.find(_q("SyncBody"))
        return [c for c in body if c.tag != _q("Final")]

    def statuses(self) -> list[dict]:
        out = []
        for s in self.root.iter(_q("Status")):
            out.append({
                "cmd": _text(s, _q("Cmd")),
                "cmd_ref": _text(s, _q("CmdRef")),
                "code": int(_text(s, _q("Data"), "0")),
                "chal": s.find(_q("Chal")),
            })
        return out

    def header_status(self) -> dict:
        return next(s for s in self.statuses() if s["cmd_ref"] == "0")

    def next_nonce(self) -> str | None:
        nn = self.root.find(f".//{{{METINF}}}NextNonce")
        return nn.text if nn is not None else None


@dataclass
class DmClient:
    port: int
    device: str = DEVICE
    session_id: str = "1"
    msg_id: int = 0
    server_msg_id: str = "0"
    sent: list[str] = field(default_factory=list)
    target: str = "/"  # where the next message goes: the path and query of the server's RespURI

    def post(self, body: bytes, content_type: str = XML_TYPE) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", self.target, body=body, headers={"Content-Type": content_type})
            resp = conn.getresponse()
            data = resp.read()
            headers = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        reply = Reply(resp.status, headers, data)
        if resp.status == 200:
            reply.root = ET.fromstring(data)
            self.server_msg_id = _text(reply.root, f"{_q('SyncHdr')}/{_q('MsgID')}")
            if resp_uri := _text(reply.root, f"{_q('SyncHdr')}/{_q('RespURI')}"):
                parts = urllib.parse.urlsplit(resp_uri)
                self.target = parts.path + (f"?{parts.query}" if parts.query else "")
        return reply

    def _hdr(self, cred: str | None) -> str:
        self.msg_id += 1
        cred_xml = ""
        if cred is not None:
            cred_xml = (f"<Cred><Meta><Format xmlns='{METINF}'>b64</Format>"
                        f"<Type xmlns='{METINF}'>syncml:auth-md5</Type></Meta><Data>{cred}</Data></Cred>")
        return (f"<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{self.session_id}</SessionID>"
                f"<MsgID>{self.msg_id}</MsgID><Target><LocURI>http://127.0.0.1:{self.port}/</LocURI></Target>"
                f"<Source><LocURI>{self.device}</LocURI><LocName>{USER}</LocName></Source>{cred_xml}"
                f"<Meta><MaxMsgSize xmlns='{METINF}'>65536</MaxMsgSize></Meta></SyncHdr>")

    def message(self, cred: str | None, body: str) -> bytes:
        return (f"<SyncML xmlns='{NS}'>{self._hdr(cred)}<SyncBody>{body}<Final/></SyncBody></SyncML>").encode()

    def package1(self, cred: str | None, extra: str = "") -> Reply:
        body = (f"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"
                f"<Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source>"
                f"<Data>{self.device}</Data></Item></Replace>{extra}")
        return self.post(self.message(cred, body))

    def package3(self, reply: Reply, code_for=lambda cmd, target: 200, results=None) -> Reply:
        """Answers every command of `reply` (Atomic/Sequence members included) with a Status."""
        results = results or {}
        parts = [f"<Status><CmdID>1</CmdID><MsgRef>{self.server_msg_id}</MsgRef><CmdRef>0</CmdRef>"
                 f"<Cmd>SyncHdr</Cmd><Data>200</Data></Status>"]
        n = 1
        for cmd in _flatten(reply.commands):
            name = cmd.tag.split("}")[1]
            if name == "Status":
                continue
            n += 1
            target = _text(cmd, f".//{_q('Target')}/{_q('LocURI')}")
            code = code_for(name, target)
            parts.append(f"<Status><CmdID>{n}</CmdID><MsgRef>{self.server_msg_id}</MsgRef>"
                         f"<CmdRef>{_text(cmd, _q('CmdID'))}</CmdRef><Cmd>{name}</Cmd><Data>{code}</Data></Status>")
            if name == "Get" and target in results:
                n += 1
                parts.append(f"<Results><CmdID>{n}</CmdID><MsgRef>{self.server_msg_id}</MsgRef>"
                             f"<CmdRef>{_text(cmd, _q('CmdID'))}</CmdRef><Item><Source><LocURI>{target}</LocURI>"
                             f"</Source><Meta><Format xmlns='{METINF}'>chr</Format></Meta>"
                             f"<Data>{results[target]}</Data></Item></Results>")
        return self.post(self.message(None, "".join(parts)))


def _flatten(commands):
    for c in commands:
        yield c
        if c.tag in (_q("Atomic"), _q("Sequence")):
            yield from _flatten([m for m in c if m.tag not in (_q("CmdID"), _q("NoResp"), _q("Meta"))])


# --- fixtures --------------------------------------------------------------------------------


@dataclass
class Server:
    proc: ManagedProcess
    control: ControlClient
    events: EventCursor
    port: int

    def client(self, session_id: str = "1") -> DmClient:
        return DmClient(self.port, session_id=session_id)

    def set_account(self, nonce: str = NONCE):
        self.control.put(f"/v1/devices/{DEVICE}/account",
                         {"user": USER, "password": PASSWORD, "auth": "md5", "client_nonce": nonce})

    def queue(self, commands: list[dict]) -> str:
        return self.control.post(f"/v1/devices/{DEVICE}/commands", {"commands": commands})["batch"]

    def batch(self, batch_id: str) -> dict:
        return self.control.get(f"/v1/devices/{DEVICE}/batches/{batch_id}")


@pytest.fixture
def server():
    binary = _server_binary()
    with tempfile.TemporaryDirectory(prefix="omadm-ref-server-test-") as tmp:
        work = Path(tmp)
        config = work / "server.json"
        config.write_text(json.dumps({"dm_max_body_bytes": 65536}))
        proc = ManagedProcess([binary, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
                               "--config", config, "--events", work / "events.jsonl"], work, "server")
        proc.start()
        try:
            ready = proc.wait_ready(10)
            control = ControlClient("127.0.0.1", ready["control_port"], ready["token"])
            yield Server(proc, control, EventCursor(control.events), ready["port"])
        finally:
            code = proc.stop()
            stderr = proc.stderr_tail()
        assert code == 0, f"server exit code {code}: {stderr}"


def _kind(k):
    return lambda e: e["kind"] == k


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_queued_batch_runs_and_statuses_are_stored(server):
    server.set_account()
    batch = server.queue([{"cmd": "Replace", "target": "./DevDetail/Ext/Flag", "data": "on"},
                          {"cmd": "Get", "target": "./DevInfo/Mod"}])
    dm = server.client()

    p2 = dm.package1(md5_cred(USER, PASSWORD, NONCE))

    assert p2.http_status == 200
    assert p2.header_status()["code"] == 212
    names = [c.tag.split("}")[1] for c in p2.commands if c.tag != _q("Status")]
    assert names == ["Replace", "Get"]
    assert server.batch(batch)["state"] == "sent"
    p4 = dm.package3(p2, results={"./DevInfo/Mod": "RefPhone"})
    assert p4.http_status == 200
    doc = server.batch(batch)
    assert doc["state"] == "done"
    assert [(s["cmd"], s["target"], s["code"]) for s in doc["statuses"]] == [
        ("Replace", "./DevDetail/Ext/Flag", 200), ("Get", "./DevInfo/Mod", 200)]
    assert doc["results"] == [{"source": "./DevInfo/Mod", "format": "chr", "data": "RefPhone"}]
    ended = server.events.wait_for(_kind("session_ended"), timeout_s=5)
    assert ended and ended[0]["reason"] == "completed"
    labels = {e["label"] for e in server.events.wait_for(_kind("requirement_exercised"), 5, count=2)}
    assert {"MgmtPolicyMO-ATHEN-1", "MgmtPolicyMO-OSR-01"} <= labels


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_wrong_credentials_get_401_with_chal_and_nothing_runs(server):
    server.set_account()
    batch = server.queue([{"cmd": "Replace", "target": "./A", "data": "1"}])
    dm = server.client()

    refused = dm.package1(md5_cred(USER, "wrong", NONCE))

    hdr = refused.header_status()
    assert hdr["code"] == 401
    assert hdr["chal"] is not None
    new_nonce = refused.next_nonce()
    assert new_nonce
    assert [c for c in refused.commands if c.tag != _q("Status")] == []
    assert server.batch(batch)["state"] == "queued"
    sessions = server.control.get(f"/v1/devices/{DEVICE}/sessions")
    assert sessions[-1]["auth"] == "failed"
    assert server.events.wait_for(_kind("auth_failed"), timeout_s=5)

    retry = dm.package1(md5_cred(USER, PASSWORD, new_nonce))

    assert retry.header_status()["code"] == 212
    assert [c.tag.split("}")[1] for c in retry.commands if c.tag != _q("Status")] == ["Replace"]
    dm.package3(retry)
    assert server.batch(batch)["state"] == "done"


def test_wrong_content_type_is_415(server):
    dm = server.client()
    reply = dm.post(dm.message(None, "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"), "text/plain")
    assert reply.http_status == 415
    assert server.events.wait_for(_kind("dm_request_rejected"), timeout_s=5)[0]["http_status"] == 415


@pytest.mark.requirement("MgmtPolicyMO-DMS-02")
def test_generic_alert_is_stored_and_listed(server):
    server.set_account()
    dm = server.client()
    alert = ("<Alert><CmdID>3</CmdID><Data>1226</Data><Correlator>c-7</Correlator><Item><Source>"
             "<LocURI>./MgmtPolicy/p1</LocURI></Source><Meta><Type xmlns='syncml:metinf'>"
             "urn:oma:at:mgmtpolicy:1.0:result</Type><Format xmlns='syncml:metinf'>chr</Format>"
             "<Mark xmlns='syncml:metinf'>informational</Mark></Meta><Data>200</Data></Item></Alert>")

    p2 = dm.package1(md5_cred(USER, PASSWORD, NONCE), extra=alert)

    assert p2.http_status == 200
    assert any(s["cmd"] == "Alert" and s["code"] == 200 for s in p2.statuses())
    [stored] = server.control.get(f"/v1/devices/{DEVICE}/alerts")
    assert stored["correlator"] == "c-7"
    assert stored["source"] == "./MgmtPolicy/p1"
    assert stored["type"] == "urn:oma:at:mgmtpolicy:1.0:result"
    assert stored["mark"] == "informational"
    assert stored["data"] == "200"
    assert server.control.get(f"/v1/devices/{DEVICE}/policies/p1/alerts") == [stored]
    assert server.control.get(f"/v1/devices/{DEVICE}/policies/p2/alerts") == []
    labels = [e["label"] for e in server.events.wait_for(_kind("requirement_exercised"), 5, count=2)]
    assert "MgmtPolicyMO-DMS-02" in labels


def test_malformed_xml_is_400_and_the_server_keeps_serving(server):
    dm = server.client()
    assert dm.post(b"<SyncML><SyncHdr>").http_status == 400
    server.set_account()
    reply = dm.package1(md5_cred(USER, PASSWORD, NONCE))
    assert reply.http_status == 200
    assert reply.header_status()["code"] == 212


def test_oversized_body_is_413(server):
    dm = server.client()
    reply = dm.post(b"<SyncML>" + b" " * 70000 + b"</SyncML>")
    assert reply.http_status == 413
    assert server.control.get("/v1/health") == {"ok": True}


def test_second_session_is_served(server):
    server.set_account()
    first = server.client("1")
    p2 = first.package1(md5_cred(USER, PASSWORD, NONCE))
    assert p2.header_status()["code"] == 212
    # The 212 carries the nonce for the next session; the server persisted it in the account.
    next_nonce = p2.next_nonce()
    assert next_nonce
    server.events.wait_for(_kind("session_ended"), timeout_s=5)
    second = server.client("2")
    again = second.package1(md5_cred(USER, PASSWORD, next_nonce))
    assert again.header_status()["code"] == 212
    ended = server.events.wait_for(_kind("session_ended"), timeout_s=5, count=2)
    assert len(ended) == 2


POLICY = {
    "id": "p1",
    "version": "1.0",
    "conditions": [{"id": "high", "uri": "./Sensor/Level", "operator": "gt", "value": 50}],
    "actions": [{"id": "set", "command": "Replace", "target": "./Out/Flag", "data": "on"}],
}


@pytest.mark.requirement("MgmtPolicyMO-HLF-1")
def test_policy_download_sends_one_atomic_of_adds(server):
    server.set_account()
    queued = server.control.post(f"/v1/devices/{DEVICE}/policies", POLICY)
    assert queued["uri"] == "./MgmtPolicy/p1"
    dm = server.client()

    p2 = dm.package1(md5_cred(USER, PASSWORD, NONCE))

    [atomic] = [c for c in p2.commands if c.tag != _q("Status")]
    assert atomic.tag == _q("Atomic")
    members = [m for m in atomic if m.tag not in (_q("CmdID"), _q("Meta"))]
    assert members and all(m.tag == _q("Add") for m in members)
    targets = [_text(m, f".//{_q('Target')}/{_q('LocURI')}") for m in members]
    assert targets[0] == "./MgmtPolicy/p1"
    assert "./MgmtPolicy/p1/Conditions/Simple/high/Operator" in targets
    dm.package3(p2)
    doc = server.batch(queued["batch"])
    assert doc["state"] == "done" and doc["flow"] == "download"
    assert len(doc["statuses"]) == len(members) + 1
    labels = [e["label"] for e in server.events.wait_for(
        lambda e: e["kind"] == "requirement_exercised" and e["label"] == "MgmtPolicyMO-HLF-1", 5)]
    assert labels


@pytest.mark.requirement("MgmtPolicyMO-HLF-3", "MgmtPolicyMO-HLF-4", "MgmtPolicyMO-DMS-01")
def test_policy_operations_reach_the_wire(server):
    server.set_account()
    base = f"/v1/devices/{DEVICE}/policies/p1"
    server.control.post(base + "/activate", {"correlator": "c-1"})
    server.control.post(base + "/query")
    server.control.delete(base)
    dm = server.client()

    p2 = dm.package1(md5_cred(USER, PASSWORD, NONCE))

    sent = [(c.tag.split("}")[1], _text(c, f".//{_q('Target')}/{_q('LocURI')}"))
            for c in p2.commands if c.tag != _q("Status")]
    assert sent[0] == ("Exec", "./MgmtPolicy/p1/Operations/Activate")
    assert ("Get", "./MgmtPolicy/p1/Results/LastStatus") in sent
    assert sent[-1] == ("Delete", "./MgmtPolicy/p1")
    exec_cmd = next(c for c in p2.commands if c.tag == _q("Exec"))
    assert _text(exec_cmd, _q("Correlator")) == "c-1"
    dm.package3(p2, results={"./MgmtPolicy/p1/Results/LastStatus": "200"})
    labels = {e["label"] for e in server.events.wait_for(_kind("requirement_exercised"), 5, count=5)}
    assert {"MgmtPolicyMO-HLF-3", "MgmtPolicyMO-HLF-4", "MgmtPolicyMO-DMS-01"} <= labels


def test_bad_policy_description_is_400_with_the_field_path(server):
    bad = dict(POLICY, actions=[{"id": "x", "command": "Frobnicate", "target": "./A"}])
    with pytest.raises(ControlError) as err:
        server.control.post(f"/v1/devices/{DEVICE}/policies", bad)
    assert err.value.status == 400
    assert json.loads(err.value.body)["detail"].startswith("actions[0].command")


def test_masked_transcripts_of_two_runs_are_equal(server):
    def run(session_id: str, nonce: str) -> tuple[list, str]:
        server.set_account(nonce)
        dm = server.client(session_id)
        reply = dm.package1(md5_cred(USER, PASSWORD, nonce))
        server.events.wait_for(lambda e: e["kind"] == "session_ended" and e["session"] == session_id, 5)
        sid = server.control.get(f"/v1/devices/{DEVICE}/sessions")[-1]["id"]
        return server.control.get(f"/v1/sessions/{sid}/transcript")["masked"], reply.next_nonce()

    first, next_nonce = run("11", NONCE)
    second, _ = run("12", base64.b64encode(b"another-nonce-02").decode())
    assert first == second
    assert "{SessionID}" in first[0]["xml"] and "{Cred}" in first[0]["xml"]
    assert "{NextNonce}" in first[1]["xml"]
    # Nothing secret or volatile stays in clear: not the password, the credential, nor either nonce.
    masked = json.dumps(first)
    for clear in (PASSWORD, md5_cred(USER, PASSWORD, NONCE), NONCE, next_nonce):
        assert clear and clear not in masked, clear
