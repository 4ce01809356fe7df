"""MO profiles (docs/mo-profiles.md) against the reference binaries: cases name the MgmtPolicy MO's
nodes by logical paths, resolved in the profile the run is given, which both peers are started with.
On the second profile (testcases/profiles/acme.json: a vendor root, every node renamed) a device
observed over DM only gets the verdicts it gets on the reference MO. The run finds the MO by its
identifier where the profile does not put it; a device without the MO gets NOT_IMPLEMENTED on the
policy cases, never PASS. Needs the real binaries (skipped without, unless OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import json
from pathlib import Path

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


def moved_profile(tmp_path, root: str, **changes) -> Path:
    """The acme profile with its MO at `root` (and `changes`), for a device with a layout of its own."""
    doc = json.loads(ACME.read_text(encoding="utf-8"))
    doc.update(root=root, name="acme-moved", ddf=str(ACME.parent / doc["ddf"]), **changes)
    path = tmp_path / "acme-moved.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def device_with_profile(tmp_path, profile: Path) -> Path:
    """The DM-only adapter, its device started with `profile` whatever the run's profile is."""
    spec = yaml.safe_load(DM_ONLY.read_text(encoding="utf-8"))
    command = spec["start"]["command"]
    command[command.index("--mo-profile") + 1] = str(profile)
    spec["name"] = "ref-client-own-profile"
    adapter = tmp_path / "ref-client-own-profile.yaml"
    adapter.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return adapter


def test_the_run_finds_the_mo_by_its_identifier_where_the_profile_does_not_put_it(tmp_path):
    """A device with the acme layout under ./Elsewhere/Policies, while the run's profile says
    ./ACME/PolicyMgr: the probe before the first case walks the tree for the node typed with the MO
    identifier, and the cases and our server follow it there."""
    adapter = device_with_profile(tmp_path, moved_profile(tmp_path, "./Elsewhere/Policies"))

    code, run = run_suite(tmp_path, suite_build_dir(), "moved", "--adapter", str(adapter), "--iut", "client",
                          "--mo-profile", str(ACME), "--id", "MgmtPolicyMO-HLF-1", "--id", "MgmtPolicyMO-HLF-3")

    verdicts = {c["key"]: c["verdict"] for c in run["doc"]["cases"]}
    assert code == 0, run["stdout"][-2000:]
    assert verdicts and set(verdicts.values()) <= {"PASS", "NOT_APPLICABLE"}, verdicts
    assert sum(v == "PASS" for v in verdicts.values()) >= 5, verdicts
    assert run["doc"]["run"]["mo_location"].startswith("./Elsewhere/Policies, the node typed urn:oma:mo:oma-mgmtpolicy")
    wire = "".join(m.get("xml", "") for c in run["doc"]["cases"] for m in c.get("transcript", []))
    assert "./Elsewhere/Policies/p1/Enable" in wire and "./ACME/PolicyMgr/" not in wire


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
