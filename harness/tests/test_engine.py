import pytest

from omadm_harness.results import RunResult
from omadm_harness.runner import Item, Progress, expand_roles, run_items, run_one, select
from omadm_harness.verdicts import CheckResult, Verdict

from double_iut import DoubleTopology
from helpers import CATALOGUE, GOOD_CASE, load, write_case


def case_from(tmp_path, text):
    cases, issues = load([write_case(tmp_path, text)])
    assert issues == []
    return cases[0]


def play(case, topology=None, role="client", timeout=5):
    return run_one(Item(case, role), topology or DoubleTopology(), CATALOGUE, timeout)


def test_download_passes(tmp_path):
    r = play(case_from(tmp_path, GOOD_CASE))
    assert r.verdict == Verdict.PASS, r.summary()
    assert r.transcript and "<SessionID>{SessionID}</SessionID>" in r.transcript[0]["xml"]
    assert r.exercised == ["MgmtPolicyMO-OSR-01"]


def test_transcript_is_kept_as_the_server_peer_gives_it(tmp_path):
    """Masking is the peer's job: the harness neither re-masks nor rewrites a transcript."""
    topology = DoubleTopology()
    r = play(case_from(tmp_path, GOOD_CASE), topology)
    given = [m for s in topology.world.sessions for m in s["messages"]]
    assert [{k: v for k, v in m.items() if k != "session"} for m in r.transcript[:len(given)]] == given


def test_wrong_status_fails_naming_check_and_label(tmp_path):
    r = play(case_from(tmp_path, GOOD_CASE.replace("code: [200]", "code: [418]")))
    assert r.verdict == Verdict.FAIL
    assert r.first_failure().id == "dl-accepted" and "MgmtPolicyMO-HLF-1" in r.summary()
    assert r.first_failure().status_code == 200


def test_missing_feature_is_not_applicable(tmp_path):
    case = case_from(tmp_path, GOOD_CASE.replace("steps:", "applicability: [fault_injection]\nsteps:"))
    assert play(case).verdict == Verdict.NOT_APPLICABLE


def test_what_the_reference_peer_holds_because_of_the_iut_judges_the_iut(tmp_path):
    """A wrong node on our device after a download is the server's doing when the server is under
    test, and the device's when the device is: FAIL in both roles, never ERROR."""
    text = GOOD_CASE.replace("role_under_test: client", "role_under_test: both").replace(
        "    exists: true", "    exists: false\n    party: device")
    case = case_from(tmp_path, text)
    for role in ("client", "server"):
        r = play(case, role=role)
        assert r.verdict == Verdict.FAIL, (role, r.summary())
        assert r.first_failure().responsible == {"client": "device", "server": "server"}[role]


def test_our_device_has_no_duty_of_its_own_with_a_server_under_test(tmp_path):
    """Even after a check on the server passed, what our device did follows from the server's
    commands: a failing device check with depends_on still FAILs the server."""
    text = GOOD_CASE.replace("role_under_test: client", "role_under_test: both") + """\
  - id: dl-gone
    kind: tree
    labels: [MgmtPolicyMO-HLF-1]
    party: device
    depends_on: [dl-accepted]
    uri: mo:p1
    exists: false
"""
    r = play(case_from(tmp_path, text), role="server")
    assert r.verdict == Verdict.FAIL and r.first_failure().responsible == "server"


def test_reference_duty_after_the_iuts_part_passed_is_error(tmp_path):
    """With `depends_on` an IUT check that passed, a failing check on the reference party is the
    reference peer's own fault: ERROR."""
    text = GOOD_CASE + """\
  - id: dl-listed
    kind: tree
    labels: [MgmtPolicyMO-HLF-1]
    party: server
    depends_on: [dl-in-tree]
    uri: mo:p1
    exists: false
"""
    r = play(case_from(tmp_path, text))
    assert r.verdict == Verdict.ERROR and r.first_failure().id == "dl-listed"
    assert r.first_failure().constrains == "reference"


@pytest.mark.parametrize("severity, verdict", [
    ("error", Verdict.FAIL), ("warning", Verdict.PASS_NONSTRICT), ("info", Verdict.INFO), (None, Verdict.FAIL)])
