"""Shared helpers of the robustness and TLS end-to-end tests: a bench with a configurable server and
device (TLS, body limit, nonces), raw DM requests from Python (any bytes, any headers, truncated
bodies, TLS or not), Package 0 and HMAC arithmetic, and event waits that only look at what happened
after a mark. The process handling and the DM client come from test_ref_client / test_ref_server."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import socket
import ssl
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from test_ref_client import (  # noqa: F401  (re-exported for the robustness tests)
    DEADLINE_S, DEVICE, PASSWORD, SERVER_ID, SERVER_PASSWORD, USER, Bench, Peer, _codes, _q, _start, _vendor_root,
)
from test_ref_server import METINF, NS, XML_TYPE, DmClient, Reply, md5_cred  # noqa: F401

WBXML_TYPE = "application/vnd.syncml.dm+wbxml"
DM_BODY_LIMIT = 65536
SERVER_NONCE = base64.b64encode(b"srv-nonce-000001").decode()


# --- DM requests from Python -------------------------------------------------------------------


def parse_reply(status: int, headers: dict, body: bytes) -> Reply:
    reply = Reply(status, headers, body)
    if status == 200 and headers.get("content-type", "").startswith(XML_TYPE):
        reply.root = ET.fromstring(body)
    return reply


def dm_post(port: int, body: bytes, content_type: str | None = XML_TYPE, headers: dict | None = None,
            tls: ssl.SSLContext | None = None, path: str = "/dm") -> Reply:
    """One POST to a DM endpoint; the reply is parsed when it is a SyncML DM XML message."""
    if tls is not None:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=DEADLINE_S, context=tls)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE_S)
    hdrs = dict(headers or {})
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    try:
        conn.request("POST", path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        got = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    return parse_reply(resp.status, got, data)


def truncated_post(port: int, body: bytes, declared: int, content_type: str = XML_TYPE) -> tuple[int | None, bytes]:
    """A POST whose Content-Length promises `declared` bytes while only `body` is sent, the sending
    side then closed. Returns the HTTP status of the answer (None when the connection was closed
    without one) and the raw answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_S) as s:
        head = (f"POST /dm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {declared}\r\n\r\n").encode()
        s.sendall(head + body)
        s.shutdown(socket.SHUT_WR)
        answer = _read_all(s)
    if not answer.startswith(b"HTTP/1."):
        return None, answer
    return int(answer.split(b" ", 2)[1]), answer


def send_raw(port: int, data: bytes) -> bytes:
    """Raw bytes to a TCP port; returns what came back before the peer closed (or the deadline)."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_S) as s:
        s.sendall(data)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        return _read_all(s)


def _read_all(s: socket.socket) -> bytes:
    chunks = []
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def hmac_header(user: str, password: str, nonce_b64: str, body: bytes, mac: str | None = None) -> str:
    """x-syncml-hmac (OMA-TS-DM_Security-V1_2_1 §5.4): B64(H(B64(H(user:pw)) ":" nonce ":" B64(H(body)))), nonce decoded."""
    if mac is None:
        secret = base64.b64encode(hashlib.md5(f"{user}:{password}".encode()).digest())
        digest = base64.b64encode(hashlib.md5(body).digest())
        nonce = base64.b64decode(nonce_b64)
        mac = base64.b64encode(hashlib.md5(secret + b":" + nonce + b":" + digest).digest()).decode()
    return f'algorithm=MD5, username="{user}", mac={mac}'


def package0(server_id: str, password: str, nonce_b64: str, session_id: int, version: int = 11, ui_mode: int = 0,
             digest: bytes | None = None) -> bytes:
    """A Package 0 (OMA-TS-DM_Notification-V1_2_1 §6): digest, 40-bit header, session id, server id."""
    head = (version << 30) | (ui_mode << 28) | (1 << 27)
    trigger = head.to_bytes(5, "big") + session_id.to_bytes(2, "big") + bytes([len(server_id)]) + server_id.encode()
    if digest is None:
        secret = base64.b64encode(hashlib.md5(f"{server_id}:{password}".encode()).digest())
        digest = hashlib.md5(secret + b":" + base64.b64decode(nonce_b64) + b":"
                             + base64.b64encode(hashlib.md5(trigger).digest())).digest()
    return digest + trigger


def send_udp(port: int, data: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(data, ("127.0.0.1", port))


def http_call(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict | None]:
    """A raw call to a control API: status and the JSON body (None when not JSON)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE_S)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
    finally:
        conn.close()
    try:
        return resp.status, json.loads(text)
    except json.JSONDecodeError:
        return resp.status, None


# --- TLS material --------------------------------------------------------------------------------


@dataclass
class Cert:
    cert: Path
    key: Path


