from pathlib import Path

import pytest

from helpers import GOOD_CASE, load, write_case

STOCK_CASES = sorted((Path(__file__).resolve().parents[2] / "testcases" / "cases").rglob("*.yaml"))


def issues_of(tmp_path, text, name=None):
    path = write_case(tmp_path, text, name)
    cases, issues = load([path])
    return path, cases, issues


def test_good_case_is_clean(tmp_path):
    _, cases, issues = issues_of(tmp_path, GOOD_CASE)
    assert issues == [] and cases[0].id == "MgmtPolicyMO-HLF-1-download-minimal"


@pytest.mark.parametrize(
    "old,new,message,line",
    [
        ("requirements: [MgmtPolicyMO-HLF-1]", "requirements: [MgmtPolicyMO-HLF-1, MgmtPolicyMO-HLF-7]",
         "$.requirements[1]: unknown requirement label 'MgmtPolicyMO-HLF-7'", 3),
        ("- kind: session", "- kind: reboot", "$.steps[1].kind: unknown step kind 'reboot'", 10),
        ("    labels: [MgmtPolicyMO-HLF-1]\n    step: dl", "    step: dl",
         "$.checks[0]: missing required key 'labels' in a check", 13),
        ("  - id: dl-in-tree", "  - id: dl-accepted", "$.checks[1].id: duplicate check id 'dl-accepted'", 18),
        ("role_under_test: client", "role_under_test: device", "$.role_under_test: unknown role 'device'", 4),
        ("    kind: tree", "    kind: telepathy", "$.checks[1].kind: unknown check kind 'telepathy'", 19),
        ("    step: dl\n", "    step: nope\n", "$.checks[0].step: check 'dl-accepted' refers to unknown step 'nope'", 16),
        ("title: Download of a minimal policy is accepted\n", "", "$: missing required key 'title'", 1),
        ("    op: download", "    op: upload", "$.steps[0].op: unknown policy op 'upload'", 8),
        ("role_under_test: client", "role_under_test: client\nflavour: mint", "$.flavour: unknown key 'flavour'", 5),
        ("  - kind: session\n    initiator: server\n", "  - a session\n",
         "$.steps[1]: expected a mapping, got a string", 10),
        ("  - id: dl-in-tree\n    kind: tree\n    labels: [MgmtPolicyMO-HLF-1]\n    uri: mo:p1\n"
         "    exists: true\n", "  - a tree check\n", "$.checks[1]: expected a mapping, got a string", 18),
        ("    code: [200]", "    code: []", "$.checks[0].code: expected at least 1 item(s), got 0", 17),
        ("    op: download\n    policy: {id: p1}", "    op: download",
         "$.steps[0]: missing required key 'policy' in a policy download or update", 6),
        ("    op: download\n    policy: {id: p1}", "    op: activate",
         "$.steps[0]: needs one of the keys 'pid', 'policy' in a policy activate, deactivate, remove or query", 6),
        ("  - kind: session\n", "  - {kind: clock, advance_ms: 5, set: '2026-01-01T00:00:00Z'}\n  - kind: session\n",
         "$.steps[1]: needs exactly one of the keys 'advance_ms', 'set' in a clock step", 10),
        ("  - kind: session\n", "  - {kind: dm, commands: [{cmd: Atomic}]}\n  - kind: session\n",
         "$.steps[1].commands[0]: missing required key 'commands' in an Atomic or Sequence", 10),
    ],
)
def test_each_error_names_file_and_line(tmp_path, old, new, message, line):
    assert old in GOOD_CASE
    path, cases, issues = issues_of(tmp_path, GOOD_CASE.replace(old, new, 1))
    assert cases == []
    hits = [i for i in issues if message in i.message]
    assert hits, issues
    assert hits[0].file == str(path) and hits[0].line == line
    assert str(hits[0]).startswith(f"{path}:{line}: ")


def test_case_id_must_start_with_primary_label(tmp_path):
    text = GOOD_CASE.replace("MgmtPolicyMO-HLF-1-download-minimal", "download-minimal")
    _, _, issues = issues_of(tmp_path, text)
    assert any("must start with its primary label" in i.message and i.line == 1 for i in issues)


def test_positional_case_id_is_rejected(tmp_path):
    text = GOOD_CASE.replace("MgmtPolicyMO-HLF-1-download-minimal", "MgmtPolicyMO-HLF-1-0042")
    _, _, issues = issues_of(tmp_path, text)
    assert any("positional" in i.message for i in issues)