def test_a_finding_of_the_reference_peer_is_a_check_on_the_iut(tmp_path, severity, verdict):
    finding = {"requirement": "MgmtPolicyMO-OSR-01", "evidence": {"msg_id": 2, "detail": "MsgID went backwards"}}
    if severity:
        finding["severity"] = severity
    r = play(case_from(tmp_path, GOOD_CASE), DoubleTopology(faults={"finding": finding}))
    assert r.verdict == verdict, r.summary()
    last = r.checks[-1]
    assert (last.id, last.labels, last.responsible) == ("finding-1", ["MgmtPolicyMO-OSR-01"], "device")
    assert last.detail == "the reference server found: MsgID went backwards (msg_id 2)"


def test_a_finding_the_case_provokes_is_no_verdict(tmp_path):
    finding = {"requirement": "MgmtPolicyMO-HLF-1", "severity": "error", "evidence": {"detail": "expected"}}
    text = GOOD_CASE.replace("steps:", "expected_findings: [MgmtPolicyMO-HLF-1]\nsteps:")
    r = play(case_from(tmp_path, text), DoubleTopology(faults={"finding": finding}))
    assert r.verdict == Verdict.PASS and [c.id for c in r.checks] == ["dl-accepted", "dl-in-tree"]


@pytest.mark.parametrize("profile, verdict", [(None, Verdict.FAIL), (frozenset({"onchange_edge"}), Verdict.FAIL),
                                              (frozenset(), Verdict.INFO)])
def test_a_check_of_our_mo_s_own_choice_is_info_unless_the_device_declares_it(tmp_path, profile, verdict):
    text = GOOD_CASE.replace("    exists: true", "    exists: false\n    profile: onchange_edge")
    r = play(case_from(tmp_path, text), DoubleTopology(profile=profile))
    assert r.verdict == verdict, r.summary()
    if verdict == Verdict.INFO:
        assert "does not declare profile option onchange_edge" in r.checks[1].detail


def test_topology_failure_is_error_never_fail(tmp_path):
    r = play(case_from(tmp_path, GOOD_CASE), DoubleTopology(broken=True))
    assert r.verdict == Verdict.ERROR and "IUT did not start" in r.reason


ALERT_CASE = """\
id: MgmtPolicyMO-Device-01-alert-double
title: Activation raises a Generic Alert
requirements: [MgmtPolicyMO-Device-01]
role_under_test: client
steps:
  - {id: act, kind: policy, op: activate, pid: p1, correlator: c-9}
  - {kind: session, initiator: client}
checks:
  - {id: alerted, kind: alert, labels: [MgmtPolicyMO-Device-01], correlator: c-9, type: {contains: mgmtpolicy}}
  - {id: one-alert, kind: alert, labels: [MgmtPolicyMO-Device-01], count: 1}
"""


def test_without_a_tree_hook_the_tree_is_read_over_dm(tmp_path):
    """No local_tree_access: each tree check is a Get by our server in a session of its own, with
    the verdict the hook would give."""
    from double_iut import ALL_FEATURES

    no_hook = DoubleTopology(features=ALL_FEATURES - {"local_tree_access"})
    case = case_from(tmp_path, GOOD_CASE)
    r = play(case, no_hook)
    assert r.verdict == Verdict.PASS, r.summary()
    assert len(no_hook.world.sessions) == 2  # the case's own, and the read
    absent = play(case_from(tmp_path, GOOD_CASE.replace("mo:p1", "mo:p9")), no_hook)
    assert absent.verdict == Verdict.FAIL and "exists=False" in absent.first_failure().detail


def test_without_a_tree_hook_or_a_session_the_tree_cannot_be_observed(tmp_path):
    from double_iut import ALL_FEATURES

    topology = DoubleTopology(features=ALL_FEATURES - {"local_tree_access", "client_initiated_session",
                                                       "pkg0_notification"})
    r = play(case_from(tmp_path, GOOD_CASE), topology)
    assert r.verdict == Verdict.NOT_APPLICABLE and "pkg0_notification" in r.reason  # its session needs Package 0
    r = play(case_from(tmp_path, GOOD_CASE.replace("initiator: server", "initiator: any")), topology)
    assert r.verdict == Verdict.NOT_APPLICABLE and "no session can start" in r.reason


