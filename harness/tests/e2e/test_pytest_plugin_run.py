"""The pytest plugin against the reference peers: a stock case copied into a folder of the user's
(outside testcases/, beside an adapter and a baseline) is collected, plays and PASSes in both
roles, and pytest's --junitxml names it classname `mgmtpolicy.<role>`, name the case id (no
`.yaml`). Needs the real binaries (skipped without, unless OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from lxml import etree

from suite_support import ROOT, suite_build_dir

CASE_ID = "MgmtPolicyMO-HLF-1-download-simple-policy"


def test_a_users_folder_of_cases_runs_under_pytest_with_junit(tmp_path):
    build = suite_build_dir()
    suite = tmp_path / "my-suite"
    suite.mkdir()
    shutil.copy(ROOT / "testcases" / "cases" / "lifecycle" / f"{CASE_ID}.yaml", suite)
    shutil.copy(ROOT / "harness" / "adapters" / "ref-client.yaml", suite / "my-device.yaml")
    shutil.copy(ROOT / "testcases" / "baselines" / "ref-peers.yaml", suite / "known-failures.yaml")
    junit = tmp_path / "junit.xml"
    argv = [sys.executable, "-m", "pytest", "-p", "omadm_harness.pytest_plugin", "-p", "no:cacheprovider",
            "--rootdir", str(tmp_path), "-rA", "my-suite", "--omadm-build-dir", str(build),
            "--omadm-adapter", str(suite / "my-device.yaml"), f"--junitxml={junit}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "harness")}
    proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout, proc.stdout
    root = etree.parse(str(junit)).getroot()
    cases = root.findall(".//testcase")
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == [
        ("mgmtpolicy.client", CASE_ID), ("mgmtpolicy.server", CASE_ID)]
    for c in cases:
        assert ".yaml" not in c.get("classname")
        assert c.find("failure") is None and c.find("error") is None and c.find("skipped") is None
        props = {p.get("name"): p.get("value") for p in c.iter("property")}
        assert props["verdict"] == "PASS" and props["requirement"].startswith("MgmtPolicyMO-")
