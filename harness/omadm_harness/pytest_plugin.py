"""pytest plugin: case files become pytest items (one per role), so -k, -x, -n (xdist) and
--junitxml work on them. Example, with your own cases in a folder of yours:

    PYTHONPATH=harness /usr/bin/python3 -m pytest -p omadm_harness.pytest_plugin my-cases/ \
        --omadm-build-dir build/dev --omadm-iut client -n 4 --junitxml out.xml

Which `.yaml`/`.yml` files are case files:

- a file named on the command line itself (`pytest my-case.yaml`);
- under a directory given with `--omadm-cases DIR` (repeatable; DIR is collected even if not named
  as an argument, and alone when no argument is), a file with a top-level `id:` key, so that a case
  missing its `steps` is reported rather than left out;
- elsewhere (any directory pytest walks, testcases/cases included), a file that looks like a case:
  both `id:` and `steps:` as top-level keys.

Adapters (`name`, `role`, `start`), baselines (`expected_failures`), fault catalogues (`role`,
`faults`) and requirements.yaml (`document`, `requirements`) have neither key, so they are never
collected from a folder that also holds cases.

A case file that does not lint is a usage error. Items have the node id `mgmtpolicy/<role>::<case
id>`, so --junitxml writes classname `mgmtpolicy.<role>` and name `<case id>`, as `run`'s junit.xml
does (no `.yaml` in the classname, which Jenkins would split on). `--omadm-source-dir` names the
checkout (reference adapters, requirement catalogue) when the harness is installed outside it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .adapter import AdapterSpec
from .catalogue import Catalogue
from .caseformat import Case
from .engine import play
from .lint import load_and_lint
from .paths import adapters_dir, set_source_root
from .runner import DEFAULT_CASE_TIMEOUT_S, Item as RunItem, run_one
from .topology import ProcessTopology, load_build_info
from .verdicts import Verdict


CASE_SUFFIXES = (".yaml", ".yml")
_TOP_LEVEL_ID = re.compile(r"""^["']?id["']?\s*:""", re.MULTILINE)
_TOP_LEVEL_STEPS = re.compile(r"""^["']?steps["']?\s*:""", re.MULTILINE)


def pytest_addoption(parser):
    group = parser.getgroup("omadm", "MgmtPolicyMO conformance cases")
    group.addoption("--omadm-build-dir", default=None, help="build directory holding harness.json")
    group.addoption("--omadm-iut", default="both", choices=("client", "server", "both"))
    group.addoption("--omadm-adapter", action="append", default=[], help="IUT adapter file")
    group.addoption("--omadm-case-timeout", type=float, default=DEFAULT_CASE_TIMEOUT_S)
    group.addoption("--omadm-cases", action="append", default=[], metavar="DIR",
                    help="directory of case files: each .yaml with a top-level id (repeatable)")
    group.addoption("--omadm-source-dir", default=None, metavar="DIR",
                    help="checkout holding testcases/ and harness/adapters/ (as the CLI's --source-dir)")


def pytest_configure(config):
    if config.getoption("--omadm-source-dir"):
        set_source_root(config.getoption("--omadm-source-dir"))
    dirs = [str(Path(d).resolve()) for d in config.getoption("--omadm-cases")]
    if not dirs:
        return
    if not _paths_named(config):
        config.args[:] = []
    given = [Path(a.split("::")[0]).resolve() for a in config.args]
    config.args.extend(d for d in dirs if not any(g == Path(d) or g in Path(d).parents for g in given))


def _paths_named(config) -> bool:
    """Whether the command line named what to collect (pytest >= 7.2 tells; before, assume so)."""
    source = getattr(config, "args_source", None)
    return source is None or source.name == "ARGS"


def is_case_file(file_path: Path, config) -> bool:
    """The collection rule of the module docstring."""
    if file_path.suffix not in CASE_SUFFIXES:
        return False
    path = file_path.resolve()
    if any(Path(a.split("::")[0]).resolve() == path for a in config.args):
        return True
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if not _TOP_LEVEL_ID.search(text):
        return False
    return (any(Path(d).resolve() in path.parents for d in config.getoption("--omadm-cases"))
            or bool(_TOP_LEVEL_STEPS.search(text)))


def pytest_collect_file(file_path: Path, parent):
    if is_case_file(file_path, parent.config):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config, items):
    seen: dict[str, CaseItem] = {}
    for item in items:
        if isinstance(item, CaseItem):
            other = seen.setdefault(item.nodeid, item)
            if other is not item:
                raise pytest.UsageError(f"case {item.case.id} ({item.role}) is in both {other.path} and {item.path}")


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
                    yield CaseItem.from_parent(self, name=f"{case.id}@{role}", case=case, role=role,
                                               nodeid=case_nodeid(case.id, role))


def case_nodeid(case_id: str, role: str) -> str:
    """`mgmtpolicy/<role>::<case id>`: JUnit classname `mgmtpolicy.<role>`, name the case id."""
    return f"mgmtpolicy/{role}::{case_id}"


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
