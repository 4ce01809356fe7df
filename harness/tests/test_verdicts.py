from omadm_harness.verdicts import CaseResult, CheckResult, Verdict, worst


def check(cid, passed, strength="SHALL", constrains="iut", labels=("MgmtPolicyMO-HLF-1",)):
    return CheckResult(id=cid, labels=list(labels), strength=strength, passed=passed, constrains=constrains)


def test_lattice_order():
    order = [Verdict.PASS, Verdict.PASS_NONSTRICT, Verdict.INFO, Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED,
             Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.ERROR]
    assert sorted(order) == order


def test_worst_wins():
    assert worst([Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE]) == Verdict.FAIL
    assert worst([]) == Verdict.PASS


def test_should_check_failing_gives_pass_nonstrict():
    r = CaseResult("c", checks=[check("a", True), check("b", False, "SHOULD", labels=("MgmtPolicyMO-IOP-01",))])
    assert r.verdict == Verdict.PASS_NONSTRICT


def test_fail_names_first_failing_check_and_label():
    r = CaseResult("c", checks=[check("a", True), check("b", False), check("c", False, labels=("MgmtPolicyMO-HLF-2",))])
    assert r.verdict == Verdict.FAIL
    assert r.first_failure().id == "b"
    assert "check b [MgmtPolicyMO-HLF-1]" in r.summary()


def test_reference_peer_fault_is_error_not_fail():
    assert check("a", False, constrains="reference").verdict == Verdict.ERROR


def test_unjudged_check_is_inconclusive():
    assert check("a", None).verdict == Verdict.INCONCLUSIVE


def test_signal_not_applicable_overrides_checks():
    r = CaseResult("c", signal=Verdict.NOT_APPLICABLE, reason="no feature")
    assert r.verdict == Verdict.NOT_APPLICABLE


def test_error_signal_worsens():
    r = CaseResult("c", checks=[check("a", False)], signal=Verdict.ERROR)
    assert r.verdict == Verdict.ERROR


def test_json_round_trip_keeps_verdict():
    r = CaseResult("c", checks=[check("a", True)], signal=Verdict.INCONCLUSIVE, reason="x")
    back = CaseResult.from_json(r.to_json())
    assert back.verdict == Verdict.INCONCLUSIVE and back.checks[0].id == "a"
