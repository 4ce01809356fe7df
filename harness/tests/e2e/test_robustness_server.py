"""omadm-ref-server under bad input: every malformed or hostile request sent from Python to the DM
endpoint gets the right HTTP status (and DM status on the SyncHdr when a DM reply is due) and an
event that names it, while a Python-driven session of another device is in progress (it must
still complete) and a real omadm-ref-client session follows (it must complete its batch)."""
from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest

from e2e_support import (
    DM_BODY_LIMIT, METINF, NS, WBXML_TYPE, XML_TYPE, DmClient, RobustBench, _q, _vendor_root, after, dm_post, hmac_header,
    http_call, mark, md5_cred, truncated_post, wait_after,
)
from test_ref_server import NONCE as PY_NONCE, PASSWORD as PY_PASSWORD, USER as PY_USER, _text

LIVE = "IMEI:490154203237518"     # the device whose session is in progress during the bad input
OTHER = "IMEI:359881030314356"    # the device a bad input claims to come from
HMAC_DEV = "IMEI:352099001761481"


@pytest.fixture
def arena(tmp_path):
    b = RobustBench(tmp_path)
    b.start_server()
    b.python_account(LIVE, PY_USER, PY_PASSWORD, "md5", PY_NONCE)
    yield b
    b.close()


def _with_device(b: RobustBench, encoding: str = "xml") -> None:
    b.start_device(encoding=encoding)
    _vendor_root(b)


class LiveSession:
    """A session of LIVE opened from Python (Package 1 accepted, a command pending) that the bad
    input must not disturb; `finish` answers it and checks that it ends completed."""

    def __init__(self, b: RobustBench, session_id: str = "5A"):
        self.b = b
        self.batch = b.queue_for(LIVE, [{"cmd": "Replace", "target": "./Vendor/Live", "data": "on"}])
        self.dm = DmClient(b.dm_port, device=LIVE, session_id=session_id)
        self.p2 = self.dm.package1(md5_cred(PY_USER, PY_PASSWORD, PY_NONCE))
        assert self.p2.http_status == 200 and self.p2.header_status()["code"] == 212, self.p2.body[:400]
        assert [c.tag.split("}")[1] for c in self.p2.commands if not c.tag.endswith("Status")] == ["Replace"]

    def finish(self) -> None:
        since = mark(self.b.server)
        p4 = self.dm.package3(self.p2)
        assert p4.http_status == 200, p4.body[:400]
        assert p4.header_status()["code"] == 200
        ended = wait_after(self.b.server, since, lambda e: e.get("kind") == "session_ended"
                           and e.get("session") == self.dm.session_id, "session_ended of the live session")
        assert ended.get("reason") == "completed", ended
        statuses = self.b.device_batch(LIVE, self.batch).get("statuses", [])
        assert [(s.get("cmd"), s.get("code")) for s in statuses] == [("Replace", 200)], statuses


def _rejected(b: RobustBench, since: int, status: int) -> dict:
    return wait_after(b.server, since, lambda e: e.get("kind") == "dm_request_rejected"
                      and e.get("http_status") == status, f"dm_request_rejected with http_status {status}")


def _package1_bytes(port: int, device: str = OTHER) -> bytes:
    dm = DmClient(port, device=device, session_id="7")
    return dm.message(md5_cred(PY_USER, PY_PASSWORD, PY_NONCE),
                      f"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source>"
                      f"<LocURI>./DevInfo/DevId</LocURI></Source><Data>{device}</Data></Item></Replace>")


# --- undecodable and refused requests --------------------------------------------------------------


MALFORMED_XML = {
    "unclosed": b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr>",
    "not_xml": b"this is not a SyncML message",
    "nul_in_data": b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD>\x00</SyncHdr></SyncML>",
    "wrong_root": b"<html><body>hello</body></html>",
    "empty": b"",
}


