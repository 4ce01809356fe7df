import signal
import sys

import pytest

from omadm_harness.process import ManagedProcess, StartError

# A well-behaved process: it installs its handler, then unblocks SIGTERM/SIGINT (the harness starts
# it with both blocked).
READY_SCRIPT = """
import signal, sys
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
print('starting up', flush=True)
print('READY {"pid": 1, "port": 40001, "control_port": 40002, "token": "t"}', flush=True)
sys.stdin.read() if False else signal.pause()
"""

SILENT_SCRIPT = "import signal; signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM}); signal.pause()"
EXIT_SCRIPT = "import sys; print('oops', file=sys.stderr); sys.exit(2)"


def test_ready_line_is_parsed_and_sigterm_stops(tmp_path):
    p = ManagedProcess([sys.executable, "-c", READY_SCRIPT], tmp_path, "fake")
    p.start()
    assert p.wait_ready(10)["control_port"] == 40002
    assert p.stop(5) == 0


# Reports its blocked mask, then waits until a SIGTERM is pending before installing its handler: the
# signal arrives while no handler is in place.
LATE_HANDLER_SCRIPT = """
import signal, sys
blocked = signal.pthread_sigmask(signal.SIG_BLOCK, set())
print('MASK ' + ','.join(sorted(s.name for s in blocked)), flush=True)
pending = None
while not pending:
    pending = signal.sigpending()
signal.signal(signal.SIGTERM, lambda *a: sys.exit(7))
print('READY {"pending": "' + ','.join(sorted(s.name for s in pending)) + '"}', flush=True)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.pause()
"""


def test_termination_signals_start_blocked_and_early_sigterm_is_held(tmp_path):
    p = ManagedProcess([sys.executable, "-c", LATE_HANDLER_SCRIPT], tmp_path, "late")
    p.start()
    first = p._lines.get(timeout=10)
    assert first.startswith("MASK ")
    assert {"SIGINT", "SIGTERM"} <= set(first[len("MASK "):].split(","))
    p.proc.send_signal(signal.SIGTERM)  # no handler yet: held, not fatal
    ready = p.wait_ready(10)
    assert ready["pending"] == "SIGTERM"
    assert p.proc.wait(10) == 7  # delivered to the handler once unblocked


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
