import pytest

from omadm_harness.baseline import Baseline, BaselineError
from omadm_harness.results import RunResult
from omadm_harness.verdicts import CaseResult, CheckResult, Verdict


def failing(code=404, detail="status 404"):
    return CaseResult("MgmtPolicyMO-HLF-2-update", role_under_test="client", checks=[
        CheckResult("ok", ["MgmtPolicyMO-HLF-2"], "SHALL", True),
        CheckResult("replaced", ["MgmtPolicyMO-HLF-2"], "SHALL", False, detail=detail, status_code=code)])


def passing():
    return CaseResult("MgmtPolicyMO-HLF-2-update", role_under_test="client", checks=[
        CheckResult("replaced", ["MgmtPolicyMO-HLF-2"], "SHALL", True, status_code=200)])


def baseline(tmp_path, extra=""):
    f = tmp_path / "b.yaml"
    f.write_text("expected_failures:\n  - case: MgmtPolicyMO-HLF-2-update\n    check: replaced\n"
                 "    verdict: FAIL\n    reason: update not supported yet\n" + extra)
    return Baseline.load(f)


def test_listed_failure_is_expected(tmp_path):
    j = baseline(tmp_path).judge(failing())
    assert j.outcome == "XFAIL" and not j.unexpected


def test_stale_entry_fails_the_run(tmp_path):
    j = baseline(tmp_path).judge(passing())
    assert j.outcome == "STALE" and j.unexpected


def test_wrong_status_code_fails_the_run(tmp_path):
    j = baseline(tmp_path, "    status_code: 405\n").judge(failing(code=404))
    assert j.outcome == "WRONG_REASON" and j.unexpected


def test_wrong_detail_fails_the_run(tmp_path):
    j = baseline(tmp_path, "    detail_match: 'status 405'\n").judge(failing())
    assert j.outcome == "WRONG_REASON"


def test_unlisted_failure_is_new(tmp_path):
    j = Baseline().judge(failing())
    assert j.outcome == "NEW_FAIL" and j.unexpected


def test_pass_nonstrict_and_not_applicable_do_not_gate():
    r = CaseResult("x", checks=[CheckResult("a", ["MgmtPolicyMO-IOP-01"], "SHOULD", False)])
    assert not Baseline().judge(r).unexpected
    assert not Baseline().judge(CaseResult("y", signal=Verdict.NOT_APPLICABLE)).unexpected


def test_inconclusive_and_error_gate():
    assert Baseline().judge(CaseResult("y", signal=Verdict.INCONCLUSIVE, reason="r")).unexpected
    assert Baseline().judge(CaseResult("y", signal=Verdict.ERROR, reason="r")).unexpected


def test_case_level_entry(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text("expected_failures:\n  - case: y\n    verdict: ERROR\n    reason: flaky env\n    detail_match: boom\n")
    b = Baseline.load(f)
    assert b.judge(CaseResult("y", signal=Verdict.ERROR, reason="boom")).outcome == "XFAIL"
    assert b.judge(CaseResult("y", signal=Verdict.ERROR, reason="other")).outcome == "WRONG_REASON"
    assert b.judge(CaseResult("y")).outcome == "STALE"


def test_exit_codes_follow_the_baseline(tmp_path):
    run = RunResult("r", cases=[failing()])
    run.apply_baseline(baseline(tmp_path))
    assert run.exit_code() == 0
    run.apply_baseline(Baseline())
    assert run.exit_code() == 1
    assert RunResult("empty").exit_code() == 2
    interrupted = RunResult("i", cases=[passing()], interrupted=True)
    assert interrupted.exit_code() == 3


def test_malformed_baseline(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text("expected_failures:\n  - case: x\n")
    with pytest.raises(BaselineError):
        Baseline.load(f)


def test_shipped_baselines_load():
    from omadm_harness import paths

    for f in (paths.source_root() / "testcases" / "baselines").glob("*.yaml"):
        Baseline.load(f)
