"""MO profiles (docs/mo-profiles.md): the device's MgmtPolicy MO layout, as data.

A case names the MO's nodes by logical paths, `mo:` followed by the policy id and the logical keys
below it, for example `mo:p1/conditions/simple_conditions/c1/condition_value` or `mo:p2/operations/activate`;
`mo:/` is the MO's root. A profile (testcases/profiles/*.json, the file both reference binaries
take with --mo-profile) maps every logical key to the node name the device uses and gives the root,
so one case runs against any layout. Positions are fixed by the logical model below: ids stand where
the model has `*`, and everything under `ext` is passed through as it is.

The device's system properties are named `sys:` and the property (`sys:battery`, `sys:datetime`, ...;
`sys:/` is their root); the profile's `system_properties` says where they live.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .paths import source_root

PREFIX = "mo:"
SYS_PREFIX = "sys:"
# The system properties (MgmtPolicyMO-IOP-01) under the names the control API and profiles use, with
# where the reference MO keeps them (ddf/mgmtpolicy.ddf).
REFERENCE_SYSTEM_PROPERTIES = {"root": "./DevDetail/Ext/SysProps", "datetime": "DateTime", "location": "Location",
                               "device_type": "DevType", "network_type": "NetType", "battery": "Battery"}
SYSTEM_PROPERTIES = frozenset(REFERENCE_SYSTEM_PROPERTIES) - {"root"}
# The enumerated leaves whose values a device may spell its own way (a profile's `values`), with the
# reference MO's spellings (policy::value_encoding_fields()).
REFERENCE_VALUES = {
    "state": frozenset({"10", "20"}),
    "condition_operator": frozenset({"eq", "ne", "lt", "le", "gt", "ge", "exists", "absent", "contains", "matches",
                                     "changed"}),
    "action_mode": frozenset({"Sequence", "Atomic"}),
    "trigger_mode": frozenset({"OnChange", "Periodic", "Both"}),
}
# The keys of a case's dicts that name a node, and those that carry its value.
_NODE_KEYS = ("target", "uri", "source")
_VALUE_KEYS = ("data", "value")

# The logical model of one policy: key -> what may follow it ("*": an id of the case's choosing;
# None: any path, passed through).
_CONDITION = {"condition_uri": {}, "condition_operator": {}, "condition_value": {}, "condition_compare": {}}
_ACTION = {k: {} for k in ("action_order", "action_command", "action_target", "action_source", "action_data",
                           "action_format", "action_type")}
_LOG_ENTRY = {"log_time": {}, "log_status": {}, "log_detail": {}}
POLICY_MODEL: dict = {
    **{k: {} for k in ("policy_id", "name", "version", "priority", "state", "owner", "holds")},
    "conditions": {"expression": {}, "simple_conditions": {"*": _CONDITION}},
    "actions": {"action_mode": {}, "simple_actions": {"*": _ACTION}},
    "bindings": {"*": {"binding_uri": {}}},
    "trigger": {k: {} for k in ("trigger_mode", "trigger_period", "valid_from", "valid_until")},
    "operations": {"activate": {}, "deactivate": {}},
    "results": {"last_status": {}, "last_run": {}, "run_count": {}, "log": {"*": _LOG_ENTRY}},
    "notify": {"notify_enabled": {}},
    "ext": None,
}


def _keys(model: dict | None) -> set[str]:
    out: set[str] = set()
    for key, below in (model or {}).items():
        if key != "*":
            out.add(key)
        out |= _keys(below)
    return out


LOGICAL_KEYS = frozenset(_keys(POLICY_MODEL))


class ProfileError(ValueError):
    """A profile file or a logical path that cannot be used; the message names which and why."""


@dataclass(frozen=True)
class MoProfile:
    name: str
    root: str
    nodes: dict = field(default_factory=dict)  # logical key -> node name
    path: Path | None = None
    mo_type: str = "urn:oma:mo:oma-mgmtpolicy:1.0"  # the MO identifier, the root's Type
    system_properties: dict = field(default_factory=lambda: dict(REFERENCE_SYSTEM_PROPERTIES))
    values: dict = field(default_factory=dict)  # enumerated leaf -> {reference spelling: device spelling}

    @classmethod
    def load(cls, path: Path) -> "MoProfile":
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ProfileError(f"--mo-profile {path}: {e}") from e
        nodes = doc.get("nodes") if isinstance(doc, dict) else None
        if not isinstance(nodes, dict) or not isinstance(doc.get("root"), str) or not doc.get("name"):
            raise ProfileError(f"--mo-profile {path}: needs name, root and nodes (docs/mo-profiles.md)")
        _check_names(path, "nodes", nodes, LOGICAL_KEYS, may_be_empty={"operations"})
        props = doc.get("system_properties", REFERENCE_SYSTEM_PROPERTIES)
        if not isinstance(props, dict):
            raise ProfileError(f"--mo-profile {path}: system_properties: must be an object")
        _check_names(path, "system_properties", {k: v for k, v in props.items() if k != "root"}, SYSTEM_PROPERTIES)
        for where, root in (("root", doc["root"]), ("system_properties.root", props.get("root"))):
            if not isinstance(root, str) or not root.startswith("./") or root.endswith("/"):
                raise ProfileError(f"--mo-profile {path}: {where}: must be an absolute node URI, not {root!r}")
        return cls(name=str(doc["name"]), root=doc["root"], nodes=dict(nodes), path=Path(path).resolve(),
                   mo_type=str(doc.get("mo_type", cls.mo_type)), system_properties=dict(props),
                   values=_check_values(path, doc.get("values", {})))

    def encode(self, key: str, value: str) -> str:
        """The device's spelling of a reference value of the enumerated leaf `key`."""
        return self.values.get(key, {}).get(value, value)

    def decode(self, key: str, value):
        """The reference spelling of a value of the leaf `key` as the device spells it."""
        back = {device: reference for reference, device in self.values.get(key, {}).items()}
        return back.get(value, value) if isinstance(value, str) else value

    def moved(self, root: str, directory: Path) -> "MoProfile":
        """This profile with the MO at `root` (found on the device), written as a profile file into
        `directory` so that the reference binaries take the same layout (`ddf` made absolute)."""
        doc = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
        doc.update(root=root, name=self.name)
        if doc.get("ddf"):
            doc["ddf"] = str((self.path.parent / doc["ddf"]).resolve())
        path = Path(directory) / f"mo-profile-{self.name}-moved.json"
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        return dataclasses.replace(self, root=root, path=path.resolve())

    def system_property(self, logical: str) -> str:
        """The node URI of `sys:<property>` (`sys:/` is their root; an optional ?query is kept)."""
        name, sep, query = logical[len(SYS_PREFIX):].partition("?")
        name = name.strip("/")
        if name and name not in SYSTEM_PROPERTIES:
            raise ProfileError(f"{logical}: no system property {name!r} (known: {', '.join(sorted(SYSTEM_PROPERTIES))})")
        root = self.system_properties["root"]
        return (f"{root}/{self.system_properties[name]}" if name else root) + sep + query

    def resolve(self, logical: str) -> str:
        """The node URI of a logical path (`mo:...`, with an optional ?query kept as it is)."""
        out, _, query = self._walk(logical)
        return "/".join(out) + query

    def leaf_key(self, logical: str) -> str | None:
        """The logical key a `mo:` path ends on (None: it ends on an id, or below `ext`)."""
        return self._walk(logical)[1]

    def _walk(self, logical: str) -> tuple[list[str], str | None, str]:
        path, sep, query = logical[len(PREFIX):].partition("?")
        segments = [s for s in path.split("/") if s] if path else []
        out = [self.root]
        if segments:
            out.append(segments[0])  # the policy id
        model: dict | None = POLICY_MODEL
        last: str | None = None
        for i, segment in enumerate(segments[1:], start=1):
            if model is None:
                out.append(segment)
                last = None
            elif segment in model:
                out += [self.nodes[segment]] if self.nodes[segment] else []  # `operations` may be no node
                model, last = model[segment], segment
            elif "*" in model:
                out.append(segment)
                model, last = model["*"], None
            else:
                where = "/".join(segments[:i])
                known = ", ".join(sorted(k for k in model if k != "*")) or "nothing"
                raise ProfileError(f"{logical}: no logical node {segment!r} under mo:{where} (known: {known})")
        return out, last, sep + query


