"""MO profiles (docs/mo-profiles.md) against the reference binaries: cases name the MgmtPolicy MO's
nodes by logical paths, resolved in the profile the run is given, which both peers are started with.
On the second profile (testcases/profiles/acme.json: a vendor root, every node renamed) a device
observed over DM only gets the verdicts it gets on the reference MO; a device whose MO is not laid
out as the profile says FAILs the policy cases instead of passing them. Needs the real binaries
(skipped without, unless OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import pytest
import yaml

from suite_support import ROOT, run_suite, suite_build_dir

pytestmark = pytest.mark.timeout(600)
ACME = ROOT / "testcases" / "profiles" / "acme.json"
DM_ONLY = ROOT / "harness" / "adapters" / "ref-client-dm-only.yaml"
REF_CLIENT = ROOT / "harness" / "adapters" / "ref-client.yaml"


def test_a_device_observed_over_dm_gets_the_same_verdicts_on_the_acme_profile(tmp_path):
    build = suite_build_dir()
    reference = run_suite(tmp_path, build, "reference", "--adapter", str(DM_ONLY), "--iut", "client")
    acme = run_suite(tmp_path, build, "acme", "--adapter", str(DM_ONLY), "--iut", "client", "--mo-profile", str(ACME))
    assert acme[0] == 0, acme[1]["stdout"][-2000:]
    verdicts = [{c["key"]: c["verdict"] for c in run[1]["doc"]["cases"]} for run in (reference, acme)]
    assert verdicts[0] == verdicts[1]
    assert sum(v == "PASS" for v in verdicts[1].values()) >= 70, verdicts[1]
    assert acme[1]["doc"]["run"]["mo_profile"] == "acme"
    wire = "".join(m.get("xml", "") for c in acme[1]["doc"]["cases"] for m in c.get("transcript", []))
    assert "./ACME/PolicyMgr/p1/Ctl/Enable" in wire and "./MgmtPolicy/" not in wire


def test_a_device_whose_mo_is_not_laid_out_as_the_profile_says_fails(tmp_path):
    """Our device started without the profile keeps the reference MO, while the run says acme."""
    spec = yaml.safe_load(REF_CLIENT.read_text(encoding="utf-8"))
    command = spec["start"]["command"]
    at = command.index("--mo-profile")
    spec["start"]["command"] = command[:at] + command[at + 2:]
    spec["name"] = "ref-client-reference-mo"
    adapter = tmp_path / "ref-client-reference-mo.yaml"
    adapter.write_text(yaml.safe_dump(spec), encoding="utf-8")

    code, run = run_suite(tmp_path, suite_build_dir(), "mismatch", "--adapter", str(adapter), "--iut", "client",
                          "--mo-profile", str(ACME), "--id", "MgmtPolicyMO-HLF-1", "--id", "MgmtPolicyMO-HLF-9")

    verdicts = {c["key"]: c["verdict"] for c in run["doc"]["cases"]}
    assert code == 1, run["stdout"][-2000:]
    # What the device took for plain nodes under ./ACME still reads back; what needs the MO does not.
    for case in ("MgmtPolicyMO-HLF-1-download-simple-policy", "MgmtPolicyMO-HLF-9-definition-readable"):
        assert verdicts[f"{case}@client"] == "FAIL", verdicts