def test_any_initiator_uses_package_0_where_declared_else_the_device(tmp_path):
    from double_iut import ALL_FEATURES

    text = GOOD_CASE.replace("initiator: server", "initiator: any")
    calls = []
    for features, expected in ((ALL_FEATURES, "server"), (ALL_FEATURES - {"pkg0_notification"}, "client")):
        topology = DoubleTopology(features=features)
        r = play(case_from(tmp_path, text), topology)
        assert r.verdict == Verdict.PASS, r.summary()
        calls.append(topology.world.initiators)
    assert calls == [["server"], ["client"]]


def test_server_faults_reach_the_reference_server(tmp_path):
    topology = DoubleTopology()
    text = ALERT_CASE.replace("steps:", "preconditions: {server_faults: {never_ack_alert: true}}\nsteps:")
    assert play(case_from(tmp_path, text), topology).verdict == Verdict.FAIL
    assert topology.world.faults == {"never_ack_alert": True}


def test_a_server_faults_step_changes_the_reference_server_mid_case(tmp_path):
    topology = DoubleTopology()
    text = ALERT_CASE.replace("steps:\n", "steps:\n  - {kind: server_faults, set: {never_ack_alert: true}}\n")
    assert play(case_from(tmp_path, text), topology).verdict == Verdict.FAIL
    assert topology.world.faults == {"never_ack_alert": True}


def test_a_session_expected_not_to_happen_is_not_waited_for(tmp_path):
    topology = DoubleTopology()
    text = ALERT_CASE.replace("  - {kind: session, initiator: client}\n",
                              "  - {kind: session, initiator: client, expect_end: none}\n"
                              "  - {kind: session, initiator: client}\n")
    r = play(case_from(tmp_path, text), topology)
    assert r.verdict == Verdict.PASS, r.summary()
    assert topology.world.initiators == ["client", "client"], topology.world.initiators


def test_alert_check_and_absence(tmp_path):
    case = case_from(tmp_path, ALERT_CASE)
    assert play(case).verdict == Verdict.PASS
    broken = play(case, DoubleTopology(faults={"never_alert": True}))
    assert broken.verdict == Verdict.FAIL and broken.first_failure().id == "alerted"


def test_should_only_failure_is_pass_nonstrict(tmp_path):
    text = """\
    id: MgmtPolicyMO-IOP-01-prop-double
    title: Property readable
    requirements: [MgmtPolicyMO-IOP-01]
    role_under_test: client
    steps:
      - {kind: properties, set: {network_type: wifi}}
    checks:
      - {id: net, kind: tree, labels: [MgmtPolicyMO-IOP-01], uri: ./DevDetail/Ext/Props/network_type, value: lte}
    """
    assert play(case_from(tmp_path, text)).verdict == Verdict.PASS_NONSTRICT


def test_parallel_run_and_selection(tmp_path):
    a = case_from(tmp_path, GOOD_CASE)
    b = case_from(tmp_path, ALERT_CASE)
    items = expand_roles([a, b], "client")
    assert [i.key for i in select(items, labels=["MgmtPolicyMO-Device -01"])] == ["MgmtPolicyMO-Device-01-alert-double@client"]
    assert [i.key for i in select(items, prefixes=["MgmtPolicyMO-HLF-1"])] == ["MgmtPolicyMO-HLF-1-download-minimal@client"]
    run = run_items(items, DoubleTopology(), CATALOGUE, jobs=2, progress=Progress(2, quiet=True), run=RunResult("t"))
    assert [c.case_id for c in run.cases] == [a.id, b.id]
    run.apply_baseline()
    assert run.exit_code() == 0


def test_both_roles_expand(tmp_path):
    case = case_from(tmp_path, GOOD_CASE.replace("role_under_test: client", "role_under_test: both"))
    assert [i.key for i in expand_roles([case], "both")] == [f"{case.id}@client", f"{case.id}@server"]
    assert [i.key for i in expand_roles([case], "server")] == [f"{case.id}@server"]
    r = play(case, role="server")
    assert r.verdict == Verdict.PASS and r.role_under_test == "server"


