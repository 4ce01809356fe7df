"""Observation over DM: the device-mode suite against our device with its hooks and without any
(harness/adapters/ref-client-dm-only.yaml: no tree, property, clock or fault hook, no Package 0),
where every tree and policy_state check is a Get by our server in a session the device starts, a
tree seed is written by our server and a property change is a Replace of a stimulus node under the
adapter's scratch subtree. Wherever both runs judge a case, the verdicts agree; without the hooks
the run exits 0 with every case PASS or NOT_APPLICABLE (with the hook it lacks named), at least 70
PASS. Needs the real binaries (skipped without, unless OMADM_E2E_REQUIRED is set)."""
from __future__ import annotations

import pytest

from suite_support import ROOT, run_suite, suite_build_dir

pytestmark = pytest.mark.timeout(600)
DM_ONLY = ROOT / "harness" / "adapters" / "ref-client-dm-only.yaml"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    build = suite_build_dir()
    tmp = tmp_path_factory.mktemp("dm-observation")
    hooked = run_suite(tmp, build, "hooked", "--iut", "client")
    bare = run_suite(tmp, build, "bare", "--adapter", str(DM_ONLY), "--iut", "client")
    assert bare[0] == 0, bare[1]["stdout"][-2000:]
    return ({c["key"]: c for c in hooked[1]["doc"]["cases"]}, {c["key"]: c for c in bare[1]["doc"]["cases"]})


def test_both_runs_judge_the_same_cases_alike(runs):
    hooked, bare = runs
    assert hooked.keys() == bare.keys()
    both = [k for k in hooked if "NOT_APPLICABLE" not in (hooked[k]["verdict"], bare[k]["verdict"])
            and bare[k]["verdict"] != "INCONCLUSIVE"]
    assert len(both) >= 70, f"only {len(both)} cases judged in both runs"
    differ = {k: (hooked[k]["verdict"], bare[k]["verdict"]) for k in both if hooked[k]["verdict"] != bare[k]["verdict"]}
    assert not differ, differ


def test_without_the_hooks_every_case_passes_or_says_which_hook_it_needs(runs):
    _, bare = runs
    verdicts = {k: c["verdict"] for k, c in bare.items()}
    odd = {k: (v, bare[k]["summary"]) for k, v in verdicts.items() if v not in ("PASS", "NOT_APPLICABLE")}
    assert not odd, odd
    assert sum(v == "PASS" for v in verdicts.values()) >= 70, verdicts
    for k, c in bare.items():
        if c["verdict"] == "NOT_APPLICABLE":
            assert "does not declare" in c["reason"], (k, c["reason"])
    reads = [x for c in bare.values() for x in c["checks"] if x["passed"] and "exists=" in x["detail"]]
    assert reads, "no tree check was judged over DM"
