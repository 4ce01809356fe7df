"""An adapter's `account` (docs/adapters.md, The DM account): a device provisioned with its own
IMEI, credentials, scheme and nonces runs the cases with them, and our server gets the same account,
nonces included, so that the first exchange needs no 401 round trip. Needs the real binaries
(skipped without, unless OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import pytest
import yaml

from suite_support import ROOT, run_suite, suite_build_dir

pytestmark = pytest.mark.timeout(300)
REF_CLIENT = ROOT / "harness" / "adapters" / "ref-client.yaml"
ACCOUNT = {"device_id": "IMEI:356938035643809", "user": "acme-7", "password": "acme-7-pw", "auth": "hmac",
           "client_nonce": "Y2xpZW50LW5vbmNl", "server_nonce": "c2VydmVyLW5vbmNl"}


def test_a_device_provisioned_with_its_own_account_runs_with_it(tmp_path):
    spec = yaml.safe_load(REF_CLIENT.read_text(encoding="utf-8"))
    spec.update(name="ref-client-provisioned", account=ACCOUNT)
    adapter = tmp_path / "ref-client-provisioned.yaml"
    adapter.write_text(yaml.safe_dump(spec), encoding="utf-8")

    code, run = run_suite(tmp_path, suite_build_dir(), "provisioned", "--adapter", str(adapter), "--iut", "client",
                          "--id", "MgmtPolicyMO-HLF-1-download-simple-policy")

    assert code == 0, run["stdout"][-2000:]
    (case,) = run["doc"]["cases"]
    assert case["verdict"] == "PASS", case
    wire = "".join(m.get("xml", "") for m in case["transcript"])
    assert ACCOUNT["device_id"] in wire
    assert "<Data>401</Data>" not in wire, "a nonce did not reach both sides: the first exchange was refused"
