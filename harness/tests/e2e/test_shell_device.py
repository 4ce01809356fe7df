"""The example device driven by command lines (harness/adapters/examples/shell-device.yaml): a bash
script around the reference client, with no private hook. adapter-check --probe finds it as
declared, and cases of each kind pass against it: a policy that runs on a stimulus written over DM,
a DM 1.3 session, a refused server. Needs the real binaries (skipped without, unless
OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import pytest

from suite_support import ROOT, run_suite, suite_build_dir
from test_adapter_probe import probe

pytestmark = pytest.mark.timeout(300)
SHELL_DEVICE = ROOT / "harness" / "adapters" / "examples" / "shell-device.yaml"
CASES = ["MgmtPolicyMO-HLF-8-condition-met-action-runs", "MgmtPolicyMO-OSR-01-dm13-device-info",
         "MgmtPolicyMO-ATHEN-1-wrong-credentials-rejected", "MgmtPolicyMO-Device-03-periodic-trigger-on-clock"]


def test_the_shell_device_is_probed_as_declared():
    code, out = probe(suite_build_dir(), SHELL_DEVICE)
    assert code == 0 and "MISMATCH" not in out, out
    assert "session: started by the device" in out


def test_the_shell_device_passes_without_hooks(tmp_path):
    args = [a for c in CASES for a in ("--id", c)]
    code, run = run_suite(tmp_path, suite_build_dir(), "shell", "--adapter", str(SHELL_DEVICE), "--iut", "client",
                          *args)
    verdicts = {c["id"]: c["verdict"] for c in run["doc"]["cases"]}
    assert code == 0, run["stdout"][-2000:]
    assert verdicts == {**{c: "PASS" for c in CASES[:3]}, CASES[3]: "NOT_APPLICABLE"}, verdicts
