"""SIGTERM or SIGINT during a run: exit 3, partial reports with interrupted: true, no process and no
work directory left."""
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import GOOD_CASE, write_case

FAKE = Path(__file__).parent / "fakes" / "fake_peer.py"


def _reference_peers(src: Path, fifo: Path) -> None:
    """Fake reference peers in a source tree of their own (OMADM_SOURCE_DIR): both report their pid
    on `fifo`, print READY and answer the command driver's operations. The device declares the
    client-initiated session the case starts, whose end never comes: the case is still running
    when the signal arrives."""
    op = [sys.executable, str(FAKE), "op"]
    ops = {name: op + [name] for name in ("send_commands", "policy_download", "batch", "sessions", "alerts",
                                          "start_session", "set_account", "transcript")}
    (src / "harness" / "adapters").mkdir(parents=True)
    for role, file in (("server", "ref-server.yaml"), ("client", "ref-client.yaml")):
        doc = {"name": f"fake-{role}", "role": role, "driver": "command",
               "start": {"command": [sys.executable, str(FAKE), "serve", str(fifo)], "stop_timeout_s": 2},
               "features": ["client_initiated_session"], "operations": ops}
        (src / "harness" / "adapters" / file).write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML


def _read_pids(fifo_fd: int, want: int, deadline_s: float, run: subprocess.Popen) -> list[int]:
    """The pids the fake peers report, once `want` of them started; fails with the run's stderr
    when the run ends first or the deadline passes."""
    buf, end = b"", time.monotonic() + deadline_s
    while buf.count(b"\n") < want:
        left = end - time.monotonic()
        if left <= 0 or run.poll() is not None:
            run.kill()
            _, err = run.communicate(timeout=30)
            started = len(buf.split())
            pytest.fail(f"{started} of {want} fake peers started (exit {run.returncode}): {err[-3000:]}")
        ready, _, _ = select.select([fifo_fd], [], [], min(left, 0.5))
        if ready:
            buf += os.read(fifo_fd, 4096)
    return [int(x) for x in buf.split()]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_run_with_exit_3_reports_and_no_orphan(tmp_path, sig):
    cases = tmp_path / "cases"
    write_case(cases, GOOD_CASE.replace("initiator: server", "initiator: client\n    timeout_s: 60"))
    fifo = tmp_path / "pids"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    keep_open = os.open(fifo, os.O_WRONLY)  # no EOF between the two writers
    out = tmp_path / "out"
    _reference_peers(tmp_path / "src", fifo)
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "omadm_harness", "run", "--cases", str(cases), "--iut", "client",
           "--requirements", str(root / "testcases" / "requirements.yaml"), "--out", str(out), "--run-id", "r1",
           "--timeout", "120"]
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "PYTHONPATH": str(root / "harness"), "OMADM_SOURCE_DIR": str(tmp_path / "src"),
           "TMPDIR": str(tmp_path / "tmp")}
    run = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        # The probe before the first case starts and stops the pair once (2 pids), then the case (2 more).
        pids = _read_pids(fd, 4, 30, run)
        run.send_signal(sig)
        _, err = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
        os.close(fd)
        os.close(keep_open)
    assert run.returncode == 3, err
    doc = json.loads((out / "r1" / "results.json").read_text())
    assert doc["run"]["interrupted"] is True and doc["summary"]["exit_code"] == 3
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not list((tmp_path / "tmp").glob("omadm-harness-*")), "the run left its work directories"