def test_file_name_must_match_id(tmp_path):
    _, _, issues = issues_of(tmp_path, GOOD_CASE, name="other-name")
    assert any("file name" in i.message for i in issues)


def test_duplicate_case_id_across_files(tmp_path):
    a = write_case(tmp_path, GOOD_CASE, area="a")
    b = write_case(tmp_path, GOOD_CASE, area="b")
    cases, issues = load([a, b])
    assert len(cases) == 1
    assert any("duplicate case id" in i.message and i.file == str(b) and i.line == 1 for i in issues)


def test_duplicate_yaml_key_is_reported_with_line(tmp_path):
    _, _, issues = issues_of(tmp_path, GOOD_CASE.replace("role_under_test: client", "role_under_test: client\ntitle: again"))
    assert any("duplicate key 'title'" in i.message and i.line == 5 for i in issues)


def test_malformed_yaml(tmp_path):
    _, _, issues = issues_of(tmp_path, "id: MgmtPolicyMO-HLF-1-x\ntitle: [unclosed\n", name="MgmtPolicyMO-HLF-1-x")
    assert issues and "malformed YAML" in issues[0].message


def test_check_label_must_be_among_case_requirements(tmp_path):
    text = GOOD_CASE.replace("    labels: [MgmtPolicyMO-HLF-1]\n    uri", "    labels: [MgmtPolicyMO-HLF-2]\n    uri")
    _, _, issues = issues_of(tmp_path, text)
    assert any("not in the case's requirements" in i.message for i in issues)


def test_unknown_feature(tmp_path):
    _, _, issues = issues_of(tmp_path, GOOD_CASE.replace("steps:", "applicability: [warp_drive]\nsteps:"))
    assert any("unknown feature 'warp_drive'" in i.message for i in issues)


def test_printed_label_form_is_accepted(tmp_path):
    text = GOOD_CASE.replace("requirements: [MgmtPolicyMO-HLF-1]", "requirements: [MgmtPolicyMO-HLF-1, 'MgmtPolicyMO-Device -01']")
    _, cases, issues = issues_of(tmp_path, text)
    assert issues == [] and "MgmtPolicyMO-Device-01" in cases[0].requirements


def _schema_validator():
    from jsonschema import Draft202012Validator

    from omadm_harness import caseformat

    Draft202012Validator.check_schema(caseformat.SCHEMA)
    return Draft202012Validator(caseformat.SCHEMA)


def test_the_case_schema_is_a_draft_2020_12_schema_shipped_with_the_package():
    from omadm_harness import caseformat, paths

    assert caseformat.SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    _schema_validator()
    source = paths.source_root() / "testcases" / "schema" / "case.schema.yaml"
    assert caseformat.SCHEMA_FILE.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("path", STOCK_CASES, ids=lambda p: p.name)
def test_every_stock_case_validates_against_the_schema(path):
    from omadm_harness.yamlload import load_file

    assert [e.message for e in _schema_validator().iter_errors(load_file(path))] == []