def _random_bytes(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


MALFORMED_WBXML = {
    "random": _random_bytes(1, 512),
    "random_with_header": bytes([0x02, 0xA4, 0x01, 0x6A]) + _random_bytes(2, 300),
    "header_only": bytes([0x02, 0xA4, 0x01, 0x6A, 0x00]),
    "huge_string_table": bytes([0x02, 0xA4, 0x01, 0x6A, 0xFF, 0xFF, 0xFF, 0x7F]) + b"x" * 16,
    # <SyncML><SyncHdr><VerDTD> holding ENTITY 0xFFFFFFFF: once aborted the server in libwbxml.
    "entity_code_out_of_range": bytes.fromhex("03a4016a006d6c71028fffffff7f010101"),
}


# Every malformed message, under the content type it claims: "<encoding>-<case>" -> (type, bytes).
MALFORMED = {**{f"xml-{k}": (XML_TYPE, v) for k, v in MALFORMED_XML.items()},
             **{f"wbxml-{k}": (WBXML_TYPE, v) for k, v in MALFORMED_WBXML.items()}}


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_message_is_400_with_an_event(arena, case):
    content_type, body = MALFORMED[case]
    _with_device(arena)
    live = LiveSession(arena)
    since = mark(arena.server)
    reply = dm_post(arena.dm_port, body, content_type)
    assert reply.http_status == 400, (reply.http_status, reply.body[:300])
    ev = _rejected(arena, since, 400)
    assert ev.get("error") == "undecodable_message" and ev.get("detail"), ev
    assert not after(arena.server, since, "session_started"), "an undecodable request opened a session"
    live.finish()
    arena.legit_session("After" + case.split("-")[0].capitalize())


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_truncated_valid_wbxml_is_400_with_an_event(arena):
    """A real WBXML Package 1 (from the server's wire trace of a real WBXML session), cut short."""
    _with_device(arena, encoding="wbxml")
    arena.legit_session("First")
    wire = Path(arena.workdir / "server" / "wire")
    first_in = sorted(wire.glob("*-in.wbxml"))
    assert first_in, f"no WBXML message in the server's wire trace {wire}"
    valid = first_in[0].read_bytes()
    live = LiveSession(arena)
    for cut in (len(valid) // 2, len(valid) - 1, 7):
        since = mark(arena.server)
        reply = dm_post(arena.dm_port, valid[:cut], WBXML_TYPE)
        assert reply.http_status == 400, (cut, reply.http_status, reply.body[:300])
        assert _rejected(arena, since, 400).get("error") == "undecodable_message"
    live.finish()
    arena.legit_session("AfterTruncatedWbxml")


SYNCML12_FPI = b"-//SYNCML//DTD SyncML 1.2//EN"


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("form", ["wbxml_1_2", "fpi_in_string_table"])
def test_wbxml_reply_keeps_the_version_and_public_id_form_of_the_request(arena, form):
    """Deployed DM 1.2 engines send WBXML 1.2, or the public id as the FPI in the string table,
    and one aborts on a reply in another form: the server answers in the request's form."""
    _with_device(arena, encoding="wbxml")
    arena.legit_session("First")
    valid = sorted(Path(arena.workdir / "server" / "wire").glob("*-in.wbxml"))[0].read_bytes()
    assert valid[:5] == b"\x03\xa4\x01\x6a\x00", valid[:8].hex()  # 1.3, 0x1201, UTF-8, no table
    if form == "wbxml_1_2":
        request, head = b"\x02" + valid[1:], b"\x02\xa4\x01\x6a\x00"
    else:
        table = SYNCML12_FPI + b"\x00"
        request = b"\x03\x00\x00\x6a" + bytes([len(table)]) + table + valid[5:]
        head = b"\x03\x00\x00\x6a" + bytes([len(table)]) + table
    reply = dm_post(arena.dm_port, request, WBXML_TYPE)
    assert reply.http_status == 200, (reply.http_status, reply.body[:300])
    assert reply.body[:len(head)] == head, reply.body[:len(head) + 4].hex()


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/vnd.syncml.notification", None])
def test_wrong_content_type_is_415_with_an_event(arena, content_type):
    _with_device(arena)
    live = LiveSession(arena)
    since = mark(arena.server)
    reply = dm_post(arena.dm_port, _package1_bytes(arena.dm_port), content_type)
    assert reply.http_status == 415, (reply.http_status, reply.body[:300])
    ev = _rejected(arena, since, 415)
    assert ev.get("error") == "unsupported_media_type", ev
    assert not after(arena.server, since, "session_started")
    live.finish()
    arena.legit_session("AfterType")


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_oversized_body_is_413_with_an_event(arena):
    _with_device(arena)
    live = LiveSession(arena)
    since = mark(arena.server)
    body = b"<SyncML xmlns='SYNCML:SYNCML1.2'>" + b" " * (DM_BODY_LIMIT + 1024) + b"</SyncML>"
    reply = dm_post(arena.dm_port, body, XML_TYPE)
    assert reply.http_status == 413, (reply.http_status, reply.body[:300])
    live.finish()
    arena.legit_session("AfterOversized")
    _rejected(arena, since, 413)


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_truncated_http_body_is_400_with_an_event(arena):
    """Content-Length promises more than arrives before the client closes its sending side."""
    _with_device(arena)
    live = LiveSession(arena)
    since = mark(arena.server)
    full = _package1_bytes(arena.dm_port)
    status, answer = truncated_post(arena.dm_port, full[: len(full) // 2], len(full))
    assert not after(arena.server, since, "session_started")
    live.finish()
    arena.legit_session("AfterTruncatedBody")
    assert status == 400, f"expected an HTTP 400 answer to a truncated body, got {answer[:200]!r}"
    _rejected(arena, since, 400)


# --- session identifiers ------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_wrong_session_id_is_not_taken_for_the_live_session(arena):
    """Package 3 of the live session sent with another SessionID: the server does not attach it to
    the live session; it is a new, unauthenticated session (407 with a Chal); the live session then
    completes with its own SessionID."""
    _with_device(arena)
    live = LiveSession(arena, session_id="5A")
    stray = DmClient(arena.dm_port, device=LIVE, session_id="5B", msg_id=live.dm.msg_id)
    stray.server_msg_id = live.dm.server_msg_id
    since = mark(arena.server)
    reply = stray.package3(live.p2)
    assert reply.http_status == 200, reply.body[:300]
    hdr = reply.header_status()
    assert hdr["code"] == 407, hdr
    assert hdr["chal"] is not None, "a 407 must carry a Chal"
    assert [c for c in reply.commands if not c.tag.endswith("Status")] == [], "commands sent to a stray session"
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("session") == "5B",
                        "auth_failed for the stray SessionID")
    assert failed.get("code") == 407, failed
    assert arena.device_batch(LIVE, live.batch).get("statuses", []) == [], "the stray message answered the batch"
    live.finish()
    arena.legit_session("AfterSessionId")


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_wrong_msg_id_is_reported_as_a_finding(arena):
    """Package 3 with MsgID 9 instead of 2: the server answers it (lenient), reports an OSR-01
    finding located at SyncHdr/MsgID, and the session completes."""
    _with_device(arena)
    live = LiveSession(arena)
    live.dm.msg_id = 8
    since = mark(arena.server)
    live.finish()
    finding = wait_after(arena.server, since, lambda e: e.get("kind") == "finding"
                         and (e.get("evidence") or {}).get("location") == "SyncHdr/MsgID", "finding on SyncHdr/MsgID")
    assert finding.get("requirement") == "MgmtPolicyMO-OSR-01", finding
    assert "expected 2" in (finding.get("evidence") or {}).get("detail", ""), finding
    arena.legit_session("AfterMsgId")


# --- authentication -------------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_missing_md5_credentials_get_407_with_chal(arena):
    _with_device(arena)
    arena.python_account(OTHER, PY_USER, PY_PASSWORD, "md5", PY_NONCE)
    queued = arena.queue_for(OTHER, [{"cmd": "Get", "target": "./DevInfo/Mod"}])
    live = LiveSession(arena)
    since = mark(arena.server)
    dm = DmClient(arena.dm_port, device=OTHER, session_id="21")
    reply = dm.package1(None)
    hdr = reply.header_status()
    assert reply.http_status == 200 and hdr["code"] == 407, hdr
    assert hdr["chal"] is not None and reply.next_nonce(), "407 without a Chal carrying a NextNonce"
    assert [c for c in reply.commands if not c.tag.endswith("Status")] == []
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("device") == OTHER,
                        "auth_failed for the device without Cred")
    assert failed.get("code") == 407 and failed.get("auth") == "md5", failed
    assert arena.device_batch(OTHER, queued).get("state") == "queued"
    live.finish()
    arena.legit_session("AfterMissingCred")


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
@pytest.mark.parametrize("where", ["server_uri", "wrong_token"])
def test_injected_message_without_credentials_is_not_the_session(arena, where):
    """While the live md5 session waits for its Package 3, a message with the same device and
    SessionID but no Cred, posted to the server URI (or with a made-up session token), forges a 200
    for the pending Replace and a Generic Alert. The server answers it 407 and records nothing of
    it; the genuine Package 3, posted to the RespURI, then completes the session with its own
    statuses."""
    _with_device(arena)
    live = LiveSession(arena)
    assert "?s=" in live.dm.target, f"no session token in the RespURI: {live.dm.target}"
    forger = DmClient(arena.dm_port, device=LIVE, session_id=live.dm.session_id, msg_id=live.dm.msg_id,
                      server_msg_id=live.dm.server_msg_id)
    forger.target = "/" if where == "server_uri" else "/?s=" + "0" * 32
    alert = ("<Alert><CmdID>9</CmdID><Data>1226</Data><Item><Source><LocURI>./MgmtPolicy/forged</LocURI></Source>"
             f"<Meta><Type xmlns='{METINF}'>urn:oma:at:mgmtpolicy:1.0:ActionResult</Type></Meta>"
             "<Data>1200</Data></Item></Alert>")
    since = mark(arena.server)
    forged = forger.post(forger.message(None, "".join(_statuses_for(forger, live.p2)) + alert))
    assert forged.http_status == 200, forged.body[:300]
    assert forged.header_status()["code"] == 407, forged.header_status()
    assert {s["code"] for s in forged.statuses()} == {407}, forged.statuses()
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("device") == LIVE,
                        "auth_failed for the injected message")
    assert "RespURI" in failed.get("detail", ""), failed
    assert not after(arena.server, since, "generic_alert"), "the injected Generic Alert was recorded"
    assert arena.device_batch(LIVE, live.batch).get("statuses", []) == [], "the injected Status answered the batch"
    live.finish()


def _statuses_for(dm: DmClient, reply) -> list[str]:
    """Status 200 for the SyncHdr and every command of `reply`, as dm's next message would send."""
    parts = [f"<Status><CmdID>1</CmdID><MsgRef>{dm.server_msg_id}</MsgRef><CmdRef>0</CmdRef>"
             f"<Cmd>SyncHdr</Cmd><Data>200</Data></Status>"]
    for n, cmd in enumerate((c for c in reply.commands if not c.tag.endswith("Status")), start=2):
        name = cmd.tag.split("}")[1]
        parts.append(f"<Status><CmdID>{n}</CmdID><MsgRef>{dm.server_msg_id}</MsgRef>"
                     f"<CmdRef>{_text(cmd, f'{{{NS}}}CmdID')}</CmdRef><Cmd>{name}</Cmd><Data>200</Data></Status>")
    return parts


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_replayed_md5_nonce_is_refused(arena):
    """A Package 1 captured from a completed session and replayed byte for byte: its Cred is built
    on the nonce of that session, which the server has since replaced; it gets 401 with a fresh
    Chal, and a Cred on the new nonce is then accepted."""
    _with_device(arena)
    arena.python_account(OTHER, PY_USER, PY_PASSWORD, "md5", PY_NONCE)
    captured = _package1_bytes(arena.dm_port)
    since = mark(arena.server)
    first = dm_post(arena.dm_port, captured, XML_TYPE)
    assert first.http_status == 200 and first.header_status()["code"] == 212, first.body[:300]
    wait_after(arena.server, since, lambda e: e.get("kind") == "session_ended" and e.get("device") == OTHER,
               "end of the captured session")
    queued = arena.queue_for(OTHER, [{"cmd": "Get", "target": "./DevInfo/Mod"}])
    live = LiveSession(arena)
    since = mark(arena.server)
    replay = dm_post(arena.dm_port, captured, XML_TYPE)
    assert replay.http_status == 200, replay.body[:300]
    hdr = replay.header_status()
    assert hdr["code"] == 401, f"replayed md5 Cred accepted: SyncHdr status {hdr['code']}"
    fresh = replay.next_nonce()
    assert hdr["chal"] is not None and fresh, "401 without a Chal carrying a NextNonce"
    assert fresh != PY_NONCE
    assert [c for c in replay.commands if not c.tag.endswith("Status")] == []
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("device") == OTHER,
                        "auth_failed for the replay")
    assert failed.get("code") == 401, failed
    assert arena.device_batch(OTHER, queued).get("state") == "queued"
    retry = DmClient(arena.dm_port, device=OTHER, session_id="7", msg_id=1).package1(md5_cred(PY_USER, PY_PASSWORD, fresh))
    assert retry.header_status()["code"] == 212, retry.body[:300]
    live.finish()
    arena.legit_session("AfterReplay")


