"""The case file format: field tables for steps and checks, and the loaded `Case` model.

The tables here are the single source the linter checks against; testcases/schema/case.schema.yaml
documents the same format for people and other tools (a harness test keeps the two in step).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROLES = ("client", "server", "both")
PARTIES = ("device", "server")
STRENGTHS = ("SHALL", "SHOULD", "INFO")
CASE_FIELDS_REQUIRED = ("id", "title", "requirements", "role_under_test", "steps", "checks")
CASE_FIELDS_OPTIONAL = ("description", "applicability", "preconditions", "tags", "timeout_s", "procedure",
                        "expected_findings")
PRECONDITION_FIELDS = ("tree", "properties", "features", "faults", "server_faults", "clock", "account")

POLICY_OPS = ("download", "update", "activate", "deactivate", "remove", "query")

# Members of a policy description (docs/mgmtpolicy-mo.md, Policy descriptions; the reference server
# refuses any other, core/policy/src/policy_description.cpp).
POLICY_FIELDS = ("id", "name", "version", "priority", "conditions", "expression", "trigger", "actions", "mode",
                 "bindings", "notify", "ext")
POLICY_CONDITION_FIELDS = ("id", "uri", "operator", "value", "compare")
POLICY_ACTION_FIELDS = ("id", "order", "command", "target", "source", "data", "format", "type")
POLICY_TRIGGER_FIELDS = ("mode", "period_s", "valid_from", "valid_until")
DM_COMMANDS = ("Add", "Replace", "Get", "Delete", "Exec", "Copy", "Atomic", "Sequence")

# kind -> (required fields, optional fields). Every step may also carry `id` and `note`.
STEP_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # DM commands queued on the server role for the device's next session.
    "dm": (("commands",), ()),
    # A policy flow performed by the server role.
    "policy": (("op",), ("policy", "pid", "correlator")),
    # Trigger a DM session and wait for it to end (initiator client: the device starts it;
    # server: Package 0 notification from the server; any, the default: whichever the IUT supports).
    "session": ((), ("initiator", "reason", "timeout_s", "expect_end")),
    # Simulated system properties on the device (date/time, location, device type, network...).
    "properties": (("set",), ()),
    # Move the device's injected clock.
    "clock": ((), ("advance_ms", "set")),
    # Wait, with a deadline, for an event from a peer.
    "wait": (("peer", "event"), ("match", "timeout_s", "count")),
    # Commands applied locally on the device as a given server (setup within a case).
    "local": (("commands",), ("server_id",)),
    # Credentials the server role uses for the device (negative authentication cases).
    "account": ((), ("user", "password", "auth", "server_password")),
}

# kind -> (required fields, optional fields). Every check also has id, labels, and may carry
# strength, party, note.
CHECK_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # Status codes the device returned for a step's commands.
    "status": (("step", "code"), ("index", "target", "cmd")),
    # Results (Get) the device returned for a step.
    "result": (("step",), ("source", "value", "count", "min_count")),
    # A node of the device's DM tree (read through the device role, or by a DM Get).
    "tree": (("uri",), ("exists", "value", "format")),
    # Generic Alerts the server received (count 0 is an absence check).
    "alert": ((), ("type", "source", "correlator", "data", "count", "min_count")),
    # Installed policy as the device reports it.
    "policy_state": (("pid",), ("exists", "state", "count")),
    # Events a peer reported (count 0 is an absence check).
    "event": (("peer", "event"), ("match", "count", "min_count")),
    # DM sessions the server saw.
    "session": ((), ("auth", "end_reason", "min_count", "count")),
}
CHECK_COMMON_REQUIRED = ("id", "kind", "labels")
CHECK_COMMON_OPTIONAL = ("strength", "party", "note", "depends_on", "profile")
STEP_COMMON = ("id", "kind", "note")

# How a session step's `initiator` is carried out, and the feature the IUT needs for it (`any`: the
# first of the two it declares, harness/omadm_harness/engine.py).
SESSION_FEATURES = {"server": "pkg0_notification", "client": "client_initiated_session"}

# The device hook a precondition or a step uses (the harness reaches into the device outside DM).
HOOK_PRECONDITIONS = {"tree": "local_tree_access", "properties": "property_simulation", "clock": "clock_control",
                      "faults": "fault_injection"}
HOOK_STEPS = {"local": "local_tree_access", "properties": "property_simulation", "clock": "clock_control"}

# The features an IUT may declare in its adapter (its implementation conformance statement).
# Features only a device offers (the harness's hooks into it): a case needing them is judged against
# the device's adapter, whichever side is under test; every other feature against the IUT's.
DEVICE_FEATURES = ("system_properties", "property_simulation", "clock_control", "local_tree_access", "fault_injection")

# Semantics our reference MO chose where the RD requires none (docs/mgmtpolicy-mo.md, Profile
# options). A check that only such a choice requires names it in `profile`; when the device's
# adapter (IUT or reference) does not declare the option in its `profile`, that check is INFO.
PROFILE_OPTIONS = {
    "onchange_edge": "OnChange fires on a transition of the conditions to true, not on every change while true",
    "fire_on_activation": "a policy whose conditions already hold fires when it is activated",
    "priority_order": "when several policies fire on one change, higher Priority runs first",
    "validity_window": "Trigger ValidFrom/ValidUntil bound when a policy is evaluated",
    "periodic_count": "a Periodic trigger evaluates exactly once per elapsed period",
    "operation_405": "Activate of an active or Deactivate of an inactive policy answers 405",
    "result_codes": "results and alerts carry the reference MO's result codes (1200, 1400, 1403, ...)",
}

KNOWN_FEATURES = (
    "pkg0_notification",  # server-initiated sessions (Package 0)
    "client_initiated_session",
    "generic_alert",  # device sends Generic Alerts 1226 on action results
    "correlator",  # correlator echoed in alerts
    "system_properties",  # date/time, location, device type, network type under MOs (IOP-01)
    "property_simulation",  # the harness can set simulated system properties on the device
    "clock_control",  # the harness can move the device's clock
    "local_tree_access",  # the harness can read/seed the device's tree outside DM sessions
    "fault_injection",  # deliberately faulty modes (reference client only)
    "compound_condition",
    "compound_action",
    "atomic_action",
    "bindings",
    "periodic_trigger",
    "extensions",
    "auth_basic",
    "auth_md5",
    "auth_hmac",
    "acl",
)


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
        return feats + [f for f in dict.fromkeys(implied) if f not in feats]

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
