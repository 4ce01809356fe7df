"""DM over TLS between the reference binaries: a self-signed certificate (openssl CLI) for the server,
the device trusting it through `tls_ca`; a session with a batch completes; TLS garbage on the
server's port is refused with an event while the next legitimate session is served; a device that
trusts another CA fails its session with a transport error and applies nothing."""
from __future__ import annotations

import random
import ssl

import pytest

from e2e_support import (
    DEVICE, XML_TYPE, RobustBench, _codes, _q, _vendor_root, dm_post, mark, self_signed, send_raw, wait_after,
)


@pytest.fixture
def certs(tmp_path):
    return {"server": self_signed(tmp_path / "pki", "server"), "other": self_signed(tmp_path / "pki", "other")}


@pytest.fixture
def tls_bench(tmp_path, certs):
    b = RobustBench(tmp_path / "bench")
    b.start_server(tls=certs["server"])
    yield b
    b.close()


def _trusting(b: RobustBench, ca, run: str = "1"):
    b.start_device(run=run, extra={"tls_ca": str(ca.cert), "tls_verify": True})
    _vendor_root(b)


def _tls_context(ca) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca.cert))
    ctx.check_hostname = False
    return ctx


def _tls_named(e: dict) -> bool:
    """An event that names a refused TLS connection (any kind but the start-up ones)."""
    if e.get("kind") in ("started", "ready", "stopping"):
        return False
    text = " ".join(str(v) for k, v in e.items() if k not in ("seq", "ts", "session")).lower()
    return "tls" in text or "handshake" in text or "ssl" in text


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_session_over_tls_runs_a_batch(tls_bench, certs):
    assert tls_bench.server.ready.get("scheme") == "https", tls_bench.server.ready
    started = tls_bench.server.wait("started")
    assert started[0].get("scheme") == "https", started
    _trusting(tls_bench, certs["server"])
    tls_bench.legit_session("OverTls")
    # Python over TLS with the same CA reaches the same DM endpoint (and its input checks).
    since = mark(tls_bench.server)
    reply = dm_post(tls_bench.dm_port, b"<SyncML><SyncHdr>", XML_TYPE, tls=_tls_context(certs["server"]))
    assert reply.http_status == 400
    wait_after(tls_bench.server, since, lambda e: e.get("kind") == "dm_request_rejected"
               and e.get("http_status") == 400, "dm_request_rejected over TLS")


def _garbage(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


TLS_GARBAGE = {
    "plain_http": (b"POST /dm HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/vnd.syncml.dm+xml\r\n"
                   b"Content-Length: 9\r\n\r\n<SyncML/>"),
    "random": _garbage(5, 700),
    "bad_client_hello": bytes([0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3C]) + _garbage(6, 60),
}


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("case", sorted(TLS_GARBAGE))
def test_tls_garbage_is_refused_with_an_event_and_the_server_keeps_serving(tls_bench, certs, case):
    _trusting(tls_bench, certs["server"])
    tls_bench.legit_session("Before")
    since = mark(tls_bench.server)
    answer = send_raw(tls_bench.dm_port, TLS_GARBAGE[case])
    assert b"<SyncML" not in answer and not answer.startswith(b"HTTP/1.1 200"), answer[:200]
    tls_bench.legit_session("After")
    assert not [e for e in tls_bench.server.events.seen if e.get("seq", 0) > since
                and e.get("kind") in ("session_started", "dm_message") and e.get("device") != DEVICE]
    wait_after(tls_bench.server, since, _tls_named, "naming the refused TLS connection")


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_device_trusting_another_ca_fails_with_a_transport_error(tls_bench, certs):
    _trusting(tls_bench, certs["other"])
    batch_id = tls_bench.queue([{"cmd": "Add", "target": "./Vendor/T/Untrusted", "format": "chr", "data": "x"}])
    server_since = mark(tls_bench.server)
    ends = tls_bench.session()
    end = ends[-1]
    assert end.get("reason") == "transport_failure", end
    assert end.get("detail"), f"the transport error names no cause: {end}"
    assert not tls_bench.device.seen("session_authenticated")
    assert not tls_bench.device.seen("session_command"), "commands applied over an untrusted connection"
    assert not tls_bench.tree("./Vendor/T/Untrusted").get("exists", True)
    assert tls_bench.batch(batch_id).get("state") == "queued"
    assert not [e for e in tls_bench.server.events.seen
                if e.get("seq", 0) > server_since and e.get("kind") in ("session_started", "dm_message")]
    # The server keeps serving: the same device, now trusting the right CA, runs the batch.
    tls_bench.device.stop()
    _trusting(tls_bench, certs["server"], run="2")
    ends = tls_bench.session()
    assert ends[-1].get("reason") == "completed", ends[-1]
    assert _codes(tls_bench.wait_batch(batch_id)) == [("Add", 200)]
    assert tls_bench.tree("./Vendor/T/Untrusted").get("value") == "x"


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_plain_http_device_against_the_tls_port_fails_cleanly(tls_bench, certs):
    """A device configured with http:// against the TLS port: transport failure, nothing applied."""
    tls_bench.start_device(extra={"server_url": f"http://127.0.0.1:{tls_bench.dm_port}/dm"})
    _vendor_root(tls_bench)
    batch_id = tls_bench.queue([{"cmd": "Add", "target": "./Vendor/T/Plain", "format": "chr", "data": "p"}])
    ends = tls_bench.session()
    assert ends[-1].get("reason") == "transport_failure", ends[-1]
    assert tls_bench.batch(batch_id).get("state") == "queued"
    assert not tls_bench.tree("./Vendor/T/Plain").get("exists", True)
    assert tls_bench.server.api.get("/v1/health") == {"ok": True}
    assert not tls_bench.server.api.get(f"/v1/devices/{_q(DEVICE)}/sessions"), "a session was opened"