def _hmac_package1(dm: DmClient) -> bytes:
    return dm.message(None, f"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item>"
                            f"<Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>{dm.device}</Data></Item></Replace>")


@pytest.mark.requirement("MgmtPolicyMO-OSR-01", "MgmtPolicyMO-ATHEN-1")
def test_bad_hmac_gets_401_with_chal_and_missing_hmac_407(arena):
    _with_device(arena)
    nonce = base64.b64encode(b"hmac-nonce-00001").decode()
    arena.python_account(HMAC_DEV, PY_USER, PY_PASSWORD, "hmac", nonce)
    queued = arena.queue_for(HMAC_DEV, [{"cmd": "Get", "target": "./DevInfo/Mod"}])
    live = LiveSession(arena)

    since = mark(arena.server)
    dm = DmClient(arena.dm_port, device=HMAC_DEV, session_id="31")
    body = _hmac_package1(dm)
    bad_mac = base64.b64encode(b"0123456789abcdef").decode()
    reply = dm_post(arena.dm_port, body, XML_TYPE, {"x-syncml-hmac": hmac_header(PY_USER, PY_PASSWORD, nonce, body, bad_mac)})
    assert reply.http_status == 200, reply.body[:300]
    hdr = reply.header_status()
    assert hdr["code"] == 401, hdr
    assert hdr["chal"] is not None, "401 without a Chal"
    assert _text(hdr["chal"], ".//{syncml:metinf}Type") == "syncml:auth-MAC"
    fresh = reply.next_nonce()
    assert fresh and fresh != nonce
    assert [c for c in reply.commands if not c.tag.endswith("Status")] == []
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("device") == HMAC_DEV,
                        "auth_failed for the bad HMAC")
    assert failed.get("code") == 401 and failed.get("auth") == "hmac", failed

    since = mark(arena.server)
    dm2 = DmClient(arena.dm_port, device=HMAC_DEV, session_id="32")
    reply = dm_post(arena.dm_port, _hmac_package1(dm2), XML_TYPE)
    hdr = reply.header_status()
    assert reply.http_status == 200 and hdr["code"] == 407, hdr
    assert hdr["chal"] is not None
    failed = wait_after(arena.server, since, lambda e: e.get("kind") == "auth_failed" and e.get("device") == HMAC_DEV,
                        "auth_failed for the missing HMAC")
    assert failed.get("code") == 407, failed
    assert arena.device_batch(HMAC_DEV, queued).get("state") == "queued"

    # A correct MAC on the nonce the last challenge carried is accepted (200 + NextNonce in HMAC mode).
    dm3 = DmClient(arena.dm_port, device=HMAC_DEV, session_id="33")
    body = _hmac_package1(dm3)
    good = dm_post(arena.dm_port, body, XML_TYPE,
                   {"x-syncml-hmac": hmac_header(PY_USER, PY_PASSWORD, reply.next_nonce(), body)})
    assert good.header_status()["code"] == 200, good.body[:400]
    assert [c.tag.split("}")[1] for c in good.commands if not c.tag.endswith("Status")] == ["Get"]
    live.finish()
    arena.legit_session("AfterHmac")


