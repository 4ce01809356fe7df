"""Validating a YAML document against a JSON Schema (draft 2020-12, python3-jsonschema), with one
message per problem: the file, the line (yamlload.py keeps them), the JSON path of the value and
what is wrong, and for an unknown key or value the nearest allowed one ("did you mean").

Shared by adapter files (adapter.py, schemas/adapter.schema.json) and case files (lint.py,
testcases/schema/case.schema.yaml). A subschema's `title` names it in messages: "unknown key 'x' in
a wait step", "unknown policy op 'upload'".
"""
from __future__ import annotations

import difflib
import json
import re

from .yamlload import line_of

TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
              "integer": "an integer", "boolean": "true or false", "null": "nothing"}


def validator_for(schema: dict):
    """A Draft202012Validator of `schema` (ImportError without python3-jsonschema)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema)


def json_type(value) -> str:
    for name, kinds in (("null", type(None)), ("boolean", bool), ("number", (int, float)), ("string", str),
                        ("array", list), ("object", dict)):
        if isinstance(value, kinds):
            return TYPE_WORDS[name]
    return type(value).__name__


def json_path(parts) -> str:
    """`$.start.command[0]`: where a value sits in the document."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif isinstance(p, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", p):
            out += f".{p}"
        else:
            out += f"[{json.dumps(str(p))}]"
    return out


def line_at(doc, parts) -> int:
    """Line of the key (or list item) at `parts`, else of the deepest one the YAML loader tracked."""
    line, node = line_of(doc), doc
    for p in parts:
        if isinstance(node, (dict, list)):
            line = line_of(node, p, line) or line
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            break
    return line


def hint(value, allowed, what: str = "one of") -> str:
    """` (did you mean 'x'?)` for the nearest of `allowed`, else ` (what: a, b, c)`."""
    match = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
    if match:
        return f" (did you mean {match[0]!r}?)"
    return f" ({what}: {', '.join(map(str, allowed))})"


def problem(path, line: int, parts, message: str) -> tuple:
    """(line, JSON path, "file:line: $.path: message"): sorts by line, then path."""
    return (line, json_path(parts), f"{_where(path, line)}{json_path(parts)}: {message}")


def find(validator, doc, enum_what: dict | None = None) -> list[tuple[int, str, str]]:
    """Every violation of the validator's schema by `doc`, as sorted, distinct (line, JSON path,
    message) triples. `enum_what` names the values of a key whose schema has no title (for
    "unknown feature 'x'": {"features": "feature"})."""
    found, typed = set(), set()
    for err in validator.iter_errors(doc):
        for parts, message in _explain(err, validator.schema, enum_what or {}):
            found.add(entry := (line_at(doc, parts), json_path(parts), message))
            if err.validator == "type":
                typed.add(entry)
    # A value of the wrong type: that is all there is to say about it.
    mistyped = {path for _, path, _ in typed}
    return sorted(f for f in found if f[1] not in mistyped or f in typed)


def schema_problems(validator, doc, path, enum_what: dict | None = None) -> list[str]:
    """`find` as "file:line: $.json.path: message" lines."""
    return [f"{_where(path, line)}{jpath}: {message}" for line, jpath, message in find(validator, doc, enum_what)]


def _where(path, line: int) -> str:
    return f"{path}:{line}: " if line else f"{path}: "


def _title(schema, root) -> str:
    return schema.get("title", "") if isinstance(schema, dict) and schema is not root else ""


def _allowed_values(errors) -> list | None:
    """The values of a failed `anyOf`/`oneOf` whose every branch is an enum or a const for the same
    value (a list of names with a description each, or several lists joined): None otherwise."""
    allowed: list = []
    for e in errors:
        if e.relative_path or e.validator not in ("enum", "const"):
            return None
        allowed += list(e.validator_value) if e.validator == "enum" else [e.validator_value]
    return list(dict.fromkeys(allowed))


def _required_only(branches) -> list | None:
    """The keys of `anyOf`/`oneOf` branches that each only require keys, else None."""
    if not isinstance(branches, list) or not all(isinstance(b, dict) and set(b) == {"required"} for b in branches):
        return None
    return [k for b in branches for k in b["required"]]


def _explain(err, root, enum_what: dict):
    """(path parts, message) for one validation error."""
    from jsonschema.exceptions import best_match

    parts = list(err.absolute_path)
    kind, inst, schema = err.validator, err.instance, err.schema
    title = _title(schema, root)
    within = f" in {title}" if title else ""
    parent = next((p for p in reversed(parts) if isinstance(p, str)), "")
    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        for key in inst:
            if key not in allowed and not any(re.search(p, str(key)) for p in patterns):
                yield parts + [key], f"unknown key {key!r}{within}{hint(key, allowed, 'allowed keys')}"
    elif kind == "required" and isinstance(inst, dict):
        for key in (k for k in err.validator_value if k not in inst):
            yield parts, f"missing required key {key!r}{within}"
    elif kind == "enum":
        what = title or enum_what.get(parent, "value")
        yield parts, f"unknown {what} {inst!r}{hint(inst, err.validator_value)}"
    elif kind == "const":
        yield parts, f"expected {err.validator_value!r}, got {inst!r}"
    elif kind in ("anyOf", "oneOf"):
        keys = _required_only(err.validator_value)
        allowed = _allowed_values(err.context) if err.context else None
        if keys is not None and isinstance(inst, dict):
            exactly = "exactly " if kind == "oneOf" else ""
            yield parts, f"needs {exactly}one of the keys {', '.join(map(repr, keys))}{within}"
        elif allowed is not None:
            what = title or enum_what.get(parent, "value")
            yield parts, f"unknown {what} {inst!r}{hint(inst, allowed)}"
        elif err.context:
            yield from _explain(best_match(err.context), root, enum_what)
        else:
            yield parts, err.message
    elif kind == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        yield parts, f"expected {' or '.join(TYPE_WORDS.get(t, t) for t in wanted)}, got {json_type(inst)}"
    elif kind == "minItems":
        yield parts, f"expected at least {err.validator_value} item(s), got {len(inst)}"
    elif kind == "minProperties":
        yield parts, f"expected at least {err.validator_value} key(s), got {len(inst)}"
    elif kind == "minLength" and err.validator_value == 1:
        yield parts, "expected a non-empty string"
    elif kind == "pattern":
        yield parts, f"{inst!r} does not match the pattern {err.validator_value}"
    else:
        yield parts, err.message
