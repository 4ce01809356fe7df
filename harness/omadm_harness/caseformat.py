"""The case file format: its tables, read from the case schema, and the loaded `Case` model.

testcases/schema/case.schema.yaml (shipped as schemas/case.schema.yaml beside this module) is the
single source of the format: the linter validates case files against it, and the tables below are
derived from it when this module is imported, so other modules keep using them by name. What is
not a list of names (which feature a device hook needs, ...) stays here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .moprofile import PREFIX as MO_PATH_PREFIX

SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "case.schema.yaml"


def _load_schema() -> dict:
    with open(SCHEMA_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


SCHEMA: dict = _load_schema()
_DEFS: dict = SCHEMA["$defs"]


def _resolve(schema: dict) -> dict:
    """`schema`, or the definition its `$ref` names (#/$defs/NAME)."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = _DEFS[schema["$ref"].removeprefix("#/$defs/")]
    return schema


def _names(schema: dict) -> tuple:
    """The values a schema allows: an `enum`, or an `anyOf` of consts and enums (in order)."""
    schema = _resolve(schema)
    if "enum" in schema:
        return tuple(schema["enum"])
    if "const" in schema:
        return (schema["const"],)
    return tuple(dict.fromkeys(v for branch in schema["anyOf"] for v in _names(branch)))


def _described(schema: dict) -> dict[str, str]:
    """name -> description of an `anyOf` of described consts."""
    return {b["const"]: b.get("description", "") for b in _resolve(schema)["anyOf"]}


def _kinds(dispatcher: str) -> dict[str, dict]:
    """kind -> its definition, from a dispatcher's `allOf` of `if: {kind: {const: K}}, then: {$ref}`."""
    out = {}
    for branch in _DEFS[dispatcher]["allOf"]:
        out[branch["if"]["properties"]["kind"]["const"]] = _resolve(branch["then"])
    return out


def _fields(kind_defs: dict[str, dict], common) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """kind -> (required fields, optional fields), without the fields every kind has."""
    out = {}
    for kind, schema in kind_defs.items():
        required = tuple(k for k in schema.get("required", []) if k not in common)
        out[kind] = (required, tuple(k for k in schema["properties"] if k not in common and k not in required))
    return out


ROLES = _names(SCHEMA["properties"]["role_under_test"])
PARTIES = _names(_DEFS["party"])
STRENGTHS = _names(_DEFS["strength"])
CASE_FIELDS_REQUIRED = tuple(SCHEMA["required"])
CASE_FIELDS_OPTIONAL = tuple(k for k in SCHEMA["properties"] if k not in CASE_FIELDS_REQUIRED)
PRECONDITION_FIELDS = tuple(_DEFS["preconditions"]["properties"])

# Steps: every kind has STEP_COMMON (kind, and optionally id and note).
STEP_COMMON = tuple(_DEFS["step"]["properties"])
_STEP_DEFS = _kinds("step")
# kind -> (required fields, optional fields); the schema's definition step_<kind> describes each.
STEP_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = _fields(_STEP_DEFS, STEP_COMMON)
STEP_DESCRIPTIONS = {kind: schema.get("description", "") for kind, schema in _STEP_DEFS.items()}
POLICY_OPS = _names(_DEFS["step_policy"]["properties"]["op"])

# Checks: every kind has id, kind and labels, and may carry strength, party, note, depends_on, profile.
CHECK_COMMON_REQUIRED = tuple(_DEFS["check"]["required"])
CHECK_COMMON_OPTIONAL = tuple(k for k in _DEFS["check"]["properties"] if k not in CHECK_COMMON_REQUIRED)
_CHECK_DEFS = _kinds("check")
# kind -> (required fields, optional fields); the schema's definition check_<kind> describes each.
CHECK_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = _fields(
    _CHECK_DEFS, CHECK_COMMON_REQUIRED + CHECK_COMMON_OPTIONAL)
CHECK_DESCRIPTIONS = {kind: schema.get("description", "") for kind, schema in _CHECK_DEFS.items()}

# Members of a policy description (docs/mgmtpolicy-mo.md, Policy descriptions; the reference server
# refuses any other, core/policy/src/policy_description.cpp).
POLICY_FIELDS = tuple(_DEFS["policy_description"]["properties"])
POLICY_CONDITION_FIELDS = tuple(_DEFS["policy_condition"]["properties"])
POLICY_ACTION_FIELDS = tuple(_DEFS["policy_action"]["properties"])
POLICY_TRIGGER_FIELDS = tuple(_DEFS["policy_trigger"]["properties"])
DM_COMMANDS = _names(_DEFS["dm_command_name"])

# The comparisons a matcher mapping may pick (harness/omadm_harness/matchers.py implements them).
MATCHER_OPS = tuple(_DEFS["matcher"]["properties"])

# Events each reference binary reports (docs/events.md), and among them those a peer reports
# because the harness told it to do something (they judge nobody: responsibility.py).
KNOWN_EVENTS: dict[str, frozenset] = {party: frozenset(_names(_DEFS[f"{party}_event"])) for party in PARTIES}
HARNESS_ECHOES = frozenset(_names(_DEFS["harness_echo_event"]))

# The features an IUT may declare in its adapter (its implementation conformance statement),
# with what each means.
FEATURE_DESCRIPTIONS: dict[str, str] = _described(_DEFS["feature"])
KNOWN_FEATURES = tuple(FEATURE_DESCRIPTIONS)

# Semantics our reference MO chose where the RD requires none (docs/mgmtpolicy-mo.md, Profile
# options). A check that only such a choice requires names it in `profile`; when the device's
# adapter (IUT or reference) does not declare the option in its `profile`, that check is INFO.
PROFILE_OPTIONS: dict[str, str] = _described(_DEFS["profile_option"])

# How a session step's `initiator` is carried out, and the feature the IUT needs for it (`any`: the
# first of the two it declares, harness/omadm_harness/engine.py).
SESSION_FEATURES = {"server": "pkg0_notification", "client": "client_initiated_session"}

# The device hook a precondition or a step uses (the harness reaches into the device outside DM).
HOOK_PRECONDITIONS = {"tree": "local_tree_access", "properties": "property_simulation", "clock": "clock_control",
                      "faults": "fault_injection"}
HOOK_STEPS = {"local": "local_tree_access", "properties": "property_simulation", "clock": "clock_control",
              "restart": "restart"}

# Features only a device offers (the harness's hooks into it): a case needing them is judged against
# the device's adapter, whichever side is under test; every other feature against the IUT's.
DEVICE_FEATURES = ("system_properties", "property_simulation", "clock_control", "local_tree_access", "fault_injection",
                   "mgmt_policy_mo", "restart", "second_account")
SECOND_SERVER_FEATURE = "second_account"  # the device's account at a second server (`server: second` steps)

MO_FEATURE = "mgmt_policy_mo"  # a device without it gets NOT_IMPLEMENTED on every case that touches the MO


@dataclass
class Case:
    id: str
    title: str
    requirements: list[str]
    role_under_test: str
    steps: list[dict]
    checks: list[dict]
    applicability: list[str] = field(default_factory=list)
    preconditions: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    timeout_s: float | None = None
    description: str = ""
    expected_findings: list[str] = field(default_factory=list)  # labels of findings the case provokes
    file: Path | None = None
    line: int = 1
    raw: Any = None

    @property
    def primary_label(self) -> str:
        return self.requirements[0] if self.requirements else ""

    @property
    def area(self) -> str:
        return self.file.parent.name if self.file else ""

    def roles(self) -> list[str]:
        """The IUT roles this case can be played with."""
        return ["client", "server"] if self.role_under_test == "both" else [self.role_under_test]

    def required_features(self) -> list[str]:
        """Declared (applicability, preconditions.features) and implied by what the case does: a
        device hook for each precondition or step that uses one, and for a session step that names
        its initiator the IUT's support of that way of starting a session."""
        feats = list(self.applicability)
        feats += [f for f in self.preconditions.get("features", []) or [] if f not in feats]
        implied = [HOOK_PRECONDITIONS[k] for k in HOOK_PRECONDITIONS if self.preconditions.get(k)]
        for step in self.steps:
            kind = step.get("kind")
            implied += [HOOK_STEPS[kind]] if kind in HOOK_STEPS else []
            implied += [SESSION_FEATURES[step["initiator"]]] if kind == "session" and step.get("initiator") in SESSION_FEATURES else []
        if MO_FEATURE not in feats and self.uses_policy_mo():
            implied.append(MO_FEATURE)
        if self.uses_second_server():
            implied.append(SECOND_SERVER_FEATURE)
        return feats + [f for f in dict.fromkeys(implied) if f not in feats]

    def uses_second_server(self) -> bool:
        """A step that speaks through a second DM server, or a check that reads it (`server: second`)."""
        return any(s.get("server") == "second" for s in self.steps + self.checks)

    def uses_policy_mo(self) -> bool:
        """A `policy` step, a `policy_state` check, or a logical path into the MgmtPolicy MO (`mo:`,
        harness/omadm_harness/moprofile.py) anywhere in the preconditions, steps or checks."""
        def names_root(value) -> bool:
            if isinstance(value, dict):
                return any(names_root(v) for v in value.values())
            if isinstance(value, list):
                return any(names_root(v) for v in value)
            return isinstance(value, str) and value.startswith(MO_PATH_PREFIX)
        return (any(s.get("kind") == "policy" for s in self.steps)
                or any(c.get("kind") == "policy_state" for c in self.checks)
                or names_root([self.preconditions, self.steps, self.checks]))

    def hooks_doable_over_dm(self) -> frozenset:
        """Device hooks the case only implies (never declares) through what our server can also do
        in a DM session: a tree seed (preconditions.tree, written by our server instead of the device
        itself) and property changes (preconditions.properties and `properties` steps, as writes of
        stimulus nodes under the device's scratch subtree: harness/omadm_harness/engine.py). A case
        that needs the hook itself (the seed owned by no DM server, the system property node a
        condition watches) declares it in `applicability`."""
        declared = set(self.applicability) | set(self.preconditions.get("features") or [])
        kinds = {s.get("kind") for s in self.steps}
        out = set()
        if self.preconditions.get("tree") and "local" not in kinds:
            out.add("local_tree_access")
        if self.preconditions.get("properties") or "properties" in kinds:
            out.add("property_simulation")
        return frozenset(out - declared)

    def properties_set(self) -> set[str]:
        """The names of the properties the case sets (preconditions and steps)."""
        names = set(self.preconditions.get("properties") or {})
        for step in self.steps:
            names |= set(step.get("set") or {}) if step.get("kind") == "properties" else set()
        return names

    def all_labels(self) -> list[str]:
        out = list(self.requirements)
        for c in self.checks:
            for label in c.get("labels", []) or []:
                if label not in out:
                    out.append(label)
        return out

    @classmethod
    def from_data(cls, data: dict, file: Path | None = None) -> "Case":
        from .catalogue import normalise_label

        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            requirements=[normalise_label(x) for x in data.get("requirements", [])],
            role_under_test=str(data.get("role_under_test", "client")),
            steps=list(data.get("steps", []) or []),
            checks=[_normalise_check(c) for c in data.get("checks", []) or []],
            applicability=list(data.get("applicability", []) or []),
            preconditions=dict(data.get("preconditions", {}) or {}),
            tags=list(data.get("tags", []) or []),
            timeout_s=data.get("timeout_s"),
            description=str(data.get("description", "")),
            expected_findings=[normalise_label(x) for x in data.get("expected_findings", []) or []],
            file=file,
            line=getattr(data, "line", 1),
            raw=data,
        )


def _normalise_check(check: dict) -> dict:
    from .catalogue import normalise_label

    out = dict(check)
    out["labels"] = [normalise_label(x) for x in check.get("labels", []) or []]
    return out
