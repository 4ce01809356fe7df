"""Value matchers used by checks: a scalar means equality; a mapping picks the comparison."""
from __future__ import annotations

import re

from .caseformat import MATCHER_OPS

OPS = MATCHER_OPS  # the comparisons a mapping may pick, from the case schema ($defs/matcher)


def match_value(spec, actual) -> tuple[bool, str]:
    if not isinstance(spec, dict):
        ok = _same(spec, actual)
        return ok, "" if ok else f"expected {spec!r}, got {actual!r}"
    for op, want in spec.items():
        if op == "equals":
            ok = _same(want, actual)
        elif op == "not":
            ok = not _same(want, actual)
        elif op == "contains":
            ok = actual is not None and str(want) in str(actual)
        elif op == "regex":
            ok = actual is not None and re.search(str(want), str(actual)) is not None
        elif op == "in":
            ok = any(_same(w, actual) for w in want)
        elif op == "present":
            ok = (actual is not None) == bool(want)
        else:
            return False, f"unknown matcher {op!r}"
        if not ok:
            return False, f"expected {op} {want!r}, got {actual!r}"
    return True, ""


def _same(want, actual) -> bool:
    if want is None or actual is None:
        return want is actual
    return str(want) == str(actual)


def match_fields(match: dict | None, obj: dict) -> bool:
    """True when every key of `match` matches the same key of `obj` (dotted keys go deeper)."""
    for key, spec in (match or {}).items():
        value = obj
        for part in str(key).split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not match_value(spec, value)[0]:
            return False
    return True
