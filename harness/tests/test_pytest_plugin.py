"""The pytest plugin (omadm_harness.pytest_plugin) on a folder of the user's, outside testcases/:
which YAML files become items, their node ids, and the JUnit classname (no `.yaml`, which Jenkins
would split on). pytest runs in a subprocess; the run against the reference peers is
e2e/test_pytest_plugin_run.py."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
CASE_ID = "MgmtPolicyMO-HLF-1-download-simple-policy"
CASE = ROOT / "testcases" / "cases" / "lifecycle" / f"{CASE_ID}.yaml"
# Harness files a user keeps beside their cases: none of them is a case.
NOT_CASES = {
    "my-device.yaml": ROOT / "harness" / "adapters" / "ref-client.yaml",
    "known-failures.yaml": ROOT / "testcases" / "baselines" / "ref-client-faulty.yaml",
    "faults.yaml": ROOT / "testcases" / "faults" / "device.yaml",
    "requirements.yaml": ROOT / "testcases" / "requirements.yaml",
    "case.schema.yaml": ROOT / "testcases" / "schema" / "case.schema.yaml",
}
NODEIDS = [f"mgmtpolicy/client::{CASE_ID}", f"mgmtpolicy/server::{CASE_ID}"]


def pytest_run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest with the plugin, in `cwd` (its own rootdir: no conftest or ini of the checkout)."""
    argv = [sys.executable, "-m", "pytest", "-p", "omadm_harness.pytest_plugin", "-p", "no:cacheprovider",
            "--rootdir", str(cwd), *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "harness")}
    env.pop("OMADM_SOURCE_DIR", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def collected(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stdout.splitlines() if "::" in line]


@pytest.fixture
def suite(tmp_path) -> Path:
    """my-suite/: one stock case, the harness files of a user's project beside it, a README."""
    d = tmp_path / "my-suite"
    (d / "area").mkdir(parents=True)
    shutil.copy(CASE, d / "area" / CASE.name)
    for name, src in NOT_CASES.items():
        shutil.copy(src, d / name)
    (d / "README.md").write_text("my cases\n", encoding="utf-8")
    return d


def test_a_folder_yields_its_cases_and_nothing_else(suite, tmp_path):
    proc = pytest_run(tmp_path, "--collect-only", "-q", "my-suite")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert collected(proc) == NODEIDS


def test_omadm_cases_collects_that_folder_alone_and_reports_a_broken_case(suite, tmp_path):
    proc = pytest_run(tmp_path, "--collect-only", "-q", "--omadm-cases", "my-suite", "--omadm-iut", "client")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert collected(proc) == NODEIDS[:1]
    broken = suite / "area" / "MgmtPolicyMO-HLF-1-broken.yaml"
    broken.write_text(f"id: MgmtPolicyMO-HLF-1-broken\ntitle: no steps\nrequirements: [MgmtPolicyMO-HLF-1]\n"
                      f"role_under_test: client\nchecks: []\n", encoding="utf-8")
    # Among a folder's files a case without `steps` is not recognised; under --omadm-cases it is
    # a case, and it does not lint.
    assert collected(pytest_run(tmp_path, "--collect-only", "-q", "my-suite")) == NODEIDS
    proc = pytest_run(tmp_path, "--collect-only", "-q", "--omadm-cases", "my-suite")
    assert proc.returncode != 0 and "MgmtPolicyMO-HLF-1-broken.yaml" in proc.stdout
    assert "my-device.yaml" not in proc.stdout


def test_a_file_named_on_the_command_line_is_a_case_file(suite, tmp_path):
    proc = pytest_run(tmp_path, "--collect-only", "-q", f"my-suite/area/{CASE.name}")
    assert proc.returncode == 0 and collected(proc) == NODEIDS, proc.stdout + proc.stderr
    proc = pytest_run(tmp_path, "--collect-only", "-q", "my-suite/my-device.yaml")
    assert proc.returncode != 0 and "my-device.yaml" in proc.stdout  # named, so linted, and refused


def test_the_same_case_in_two_files_is_a_usage_error(suite, tmp_path):
    shutil.copytree(suite / "area", suite / "copy")
    proc = pytest_run(tmp_path, "--collect-only", "-q", "my-suite")
    assert proc.returncode != 0
    assert f"case {CASE_ID} (client) is in both" in proc.stdout + proc.stderr


def test_junit_classname_is_the_role_not_the_file(suite, tmp_path):
    """Without built binaries the case ERRORs (the peers cannot start); its JUnit testcase is still
    named after the case and the role under test."""
    build = tmp_path / "no-build"
    build.mkdir()
    (build / "harness.json").write_text('{"server": "/nonexistent/srv", "client": "/nonexistent/cli"}')
    junit = tmp_path / "junit.xml"
    proc = pytest_run(tmp_path, "-q", "my-suite", "--omadm-build-dir", str(build), f"--junitxml={junit}")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    cases = etree.parse(str(junit)).getroot().findall(".//testcase")
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == [
        ("mgmtpolicy.client", CASE_ID), ("mgmtpolicy.server", CASE_ID)]
    assert all(c.find("failure") is not None for c in cases)
    assert not any(".yaml" in c.get("classname") for c in cases)
