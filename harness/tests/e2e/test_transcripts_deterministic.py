"""Two runs of the whole suite against the same peers give byte-identical transcripts: ports,
session ids, nonces, credentials and times are masked, and no case's transcript depends on how far
an alert session got (engine._settle). Its own CTest (transcripts_deterministic): two full runs."""
from __future__ import annotations

import pytest

from suite_support import run_suite, suite_build_dir


def _transcripts(run_dir):
    folder = run_dir / "transcripts"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.timeout(360)
def test_two_runs_give_identical_transcripts(tmp_path):
    build = suite_build_dir()
    runs = []
    for n in (1, 2):
        code, out = run_suite(tmp_path / f"run{n}", build, "r")
        assert code == 0, out["stderr"][-2000:]
        runs.append(_transcripts(tmp_path / f"run{n}" / "r"))
    first, second = runs
    assert len(first) >= 100, f"only {len(first)} transcripts: the suite did not run"
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"transcripts differ between two identical runs: {differing}"
    for name, text in first.items():
        assert b"127.0.0.1:" not in text.replace(b"127.0.0.1:{Port}", b""), f"{name}: an unmasked port"