def test_the_harness_tables_come_from_the_schema():
    """caseformat's tables are the schema's: each kind named in a dispatcher's `kind` enum has its
    definition, and the tables other modules use keep their shapes."""
    from omadm_harness import caseformat as cf
    from omadm_harness import matchers, responsibility

    defs = cf.SCHEMA["$defs"]
    assert list(cf.STEP_KINDS) == defs["step"]["properties"]["kind"]["enum"]
    assert list(cf.CHECK_KINDS) == defs["check"]["properties"]["kind"]["enum"]
    assert all(f"step_{k}" in defs for k in cf.STEP_KINDS) and all(f"check_{k}" in defs for k in cf.CHECK_KINDS)
    assert cf.STEP_KINDS["wait"] == (("peer", "event"), ("match", "timeout_s", "count"))
    assert cf.CHECK_KINDS["status"] == (("step", "code"), ("index", "target", "cmd"))
    assert cf.STEP_COMMON == ("id", "kind", "note")
    assert cf.CHECK_COMMON_REQUIRED == ("id", "kind", "labels")
    assert set(cf.CHECK_COMMON_OPTIONAL) == {"strength", "party", "note", "depends_on", "profile", "roles"}
    assert cf.POLICY_OPS == ("download", "update", "activate", "deactivate", "remove", "query")
    assert "Atomic" in cf.DM_COMMANDS and "version" in cf.POLICY_FIELDS and "period_s" in cf.POLICY_TRIGGER_FIELDS
    assert all(isinstance(d, str) and d for d in cf.PROFILE_OPTIONS.values())
    assert all(d for d in cf.FEATURE_DESCRIPTIONS.values()) and list(cf.FEATURE_DESCRIPTIONS) == list(cf.KNOWN_FEATURES)
    assert responsibility.KNOWN_EVENTS is cf.KNOWN_EVENTS and set(cf.KNOWN_EVENTS) == {"device", "server"}
    assert cf.HARNESS_ECHOES <= cf.KNOWN_EVENTS["device"] | cf.KNOWN_EVENTS["server"]
    assert {"policy_executed", "properties_set"} <= cf.KNOWN_EVENTS["device"]
    assert "package0_sent" in cf.KNOWN_EVENTS["server"]
    # What stays in Python refers to names the schema knows.
    hooks = [*cf.HOOK_PRECONDITIONS.values(), *cf.HOOK_STEPS.values(), *cf.SESSION_FEATURES.values()]
    assert set(hooks) | set(cf.DEVICE_FEATURES) <= set(cf.KNOWN_FEATURES)
    assert set(cf.HOOK_STEPS) <= set(cf.STEP_KINDS) and set(cf.HOOK_PRECONDITIONS) <= set(cf.PRECONDITION_FIELDS)
    assert set(cf.SESSION_FEATURES) <= set(defs["step_session"]["properties"]["initiator"]["enum"])
    # Every comparison the schema allows is one the matcher implements.
    assert matchers.OPS == cf.MATCHER_OPS == ("equals", "not", "contains", "regex", "in", "present")
    for op in cf.MATCHER_OPS:
        assert "unknown matcher" not in matchers.match_value({op: ["x"] if op == "in" else "x"}, "y")[1]


def test_shipped_cases_lint_clean():
    from omadm_harness import paths
    from omadm_harness.lint import discover

    cases, issues = load(discover(paths.cases_dir()))
    assert issues == []
    assert len(cases) >= 20


EVENT_CHECK = """\
  - id: seen
    kind: event
    labels: [MgmtPolicyMO-HLF-1]
    peer: device
    event: {event}
    min_count: 1
"""


@pytest.mark.parametrize("event, message", [
    ("properties_set", "'properties_set' only echoes a harness request and judges nobody"),
    ("stopping", "'stopping' only echoes a harness request and judges nobody"),
])
def test_a_check_nobody_answers_for_is_refused(tmp_path, event, message):
    _, issues = load([write_case(tmp_path, GOOD_CASE + EVENT_CHECK.format(event=event))])
    assert any("check 'seen': no party answers for it" in i.message and message in i.message and i.line == GOOD_CASE.count("\n") + 1
               for i in issues), issues


def test_a_case_played_with_the_server_under_test_must_judge_the_server(tmp_path):
    text = """\
id: MgmtPolicyMO-OSR-01-local-only
title: Only the device's answer to the harness is checked
requirements: [MgmtPolicyMO-OSR-01]
role_under_test: both
steps:
  - {id: seed, kind: local, commands: [{cmd: Add, target: scratch:X, data: "1"}]}
checks:
  - {id: added, kind: status, labels: [MgmtPolicyMO-OSR-01], step: seed, code: 200}
"""
    _, issues = load([write_case(tmp_path, text)])
    assert [i.message for i in issues] == ["$.checks: no check judges the server when it is under test"]


WAIT_STEP = "  - {{kind: wait, peer: {peer}, event: {event}}}\n  - kind: session\n"