def _check_names(path, where: str, names: dict, keys: frozenset, may_be_empty: frozenset | set = frozenset()) -> None:
    """Every key mapped, none unknown, each to a node name (no '/'; empty only where allowed)."""
    missing = sorted(keys - set(names))
    unknown = sorted(set(names) - keys)
    bad = sorted(k for k, v in names.items() if k in keys and not (
        isinstance(v, str) and "/" not in v and (v or k in may_be_empty)))
    problems = [f"missing {', '.join(missing)}" if missing else "", f"unknown {', '.join(unknown)}" if unknown else "",
                f"not a node name: {', '.join(bad)}" if bad else ""]
    if any(problems):
        raise ProfileError(f"--mo-profile {path}: {where}: " + "; ".join(p for p in problems if p))


def _check_values(path, values) -> dict:
    """A profile's `values`: per enumerated leaf, reference spellings to distinct device spellings."""
    if not isinstance(values, dict):
        raise ProfileError(f"--mo-profile {path}: values: must be an object")
    for key, pairs in values.items():
        if key not in REFERENCE_VALUES:
            raise ProfileError(f"--mo-profile {path}: values.{key}: not an enumerated leaf "
                               f"({', '.join(sorted(REFERENCE_VALUES))})")
        if not isinstance(pairs, dict):
            raise ProfileError(f"--mo-profile {path}: values.{key}: must be an object")
        unknown = sorted(set(pairs) - REFERENCE_VALUES[key])
        spellings = list(pairs.values())
        if unknown or not all(isinstance(v, str) and v for v in spellings) or len(set(spellings)) != len(spellings):
            raise ProfileError(f"--mo-profile {path}: values.{key}: " + (
                f"no value of the reference MO: {', '.join(unknown)}" if unknown else
                "each value needs its own non-empty spelling"))
    return {key: dict(pairs) for key, pairs in values.items()}


