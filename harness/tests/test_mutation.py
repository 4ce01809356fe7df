"""The mutation runner: a fault is killed only by a FAIL on a label it violates."""
import io

import pytest

from omadm_harness import paths
from omadm_harness.mutation import FaultCatalogueError, load_faults, run_mutation

from double_iut import DoubleTopology
from helpers import CATALOGUE, load, write_case

ALERT_CASE = """\
id: MgmtPolicyMO-Device-01-alert-double
title: Activation raises a Generic Alert
requirements: [MgmtPolicyMO-Device-01, MgmtPolicyMO-HLF-3]
role_under_test: client
steps:
  - {id: act, kind: policy, op: activate, pid: p1, correlator: c-9}
  - {kind: session, initiator: client}
checks:
  - {id: activated, kind: status, labels: [MgmtPolicyMO-HLF-3], step: act, code: 200}
  - {id: alerted, kind: alert, labels: [MgmtPolicyMO-Device-01], correlator: c-9, min_count: 1}
"""


def _catalogue(tmp_path, faults_yaml):
    d = tmp_path / "faults"
    d.mkdir()
    (d / "device.yaml").write_text("role: client\nfaults:\n" + faults_yaml, encoding="utf-8")
    return d


def _mutate(tmp_path, faults_yaml, case=ALERT_CASE, **kw):
    cases, issues = load([write_case(tmp_path, case)])
    assert not issues, issues
    faults = load_faults(_catalogue(tmp_path, faults_yaml), CATALOGUE)
    out = io.StringIO()
    result = run_mutation(cases, CATALOGUE, faults, lambda specs: DoubleTopology(faults=specs["client"].faults),
                          stream=out, **kw)
    return result, out.getvalue()


def test_a_fault_is_killed_by_a_fail_on_a_label_it_violates(tmp_path):
    result, printed = _mutate(tmp_path, """\
  - {id: never_alert, effect: no alert, violates: [MgmtPolicyMO-Device-01],
     caught_by: [MgmtPolicyMO-Device-01-alert-double]}
""")
    assert result.ok(), printed
    assert result.outcomes[0].killed_by == {"MgmtPolicyMO-Device-01-alert-double@client": ["MgmtPolicyMO-Device-01"]}
    assert "KILLED client/never_alert" in printed
    assert result.last_line() == "mutation: 1 faults, 1 killed, 0 errors, 0 conforming-peer non-PASS"


def test_a_fail_on_another_label_does_not_kill(tmp_path):
    """The alert check FAILs, but on Device-01: a fault said to violate only HLF-3 survives."""
    result, printed = _mutate(tmp_path, "  - {id: never_alert, effect: no alert, violates: [MgmtPolicyMO-HLF-3]}\n",
                              conforming=False)
    assert not result.ok() and not result.outcomes[0].killed
    assert "ALIVE  client/never_alert: no FAIL on MgmtPolicyMO-HLF-3" in printed
    assert result.last_line() == "mutation: 1 faults, 0 killed, 0 errors, 0 conforming-peer non-PASS"


def test_expected_only_plays_the_caught_by_cases(tmp_path):
    result, _ = _mutate(tmp_path, "  - {id: never_alert, effect: no alert, violates: [MgmtPolicyMO-Device-01]}\n",
                        conforming=False, expected_only=True)
    assert result.outcomes[0].verdicts == {} and not result.outcomes[0].killed


@pytest.mark.parametrize("body, message", [
    ("  - {id: x, effect: y, violates: [MgmtPolicyMO-NOPE-9]}\n", "unknown requirement label 'MgmtPolicyMO-NOPE-9'"),
    ("  - {id: x, effect: y, violates: []}\n", "needs an id and a non-empty violates list"),
    ("  - {id: x, violates: [MgmtPolicyMO-HLF-3]}\n  - {id: x, violates: [MgmtPolicyMO-HLF-3]}\n", "duplicate fault 'x'"),
])
def test_a_bad_catalogue_names_file_and_line(tmp_path, body, message):
    with pytest.raises(FaultCatalogueError, match=message) as e:
        load_faults(_catalogue(tmp_path, body), CATALOGUE)
    assert "device.yaml:" in str(e.value)


def test_shipped_catalogues_load_and_name_existing_cases():
    from omadm_harness.lint import discover

    faults = load_faults(paths.faults_dir(), CATALOGUE)
    ids = {p.stem for p in discover(paths.cases_dir())}
    assert {f.role for f in faults} == {"client", "server"}
    for f in faults:
        assert f.caught_by, f"{f.key} names no case that catches it"
        assert set(f.caught_by) <= ids, f"{f.key}: unknown cases {set(f.caught_by) - ids}"


def test_a_stale_caught_by_fails_the_run(tmp_path):
    """A case the catalogue names that no longer catches its fault is a catalogue defect."""
    result, printed = _mutate(tmp_path, """\
  - {id: never_alert, effect: no alert, violates: [MgmtPolicyMO-Device-01],
     caught_by: [MgmtPolicyMO-Device-01-alert-double, MgmtPolicyMO-HLF-3-gone]}
""", conforming=False)
    assert result.outcomes[0].killed and not result.ok()
    assert "expected to be caught by, but was not: MgmtPolicyMO-HLF-3-gone" in printed


def test_an_interrupted_fault_run_stops_the_whole_matrix(tmp_path, monkeypatch):
    """SIGTERM during one fault's run must not move on to the next fault."""
    from omadm_harness import mutation
    from omadm_harness.results import RunResult

    played = []

    def interrupted(items, *args, **kwargs):
        played.append(len(items))
        return RunResult("r", interrupted=True)

    monkeypatch.setattr(mutation, "run_items", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _mutate(tmp_path, "  - {id: a, violates: [MgmtPolicyMO-HLF-3]}\n  - {id: b, violates: [MgmtPolicyMO-HLF-3]}\n",
                conforming=False)
    assert played == [1]


def test_an_error_line_names_the_fault_it_happened_under(tmp_path):
    """Our server cannot keep an alert the device never sent: with the check on the server (after a
    passing device check that is not about the alert), the faulty device makes it ERROR, counted
    against the harness."""
    case = ALERT_CASE.replace("-alert-double", "-alert-stored") + (
        "  - {id: stored, kind: alert, labels: [MgmtPolicyMO-Device-01], party: server, min_count: 1,\n"
        "     depends_on: [activated]}\n")
    result, printed = _mutate(tmp_path, "  - {id: never_alert, effect: no alert, violates: [MgmtPolicyMO-Device-01]}\n",
                              case=case, conforming=False)
    assert result.errors == 1 and not result.ok()
    assert "  ERROR under client/never_alert: MgmtPolicyMO-Device-01-alert-stored@client: ERROR" in printed