@pytest.mark.parametrize("old, new, line, message", [
    # a matcher
    ("    exists: true", "    value: {equal: \"10\"}", 22,
     "$.checks[1].value.equal: unknown key 'equal' in a matcher (did you mean 'equals'?)"),
    # an event name, of either peer, in a wait step or an event check
    ("  - kind: session\n", WAIT_STEP.format(peer="device", event="policy_exectued"), 10,
     "$.steps[1].event: unknown device event 'policy_exectued' (did you mean 'policy_executed'?)"),
    ("  - kind: session\n", WAIT_STEP.format(peer="server", event="package0_snt"), 10,
     "$.steps[1].event: unknown server event 'package0_snt' (did you mean 'package0_sent'?)"),
    ("    exists: true\n", "    exists: true\n" + EVENT_CHECK.format(event="policy_instaled"), 27,
     "$.checks[2].event: unknown device event 'policy_instaled' (did you mean 'policy_installed'?)"),
    # a member of a policy description, of a condition, of an action, of a trigger
    ("    policy: {id: p1}", "    policy: {id: p1, versoin: \"1\"}", 9,
     "$.steps[0].policy.versoin: unknown key 'versoin' in a policy description (did you mean 'version'?)"),
    ("    policy: {id: p1}", "    policy:\n      id: p1\n      conditions: [{id: c, uri: ./X, operator: eq, comapre: text}]",
     11, "$.steps[0].policy.conditions[0].comapre: unknown key 'comapre' in a policy condition (did you mean 'compare'?)"),
    ("    policy: {id: p1}", "    policy:\n      id: p1\n      actions:\n        - {id: a1, command: Get, target: ./X, ordr: 1}", 12,
     "$.steps[0].policy.actions[0].ordr: unknown key 'ordr' in a policy action (did you mean 'order'?)"),
    ("    policy: {id: p1}", "    policy: {id: p1, trigger: {mode: OnChange, valid_form: x}}", 9,
     "$.steps[0].policy.trigger.valid_form: unknown key 'valid_form' in a policy trigger (did you mean 'valid_from'?)"),
    # a field of a step and of a check, named against the fields of their kind
    ("    initiator: server", "    initiatior: server", 11,
     "$.steps[1].initiatior: unknown key 'initiatior' in a session step (did you mean 'initiator'?)"),
    ("    exists: true", "    exits: true", 22,
     "$.checks[1].exits: unknown key 'exits' in a tree check (did you mean 'exists'?)"),
    ("    code: [200]", "    code: [200]\n    indx: 0", 18,
     "$.checks[0].indx: unknown key 'indx' in a status check (did you mean 'index'?)"),
    # a feature, a profile option, a DM command
    ("steps:", "applicability: [clock_contrl]\nsteps:", 5,
     "$.applicability[0]: unknown feature 'clock_contrl' (did you mean 'clock_control'?)"),
    ("    exists: true", "    exists: true\n    profile: onchange_egde", 23,
     "$.checks[1].profile: unknown profile option 'onchange_egde' (did you mean 'onchange_edge'?)"),
    ("  - kind: session\n", "  - {kind: dm, commands: [{cmd: Replce, target: ./X, data: '1'}]}\n  - kind: session\n", 10,
     "$.steps[1].commands[0].cmd: unknown DM command 'Replce' (did you mean 'Replace'?)"),
])
def test_a_typo_gives_one_error_with_file_line_and_hint(tmp_path, old, new, line, message):
    assert old in GOOD_CASE
    path = write_case(tmp_path, GOOD_CASE.replace(old, new, 1))
    cases, issues = load([path])
    assert cases == [] and [str(i) for i in issues] == [f"{path}:{line}: {message}"]


def test_a_field_of_another_kind_lists_the_fields_of_this_one(tmp_path):
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace("    exists: true", "    exists: true\n    step: dl"))])
    (issue,) = issues
    assert issue.line == 23 and issue.message.startswith(
        "$.checks[1].step: unknown key 'step' in a tree check (allowed keys: id, kind, labels, ")
    assert issue.message.endswith("uri, exists, value, format)")


def test_a_value_of_the_wrong_type_is_one_error(tmp_path):
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace("  - kind: session\n", WAIT_STEP.format(
        peer="device", event=5)))])
    assert [i.message for i in issues] == ["$.steps[1].event: expected a string, got a number"]


def test_server_faults_only_in_device_cases(tmp_path):
    text = GOOD_CASE.replace("steps:", "preconditions: {server_faults: {no_cred: true}}\nsteps:")
    _, issues = load([write_case(tmp_path, text)])
    assert issues == []
    _, issues = load([write_case(tmp_path, text.replace("role_under_test: client", "role_under_test: both"))])
    assert any("server_faults needs role_under_test client" in i.message for i in issues), issues


@pytest.mark.parametrize("where, replacement, path, typo, meant", [
    ("steps:", "preconditions: {server_faults: {no_cerd: true}, faults: {never_alert: true}}\nsteps:",
     "$.preconditions.server_faults", "no_cerd", "no_cred"),
    ("steps:\n", "steps:\n  - {kind: server_faults, set: {bad_pkg0_digset: true}}\n", "$.steps[0].set",
     "bad_pkg0_digset", "bad_pkg0_digest"),
])
def test_fault_names_come_from_the_fault_catalogue(tmp_path, where, replacement, path, typo, meant):
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace(where, replacement))])
    assert [i.message for i in issues] == [
        f"{path}.{typo}: no fault '{typo}' of the reference server in "
        f"testcases/faults/server.yaml (did you mean '{meant}'?)"]


