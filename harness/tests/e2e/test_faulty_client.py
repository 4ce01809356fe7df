"""The suite against the deliberately faulty reference client: with every fault on
(harness/adapters/ref-client-faulty.yaml) and with wrong_result_code alone
(harness/adapters/ref-client-wrong-result-code.yaml, hidden by never_alert in the first), it must fail
exactly the cases the matching baseline in testcases/baselines/ lists, on the listed check and label: the
listed cases alone exit 1 without the baseline, and the whole suite exits 0 with it. Needs the real
binaries (build/<preset>/harness.json); skipped when there are none, unless OMADM_E2E_REQUIRED is set
(CTest's harness_e2e)."""
from __future__ import annotations

from pathlib import Path

import pytest

from omadm_harness.baseline import Baseline
from omadm_harness.yamlload import load_file
from suite_support import ROOT, run_suite, suite_build_dir

ADAPTER = ROOT / "harness" / "adapters" / "ref-client-faulty.yaml"
BASELINE = ROOT / "testcases" / "baselines" / "ref-client-faulty.yaml"
# (adapter, baseline) pairs played; the first has every fault on.
PAIRS = {
    "all-faults": (ADAPTER, BASELINE),
    "wrong-result-code": (ROOT / "harness" / "adapters" / "ref-client-wrong-result-code.yaml",
                          ROOT / "testcases" / "baselines" / "ref-client-wrong-result-code.yaml"),
}


# The module fixture plays the whole suite (twice per adapter): more than the default 60 s per test
# on a loaded 2-core machine. The suite runs themselves are bounded by their subprocess timeout.
pytestmark = pytest.mark.timeout(300)


def _run(tmp: Path, build: Path, run_id: str, adapter: Path, baseline: Path, *extra: str,
         whole_suite: bool = False) -> tuple[int, dict]:
    """Plays the cases the baseline lists, or every case (`whole_suite`)."""
    args = ["--adapter", str(adapter), *extra]
    if not whole_suite:
        for case_id in sorted({e.case for e in Baseline.load(baseline).entries}):
            args += ["--id", case_id]
    return run_suite(tmp, build, run_id, *args)


@pytest.fixture(scope="module", params=sorted(PAIRS))
def runs(request, tmp_path_factory):
    build = suite_build_dir()
    adapter, baseline = PAIRS[request.param]
    tmp = tmp_path_factory.mktemp(request.param)
    bare = _run(tmp, build, "bare", adapter, baseline)
    # The whole suite with the baseline: exit 0 means no case outside the baseline fails either, so
    # the faults fail exactly the listed checks.
    with_baseline = _run(tmp, build, "baselined", adapter, baseline, "--baseline", str(baseline), whole_suite=True)
    return bare, with_baseline, baseline


def test_baseline_lists_every_fault():
    entries = Baseline.load(BASELINE).entries
    assert entries, "the faulty-client baseline must not be empty"
    reasons = " ".join(e.reason for e in entries)
    for fault in ("ignore_deactivate", "never_alert", "skip_acl"):
        assert fault in reasons, f"no baseline entry is about {fault}"
    assert all(e.check and e.role == "client" for e in entries), "entries name the failing check, role client"
    assert all(label for label in _labels().values()), "every entry names the label of its failing check"


def test_wrong_result_code_baseline_is_about_that_fault():
    _, baseline = PAIRS["wrong-result-code"]
    entries = Baseline.load(baseline).entries
    assert entries and all("wrong_result_code" in e.reason and e.check and e.role == "client" for e in entries)
    assert all(_labels(baseline).values())


def test_faulty_client_fails_without_baseline(runs):
    (code, out), _, _ = runs
    assert code == 1, out["stderr"][-2000:]


def test_faulty_client_passes_with_baseline(runs):
    _, (code, out), _ = runs
    assert code == 0, out["stderr"][-2000:]


def _expected_case_verdicts(baseline) -> dict[str, str]:
    """case@role -> the verdict its entries add up to: FAIL when one of its checks must FAIL, else
    INCONCLUSIVE (a case a fault only leaves unjudged, e.g. an alert that never leaves)."""
    out: dict[str, str] = {}
    for e in Baseline.load(baseline).entries:
        key = f"{e.case}@{e.role}"
        out[key] = "FAIL" if e.verdict.name == "FAIL" or out.get(key) == "FAIL" else e.verdict.name
    return out


def test_only_the_listed_cases_fail(runs):
    _, (_, out), baseline = runs
    listed = {k for k, v in _expected_case_verdicts(baseline).items() if v == "FAIL"}
    failed = {c["key"] for c in out["doc"].get("cases", []) if c["verdict"] in ("FAIL", "ERROR")}
    assert failed == listed, f"failing but not listed: {sorted(failed - listed)}; listed but not failing: " \
                             f"{sorted(listed - failed)}"


def test_each_listed_case_fails_on_its_check(runs):
    _, (_, out), baseline = runs
    cases = {c["key"]: c for c in out["doc"].get("cases", [])}
    labels = _labels(baseline)
    expected = _expected_case_verdicts(baseline)
    for e in Baseline.load(baseline).entries:
        key = f"{e.case}@{e.role}"
        assert key in cases, f"{key} did not run"
        case = cases[key]
        assert case["verdict"] == expected[key], f"{key}: {case['verdict']} {case.get('reason')}"
        check = next((c for c in case["checks"] if c["id"] == e.check), None)
        assert check is not None, f"{key}: no check {e.check}"
        assert check["verdict"] == e.verdict.name, f"{key}/{e.check}: {check['verdict']} {check.get('detail')}"
        label = labels[(e.case, e.check)]
        assert label in check["labels"], f"{key}/{e.check}: labels {check['labels']}, expected {label}"


def _labels(baseline: Path = BASELINE) -> dict:
    """(case, check) -> the requirement label the failing check must carry (`label:` of each entry)."""
    doc = load_file(baseline)
    return {(str(i["case"]), str(i["check"])): str(i.get("label", "")) for i in doc["expected_failures"]}
