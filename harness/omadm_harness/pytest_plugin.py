"""pytest plugin: case files under a `cases` directory become pytest items (one per role), so -k,
-x, -n (xdist) and --junitxml work on them. Example:

    PYTHONPATH=harness /usr/bin/python3 -m pytest -p omadm_harness.pytest_plugin testcases/cases \
        --omadm-build-dir build/dev --omadm-iut client -n 4 --junitxml out.xml
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .adapter import AdapterSpec
from .catalogue import Catalogue
from .caseformat import Case
from .engine import play
from .lint import load_and_lint
from .paths import adapters_dir
from .runner import DEFAULT_CASE_TIMEOUT_S, Item as RunItem, run_one
from .topology import ProcessTopology, load_build_info
from .verdicts import Verdict


def pytest_addoption(parser):
    group = parser.getgroup("omadm", "MgmtPolicyMO conformance cases")
    group.addoption("--omadm-build-dir", default=None, help="build directory holding harness.json")
    group.addoption("--omadm-iut", default="both", choices=("client", "server", "both"))
    group.addoption("--omadm-adapter", action="append", default=[], help="IUT adapter file")
    group.addoption("--omadm-case-timeout", type=float, default=DEFAULT_CASE_TIMEOUT_S)


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".yaml" and "cases" in file_path.parts and "testcases" in file_path.parts:
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self):
        catalogue = _catalogue(self.config)
        cases, issues = load_and_lint([Path(self.path)], catalogue)
        if issues:
            raise pytest.UsageError("\n".join(str(i) for i in issues))
        iut = self.config.getoption("--omadm-iut")
        for case in cases:
            for role in case.roles():
                if iut in ("both", role):
                    yield CaseItem.from_parent(self, name=f"{case.id}@{role}", case=case, role=role)


class CaseVerdict(Exception):
    def __init__(self, verdict: Verdict, summary: str):
        super().__init__(summary)
        self.verdict, self.summary = verdict, summary


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, role: str, **kwargs):
        super().__init__(**kwargs)
        self.case, self.role = case, role
        for label in case.all_labels():
            self.user_properties.append(("requirement", label))

    def runtest(self):
        result = run_one(RunItem(self.case, self.role), _topology(self.config), _catalogue(self.config),
                         self.config.getoption("--omadm-case-timeout"))
        v = result.verdict
        self.user_properties.append(("verdict", v.name))
        if v in (Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED):
            pytest.skip(result.summary())
        if v >= Verdict.INCONCLUSIVE:
            raise CaseVerdict(v, result.summary())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseVerdict):
            return excinfo.value.summary
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.case.line - 1, self.name


_STATE = {}


def _catalogue(config) -> Catalogue:
    if "catalogue" not in _STATE:
        _STATE["catalogue"] = Catalogue.load()
    return _STATE["catalogue"]


def _topology(config) -> ProcessTopology:
    if "topology" not in _STATE:
        specs = {
            "server": AdapterSpec.load(adapters_dir() / "ref-server.yaml"),
            "client": AdapterSpec.load(adapters_dir() / "ref-client.yaml"),
        }
        for path in config.getoption("--omadm-adapter"):
            spec = AdapterSpec.load(path)
            specs[spec.role] = spec
        _STATE["topology"] = ProcessTopology(specs, load_build_info(config.getoption("--omadm-build-dir")))
    return _STATE["topology"]


__all__ = ["play", "CaseItem", "CaseFile"]