def self_signed(directory: Path, name: str) -> Cert:
    """A self-signed certificate for 127.0.0.1 / localhost, made with the openssl CLI."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN=127.0.0.1/O={name}",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return Cert(cert, key)


# --- events ---------------------------------------------------------------------------------------


def mark(peer: Peer) -> int:
    """The seq of the last event so far: later waits only look at what happens after it."""
    peer.events.poll()
    return peer.events.seen[-1]["seq"] if peer.events.seen else 0


def wait_after(peer: Peer, since: int, predicate, what: str, timeout_s: float = DEADLINE_S) -> dict:
    found = peer.events.wait_for(lambda e: e.get("seq", 0) > since and predicate(e), timeout_s)
    assert found, (f"{peer.proc.name}: no event {what} within {timeout_s} s; after seq {since} saw "
                   f"{[e.get('kind') for e in peer.events.seen if e.get('seq', 0) > since][:40]}")
    return found[0]


def after(peer: Peer, since: int, kind: str) -> list[dict]:
    peer.events.poll()
    return [e for e in peer.events.seen if e.get("seq", 0) > since and e.get("kind") == kind]


# --- the bench ----------------------------------------------------------------------------------


class RobustBench(Bench):
    """Bench of test_ref_client with a body limit on the server, optional TLS, known nonces, extra
    device configuration, and Python-side accounts next to the real device's."""

    def start_server(self, auth: str = "md5", password: str = PASSWORD, tls: Cert | None = None) -> Peer:
        work = self.workdir / "server"
        work.mkdir(parents=True, exist_ok=True)
        config = work / "server.json"
        config.write_text(json.dumps({"dm_max_body_bytes": DM_BODY_LIMIT}), encoding="utf-8")
        argv = [self.info["server"], "--state", str(work / "state"), "--config", str(config)]
        if tls is not None:
            argv += ["--tls-cert", str(tls.cert), "--tls-key", str(tls.key)]
        self.server = _start(argv, work, "omadm-ref-server")
        self.set_account(auth, password)
        return self.server

    def set_account(self, auth: str, password: str = PASSWORD, server_password: str = SERVER_PASSWORD) -> None:
        self.server.api.put(f"/v1/devices/{_q(DEVICE)}/account",
                            {"user": USER, "password": password, "auth": auth, "server_password": server_password,
                             "server_nonce": SERVER_NONCE})

    def python_account(self, device: str, user: str, password: str, auth: str = "md5", nonce: str = "") -> None:
        body = {"user": user, "password": password, "auth": auth}
        if nonce:
            body["client_nonce"] = nonce
        self.server.api.put(f"/v1/devices/{_q(device)}/account", body)

    def start_device(self, auth: str = "md5", encoding: str = "xml", server_password: str = SERVER_PASSWORD,
                     run: str = "1", extra: dict | None = None) -> Peer:
        work = self.workdir / "device"
        work.mkdir(parents=True, exist_ok=True)
        config = work / f"client-config-{run}.json"
        doc = {
            "device_id": DEVICE, "server_id": SERVER_ID,
            "server_url": f"{self.server.ready.get('scheme', 'http')}://127.0.0.1:{self.server.ready['port']}/dm",
            "auth": auth, "user": USER, "password": PASSWORD, "server_password": server_password,
            "server_nonce": SERVER_NONCE, "encoding": encoding,
        }
        doc.update(extra or {})
        config.write_text(json.dumps(doc), encoding="utf-8")
        run_dir = work / f"run-{run}"
        run_dir.mkdir(exist_ok=True)
        self.device = _start([self.info["client"], "--config", str(config), "--state", str(work / "state")],
                             run_dir, "omadm-ref-client")
        return self.device

    @property
    def dm_port(self) -> int:
        return int(self.server.ready["port"])

    def legit_session(self, name: str) -> dict:
        """The real device runs a client-initiated session carrying one Add; it must complete and
        the Add must land in its tree."""
        batch_id = self.queue([{"cmd": "Add", "target": f"./Vendor/T/{name}", "format": "chr", "data": name}])
        ends = self.session()
        assert ends[-1].get("reason") == "completed", f"the legitimate session did not complete: {ends[-1]}"
        batch = self.wait_batch(batch_id)
        assert _codes(batch) == [("Add", 200)], batch
        assert self.tree(f"./Vendor/T/{name}").get("value") == name
        return batch

    def device_batch(self, device: str, batch_id: str) -> dict:
        return self.server.api.get(f"/v1/devices/{_q(device)}/batches/{_q(batch_id)}")

    def queue_for(self, device: str, commands: list[dict]) -> str:
        return self.server.api.post(f"/v1/devices/{_q(device)}/commands", {"commands": commands})["batch"]