def encode_values(value, profile: MoProfile, step_targets: dict | None = None):
    """`value` (a case's steps, checks, preconditions, before resolve_paths) with the values of
    enumerated leaves in the device's spelling: where a dict names a `mo:` node (target, uri, source,
    or the one command's target of the step it names) whose leaf the profile encodes, the strings of
    its data or value (a plain value or a matcher's)."""
    if isinstance(value, list):
        return [encode_values(v, profile, step_targets) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: encode_values(v, profile, step_targets) for k, v in value.items()}
    named = [out[k] for k in _NODE_KEYS if isinstance(out.get(k), str) and out[k].startswith(PREFIX)]
    if not named and isinstance(out.get("step"), str) and (step_targets or {}).get(out["step"]):
        named = [step_targets[out["step"]]]
    key = profile.leaf_key(named[0]) if named and profile.values else None
    if key in profile.values:
        for k in _VALUE_KEYS:
            if k in out:
                out[k] = map_strings(out[k], lambda text: profile.encode(key, text))
    return out


def step_targets(steps: list) -> dict:
    """The `mo:` target of each step (by id) that carries one command, for encode_values."""
    out = {}
    for step in steps or []:
        commands = step.get("commands") if isinstance(step, dict) else None
        if isinstance(commands, list) and len(commands) == 1 and isinstance(commands[0], dict):
            target = commands[0].get("target")
            if isinstance(target, str) and target.startswith(PREFIX) and "id" in step:
                out[str(step["id"])] = target
    return out


def default_profile_path() -> Path:
    """testcases/profiles/reference.json of the source tree, else of the checkout this package runs
    from (a partial source tree, as tests build, may have no profiles)."""
    relative = Path("testcases") / "profiles" / "reference.json"
    given = source_root() / relative
    own = Path(__file__).resolve().parents[2] / relative
    return given if given.is_file() or not own.is_file() else own


@functools.cache
def reference_profile() -> MoProfile:
    """The reference MO's profile (testcases/profiles/reference.json)."""
    return MoProfile.load(default_profile_path())


# Where the suite may create test nodes on a device whose adapter names no `scratch` subtree.
DEFAULT_SCRATCH = "./Vendor"
SCRATCH_PREFIX = "scratch:"


def scratch_path(scratch: str, logical: str) -> str:
    """A path under the scratch subtree (`scratch:Demo/Mode`, `scratch:/?prop=ACL` for its root)."""
    rest = logical[len(SCRATCH_PREFIX):].lstrip("/")
    return scratch + (rest if not rest or rest.startswith("?") else "/" + rest)


def map_strings(value, change):
    """`value` (nested dicts and lists, as a case's steps) with every string passed through `change`."""
    if isinstance(value, dict):
        return {k: map_strings(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, change) for v in value]
    return change(value) if isinstance(value, str) else value


def resolve_paths(value, profile: MoProfile, scratch: str):
    """`value` (a case's steps, checks, preconditions) with every logical path resolved: `mo:...` and
    `sys:...` in the MO profile, `scratch:...` under the scratch subtree."""
    def resolve(text: str) -> str:
        if text.startswith(PREFIX):
            return profile.resolve(text)
        if text.startswith(SYS_PREFIX):
            return profile.system_property(text)
        return scratch_path(scratch, text) if text.startswith(SCRATCH_PREFIX) else text
    return map_strings(value, resolve)


# Concrete paths where a case must write a logical one: into the reference MO, or into the subtree
# test nodes are created in.
CONCRETE_MO_PATH = re.compile(r"(^|[^\w.])\./MgmtPolicy(/|\?|$)")
CONCRETE_SCRATCH_PATH = re.compile(r"(^|[^\w.])\./Vendor(/|\?|$)")
CONCRETE_SYS_PATH = re.compile(r"(^|[^\w.])\./DevDetail/Ext/SysProps(/|\?|$)")
