"""Where the project's data lives, relative to the source tree (overridable by environment)."""
from __future__ import annotations

import os
from pathlib import Path


def source_root() -> Path:
    env = os.environ.get("OMADM_SOURCE_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


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