def test_tree_seed_opens_top_level_subtrees_to_servers():
    from omadm_harness.engine import OPEN_ACL, open_acl_commands

    seed = [
        {"cmd": "Add", "target": "./Vendor/Demo/Brightness", "format": "int", "data": "80"},
        {"cmd": "Add", "target": "./Vendor/AppA/Enabled", "format": "bool", "data": "true"},
        {"cmd": "Add", "target": "./Other/Leaf", "data": "x"},
        {"cmd": "Replace", "target": "./MgmtPolicy?prop=ACL", "data": "Get=other"},
        {"cmd": "Add", "target": "./DevDetail/Ext/X", "data": "1"},
    ]
    assert open_acl_commands(seed) == [
        {"cmd": "Replace", "target": "./Vendor?prop=ACL", "data": OPEN_ACL},
        {"cmd": "Replace", "target": "./Other?prop=ACL", "data": OPEN_ACL},
    ]
    own = seed + [{"cmd": "Replace", "target": "./Other?prop=ACL", "data": "Get=*"}]
    assert [c["target"] for c in open_acl_commands(own)] == ["./Vendor?prop=ACL"]


def test_depends_on_leaves_a_check_unjudged_when_its_prerequisite_fails(tmp_path):
    from omadm_harness.engine import _check

    class _Ctx:
        role = "client"
        case = type("C", (), {"steps": [], "checks": []})()
        step_kinds: dict = {}
        checks_by_id: dict = {}

    earlier = {"sent": CheckResult("sent", ["MgmtPolicyMO-Device-01"], "SHALL", False)}
    check = {"id": "received", "kind": "alert", "labels": ["MgmtPolicyMO-DMS-02"], "party": "server",
             "depends_on": ["sent"]}
    res = _check(_Ctx(), check, CATALOGUE, earlier)
    assert res.passed is None and res.verdict == Verdict.INCONCLUSIVE
    assert "sent did not pass" in res.detail


def test_lint_depends_on_must_name_an_earlier_check(tmp_path):
    text = GOOD_CASE.replace("    code: [200]\n", "    code: [200]\n    depends_on: [dl-in-tree]\n")
    _, issues = load([write_case(tmp_path, text)])
    assert any("depends on 'dl-in-tree'" in i.message for i in issues), issues


def test_device_hooks_are_judged_against_the_device_adapter():
    from omadm_harness.engine import check_applicable
    from omadm_harness.verdicts import NotApplicable

    case, = load_cases_text(GOOD_CASE.replace("role_under_test: client",
                                              "role_under_test: both\napplicability: [local_tree_access, generic_alert]"))
    iut = frozenset({"generic_alert", "pkg0_notification"})  # the case's session is a Package 0 one
    mo = "mgmt_policy_mo"
    check_applicable(case, iut, frozenset({"local_tree_access", mo}))  # server IUT, ref device
    with pytest.raises(NotApplicable, match="device does not declare local_tree_access"):
        check_applicable(case, iut, frozenset({mo}))
    with pytest.raises(NotApplicable, match="IUT does not declare generic_alert"):
        check_applicable(case, frozenset({"pkg0_notification"}), frozenset({"local_tree_access", "generic_alert", mo}))
    with pytest.raises(NotApplicable, match="IUT does not declare pkg0_notification"):
        check_applicable(case, frozenset({"generic_alert"}), frozenset({"local_tree_access", mo}))


def load_cases_text(text):
    import tempfile
    from pathlib import Path

    cases, issues = load([write_case(Path(tempfile.mkdtemp()), text)])
    assert not issues, issues
    return cases


class _TrailingExchange:
    """A server with one open session and a device with one queued alert, both settling after
    `polls` device-event polls (or never)."""

    def __init__(self, polls):
        self.polls, self.left = polls, polls

    def sessions(self, device_id):
        return [{"id": "1", "state": "active" if self.left > 0 else "ended"}]

    def events(self, after, wait_ms, kind=None):
        self.left -= 1
        evs = [{"seq": 1, "kind": "alert_queued", "alert": 7}]
        if self.left <= 0:
            evs.append({"seq": 2, "kind": "alert_answered", "alert": 7, "code": 500})
        evs = [e for e in evs if e["seq"] > after]
        return evs, max([after] + [e["seq"] for e in evs])


