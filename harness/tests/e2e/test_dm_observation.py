"""Observation over DM: the device-mode suite against our device with its hooks and without any
(harness/adapters/ref-client-dm-only.yaml: no tree, property, clock or fault hook, no Package 0),
where every tree and policy_state check is a Get by our server in a session the device starts. Wherever both runs judge a case, the verdicts agree;
without the hook a case is never FAIL or ERROR, and what cannot be read is INCONCLUSIVE with the
reason shown. Needs the real binaries (skipped without, unless OMADM_E2E_REQUIRED is set)."""
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
    return ({c["key"]: c for c in hooked[1]["doc"]["cases"]}, {c["key"]: c for c in bare[1]["doc"]["cases"]})


def test_both_runs_judge_the_same_cases_alike(runs):
    hooked, bare = runs
    assert hooked.keys() == bare.keys()
    both = [k for k in hooked if "NOT_APPLICABLE" not in (hooked[k]["verdict"], bare[k]["verdict"])
            and bare[k]["verdict"] != "INCONCLUSIVE"]
    assert len(both) >= 30, f"only {len(both)} cases judged in both runs"
    differ = {k: (hooked[k]["verdict"], bare[k]["verdict"]) for k in both if hooked[k]["verdict"] != bare[k]["verdict"]}
    assert not differ, differ


def test_without_the_hook_nothing_is_failed_and_nothing_unobserved_passes(runs):
    _, bare = runs
    bad = {k: c["summary"] for k, c in bare.items() if c["verdict"] in ("FAIL", "ERROR")}
    assert not bad, bad
    for k, c in bare.items():
        if c["verdict"] == "INCONCLUSIVE":
            text = c["summary"] + " ".join(x["detail"] for x in c["checks"])
            assert "cannot be observed" in text or "did not complete" in text or "not judged" in text, (k, text)
    reads = [x for c in bare.values() for x in c["checks"] if x["passed"] and "exists=" in x["detail"]]
    assert reads, "no tree check was judged over DM"
