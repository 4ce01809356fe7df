"""Running the case suite end to end from a test: the build with both reference binaries
(omadm_harness.buildinfo), and `python -m omadm_harness run` against it in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from omadm_harness.buildinfo import candidate_build_dirs, find_build_info

ROOT = Path(__file__).resolve().parents[3]


def suite_build_dir() -> Path:
    """The build directory whose harness.json names both built binaries; the test is skipped without
    one, unless OMADM_E2E_REQUIRED is set (CTest's harness_e2e), where it fails."""
    info = find_build_info(("server", "client"))
    if info is not None:
        return Path(info["build_dir"])
    if os.environ.get("OMADM_E2E_REQUIRED"):
        pytest.fail(f"no built reference binaries in {[str(d) for d in candidate_build_dirs()]} (harness.json)")
    pytest.skip("reference binaries not built (no build/*/harness.json with both binaries)")


def run_suite(out: Path, build: Path, run_id: str, *args: str) -> tuple[int, dict]:
    """Plays the cases `args` select (`--id`, `--adapter`, `--baseline`, ...) with reports in
    out/run_id: the exit code, and results.json ("doc") with the run's stdout and stderr."""
    argv = [sys.executable, "-m", "omadm_harness", "run", "--build-dir", str(build), "--out", str(out),
            "--run-id", run_id, "-j", "2", "-q", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "harness")}
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    results = out / run_id / "results.json"
    doc = json.loads(results.read_text(encoding="utf-8")) if results.is_file() else {}
    return proc.returncode, {"doc": doc, "stderr": proc.stderr, "stdout": proc.stdout}
