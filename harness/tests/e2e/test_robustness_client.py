"""omadm-ref-client under bad input on its DM side (Package 0 over HTTP POST /pkg0 and over UDP) and
on its control API: each bad input is refused with an event that names it, starts no session, and
the device keeps working (a legitimate session follows and completes)."""
from __future__ import annotations

import http.server
import random
import threading

import pytest

from e2e_support import (
    DEVICE, SERVER_ID, SERVER_NONCE, SERVER_PASSWORD, RobustBench, _codes, _q, _vendor_root, http_call, mark, package0,
    send_udp, wait_after,
)

PKG0_TYPE = "application/vnd.syncml.notification"


@pytest.fixture
def bench(tmp_path):
    b = RobustBench(tmp_path)
    b.start_server()
    b.start_device()
    _vendor_root(b)
    yield b
    b.close()


def _post_pkg0(b: RobustBench, data: bytes) -> int:
    status, _ = http_call(int(b.device.ready["port"]), "POST", "/pkg0", data, {"Content-Type": PKG0_TYPE})
    return status


def _deliver(b: RobustBench, via: str, data: bytes) -> int | None:
    if via == "udp":
        send_udp(int(b.device.ready["pkg0_udp_port"]), data)
        return None
    return _post_pkg0(b, data)


def _verdict(b: RobustBench, since: int, via: str) -> dict:
    """The device's verdict on the Package 0 just delivered (received or rejected: both are waited
    for, so that an acceptance shows up as such instead of as a timeout)."""
    return wait_after(b.device, since, lambda e: e.get("kind") in ("pkg0_received", "pkg0_rejected")
                      and e.get("via") == via, f"pkg0_received/pkg0_rejected via {via}")


def _assert_refused(b: RobustBench, since: int, via: str, status: int | None, verdicts: tuple[str, ...]) -> dict:
    ev = _verdict(b, since, via)
    assert ev.get("kind") == "pkg0_rejected", f"the device accepted a bad Package 0: {ev}"
    assert ev.get("verdict") in verdicts, ev
    # pkg0_rejected is published where a session would otherwise be requested: none may follow it.
    b.device.events.poll()
    requested = [e for e in b.device.events.seen if e.get("seq", 0) > since and e.get("kind") == "session_requested"]
    assert not requested, f"a refused Package 0 started a session: {requested}"
    if status is not None:
        assert 400 <= status < 500, f"POST /pkg0 of a refused Package 0 answered {status}, expected a 4xx refusal"
    return ev


def _server_initiated_session_completes(b: RobustBench, name: str) -> None:
    """The device still works: the server's Package 0 starts a session that runs a batch."""
    batch_id = b.queue([{"cmd": "Add", "target": f"./Vendor/T/{name}", "format": "chr", "data": name}])
    since = mark(b.device)
    udp = f"127.0.0.1:{b.device.ready['pkg0_udp_port']}"
    session_id = b.server.api.post(f"/v1/devices/{_q(DEVICE)}/notify", {"ui_mode": 0, "udp": udp})["session_id"]
    got = _verdict(b, since, "udp")
    assert got.get("kind") == "pkg0_received", got
    assert got.get("session_id", "").upper() == session_id.upper()
    end = wait_after(b.device, since, lambda e: e.get("kind") == "session_end", "session_end")
    assert end.get("reason") == "completed", end
    assert _codes(b.wait_batch(batch_id)) == [("Add", 200)]
    assert b.tree(f"./Vendor/T/{name}").get("value") == name


