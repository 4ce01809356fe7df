"""Small builders shared by the harness tests."""
from __future__ import annotations

import textwrap
from pathlib import Path

from omadm_harness.catalogue import Catalogue
from omadm_harness.lint import load_and_lint

CATALOGUE = Catalogue.load()

GOOD_CASE = """\
id: MgmtPolicyMO-HLF-1-download-minimal
title: Download of a minimal policy is accepted
requirements: [MgmtPolicyMO-HLF-1]
role_under_test: client
steps:
  - id: dl
    kind: policy
    op: download
    policy: {id: p1}
  - kind: session
    initiator: server
checks:
  - id: dl-accepted
    kind: status
    labels: [MgmtPolicyMO-HLF-1]
    step: dl
    code: [200]
  - id: dl-in-tree
    kind: tree
    labels: [MgmtPolicyMO-HLF-1]
    uri: mo:p1
    exists: true
"""


def write_case(root: Path, text: str, name: str | None = None, area: str = "area") -> Path:
    text = textwrap.dedent(text)
    if name is None:
        name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
    d = root / area
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(paths):
    return load_and_lint(list(paths), CATALOGUE)