def test_a_server_faults_step_needs_a_device_under_test(tmp_path):
    text = GOOD_CASE.replace("steps:\n", "steps:\n  - {kind: server_faults, set: {bad_pkg0_digest: true}}\n")
    _, issues = load([write_case(tmp_path, text.replace("role_under_test: client", "role_under_test: both"))])
    assert any("a server_faults step needs role_under_test client" in i.message for i in issues), issues


NO_ALERT = """\
  - id: no-alert
    kind: alert
    labels: [MgmtPolicyMO-HLF-1]
    count: 0
"""


@pytest.mark.parametrize("extra, line, message", [
    (NO_ALERT, 26, "$.checks[2].count: check 'no-alert' asserts an absence: it needs a positive control"),
    (NO_ALERT + "    depends_on: [dl-in-tree]\n", None, None),
    (NO_ALERT + "    depends_on: [no-alert]\n", 27,
     "$.checks[2].depends_on: check 'no-alert' depends on 'no-alert', which is not an earlier check of the case"),
])
def test_an_absence_check_needs_an_earlier_positive_control(tmp_path, extra, line, message):
    _, issues = load([write_case(tmp_path, GOOD_CASE + extra)])
    if message is None:
        assert issues == []
    else:
        assert any(i.line == line and i.message.startswith(message) for i in issues), issues


def test_duplicate_step_id(tmp_path):
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace("  - kind: session\n", "  - id: dl\n    kind: session\n"))])
    assert [(i.line, i.message) for i in issues] == [(10, "$.steps[1].id: duplicate step id 'dl'")]


def test_a_check_limited_to_a_role_the_case_is_never_played_in_is_refused(tmp_path):
    text = GOOD_CASE + "  - {id: s, kind: session, labels: [MgmtPolicyMO-HLF-1], roles: [server], min_count: 1}\n"
    _, issues = load([write_case(tmp_path, text)])
    assert any("judged only with a server under test" in i.message for i in issues), issues


def test_a_step_through_the_second_server_implies_the_devices_second_account_and_a_device_under_test(tmp_path):
    text = GOOD_CASE.replace("  - kind: session\n    initiator: server\n",
                             "  - kind: session\n    initiator: server\n  - {kind: session, server: second}\n")
    _, cases, issues = issues_of(tmp_path, text)
    assert issues == [] and cases[0].uses_second_server()
    assert "second_account" in cases[0].required_features()
    _, _, issues = issues_of(tmp_path, text.replace("role_under_test: client", "role_under_test: both"))
    assert any("second server needs role_under_test client" in i.message for i in issues), issues
    _, _, issues = issues_of(tmp_path, text.replace("server: second", "server: third"))
    assert any("server" in i.message for i in issues), issues


def test_an_alert_check_on_the_second_server_implies_the_devices_second_account_and_a_device_under_test(tmp_path):
    text = GOOD_CASE + ("  - {id: at-second, kind: alert, labels: [MgmtPolicyMO-HLF-1], server: second, min_count: 1}\n")
    _, cases, issues = issues_of(tmp_path, text)
    assert issues == [] and cases[0].uses_second_server()
    assert "second_account" in cases[0].required_features()
    _, _, issues = issues_of(tmp_path, text.replace("role_under_test: client", "role_under_test: server"))
    assert any("check on the second server needs role_under_test client" in i.message for i in issues), issues


SENT_AND_STORED = """\
  - {id: sent, kind: alert, labels: [MgmtPolicyMO-HLF-1], party: device, correlator: c-1, min_count: 1}
  - {id: stored, kind: alert, labels: [MgmtPolicyMO-HLF-1], party: server, correlator: c-1, min_count: 1,
     depends_on: [sent]}
"""


@pytest.mark.parametrize("checks, message", [
    (SENT_AND_STORED, None),
    # The device's part names no Correlator: our server would answer for one the device dropped.
    (SENT_AND_STORED.replace("party: device, correlator: c-1,", "party: device,"),
     "$.checks[3].correlator: check 'stored' judges our server but asks for the alert's correlator, which the "
     "device writes: ask it first in a check on the device that this one depends on"),
])
def test_a_check_on_our_servers_alert_store_asks_only_what_the_device_was_seen_to_write(tmp_path, checks, message):
    _, issues = load([write_case(tmp_path, GOOD_CASE + checks)])
    assert [i.message for i in issues] == ([message] if message else []), issues
