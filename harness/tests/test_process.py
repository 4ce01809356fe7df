import sys

import pytest

from omadm_harness.process import ManagedProcess, StartError

READY_SCRIPT = """
import signal, sys
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print('starting up', flush=True)
print('READY {"pid": 1, "port": 40001, "control_port": 40002, "token": "t"}', flush=True)
sys.stdin.read() if False else signal.pause()
"""

SILENT_SCRIPT = "import signal; signal.pause()"
EXIT_SCRIPT = "import sys; print('oops', file=sys.stderr); sys.exit(2)"


def test_ready_line_is_parsed_and_sigterm_stops(tmp_path):
    p = ManagedProcess([sys.executable, "-c", READY_SCRIPT], tmp_path, "fake")
    p.start()
    assert p.wait_ready(10)["control_port"] == 40002
    assert p.stop(5) == 0


def test_no_ready_within_deadline(tmp_path):
    p = ManagedProcess([sys.executable, "-c", SILENT_SCRIPT], tmp_path, "silent")
    p.start()
    with pytest.raises(StartError, match="no READY"):
        p.wait_ready(0.3)
    p.stop(5)


def test_exit_before_ready(tmp_path):
    p = ManagedProcess([sys.executable, "-c", EXIT_SCRIPT], tmp_path, "quitter")
    p.start()
    with pytest.raises(StartError, match="exited"):
        p.wait_ready(10)
    assert "oops" in p.stderr_tail()


def test_missing_binary(tmp_path):
    with pytest.raises(StartError):
        ManagedProcess(["/nonexistent/bin"], tmp_path, "none").start()
