"""The two roles a case is played between. An adapter provides one of them for the IUT; the
reference binaries provide the other. Methods an implementation cannot offer raise
`Unsupported`, which turns the case (or check) INCONCLUSIVE, never FAIL."""
from __future__ import annotations

from abc import ABC, abstractmethod


class Unsupported(Exception):
    """The role's adapter cannot perform this operation."""


class Role(ABC):
    name = "role"
    features: frozenset = frozenset()

    @abstractmethod
    def events(self, after: int, wait_ms: int, kind: str | None = None) -> tuple[list[dict], int]:
        """Long-poll the role's event stream (docs/events.md)."""

    def stop(self) -> None:
        """Release whatever the role started."""

    def set_faults(self, faults: dict) -> None:
        """Switch on deliberately faulty modes (the reference peers only: testcases/faults/)."""
        raise Unsupported(f"{self.name} has no faulty modes")


class ServerRole(Role):
    """The DM server side: queues commands and policy flows, sees alerts, sessions and transcripts."""

    @abstractmethod
    def dm_url(self) -> str: ...

    @abstractmethod
    def set_account(self, device_id: str, account: dict) -> None: ...

    @abstractmethod
    def send_commands(self, device_id: str, commands: list[dict]) -> str: ...

    @abstractmethod
    def policy(self, device_id: str, op: str, policy: dict | None, pid: str | None,
               correlator: str | None) -> str: ...

    @abstractmethod
    def batch(self, device_id: str, batch_id: str) -> dict: ...

    def cancel_batch(self, device_id: str, batch_id: str) -> None:
        """Drop a queued batch, so that no session sends it (the harness's own DM exchanges after a
        case's hostile steps, harness/omadm_harness/engine.py)."""
        raise Unsupported(f"{self.name} cannot cancel a queued batch")

    @abstractmethod
    def notify(self, device_id: str, udp: str | None) -> str | None: ...

    @abstractmethod
    def alerts(self, device_id: str) -> list[dict]: ...

    @abstractmethod
    def sessions(self, device_id: str) -> list[dict]: ...

    @abstractmethod
    def transcript(self, session_id: str) -> list[dict]: ...


class DeviceRole(Role):
    """The device side (DM client): sessions, simulated properties, clock, its tree and policies."""

    device_id = "dev-1"

    @abstractmethod
    def pkg0_address(self) -> str | None: ...

    @abstractmethod
    def start_session(self, reason: str, server_id: str | None = None) -> str | None:
        """The device starts a session with its DM server (`server_id`: the server of another of
        its accounts)."""

    @abstractmethod
    def set_properties(self, props: dict) -> None: ...

    @abstractmethod
    def clock(self, advance_ms: int | None = None, set_to: str | None = None) -> None: ...

    @abstractmethod
    def read_tree(self, uri: str) -> dict: ...

    @abstractmethod
    def apply_local(self, commands: list[dict], server_id: str) -> list[dict]: ...

    @abstractmethod
    def policies(self) -> list[dict]: ...

