"""Builds the pair of roles for one case: the IUT (from its adapter) and the reference peer."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .adapter import Account, AdapterSpec, launch, reference_programs
from .buildinfo import BuildInfoError, read_build_info
from .engine import Pair
from .paths import adapters_dir


class ConfigError(Exception):
    """Bad configuration: the harness cannot do its job (exit 2)."""


def load_build_info(build_dir: Path | str | None) -> dict:
    """The harness.json of `build_dir` ({} without one); ConfigError when it cannot be read."""
    if build_dir is None:
        return {}
    try:
        return read_build_info(build_dir)
    except BuildInfoError as e:
        raise ConfigError(str(e)) from e


class ProcessTopology:
    """Fresh processes per case (isolation makes parallel runs safe; ports are always 0)."""

    def __init__(self, iut: dict[str, AdapterSpec], build_info: dict, workroot: Path | None = None,
                 reference: dict[str, AdapterSpec] | None = None):
        self.iut = iut  # role under test -> adapter of the IUT playing it
        self.build_info = build_info
        self.reference = reference or {
            "server": AdapterSpec.load(adapters_dir() / "ref-server.yaml"),
            "client": AdapterSpec.load(adapters_dir() / "ref-client.yaml"),
        }
        self.workroot = Path(workroot or tempfile.mkdtemp(prefix="omadm-harness-"))

    def check_commands(self, roles: list[str]) -> None:
        """Every program the cases of `roles` would start exists: a missing one is a configuration
        error before the first case, not an ERROR in each of them."""
        specs = {id(s): s for r in roles for s in (self.iut[r], self.reference["server" if r == "client" else "client"])}
        binaries = reference_programs(self.build_info)
        for spec in specs.values():
            program = str(spec.command[0]).replace("{server}", binaries["server"]).replace("{client}", binaries["client"])
            if "{" in program:
                continue  # under a per-case placeholder ({workdir}, ...): known only at launch
            found = shutil.which(program) if "/" not in program else (program if os.access(program, os.X_OK) else None)
            if not found:
                hint = " (build the binaries, or pass --build-dir)" if spec.command[0] in ("{server}", "{client}") else ""
                raise ConfigError(f"adapter {spec.name} ({spec.path or 'built in'}): start program {program!r} "
                                  f"not found{hint}")

    def close(self) -> None:
        """Remove the per-case work directories (state, event files, wire traces of the processes)."""
        shutil.rmtree(self.workroot, ignore_errors=True)

    def features(self, role: str) -> frozenset:
        return self.iut[role].features

    @contextlib.contextmanager
    def open(self, case_key: str, role: str, account: dict | None = None):
        """Both processes for one case; `account` (a case's preconditions.account) overrides the
        default DM account on both sides before they start (auth scheme, encoding, credentials)."""
        work = self.workroot / case_key.replace("@", ".")
        account = Account().with_overrides(account)
        server_spec = self.iut["server"] if role == "server" else self.reference["server"]
        client_spec = self.iut["client"] if role == "client" else self.reference["client"]
        started = []
        try:
            server = launch(server_spec, work / "server", self.build_info, account)
            started.append(server)
            server.set_account(account.device_id, account.as_dict())
            device = launch(client_spec, work / "device", self.build_info, account, server_url=server.dm_url())
            started.append(device)
            yield Pair(server=server, device=device, iut_features=self.features(role),
                       device_features=client_spec.features, device_profile=client_spec.profile)
        finally:
            for r in reversed(started):
                r.stop()
