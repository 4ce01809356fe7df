"""`adapter-check --probe` against the reference binaries: our device as it is declared passes every
line, and a device that does not do what its adapter declares (a DM 1.2 client, a device whose
adapter denies the MgmtPolicy MO it has, an MO root typed with another identifier) gets a MISMATCH
line and exit 1."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from suite_support import ROOT, suite_build_dir

pytestmark = pytest.mark.timeout(180)
ADAPTERS = ROOT / "harness" / "adapters"


def probe(build, *files):
    argv = [sys.executable, "-m", "omadm_harness", "adapter-check", "--probe", "--build-dir", str(build),
            *map(str, files)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "harness")}
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=150, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def variant(tmp_path, name, change):
    doc = yaml.safe_load((ADAPTERS / "ref-client-dm-only.yaml").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_the_dm_only_device_does_what_it_declares():
    code, out = probe(suite_build_dir(), ADAPTERS / "ref-client-dm-only.yaml")
    assert code == 0, out
    assert "MISMATCH" not in out
    assert "session: started by the device (ver_proto DM/1.3" in out and "Get ./DevInfo/DevId: 200" in out


def test_a_device_unlike_its_declaration_is_reported(tmp_path):
    build = suite_build_dir()
    dm12 = variant(tmp_path, "dm12", lambda d: d["start"].update(faults={"speaks_dm12": True}))
    code, out = probe(build, dm12)
    assert code == 1 and "MISMATCH DM version: the device spoke DM/1.2" in out, out
    no_mo = variant(tmp_path, "no-mo", lambda d: d["features"].remove("mgmt_policy_mo"))
    code, out = probe(build, no_mo)
    assert code == 1 and "MISMATCH MgmtPolicy MO: Get ./MgmtPolicy answered 200; mgmt_policy_mo not declared" in out, out


def test_a_root_typed_with_another_mo_identifier_is_reported(tmp_path):
    """The device keeps a policy MO at ./MgmtPolicy typed urn:x-acme:mo:policies:2.0: no node carries
    the MgmtPolicy MO's identifier, so the root stays the profile's and its Type is a MISMATCH."""
    ddf = tmp_path / "other.ddf"
    ddf.write_text((ROOT / "ddf" / "mgmtpolicy.ddf").read_text(encoding="utf-8").replace(
        "urn:oma:mo:oma-mgmtpolicy:1.0", "urn:x-acme:mo:policies:2.0"), encoding="utf-8")
    profile = json.loads((ROOT / "testcases" / "profiles" / "reference.json").read_text(encoding="utf-8"))
    profile.update(mo_type="urn:x-acme:mo:policies:2.0", ddf=str(ddf))
    (tmp_path / "other.json").write_text(json.dumps(profile), encoding="utf-8")

    def own_profile(doc):
        command = doc["start"]["command"]
        command[command.index("--mo-profile") + 1] = str(tmp_path / "other.json")
    code, out = probe(suite_build_dir(), variant(tmp_path, "other-type", own_profile))

    assert code == 1, out
    assert "MO location: ./MgmtPolicy, where MO profile reference puts it (Get answered 200" in out, out
    assert ("MISMATCH MO identifier: ./MgmtPolicy has Type 'urn:x-acme:mo:policies:2.0' (Get answered 200); "
            "MO profile reference expects urn:oma:mo:oma-mgmtpolicy:1.0") in out, out
