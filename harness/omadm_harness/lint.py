"""Case linter: every problem is reported with its file and line."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import caseformat as cf
from .catalogue import Catalogue, normalise_label
from .matchers import OPS
from .responsibility import IUT_PARTY, KNOWN_EVENTS, responsible
from .yamlload import DuplicateKeyError, LineDict, line_of, load_file

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


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


class _Ctx:
    def __init__(self, file: Path, catalogue: Catalogue):
        self.file = file
        self.catalogue = catalogue
        self.issues: list[LintIssue] = []

    def err(self, line: int, message: str) -> None:
        self.issues.append(LintIssue(str(self.file), line, message))


def lint_case_data(data, file: Path, catalogue: Catalogue) -> list[LintIssue]:
    ctx = _Ctx(file, catalogue)
    if not isinstance(data, LineDict):
        ctx.err(1, "a case file must be a YAML mapping")
        return ctx.issues
    _lint_top(ctx, data)
    return ctx.issues


def _lint_top(ctx: _Ctx, data: LineDict) -> None:
    allowed = set(cf.CASE_FIELDS_REQUIRED) | set(cf.CASE_FIELDS_OPTIONAL)
    for key in data:
        if key not in allowed:
            ctx.err(data.line_of(key), f"unknown case field {key!r}")
    for key in cf.CASE_FIELDS_REQUIRED:
        if key not in data:
            ctx.err(data.line, f"missing required case field {key!r}")
    reqs = data.get("requirements")
    labels: list[str] = []
    if "requirements" in data:
        if not isinstance(reqs, list) or not reqs:
            ctx.err(data.line_of("requirements"), "requirements must be a non-empty list of labels")
        else:
            for i, label in enumerate(reqs):
                _lint_label(ctx, label, line_of(reqs, i, data.line_of("requirements")))
                labels.append(normalise_label(label))
    _lint_id(ctx, data, labels)
    role = data.get("role_under_test")
    if "role_under_test" in data and role not in cf.ROLES:
        ctx.err(data.line_of("role_under_test"), f"role_under_test must be one of {', '.join(cf.ROLES)}, not {role!r}")
    if "title" in data and (not isinstance(data["title"], str) or not data["title"].strip()):
        ctx.err(data.line_of("title"), "title must be a non-empty string")
    _lint_features(ctx, data.get("applicability"), data.line_of("applicability"), "applicability")
    if "expected_findings" in data:
        found = data["expected_findings"]
        if not isinstance(found, list) or not found:
            ctx.err(data.line_of("expected_findings"), "expected_findings must be a non-empty list of labels")
        else:
            for i, label in enumerate(found):
                _lint_label(ctx, label, line_of(found, i, data.line_of("expected_findings")))
    if "timeout_s" in data and not (isinstance(data["timeout_s"], (int, float)) and data["timeout_s"] > 0):
        ctx.err(data.line_of("timeout_s"), "timeout_s must be a positive number")
    _lint_preconditions(ctx, data.get("preconditions"), data.line_of("preconditions"))
    pre = data.get("preconditions")
    if isinstance(pre, dict) and "server_faults" in pre:
        if not isinstance(pre["server_faults"], dict) or not all(isinstance(v, bool) for v in pre["server_faults"].values()):
            ctx.err(line_of(pre, "server_faults", data.line_of("preconditions")),
                    "preconditions.server_faults must map fault names to true or false")
        if role != "client":
            ctx.err(line_of(pre, "server_faults", data.line_of("preconditions")),
                    "preconditions.server_faults needs role_under_test client: only our reference server has them")
    step_ids = _lint_steps(ctx, data.get("steps"), data.line_of("steps")) if "steps" in data else set()
    if "checks" in data:
        _lint_checks(ctx, data.get("checks"), data.line_of("checks"), step_ids, set(labels))
        if role in cf.ROLES and isinstance(data.get("steps"), list) and isinstance(data.get("checks"), list):
            _lint_responsibility(ctx, data, ["client", "server"] if role == "both" else [role])


def _lint_responsibility(ctx: _Ctx, data: LineDict, roles: list[str]) -> None:
    """Every check has a party that answers for it in each role the case is played with, and a case
    played with the server under test judges the server at least once (docs/case-format.md)."""
    step_kinds = {str(s["id"]): s.get("kind") for s in data["steps"] if isinstance(s, dict) and "id" in s}
    checks = {c["id"]: c for c in data["checks"] if isinstance(c, dict) and "id" in c}
    for role in roles:
        judged = 0
        for i, check in enumerate(data["checks"]):
            if not isinstance(check, dict) or check.get("kind") not in cf.CHECK_KINDS:
                continue  # reported by _lint_checks
            cline = line_of(data["checks"], i, data.line_of("checks"))
            who = responsible(check, role, step_kinds, checks)
            if who.party is None:
                ctx.err(cline, f"check {check.get('id')!r}: no party answers for it ({who.why})")
                return
            judged += who.judges_iut(role)
        if judged == 0:
            ctx.err(data.line_of("checks"), f"no check judges the {IUT_PARTY[role]} when it is under test")


def _lint_label(ctx: _Ctx, label, line: int) -> None:
    if not isinstance(label, str) or ctx.catalogue.resolve(label) is None:
        ctx.err(line, f"unknown requirement label {label!r}")


def _lint_id(ctx: _Ctx, data: LineDict, labels: list[str]) -> None:
    if "id" not in data:
        return
    cid, line = data["id"], data.line_of("id")
    if not isinstance(cid, str) or not _ID_RE.match(cid):
        ctx.err(line, f"case id {cid!r} must be letters, digits, '.', '_' or '-'")
        return
    if labels and not cid.startswith(labels[0] + "-"):
        ctx.err(line, f"case id {cid!r} must start with its primary label {labels[0]!r} followed by '-'")
    if re.fullmatch(r".*-\d+$", cid) and labels and cid[len(labels[0]) + 1:].isdigit():
        ctx.err(line, f"case id {cid!r} is positional: name what the case does")
    if ctx.file.suffix == ".yaml" and ctx.file.stem != cid:
        ctx.err(line, f"file name {ctx.file.name!r} must be the case id followed by .yaml")


def _lint_features(ctx: _Ctx, feats, line: int, what: str) -> None:
    if feats is None:
        return
    if not isinstance(feats, list):
        ctx.err(line, f"{what} must be a list of feature names")
        return
    for i, f in enumerate(feats):
        if f not in cf.KNOWN_FEATURES:
            ctx.err(line_of(feats, i, line), f"unknown feature {f!r} in {what}")


def _lint_preconditions(ctx: _Ctx, pre, line: int) -> None:
    if pre is None:
        return
    if not isinstance(pre, dict):
        ctx.err(line, "preconditions must be a mapping")
        return
    for key in pre:
        if key not in cf.PRECONDITION_FIELDS:
            ctx.err(line_of(pre, key, line), f"unknown precondition {key!r}")
    if "tree" in pre:
        _lint_commands(ctx, pre["tree"], line_of(pre, "tree", line))
    if "properties" in pre and not isinstance(pre["properties"], dict):
        ctx.err(line_of(pre, "properties", line), "preconditions.properties must be a mapping")
    _lint_features(ctx, pre.get("features"), line_of(pre, "features", line), "preconditions.features")


def _lint_commands(ctx: _Ctx, cmds, line: int) -> None:
    if not isinstance(cmds, list) or not cmds:
        ctx.err(line, "commands must be a non-empty list")
        return
    for i, cmd in enumerate(cmds):
        cline = line_of(cmds, i, line)
        if not isinstance(cmd, dict) or "cmd" not in cmd:
            ctx.err(cline, "a DM command must be a mapping with 'cmd'")
            continue
        if cmd["cmd"] not in cf.DM_COMMANDS:
            ctx.err(line_of(cmd, "cmd", cline), f"unknown DM command {cmd['cmd']!r}")
        elif cmd["cmd"] in ("Atomic", "Sequence"):
            _lint_commands(ctx, cmd.get("commands"), line_of(cmd, "commands", cline))
        elif "target" not in cmd:
            ctx.err(cline, f"{cmd['cmd']} needs a 'target'")


def _mappings(ctx: _Ctx, items: list, line: int, what: str):
    """Each element of `items` that is a mapping, with its line; the others are errors."""
    for i, item in enumerate(items):
        item_line = line_of(items, i, line)
        if isinstance(item, dict):
            yield item, item_line
        else:
            ctx.err(item_line, f"{what} must be a mapping")


def _lint_steps(ctx: _Ctx, steps, line: int) -> set[str]:
    ids: set[str] = set()
    if not isinstance(steps, list):
        ctx.err(line, "steps must be a list")
        return ids
    for step, sline in _mappings(ctx, steps, line, "a step"):
        kind = step.get("kind")
        if kind not in cf.STEP_KINDS:
            ctx.err(line_of(step, "kind", sline), f"unknown step kind {kind!r}")
            continue
        required, optional = cf.STEP_KINDS[kind]
        _lint_fields(ctx, step, sline, f"step kind {kind!r}", required, set(optional) | set(cf.STEP_COMMON))
        if "id" in step:
            if step["id"] in ids:
                ctx.err(line_of(step, "id", sline), f"duplicate step id {step['id']!r}")
            ids.add(step["id"])
        _lint_step_specifics(ctx, kind, step, sline)
    return ids


def _lint_step_specifics(ctx: _Ctx, kind: str, step: dict, line: int) -> None:
    if kind in ("dm", "local") and "commands" in step:
        _lint_commands(ctx, step["commands"], line_of(step, "commands", line))
    elif kind == "policy":
        op = step.get("op")
        if op not in cf.POLICY_OPS:
            ctx.err(line_of(step, "op", line), f"unknown policy op {op!r}")
        elif op in ("download", "update") and not isinstance(step.get("policy"), dict):
            ctx.err(line, f"policy {op} needs a 'policy' mapping")
        elif isinstance(step.get("policy"), dict):
            _lint_policy(ctx, step["policy"], line_of(step, "policy", line))
        elif op not in ("download",) and "pid" not in step and not isinstance(step.get("policy"), dict):
            ctx.err(line, f"policy {op} needs a 'pid'")
    elif kind == "session" and step.get("initiator", "any") not in ("client", "server", "any"):
        ctx.err(line_of(step, "initiator", line), "session initiator must be client, server or any")
    elif kind == "wait" and step.get("peer") not in cf.PARTIES:
        ctx.err(line_of(step, "peer", line), "wait peer must be device or server")
    elif kind == "wait":
        if step.get("event") not in KNOWN_EVENTS[step["peer"]]:
            ctx.err(line_of(step, "event", line), f"the {step['peer']} reports no event {step.get('event')!r}")
        if isinstance(step.get("match"), dict):
            for key, spec in step["match"].items():
                _lint_matcher(ctx, spec, line_of(step["match"], key, line), f"wait match.{key}")
    elif kind == "clock" and ("advance_ms" in step) == ("set" in step):
        ctx.err(line, "clock step needs exactly one of advance_ms or set")


def _lint_policy(ctx: _Ctx, policy: dict, line: int) -> None:
    """The members of a policy description, as the reference server checks them (a typo would
    otherwise reach the IUT and turn into a FAIL or an ERROR)."""
    _lint_members(ctx, policy, line, "policy", cf.POLICY_FIELDS)
    for key, allowed in (("conditions", cf.POLICY_CONDITION_FIELDS), ("actions", cf.POLICY_ACTION_FIELDS)):
        items = policy.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                _lint_members(ctx, item, line_of(items, i, line), f"policy {key}[{i}]", allowed)
    if isinstance(policy.get("trigger"), dict):
        _lint_members(ctx, policy["trigger"], line_of(policy, "trigger", line), "policy trigger", cf.POLICY_TRIGGER_FIELDS)


def _lint_members(ctx: _Ctx, obj: dict, line: int, what: str, allowed) -> None:
    for key in obj:
        if key not in allowed:
            ctx.err(line_of(obj, key, line), f"unknown {what} member {key!r} (one of {', '.join(allowed)})")


def _lint_matcher(ctx: _Ctx, spec, line: int, what: str) -> None:
    if isinstance(spec, dict):
        for op in spec:
            if op not in OPS:
                ctx.err(line_of(spec, op, line), f"unknown matcher {op!r} in {what} (one of {', '.join(OPS)})")


def _lint_fields(ctx, obj: dict, line: int, what: str, required, allowed) -> None:
    for key in required:
        if key not in obj:
            ctx.err(line, f"{what} needs {key!r}")
    for key in obj:
        if key not in allowed and key not in required:
            ctx.err(line_of(obj, key, line), f"unknown field {key!r} for {what}")


def _lint_checks(ctx: _Ctx, checks, line: int, step_ids: set[str], case_labels: set[str]) -> None:
    if not isinstance(checks, list) or not checks:
        ctx.err(line, "checks must be a non-empty list")
        return
    ids: set[str] = set()
    checks_by_id: dict = {}
    for check, cline in _mappings(ctx, checks, line, "a check"):
        cid = check.get("id")
        if isinstance(cid, str) and cid not in checks_by_id:
            checks_by_id[cid] = check
        if cid is None:
            ctx.err(cline, "check needs an 'id'")
        elif cid in ids:
            ctx.err(line_of(check, "id", cline), f"duplicate check id {cid!r}")
        else:
            ids.add(cid)
        labels = check.get("labels")
        if not labels or not isinstance(labels, list):
            ctx.err(line_of(check, "labels", cline), f"check {cid!r} has no labels")
        else:
            for j, label in enumerate(labels):
                lline = line_of(labels, j, cline)
                _lint_label(ctx, label, lline)
                if ctx.catalogue.resolve(label) and normalise_label(label) not in case_labels:
                    ctx.err(lline, f"check {cid!r} cites {label!r}, which is not in the case's requirements")
        kind = check.get("kind")
        if kind not in cf.CHECK_KINDS:
            ctx.err(line_of(check, "kind", cline), f"unknown check kind {kind!r}")
            continue
        required, optional = cf.CHECK_KINDS[kind]
        allowed = set(optional) | set(cf.CHECK_COMMON_REQUIRED) | set(cf.CHECK_COMMON_OPTIONAL)
        _lint_fields(ctx, check, cline, f"check kind {kind!r}", required, allowed)
        if "step" in check and check["step"] not in step_ids:
            ctx.err(line_of(check, "step", cline), f"check {cid!r} refers to unknown step {check['step']!r}")
        for key in ("value", "format", "state", "type", "source", "correlator", "data", "auth", "end_reason"):
            if key in check:
                _lint_matcher(ctx, check[key], line_of(check, key, cline), f"check {cid!r} {key}")
        if isinstance(check.get("match"), dict):
            for key, spec in check["match"].items():
                _lint_matcher(ctx, spec, line_of(check["match"], key, cline), f"check {cid!r} match.{key}")
        if "profile" in check and check["profile"] not in cf.PROFILE_OPTIONS:
            ctx.err(line_of(check, "profile", cline),
                    f"unknown profile option {check['profile']!r} (one of {', '.join(cf.PROFILE_OPTIONS)})")
        if "strength" in check and check["strength"] not in cf.STRENGTHS:
            ctx.err(line_of(check, "strength", cline), f"strength must be one of {', '.join(cf.STRENGTHS)}")
        if "party" in check and check["party"] not in cf.PARTIES:
            ctx.err(line_of(check, "party", cline), "party must be device or server")
        if check.get("count") == 0 and not any(_is_presence_check(checks_by_id.get(d))
                                                for d in check.get("depends_on") or [] if isinstance(d, str)):
            ctx.err(line_of(check, "count", cline),
                    f"check {cid!r} asserts an absence: it needs a positive control, an earlier check in its "
                    "depends_on that sees something happen on the same stimulus")
        if "depends_on" in check:
            deps = check["depends_on"]
            if not isinstance(deps, list) or not deps or not all(isinstance(d, str) for d in deps):
                ctx.err(line_of(check, "depends_on", cline), "depends_on must be a non-empty list of check ids")
            else:
                for d in deps:
                    if d not in ids or d == cid:
                        ctx.err(line_of(check, "depends_on", cline),
                                f"check {cid!r} depends on {d!r}, which is not an earlier check of the case")


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
