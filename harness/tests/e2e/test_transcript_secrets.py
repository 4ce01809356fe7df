"""What a run writes holds no password, credential or nonce in clear. The reference server masks its
transcripts from typed messages (reference-server/src/transcript_mask.cpp) and is the only place that
masks: the harness writes the transcripts it is given into the reports untouched. Plays the session
case of each authentication scheme through the CLI with the real binaries."""
from __future__ import annotations

import base64
import re

import pytest

from omadm_harness.adapter import Account
from suite_support import run_suite, suite_build_dir

CASES = ("MgmtPolicyMO-OSR-01-session-auth-basic", "MgmtPolicyMO-OSR-01-session-auth-md5",
         "MgmtPolicyMO-OSR-01-session-auth-hmac")

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("secrets")
    args = ["--iut", "client"]
    for case_id in CASES:
        args += ["--id", case_id]
    code, got = run_suite(out, suite_build_dir(), "secrets", *args)
    assert code == 0, got["stderr"][-2000:]
    return out / "secrets"


def _secrets() -> set[str]:
    a = Account()
    secrets = {a.password, a.server_password}
    for user in (a.user, a.server_id, a.device_id):
        for password in (a.password, a.server_password):
            secrets.add(base64.b64encode(f"{user}:{password}".encode()).decode())
    return secrets


def _transcripts(run) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((run / "transcripts").glob("*.txt"))}


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_every_case_has_a_transcript(run):
    names = _transcripts(run)
    assert len(names) == len(CASES), sorted(names)
    assert all("<SyncML" in text for text in names.values())


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_no_report_file_holds_a_password_or_basic_credential(run):
    files = [p for p in run.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        leaked = [s for s in _secrets() if s in text]
        assert not leaked, f"{path}: {leaked}"


@pytest.mark.requirement("MgmtPolicyMO-ATHEN-1")
def test_nonces_credentials_and_session_ids_are_masked_in_every_transcript(run):
    seen = {"NextNonce": 0, "Cred": 0}
    for name, text in _transcripts(run).items():
        nonces = re.findall(r"<NextNonce[^>]*>(.*?)</NextNonce>", text)
        creds = re.findall(r"<Cred>.*?<Data>(.*?)</Data>.*?</Cred>", text, re.S)
        sessions = re.findall(r"<SessionID>(.*?)</SessionID>", text)
        assert set(nonces) <= {"{NextNonce}"}, (name, nonces)
        assert set(creds) <= {"{Cred}"}, (name, creds)
        assert sessions and set(sessions) == {"{SessionID}"}, (name, sessions)
        seen["NextNonce"] += len(nonces)
        seen["Cred"] += len(creds)
    # Positive control: the runs did carry nonces (md5, hmac) and credentials (basic, md5).
    assert seen["NextNonce"] > 0 and seen["Cred"] > 0, seen