def _garbage(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def _valid(session_id: int = 0x2A) -> bytes:
    return package0(SERVER_ID, SERVER_PASSWORD, SERVER_NONCE, session_id)


BAD_PACKAGE0 = {
    "garbage": (lambda: _garbage(3, 64), ("malformed",)),
    "empty": (lambda: b"", ("malformed",)),
    "digest_only": (lambda: _valid()[:16], ("malformed",)),
    "truncated_header": (lambda: _valid()[:20], ("malformed",)),
    "truncated_server_id": (lambda: _valid()[:-3], ("malformed",)),
    "bad_digest": (lambda: package0(SERVER_ID, "not-the-server-password", SERVER_NONCE, 0x2B), ("bad_digest",)),
    "flipped_digest": (lambda: bytes([_valid()[0] ^ 0xFF]) + _valid()[1:], ("bad_digest",)),
    "unknown_server": (lambda: package0("some-other-server", SERVER_PASSWORD, SERVER_NONCE, 0x2C), ("unknown_server",)),
}


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("via", ["udp", "http"])
@pytest.mark.parametrize("case", sorted(BAD_PACKAGE0))
def test_bad_package0_is_refused_and_the_device_keeps_working(bench, case, via):
    make, verdicts = BAD_PACKAGE0[case]
    since = mark(bench.device)
    status = _deliver(bench, via, make())
    _assert_refused(bench, since, via, None, verdicts)
    _server_initiated_session_completes(bench, f"After{via}")
    if status is not None:
        assert 400 <= status < 500, f"POST /pkg0 of a refused Package 0 ({case}) answered {status}, expected a 4xx"


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_python_built_package0_is_accepted_over_http(bench):
    """Control for the cases above: the same construction with the right secret is accepted (202)."""
    batch_id = bench.queue([{"cmd": "Add", "target": "./Vendor/T/ViaHttp", "format": "chr", "data": "h"}])
    since = mark(bench.device)
    assert _post_pkg0(bench, _valid(0x3C)) == 202
    got = _verdict(bench, since, "http")
    assert got.get("kind") == "pkg0_received" and got.get("session_id", "").upper() == "3C", got
    end = wait_after(bench.device, since, lambda e: e.get("kind") == "session_end", "session_end")
    assert end.get("reason") == "completed", end
    assert _codes(bench.wait_batch(batch_id)) == [("Add", 200)]


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("via", ["udp", "http"])
def test_replayed_package0_starts_no_second_session(bench, via):
    """The exact bytes of a Package 0 whose session already ran, delivered again: a replay, refused."""
    _server_initiated_session_completes(bench, "First")
    sent = bench.server.wait("package0_sent")
    replay = bytes.fromhex(sent[-1]["bytes"])
    since = mark(bench.device)
    status = _deliver(bench, via, replay)
    _assert_refused(bench, since, via, status, ("replayed", "replay", "duplicate", "bad_digest"))
    _server_initiated_session_completes(bench, "AfterReplay")


# --- control API -----------------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_control_api_without_the_token_is_401(bench, token):
    port = int(bench.device.ready["control_port"])
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    for method, path, body in (("GET", "/v1/health", None), ("GET", "/v1/tree?uri=./DevInfo/DevId", None),
                               ("POST", "/v1/session", b'{"reason":"user"}')):
        status, doc = http_call(port, method, path, body, {**headers, "Content-Type": "application/json"})
        assert status == 401, (method, path, status, doc)
        assert doc and doc.get("error"), (method, path, doc)
    bench.device.events.poll()
    assert not [e for e in bench.device.events.seen if e.get("kind") == "session_requested"]
    bench.legit_session("AfterToken")


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("path", ["/v1/session", "/v1/properties", "/v1/tree/commands", "/v1/clock"])
@pytest.mark.parametrize("body", [b"{not json", b"[1, 2", b"\xff\xfe\x00garbage", b'{"reason": "user",}'])
def test_control_api_malformed_json_is_400_with_an_error_body(bench, path, body):
    port = int(bench.device.ready["control_port"])
    since = mark(bench.device)
    status, doc = http_call(port, "POST", path, body,
                            {"Authorization": f"Bearer {bench.device.api.token}", "Content-Type": "application/json"})
    assert status == 400, (path, body, status, doc)
    assert doc and doc.get("error") and isinstance(doc.get("detail"), str), (path, body, doc)
    bench.device.events.poll()
    assert not [e for e in bench.device.events.seen if e.get("seq", 0) > since and e.get("kind") == "session_requested"]
    assert bench.device.api.get("/v1/health") == {"ok": True}


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("method,path", [("GET", "/v1/nothing"), ("POST", "/v1/no/such/route"), ("GET", "/"),
                                         ("DELETE", "/v1/policies/x/y/z")])
def test_control_api_unknown_path_is_404(bench, method, path):
    port = int(bench.device.ready["control_port"])
    status, doc = http_call(port, method, path, None, {"Authorization": f"Bearer {bench.device.api.token}"})
    assert status == 404, (method, path, status, doc)
    assert doc and doc.get("error"), doc


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_dm_side_unknown_path_and_method(bench):
    """The device's DM-side HTTP port only takes POST /pkg0."""
    port = int(bench.device.ready["port"])
    status, _ = http_call(port, "POST", "/dm", b"<SyncML/>", {"Content-Type": "application/vnd.syncml.dm+xml"})
    assert status == 404, status
    status, _ = http_call(port, "GET", "/pkg0")
    assert status in (404, 405), status
    bench.legit_session("AfterDmSide")


class _HostileServer:
    """An HTTP server on loopback that answers every POST with the same bytes: the reply of a
    server the device should survive."""

    def __init__(self, body: bytes, content_type: str):
        body_bytes, ctype = body, content_type

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server naming)
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body_bytes)))
                self.end_headers()
                self.wfile.write(body_bytes)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/dm"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("encoding", ["xml", "wbxml"])
def test_hostile_wbxml_reply_ends_the_session_and_the_device_lives(tmp_path, encoding):
    """A server answers Package 1 with 17 bytes of WBXML whose ENTITY code is out of range (they
    once aborted the device inside libwbxml, whatever the device's own encoding): the session ends
    on a transport failure and the device goes on answering its control API."""
    hostile = _HostileServer(bytes.fromhex("03a4016a006d6c71028fffffff7f010101"), "application/vnd.syncml.dm+wbxml")
    b = RobustBench(tmp_path)
    try:
        b.start_server()
        b.start_device(encoding=encoding, extra={"server_url": hostile.url})
        since = mark(b.device)
        b.device.api.post("/v1/session", {"reason": "user"})
        end = wait_after(b.device, since, lambda e: e.get("kind") == "session_end", "session_end")
        assert end.get("reason") == "transport_failure", end
        assert b.device.api.get("/v1/health").get("ok") is True
        assert b.device.proc.proc.poll() is None, "the device exited"
    finally:
        b.close()
        hostile.close()
