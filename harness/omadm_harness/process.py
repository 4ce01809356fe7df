"""Process wrapper for the reference binaries and IUTs that follow the same command-line contract:
start, read the READY line with a deadline, stop with SIGTERM then SIGKILL after a deadline.

The process starts with SIGTERM and SIGINT blocked (docs/adapters.md): a SIGTERM sent before its
main() has installed a handler is held pending instead of killing it half-initialised, and is
delivered as soon as the process unblocks the two signals with its handler in place."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
from pathlib import Path


TERMINATION_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def _block_termination_signals() -> None:
    """Runs in the child between fork and exec: the blocked mask survives exec."""
    signal.pthread_sigmask(signal.SIG_BLOCK, TERMINATION_SIGNALS)


class StartError(Exception):
    """The process did not start or did not print READY in time (the harness cannot do its job)."""


_live: set["ManagedProcess"] = set()
_live_lock = threading.Lock()
_stopping = threading.Event()


def stopping() -> bool:
    """True once the run is being interrupted: waits end at once, no process starts."""
    return _stopping.is_set()


def stop_all(timeout_s: float = 3.0) -> int:
    """Stop every process the harness started and still runs, and refuse to start new ones (a run
    interrupted by SIGTERM or SIGINT leaves no orphan). Returns how many were stopped."""
    _stopping.set()
    with _live_lock:
        running = list(_live)
    for p in running:
        p.stop(timeout_s)
    return len(running)


class ManagedProcess:
    def __init__(self, argv: list[str], workdir: Path, name: str, env: dict | None = None):
        self.argv = [str(a) for a in argv]
        self.workdir = Path(workdir)
        self.name = name
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.ready: dict = {}
        self._lines: queue.Queue = queue.Queue()
        self._stderr_path = self.workdir / f"{name}.stderr.log"

    def start(self) -> None:
        if _stopping.is_set():
            raise StartError(f"{self.name}: the run is being interrupted")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(self.env or {})
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=subprocess.PIPE,
                stderr=open(self._stderr_path, "wb"),
                stdin=subprocess.DEVNULL,
                cwd=self.workdir,
                env=env,
                start_new_session=True,
                preexec_fn=_block_termination_signals,
            )
        except OSError as e:
            raise StartError(f"{self.name}: cannot start {self.argv[0]}: {e}") from e
        with _live_lock:
            _live.add(self)
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            self._lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self._lines.put(None)

    def wait_ready(self, timeout_s: float) -> dict:
        """Block until the READY line (or EOF, or the deadline) and return its JSON object."""
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StartError(f"{self.name}: no READY line within {timeout_s:g} s; stderr in {self._stderr_path}")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.proc.wait() if self.proc else None
                raise StartError(f"{self.name}: exited (code {code}) before READY; stderr in {self._stderr_path}")
            if line.startswith("READY "):
                try:
                    self.ready = json.loads(line[len("READY "):])
                except json.JSONDecodeError as e:
                    raise StartError(f"{self.name}: malformed READY line {line!r}") from e
                return self.ready

    def stop(self, timeout_s: float = 3.0) -> int | None:
        try:
            if self.proc is None or self.proc.poll() is not None:
                return self.proc.returncode if self.proc else None
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                return self.proc.wait(timeout=timeout_s)
        finally:
            with _live_lock:
                _live.discard(self)

    def stderr_tail(self, limit: int = 4000) -> str:
        try:
            return self._stderr_path.read_text(encoding="utf-8", errors="replace")[-limit:]
        except OSError:
            return ""
