"""Case linter: every problem is reported with its file and line.

A case file is first validated against the case schema (testcases/schema/case.schema.yaml, JSON
Schema draft 2020-12): each violation is `file:line: $.json.path: message`, with the nearest allowed
name for an unknown key or value. A file that matches the schema is then held to the rules a schema
cannot express: labels exist in the catalogue and checks cite only their case's; the id starts with
its primary label, is not positional and equals the file name; step and check ids are unique;
checks refer to existing steps and depend on earlier checks; an absence check has a positive
control; a party answers for every check (responsibility.py); server_faults need a device under
test, and every fault a case turns on is in the fault catalogue (testcases/faults/). Case ids unique
across files: load_and_lint.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import caseformat as cf
from . import schema_check
from .catalogue import Catalogue, normalise_label
from .moprofile import (CONCRETE_MO_PATH, CONCRETE_SCRATCH_PATH, CONCRETE_SYS_PATH, PREFIX, SYS_PREFIX, ProfileError,
                        reference_profile)
from .paths import faults_dir
from .responsibility import IUT_PARTY, responsible
from .yamlload import DuplicateKeyError, LineDict, load_file


@dataclass(frozen=True)
class LintIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def discover(root: Path) -> list[Path]:
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


@functools.lru_cache(maxsize=1)
def _validator():
    try:
        return schema_check.validator_for(cf.SCHEMA)
    except ImportError as e:  # pragma: no cover - scripts/setup-deps.sh installs it
        raise RuntimeError("linting case files needs python3-jsonschema (bash scripts/setup-deps.sh)") from e


class _Ctx:
    def __init__(self, file: Path, catalogue: Catalogue, data):
        self.file = file
        self.catalogue = catalogue
        self.data = data
        self.issues: list[LintIssue] = []

    def err(self, parts: list, message: str) -> None:
        """A problem with the value at `parts` (keys and indexes from the document's root)."""
        line = schema_check.line_at(self.data, parts) or 1
        self.issues.append(LintIssue(str(self.file), line, f"{schema_check.json_path(parts)}: {message}"))


def lint_case_data(data, file: Path, catalogue: Catalogue) -> list[LintIssue]:
    """The schema's problems with a loaded case document; when there are none, the semantic ones."""
    issues = [LintIssue(str(file), line or 1, f"{path}: {message}")
              for line, path, message in schema_check.find(_validator(), data)]
    if issues:
        return issues
    ctx = _Ctx(file, catalogue, data)
    _lint_semantics(ctx, data)
    return ctx.issues


def _lint_semantics(ctx: _Ctx, data: LineDict) -> None:
    """What the schema cannot say, on a document that matches it."""
    labels = [normalise_label(label) for label in data["requirements"]]
    for i, label in enumerate(data["requirements"]):
        _lint_label(ctx, label, ["requirements", i])
    for i, label in enumerate(data.get("expected_findings", [])):
        _lint_label(ctx, label, ["expected_findings", i])
    _lint_id(ctx, data["id"], labels)
    role = data["role_under_test"]
    if "server_faults" in data.get("preconditions", {}) and role != "client":
        ctx.err(["preconditions", "server_faults"],
                "preconditions.server_faults needs role_under_test client: only our reference server has them")
    _lint_fault_names(ctx, data.get("preconditions", {}).get("faults"), "device", ["preconditions", "faults"])
    _lint_fault_names(ctx, data.get("preconditions", {}).get("server_faults"), "server",
                      ["preconditions", "server_faults"])
    for i, step in enumerate(data.get("steps") or []):
        if isinstance(step, dict) and step.get("kind") == "server_faults":
            if role != "client":
                ctx.err(["steps", i], "a server_faults step needs role_under_test client: only our reference server has them")
            _lint_fault_names(ctx, step.get("set"), "server", ["steps", i, "set"])
        if isinstance(step, dict) and step.get("server") == "second" and role != "client":
            ctx.err(["steps", i, "server"], "a step through the second server needs role_under_test client: "
                    "both servers are ours, the device is judged")
    for i, check in enumerate(data.get("checks") or []):
        if isinstance(check, dict) and check.get("server") == "second" and role != "client":
            ctx.err(["checks", i, "server"], "a check on the second server needs role_under_test client: "
                    "both servers are ours, the device is judged")
    step_ids = _lint_steps(ctx, data["steps"])
    _lint_checks(ctx, data["checks"], step_ids, set(labels), {"client", "server"} if role == "both" else {role})
    for key in ("preconditions", "steps", "checks"):
        _lint_mo_paths(ctx, data.get(key), [key])
    if not ctx.issues:
        _lint_responsibility(ctx, data, ["client", "server"] if role == "both" else [role])


def _lint_mo_paths(ctx: _Ctx, value, parts: list) -> None:
    """A case names the MgmtPolicy MO's nodes by logical path only (`mo:...`, docs/mo-profiles.md),
    so that it runs on every MO profile, and the nodes it creates by `scratch:...`, so that they land
    where the device lets the suite create them, and the system properties by `sys:...`: a concrete
    path into the reference MO, its system properties or ./Vendor is refused, and so is a logical path
    the model does not have."""
    if isinstance(value, dict):
        for k, v in value.items():
            _lint_mo_paths(ctx, v, parts + [k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _lint_mo_paths(ctx, v, parts + [i])
    elif isinstance(value, str):
        if CONCRETE_MO_PATH.search(value):
            ctx.err(parts, f"{value!r} spells a concrete MgmtPolicy MO path: write its logical path, "
                           f"mo:<policy>/<key>... (docs/mo-profiles.md)")
        elif CONCRETE_SCRATCH_PATH.search(value):
            ctx.err(parts, f"{value!r} spells a concrete path for test nodes: write scratch:<path>, which "
                           f"lands under the device's scratch subtree (docs/adapters.md)")
        elif CONCRETE_SYS_PATH.search(value):
            ctx.err(parts, f"{value!r} spells a concrete system property path: write sys:<property> "
                           f"(docs/mo-profiles.md)")
        elif value.startswith((PREFIX, SYS_PREFIX)):
            try:
                profile = reference_profile()
                profile.resolve(value) if value.startswith(PREFIX) else profile.system_property(value)
            except ProfileError as e:
                ctx.err(parts, str(e))


def _lint_responsibility(ctx: _Ctx, data: LineDict, roles: list[str]) -> None:
    """Every check has a party that answers for it in each role the case is played with, and a case
    played with the server under test judges the server at least once (docs/case-format.md)."""
    step_kinds = {str(s["id"]): s["kind"] for s in data["steps"] if "id" in s}
    checks = {c["id"]: c for c in data["checks"]}
    for role in roles:
        judged = 0
        for i, check in enumerate(data["checks"]):
            who = responsible(check, role, step_kinds, checks)
            if who.party is None:
                ctx.err(["checks", i], f"check {check['id']!r}: no party answers for it ({who.why})")
                return
            judged += who.judges_iut(role)
            if check["kind"] == "alert" and not who.judges_iut(role):
                _lint_reference_alert(ctx, i, check, role, step_kinds, checks)
        if judged == 0:
            ctx.err(["checks"], f"no check judges the {IUT_PARTY[role]} when it is under test")


# What the device writes into the Generic Alert our server stores (the type our server checks too).
ALERT_FIELDS_OF_THE_DEVICE = ("source", "correlator", "data")


def _lint_reference_alert(ctx: _Ctx, i: int, check: dict, role: str, step_kinds: dict, checks: dict) -> None:
    """A check on our server's store of an alert asks nothing the device wrote into it that a check
    on the device it depends on did not ask first: a device under test that got the field wrong would
    otherwise make our server ERROR instead of failing itself."""
    on_device = [checks[d] for d in check.get("depends_on") or []
                 if d in checks and responsible(checks[d], role, step_kinds, checks).judges_iut(role)]
    for field in ALERT_FIELDS_OF_THE_DEVICE:
        if field in check and not any(field in d for d in on_device):
            ctx.err(["checks", i, field],
                    f"check {check['id']!r} judges our server but asks for the alert's {field}, which the "
                    f"{IUT_PARTY[role]} writes: ask it first in a check on the {IUT_PARTY[role]} that this one "
                    "depends on")


def _lint_label(ctx: _Ctx, label: str, parts: list) -> bool:
    if ctx.catalogue.resolve(label) is None:
        ctx.err(parts, f"unknown requirement label {label!r}")
        return False
    return True


def _lint_id(ctx: _Ctx, cid: str, labels: list[str]) -> None:
    if labels and not cid.startswith(labels[0] + "-"):
        ctx.err(["id"], f"case id {cid!r} must start with its primary label {labels[0]!r} followed by '-'")
    if re.fullmatch(r".*-\d+$", cid) and labels and cid[len(labels[0]) + 1:].isdigit():
        ctx.err(["id"], f"case id {cid!r} is positional: name what the case does")
    if ctx.file.suffix == ".yaml" and ctx.file.stem != cid:
        ctx.err(["id"], f"file name {ctx.file.name!r} must be the case id followed by .yaml")


@functools.lru_cache(maxsize=None)
def _catalogued_faults(peer: str) -> frozenset[str]:
    """The fault ids of testcases/faults/<peer>.yaml (empty when the file is missing)."""
    path = faults_dir() / f"{peer}.yaml"
    if not path.is_file():
        return frozenset()
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(str(f["id"]) for f in doc.get("faults") or [] if isinstance(f, dict) and "id" in f)


def _lint_fault_names(ctx: _Ctx, faults: object, peer: str, path: list) -> None:
    known = _catalogued_faults(peer)
    if not isinstance(faults, dict) or not known:
        return
    for name in faults:
        if name not in known:
            near = difflib.get_close_matches(str(name), sorted(known), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            ctx.err([*path, name], f"no fault {name!r} of the reference {peer} in testcases/faults/{peer}.yaml{hint}")


def _lint_steps(ctx: _Ctx, steps: list) -> set[str]:
    ids: set[str] = set()
    for i, step in enumerate(steps):
        if "id" in step:
            if step["id"] in ids:
                ctx.err(["steps", i, "id"], f"duplicate step id {step['id']!r}")
            ids.add(step["id"])
    return ids


def _lint_checks(ctx: _Ctx, checks: list, step_ids: set[str], case_labels: set[str],
                 case_roles: set[str] | None = None) -> None:
    ids: set[str] = set()
    checks_by_id: dict = {}
    for i, check in enumerate(checks):
        cid = check["id"]
        checks_by_id.setdefault(cid, check)
        if cid in ids:
            ctx.err(["checks", i, "id"], f"duplicate check id {cid!r}")
        ids.add(cid)
        for j, label in enumerate(check["labels"]):
            if _lint_label(ctx, label, ["checks", i, "labels", j]) and normalise_label(label) not in case_labels:
                ctx.err(["checks", i, "labels", j], f"check {cid!r} cites {label!r}, which is not in the case's requirements")
        if "step" in check and check["step"] not in step_ids:
            ctx.err(["checks", i, "step"], f"check {cid!r} refers to unknown step {check['step']!r}")
        if case_roles and check.get("roles") and not set(check["roles"]) & case_roles:
            ctx.err(["checks", i, "roles"], f"check {cid!r} is judged only with a {' or '.join(check['roles'])} under "
                                            "test, in which the case is never played")
        if check.get("count") == 0 and not any(_is_presence_check(checks_by_id.get(d)) for d in check.get("depends_on", [])):
            ctx.err(["checks", i, "count"],
                    f"check {cid!r} asserts an absence: it needs a positive control, an earlier check in its "
                    "depends_on that sees something happen on the same stimulus")
        for d in check.get("depends_on", []):
            if d not in ids or d == cid:
                ctx.err(["checks", i, "depends_on"], f"check {cid!r} depends on {d!r}, which is not an earlier check of the case")


def _is_presence_check(check: dict | None) -> bool:
    """A check that passes only when something happened: a positive control for an absence check."""
    if not isinstance(check, dict):
        return False
    kind = check.get("kind")
    if kind in ("event", "alert", "result", "session"):
        return check.get("count", 1) != 0 and check.get("min_count", 1) != 0
    if kind in ("tree", "policy_state"):
        return check.get("exists", True) is not False
    return kind == "status"


def load_and_lint(paths: list[Path], catalogue: Catalogue):
    """Load every case file; return (cases, issues). Cases with issues are left out."""
    cases = []
    issues: list[LintIssue] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            data = load_file(path)
        except DuplicateKeyError as e:
            issues.append(LintIssue(str(path), e.line, f"duplicate key {e.key!r}"))
            continue
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            issues.append(LintIssue(str(path), mark.line + 1 if mark else 1, f"malformed YAML: {e}"))
            continue
        file_issues = lint_case_data(data, path, catalogue)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            cid = data["id"]
            if cid in seen:
                file_issues.append(
                    LintIssue(str(path), data.line_of("id"), f"duplicate case id {cid!r} (also in {seen[cid]})")
                )
            else:
                seen[cid] = f"{path}:{data.line_of('id')}"
        issues.extend(file_issues)
        if not file_issues:
            from .caseformat import Case

            cases.append(Case.from_data(data, path))
    return cases, issues