def _settle_ctx(exchange, case):
    import time

    from omadm_harness.engine import Pair, _Ctx

    class Device:
        device_id = "dev"
        events = staticmethod(exchange.events)

    return _Ctx(case, "client", Pair(server=exchange, device=Device()), time.monotonic() + 30)


def test_settle_waits_for_the_trailing_session_and_alert(tmp_path):
    from omadm_harness.engine import _settle

    exchange = _TrailingExchange(polls=4)
    _settle(_settle_ctx(exchange, case_from(tmp_path, GOOD_CASE)))
    assert exchange.left <= 0, "returned while the session was open and the alert unanswered"


def test_settle_gives_up_at_its_bound(tmp_path, monkeypatch):
    import time

    from omadm_harness import engine

    monkeypatch.setattr(engine, "SETTLE_S", 0.3)
    exchange = _TrailingExchange(polls=10**9)
    started = time.monotonic()
    engine._settle(_settle_ctx(exchange, case_from(tmp_path, GOOD_CASE)))
    assert time.monotonic() - started < 2.0 and exchange.left > 0


STIMULUS_CASE = """\
id: MgmtPolicyMO-HLF-8-stimulus
title: A property the case changes
requirements: [MgmtPolicyMO-HLF-8]
role_under_test: client
preconditions:
  properties: {battery: 80}
steps:
  - {kind: properties, set: {battery: 15}}
checks:
  - {id: seen, kind: tree, labels: [MgmtPolicyMO-HLF-8], uri: "sys:battery", value: "15"}
"""


def test_without_property_simulation_a_property_is_a_stimulus_node_our_server_writes(tmp_path):
    """The case's system property node becomes a node under the device's scratch subtree: created with the
    precondition's value, Replaced at the step, each in a session of its own, and read over DM."""
    from double_iut import ALL_FEATURES

    bare = ALL_FEATURES - {"property_simulation", "local_tree_access", "pkg0_notification"}
    topology = DoubleTopology(features=bare, scratch="./Vendor/Harness")
    r = play(case_from(tmp_path, STIMULUS_CASE), topology)
    assert r.verdict == Verdict.PASS, r.summary()
    assert topology.world.tree["./Vendor/Harness/Battery"] == "15"
    assert not any("SysProps" in k for k in topology.world.tree)
    written = [c for b in topology.world.batches.values() for c in b["commands"]]
    assert [(c["cmd"], c["format"], c["data"]) for c in written if c["cmd"] != "Get"] == \
        [("Add", "int", "80"), ("Replace", "int", "15")]
    assert len(topology.world.sessions) == 3  # the precondition, the step, the read
    no_scratch = play(case_from(tmp_path, STIMULUS_CASE), DoubleTopology(features=bare))
    assert no_scratch.verdict == Verdict.NOT_APPLICABLE and "property_simulation" in no_scratch.reason
    # A case that needs the system property itself declares the hook: no stand-in then.
    declared = STIMULUS_CASE.replace("role_under_test: client", "role_under_test: client\napplicability: [property_simulation]")
    r = play(case_from(tmp_path, declared), DoubleTopology(features=bare, scratch="./Vendor/Harness"))
    assert r.verdict == Verdict.NOT_APPLICABLE, r.summary()


HOSTILE_CASE = """\
id: MgmtPolicyMO-ATHEN-1-hostile
title: A server the device refuses
requirements: [MgmtPolicyMO-ATHEN-1]
role_under_test: client
steps:
  - {kind: account, user: dev-1, password: not-the-right-one}
  - {id: dl, kind: policy, op: download, policy: {id: p-intruder}}
  - {kind: session, initiator: client, expect_end: any}
checks:
  - {id: not-installed, kind: tree, labels: [MgmtPolicyMO-ATHEN-1], uri: mo:p-intruder, exists: false}
"""


