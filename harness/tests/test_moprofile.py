"""Logical paths of the cases (docs/mo-profiles.md): `mo:` and `sys:` resolved in an MO profile,
`scratch:` under the device's scratch subtree; lint refuses concrete paths and unknown logical keys."""
import json
from pathlib import Path

import pytest

from helpers import GOOD_CASE, load, write_case
from omadm_harness.moprofile import MoProfile, ProfileError, encode_values, resolve_paths, scratch_path, step_targets

PROFILES = Path(__file__).resolve().parents[2] / "testcases" / "profiles"
REFERENCE = MoProfile.load(PROFILES / "reference.json")
ACME = MoProfile.load(PROFILES / "acme.json")


@pytest.mark.parametrize("logical,reference,acme", [
    ("mo:/", "./MgmtPolicy", "./ACME/PolicyMgr"),
    ("mo:/?prop=ACL", "./MgmtPolicy?prop=ACL", "./ACME/PolicyMgr?prop=ACL"),
    ("mo:p1", "./MgmtPolicy/p1", "./ACME/PolicyMgr/p1"),
    ("mo:p1/conditions/simple_conditions/c1/condition_value", "./MgmtPolicy/p1/Conditions/Simple/c1/Value",
     "./ACME/PolicyMgr/p1/When/Tests/c1/Operand"),
    ("mo:p1/actions/simple_actions/a1/action_target", "./MgmtPolicy/p1/Actions/Simple/a1/Target",
     "./ACME/PolicyMgr/p1/Then/Steps/a1/Dest"),
    ("mo:p1/results/log/2/log_status?list=Struct", "./MgmtPolicy/p1/Results/Log/2/Status?list=Struct",
     "./ACME/PolicyMgr/p1/Outcome/History/2/Result?list=Struct"),
    ("mo:p1/operations/activate", "./MgmtPolicy/p1/Operations/Activate", "./ACME/PolicyMgr/p1/Enable"),
    ("mo:p1/operations", "./MgmtPolicy/p1/Operations", "./ACME/PolicyMgr/p1"),
    ("mo:p1/ext/version/state", "./MgmtPolicy/p1/Ext/version/state", "./ACME/PolicyMgr/p1/X/version/state"),
    # An id that reads like a key stays an id where the model has an instance.
    ("mo:state/bindings/version/binding_uri", "./MgmtPolicy/state/Bindings/version/URI",
     "./ACME/PolicyMgr/state/Links/version/Ref"),
])
def test_a_logical_path_resolves_in_each_profile(logical, reference, acme):
    assert REFERENCE.resolve(logical) == reference
    assert ACME.resolve(logical) == acme


def test_a_key_the_model_lacks_is_named_with_what_is_known():
    with pytest.raises(ProfileError, match=r"no logical node 'operator' under mo:p1/conditions/simple_conditions/c1 "
                                           r"\(known: condition_compare, condition_operator"):
        REFERENCE.resolve("mo:p1/conditions/simple_conditions/c1/operator")


@pytest.mark.parametrize("logical,reference,acme", [
    ("sys:battery", "./DevDetail/Ext/SysProps/Battery", "./ACME/Sensors/Charge"),
    ("sys:datetime", "./DevDetail/Ext/SysProps/DateTime", "./ACME/Sensors/Clock"),
    ("sys:/", "./DevDetail/Ext/SysProps", "./ACME/Sensors"),
    ("sys:/?list=Struct", "./DevDetail/Ext/SysProps?list=Struct", "./ACME/Sensors?list=Struct"),
])
def test_a_system_property_resolves_in_each_profile(logical, reference, acme):
    assert REFERENCE.system_property(logical) == reference
    assert ACME.system_property(logical) == acme
    assert resolve_paths({"uri": logical}, ACME, "./Vendor") == {"uri": acme}


def test_an_unknown_system_property_is_named_with_what_is_known():
    with pytest.raises(ProfileError, match=r"no system property 'humidity' \(known: battery, datetime"):
        REFERENCE.system_property("sys:humidity")


