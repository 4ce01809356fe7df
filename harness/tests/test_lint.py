import pytest

from helpers import GOOD_CASE, load, write_case


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
         "unknown requirement label 'MgmtPolicyMO-HLF-7'", 3),
        ("- kind: session", "- kind: reboot", "unknown step kind 'reboot'", 10),
        ("    labels: [MgmtPolicyMO-HLF-1]\n    step: dl", "    step: dl", "has no labels", 13),
        ("  - id: dl-in-tree", "  - id: dl-accepted", "duplicate check id 'dl-accepted'", 18),
        ("role_under_test: client", "role_under_test: device", "role_under_test must be one of", 4),
        ("    kind: tree", "    kind: telepathy", "unknown check kind 'telepathy'", 19),
        ("    step: dl\n", "    step: nope\n", "refers to unknown step 'nope'", 16),
        ("title: Download of a minimal policy is accepted\n", "", "missing required case field 'title'", 1),
        ("    op: download", "    op: upload", "unknown policy op 'upload'", 8),
        ("role_under_test: client", "role_under_test: client\nflavour: mint", "unknown case field 'flavour'", 5),
        ("  - kind: session\n    initiator: server\n", "  - a session\n", "a step must be a mapping", 10),
        ("  - id: dl-in-tree\n    kind: tree\n    labels: [MgmtPolicyMO-HLF-1]\n    uri: ./MgmtPolicy/p1\n"
         "    exists: true\n", "  - a tree check\n", "a check must be a mapping", 18),
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


def test_schema_file_lists_the_same_kinds():
    from omadm_harness import caseformat, paths
    from omadm_harness.yamlload import load_file

    schema = load_file(paths.source_root() / "testcases" / "schema" / "case.schema.yaml")
    step_kinds = schema["definitions"]["step"]["properties"]["kind"]["enum"]
    check_kinds = schema["definitions"]["check"]["properties"]["kind"]["enum"]
    assert sorted(step_kinds) == sorted(caseformat.STEP_KINDS)
    assert sorted(check_kinds) == sorted(caseformat.CHECK_KINDS)


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
    ("policy_instaled", "the device reports no event 'policy_instaled'"),
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
  - {id: seed, kind: local, commands: [{cmd: Add, target: ./Vendor/X, data: "1"}]}
checks:
  - {id: added, kind: status, labels: [MgmtPolicyMO-OSR-01], step: seed, code: 200}
"""
    _, issues = load([write_case(tmp_path, text)])
    assert [i.message for i in issues] == ["no check judges the server when it is under test"]


def test_unknown_profile_option_is_refused(tmp_path):
    text = GOOD_CASE.replace("    exists: true", "    exists: true\n    profile: edge_trigger")
    _, issues = load([write_case(tmp_path, text)])
    assert any("unknown profile option 'edge_trigger'" in i.message for i in issues), issues


@pytest.mark.parametrize("old, new, message", [
    ("    exists: true", "    value: {equal: \"10\"}", "unknown matcher 'equal' in check 'dl-in-tree' value"),
    ("    policy: {id: p1}", "    policy: {id: p1, versoin: \"1\"}", "unknown policy member 'versoin'"),
    ("    policy: {id: p1}", "    policy: {id: p1, actions: [{id: a1, targte: ./X}]}",
     "unknown policy actions[0] member 'targte'"),
    ("    policy: {id: p1}", "    policy: {id: p1, trigger: {mode: Periodic, period: 5}}",
     "unknown policy trigger member 'period'"),
    ("  - kind: session\n", "  - {kind: wait, peer: device, event: policy_exectued}\n  - kind: session\n",
     "the device reports no event 'policy_exectued'"),
])
def test_typos_are_caught_by_lint(tmp_path, old, new, message):
    assert old in GOOD_CASE
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace(old, new))])
    assert any(message in i.message for i in issues), issues


def test_server_faults_only_in_device_cases(tmp_path):
    text = GOOD_CASE.replace("steps:", "preconditions: {server_faults: {no_cred: true}}\nsteps:")
    _, issues = load([write_case(tmp_path, text)])
    assert issues == []
    _, issues = load([write_case(tmp_path, text.replace("role_under_test: client", "role_under_test: both"))])
    assert any("server_faults needs role_under_test client" in i.message for i in issues), issues
