"""Where the project's data lives, relative to the source tree (overridable by environment).

The source tree (a checkout holding testcases/ and harness/adapters/) is, first match wins: the one
given by `--source-dir` (set_source_root; refused unless it is a checkout), $OMADM_SOURCE_DIR (taken
as it is: tests point it at a partial tree), the tree this package runs from (PYTHONPATH=harness or
an editable install), the current directory or one of its parents. An installed package (`pip
install ./harness`, command `omadm-harness`) outside a checkout, with none of these, fails with
SourceRootError naming what it looked for.
"""
from __future__ import annotations

import os
from pathlib import Path

# What makes a directory a checkout of the harness: the stock suite, its catalogue, the adapters.
CHECKOUT_MARKERS = ("testcases/requirements.yaml", "testcases/cases", "harness/adapters")

_explicit: Path | None = None


class SourceRootError(FileNotFoundError):
    """No source tree: the package is installed outside a checkout and none was given."""


def set_source_root(root: Path | str | None) -> None:
    """The source tree given on the command line (`--source-dir`); None: look it up as usual."""
    global _explicit
    _explicit = Path(root) if root else None


def missing_markers(root: Path) -> list[str]:
    """The checkout markers `root` lacks (empty: it is a checkout)."""
    return [m for m in CHECKOUT_MARKERS if not (root / m).exists()]


def source_root() -> Path:
    if _explicit is not None:
        if not _explicit.is_dir():
            raise SourceRootError(f"--source-dir {_explicit}: no such directory")
        missing = missing_markers(_explicit)
        if missing:
            raise SourceRootError(f"--source-dir {_explicit}: not a checkout of the harness ({', '.join(missing)} "
                                  f"not found)")
        return _explicit
    env = os.environ.get("OMADM_SOURCE_DIR")
    if env:
        return Path(env)
    own = Path(__file__).resolve().parents[2]
    if not missing_markers(own):
        return own
    cwd = Path.cwd().resolve()
    for d in (cwd, *cwd.parents):
        if not missing_markers(d):
            return d
    raise SourceRootError(
        f"no harness source tree: {', '.join(CHECKOUT_MARKERS)} not found in {own} (where the package is "
        f"installed) nor in {cwd} or its parents; run from a checkout, or give it with --source-dir DIR "
        f"or OMADM_SOURCE_DIR=DIR")


def requirements_file() -> Path:
    return source_root() / "testcases" / "requirements.yaml"


def cases_dir() -> Path:
    return source_root() / "testcases" / "cases"


def adapters_dir() -> Path:
    return source_root() / "harness" / "adapters"


def reports_dir() -> Path:
    return source_root() / "reports" / "out"


def faults_dir() -> Path:
    return source_root() / "testcases" / "faults"