def _profile_with(tmp_path, change):
    doc = json.loads((PROFILES / "reference.json").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("change,message", [
    (lambda d: (d["nodes"].pop("version"), d["nodes"].update(colour="Colour")), "nodes: missing version; unknown colour"),
    # Only the Exec targets' interior node may be no node at all, as the binaries' loader says.
    (lambda d: d["nodes"].update(version=""), "nodes: not a node name: version"),
    (lambda d: d["nodes"].update(version="A/B"), "nodes: not a node name: version"),
    (lambda d: d["system_properties"].pop("battery"), "system_properties: missing battery"),
    (lambda d: d["system_properties"].update(root="DevDetail"), "system_properties.root: must be an absolute node URI"),
    (lambda d: d.update(values={"colour": {}}), "values.colour: not an enumerated leaf"),
    (lambda d: d.update(values={"state": {"30": "3"}}), "values.state: no value of the reference MO: 30"),
    (lambda d: d.update(values={"action_mode": {"Sequence": "X", "Atomic": "X"}}), "its own non-empty spelling"),
])
def test_a_profile_must_map_every_key_and_no_other(tmp_path, change, message):
    with pytest.raises(ProfileError, match=message):
        MoProfile.load(_profile_with(tmp_path, change))


def test_a_profile_without_system_properties_has_the_reference_ones(tmp_path):
    assert MoProfile.load(_profile_with(tmp_path, lambda d: d.pop("system_properties"))).system_property(
        "sys:battery") == "./DevDetail/Ext/SysProps/Battery"
    assert MoProfile.load(_profile_with(tmp_path, lambda d: d["nodes"].update(operations=""))).resolve(
        "mo:p1/operations/activate") == "./MgmtPolicy/p1/Activate"


@pytest.mark.parametrize("logical,resolved", [
    ("scratch:Demo/Mode", "./Vendor/Harness/Demo/Mode"),
    ("scratch:/", "./Vendor/Harness"),
    ("scratch:/?prop=ACL", "./Vendor/Harness?prop=ACL"),
])
def test_scratch_paths_land_under_the_scratch_subtree(logical, resolved):
    assert scratch_path("./Vendor/Harness", logical) == resolved


def test_every_logical_path_of_a_case_is_resolved_and_nothing_else():
    value = {"uri": "mo:p1/version", "commands": [{"target": "scratch:X", "data": "not a path: mo:p1"}],
             "match": {"policy": {"contains": "mo:p2"}}}
    assert resolve_paths(value, ACME, "./Vendor") == {
        "uri": "./ACME/PolicyMgr/p1/Rev", "commands": [{"target": "./Vendor/X", "data": "not a path: mo:p1"}],
        "match": {"policy": {"contains": "./ACME/PolicyMgr/p2"}}}


def test_values_of_enumerated_leaves_are_spelled_as_the_profile_says():
    case = [{"cmd": "Add", "target": "mo:p1/conditions/simple_conditions/c1/condition_operator", "data": "lt"},
            {"kind": "tree", "uri": "mo:p1/state", "value": "20"},
            {"kind": "result", "source": "mo:p1/state", "value": {"one_of": ["10", "20"]}},
            {"cmd": "Replace", "target": "mo:p1/actions/action_mode", "data": "Atomic"},
            # Not an enumerated leaf, nor one the profile encodes, nor a value it knows: as written.
            {"cmd": "Add", "target": "mo:p1/version", "data": "lt"},
            {"cmd": "Add", "target": "mo:p1/conditions/simple_conditions/c1/condition_operator", "data": "x-near"},
            {"cmd": "Add", "target": "scratch:lt", "data": "lt"}]
    acme = encode_values(case, ACME)
    assert [c.get("data", c.get("value")) for c in acme] == ["<", "1", {"one_of": ["0", "1"]}, "AllOrNothing", "lt",
                                                             "x-near", "lt"]
    assert encode_values(case, REFERENCE) == case
    # A result check names its step: the step's one command names the node.
    steps = [{"id": "get-state", "kind": "dm", "commands": [{"cmd": "Get", "target": "mo:p1/state"}]}]
    checks = [{"kind": "result", "step": "get-state", "value": "20"}]
    assert encode_values(checks, ACME, step_targets(steps)) == [{"kind": "result", "step": "get-state", "value": "1"}]
    assert ACME.decode("state", "1") == "20" and ACME.decode("state", "20") == "20" and REFERENCE.decode("state", "1") == "1"


@pytest.mark.parametrize("old,new,message", [
    ("uri: mo:p1", "uri: ./MgmtPolicy/p1", "spells a concrete MgmtPolicy MO path"),
    ("uri: mo:p1", "uri: ./Vendor/X", "spells a concrete path for test nodes"),
    ("uri: mo:p1", "uri: mo:p1/versoin", "no logical node 'versoin' under mo:p1"),
    ("uri: mo:p1", "uri: ./DevDetail/Ext/SysProps/Battery", "spells a concrete system property path"),
    ("uri: mo:p1", "uri: 'sys:charge'", "no system property 'charge'"),
])
def test_lint_refuses_concrete_paths_and_unknown_keys_with_their_line(tmp_path, old, new, message):
    assert old in GOOD_CASE
    _, issues = load([write_case(tmp_path, GOOD_CASE.replace(old, new))])
    assert len(issues) == 1 and message in issues[0].message and issues[0].line == 21, issues
