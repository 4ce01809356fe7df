"""MO profiles (docs/mo-profiles.md) against the reference binaries: cases name the MgmtPolicy MO's
nodes by logical paths, resolved in the profile the run is given, which both peers are started with.
On the second profile (testcases/profiles/acme.json: a vendor root, every node renamed) a device
observed over DM only gets the verdicts it gets on the reference MO. A device without the MO where
its profile puts it (another layout, or none at all) gets NOT_IMPLEMENTED on the policy cases,
never PASS. Needs the real binaries (skipped without, unless OMADM_E2E_REQUIRED is set)."""
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
    assert "./ACME/PolicyMgr/p1/Enable" in wire and "./MgmtPolicy/" not in wire


def test_a_device_whose_mo_is_not_where_the_profile_says_gets_no_pass(tmp_path):
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

    # The probe before the first case finds no MO at ./ACME/PolicyMgr: no policy case can PASS.
    verdicts = {c["key"]: c for c in run["doc"]["cases"]}
    assert code == 0, run["stdout"][-2000:]
    assert verdicts and {c["verdict"] for c in verdicts.values()} == {"NOT_IMPLEMENTED"}, verdicts
    assert all("./ACME/PolicyMgr (MO profile acme) answered 404" in c["reason"] for c in verdicts.values())


def test_a_device_without_the_mo_gets_no_pass_on_the_policy_cases(tmp_path):
    """The reference device with no_mgmt_policy_mo (its MO root removed) behind an adapter that still
    declares mgmt_policy_mo: the probe before the first case finds the root missing."""
    from omadm_harness.catalogue import Catalogue
    from omadm_harness.lint import discover, load_and_lint
    from omadm_harness.paths import cases_dir, requirements_file

    cases, _ = load_and_lint(discover(cases_dir()), Catalogue.load(requirements_file()))
    policy_cases = {c.id for c in cases if c.uses_policy_mo()}
    spec = yaml.safe_load(REF_CLIENT.read_text(encoding="utf-8"))
    spec["start"]["faults"] = {"no_mgmt_policy_mo": True}
    spec["name"] = "ref-client-without-mo"
    adapter = tmp_path / "ref-client-without-mo.yaml"
    adapter.write_text(yaml.safe_dump(spec), encoding="utf-8")

    code, run = run_suite(tmp_path, suite_build_dir(), "no-mo", "--adapter", str(adapter), "--iut", "client")

    verdicts = {c["key"].split("@")[0]: c for c in run["doc"]["cases"]}
    judged_policy = {k: c["verdict"] for k, c in verdicts.items() if k in policy_cases}
    assert judged_policy and set(judged_policy.values()) == {"NOT_IMPLEMENTED"}, judged_policy
    assert all("answered 404 before the first case" in verdicts[k]["reason"] for k in judged_policy)
    assert any(c["verdict"] == "PASS" for k, c in verdicts.items() if k not in policy_cases)
    assert code == 0, run["stdout"][-2000:]