def test_a_read_over_dm_after_hostile_steps_carries_nothing_of_theirs(tmp_path):
    """The case's `account` step leaves our server refused and its download queued: before its own
    Get the harness puts the genuine account back and cancels the queued batch, so the read neither
    fails nor delivers the hostile download."""
    from double_iut import ALL_FEATURES

    topology = DoubleTopology(features=ALL_FEATURES - {"local_tree_access", "pkg0_notification"})
    r = play(case_from(tmp_path, HOSTILE_CASE), topology)
    assert r.verdict == Verdict.PASS, r.summary()
    world = topology.world
    assert [s["end_reason"] for s in world.sessions] == ["auth_failed", "normal"]
    download = next(b for b in world.batches.values() if b["commands"][0]["cmd"] == "Add")
    assert download["state"] == "cancelled" and not download["statuses"]
    assert "./MgmtPolicy/p-intruder" not in world.tree


def test_a_restart_step_replaces_the_device_role_and_needs_the_feature(tmp_path):
    from double_iut import ALL_FEATURES

    text = GOOD_CASE.replace("  - kind: session\n    initiator: server\n",
                             "  - kind: session\n    initiator: server\n  - kind: restart\n")
    topology = DoubleTopology()
    r = play(case_from(tmp_path, text), topology)
    assert r.verdict == Verdict.PASS, r.summary()
    assert topology.restarts == 1
    r = play(case_from(tmp_path, text), DoubleTopology(features=ALL_FEATURES - {"restart"}))
    assert r.verdict == Verdict.NOT_APPLICABLE and "restart" in r.reason


def test_a_device_without_the_mo_gets_not_implemented_on_the_cases_that_touch_it(tmp_path):
    """Never PASS: a device with no MgmtPolicy MO answers 404 to an unknown policy as a conforming
    one does, so every case that touches the MO is NOT_IMPLEMENTED there, whatever it checks."""
    from double_iut import ALL_FEATURES

    no_mo = DoubleTopology(features=ALL_FEATURES - {"mgmt_policy_mo"})
    r = play(case_from(tmp_path, GOOD_CASE), no_mo)
    assert r.verdict == Verdict.NOT_IMPLEMENTED and "no MgmtPolicy MO" in r.reason
    other = GOOD_CASE.replace("kind: policy\n    op: download\n    policy: {id: p1}",
                              "kind: dm\n    commands: [{cmd: Add, target: scratch:X, data: x}]")
    other = other.replace("uri: mo:p1", "uri: scratch:X")
    r = play(case_from(tmp_path, other), no_mo)
    assert r.verdict == Verdict.PASS, r.summary()


def test_a_check_limited_to_a_role_is_judged_in_that_role_only(tmp_path):
    text = GOOD_CASE.replace("role_under_test: client", "role_under_test: both") + (
        "  - {id: dm13, kind: session, labels: [MgmtPolicyMO-HLF-1], roles: [client], ver_proto: DM/1.3}\n")
    case = case_from(tmp_path, text)
    for role in ("client", "server"):
        r = play(case, role=role)
        ids = [c.id for c in r.checks]
        assert ("dm13" in ids) == (role == "client"), (role, ids)
    # The double's sessions listing reports no ver_proto: unobserved, never FAIL nor PASS.
    judged = next(c for c in play(case, role="client").checks if c.id == "dm13")
    assert judged.verdict == Verdict.INCONCLUSIVE and "ver_proto" in judged.detail


def test_a_reference_check_that_failed_beside_a_broken_iut_message_is_inconclusive_not_error():
    """A finding that FAILs the IUT (its message broke a SHALL of DM) excuses a reference peer's failed
    check of the same case: the peer may have failed because of that message. A warning does not."""
    from omadm_harness.engine import _excuse_reference

    def checks(finding_strength):
        return [CheckResult(id="acknowledged", labels=["MgmtPolicyMO-DMS-02"], strength="SHALL", passed=False,
                            constrains="reference", detail="0 found"),
                CheckResult(id="sent", labels=["MgmtPolicyMO-Device-01"], strength="SHALL", passed=False),
                CheckResult(id="finding-1", labels=["MgmtPolicyMO-OSR-01"], strength=finding_strength, passed=False)]

    broken = checks("SHALL")
    _excuse_reference(broken)
    assert [c.verdict for c in broken] == [Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.FAIL]
    assert broken[0].detail.startswith("not judged: the IUT's messages broke DM (finding-1)")
    quirk = checks("SHOULD")
    _excuse_reference(quirk)
    assert quirk[0].verdict == Verdict.ERROR