# --- control API -----------------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_server_control_api_refuses_bad_requests(arena):
    port = arena.server.ready["control_port"]
    good = {"Authorization": f"Bearer {arena.server.api.token}"}
    status, doc = http_call(port, "GET", "/v1/health")
    assert status == 401 and doc and doc.get("error"), (status, doc)
    status, doc = http_call(port, "GET", "/v1/health", headers={"Authorization": "Bearer wrong"})
    assert status == 401 and doc and doc.get("error"), (status, doc)
    status, doc = http_call(port, "POST", f"/v1/devices/{_q(OTHER)}/commands", b"{not json",
                            {**good, "Content-Type": "application/json"})
    assert status == 400 and doc and doc.get("error") and "detail" in doc, (status, doc)
    status, doc = http_call(port, "GET", "/v1/no/such/path", headers=good)
    assert status == 404 and doc and doc.get("error"), (status, doc)
    assert arena.server.api.get("/v1/health") == {"ok": True}


# --- sessions left behind ------------------------------------------------------------------------


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_new_package1_with_the_session_id_of_a_live_session_starts_anew(arena):
    """A device whose SessionID comes from the clock opens a new session with the SessionID of one
    it abandoned: the old session ends (superseded) and gives its unanswered batch back, and the new
    Package 1 authenticates and gets that batch again."""
    _with_device(arena)
    live = LiveSession(arena, session_id="7FC")
    since = mark(arena.server)
    again = DmClient(arena.dm_port, device=LIVE, session_id="7FC")
    p2 = again.package1(md5_cred(PY_USER, PY_PASSWORD, live.p2.next_nonce()))
    assert p2.http_status == 200 and p2.header_status()["code"] == 212, p2.body[:400]
    assert [c.tag.split("}")[1] for c in p2.commands if not c.tag.endswith("Status")] == ["Replace"]
    ended = wait_after(arena.server, since, lambda e: e.get("kind") == "session_ended", "session_ended")
    assert ended.get("reason", "").startswith("superseded"), ended
    live.dm = again
    live.p2 = p2
    live.finish()


@pytest.mark.requirement("MgmtPolicyMO-OSR-01")
def test_restart_ends_the_sessions_it_left_and_requeues_their_batches(arena):
    """The server stops while a session holds a sent batch: at the next start the session is
    `aborted`, the batch is `queued` again (store_recovered) and a new session delivers it."""
    live = LiveSession(arena)
    arena.server.stop()
    arena.start_server()
    recovered = arena.server.wait("store_recovered")[0]
    assert (recovered.get("sessions_aborted"), recovered.get("batches_requeued")) == (1, 1), recovered
    assert arena.device_batch(LIVE, live.batch).get("state") == "queued"
    sessions = arena.server.api.get(f"/v1/devices/{_q(LIVE)}/sessions")
    assert [(s["state"], s.get("end_reason")) for s in sessions] == [("ended", "aborted")], sessions
    live.dm = DmClient(arena.dm_port, device=LIVE, session_id="5B")
    live.p2 = live.dm.package1(md5_cred(PY_USER, PY_PASSWORD, live.p2.next_nonce()))
    assert live.p2.header_status()["code"] == 212, live.p2.body[:400]
    assert [c.tag.split("}")[1] for c in live.p2.commands if not c.tag.endswith("Status")] == ["Replace"]
    live.finish()
