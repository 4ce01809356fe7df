"""The one place that locates and reads a build's harness.json (written by CMake, harness/CMakeLists.txt):
the paths of the reference binaries, the build type, the source directory."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .paths import source_root

HARNESS_JSON = "harness.json"


class BuildInfoError(Exception):
    """harness.json is missing, unreadable or not JSON."""


def read_build_info(build_dir: Path | str) -> dict:
    """The harness.json of `build_dir`; BuildInfoError naming the file when it cannot be read."""
    path = Path(build_dir) / HARNESS_JSON
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BuildInfoError(f"{path}: cannot read ({e}); configure and build first") from e
    except json.JSONDecodeError as e:
        raise BuildInfoError(f"{path}: not JSON ({e})") from e
    if not isinstance(info, dict):
        raise BuildInfoError(f"{path}: not a JSON object")
    return info


def _names_built(info: dict, roles: tuple[str, ...]) -> bool:
    return all(info.get(r) and Path(info[r]).is_file() and os.access(info[r], os.X_OK) for r in roles)


def candidate_build_dirs(root: Path | None = None) -> list[Path]:
    """$OMADM_BUILD_DIR alone when set; else every <source>/build/<dir> holding a harness.json, the
    most recently configured first."""
    env = os.environ.get("OMADM_BUILD_DIR")
    if env:
        return [Path(env)]
    docs = sorted(((root or source_root()) / "build").glob(f"*/{HARNESS_JSON}"), key=lambda p: p.stat().st_mtime,
                  reverse=True)
    return [d.parent for d in docs]


def find_build_info(roles: tuple[str, ...] = ("server", "client"), root: Path | None = None) -> dict | None:
    """The harness.json (with its "build_dir" added) of the first candidate build directory whose
    reference binaries for `roles` are built executables; None when there is none."""
    for build in candidate_build_dirs(root):
        try:
            info = read_build_info(build)
        except BuildInfoError:
            continue
        if _names_built(info, roles):
            return {**info, "build_dir": str(build)}
    return None
