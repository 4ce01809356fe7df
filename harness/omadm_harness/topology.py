"""Builds the pair of roles for one case: the IUT (from its adapter) and the reference peer."""
from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import ssl
import tempfile
import urllib.parse
from pathlib import Path

from .adapter import Account, AdapterSpec, SecondServer, launch, reference_programs
from .buildinfo import BuildInfoError, read_build_info
from .capabilities import MoLocation, locate_mo
from .caseformat import MO_FEATURE
from .control import ControlError
from .engine import Pair
from .moprofile import MoProfile, reference_profile
from .paths import adapters_dir
from .process import StartError

# How long the probe before the first case waits for the IUT's control API or DM URL to answer.
PROBE_ANSWER_TIMEOUT_S = 3.0
_STDERR_IN = re.compile(r"; stderr in \S+")


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
                 reference: dict[str, AdapterSpec] | None = None, mo_profile: MoProfile | None = None):
        self.iut = iut  # role under test -> adapter of the IUT playing it
        self.build_info = build_info
        self.mo_profile = _device_profile(iut.get("client"), mo_profile)  # {mo_profile}; None: the reference MO
        self.mo_missing: str | None = None  # why the device under test has no MgmtPolicy MO (probe)
        self.mo_location: str | None = None  # where the probe found the device's MgmtPolicy MO
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

    def probe(self, roles: list[str]) -> None:
        """Before the first case: check_commands, then start each IUT of `roles` once with its peer,
        as a case would, and check that it can be reached: its control API answers (control-api
        driver) and, for a server under test, its DM URL answers HTTP. Any answer counts, whatever
        its status; a process that exits, never prints READY, or a port that does not answer within
        PROBE_ANSWER_TIMEOUT_S is a ConfigError (exit 2) instead of an ERROR in every case."""
        self.check_commands(roles)
        for role in sorted(set(roles)):
            spec = self.iut[role]
            work = self.workroot / f"probe-{role}"
            try:
                with self.open(f"probe-{role}", role) as pair:
                    problem = _unreachable(pair.server if role == "server" else pair.device, role)
                    if not problem and role == "client" and MO_FEATURE in spec.features:
                        self._place_mo(locate_mo(pair))
            except StartError as e:  # its stderr log goes with the work directory: its tail is shown instead
                problem = f"did not start: {_STDERR_IN.sub('', str(e))}"
            except Exception as e:  # noqa: BLE001 - what would make every case ERROR (set_account, set_faults)
                problem = f"did not start: {type(e).__name__}: {e}"
            finally:
                logs = _stderr_tails(work)
                shutil.rmtree(work, ignore_errors=True)
            if problem:
                raise ConfigError(f"adapter {spec.name} ({spec.path or 'built in'}): the {role} under test "
                                  f"cannot be started or reached, checked before the first case: {problem}"
                                  + "".join(f"\n  stderr of {name} (last lines):\n    " + "\n    ".join(tail)
                                            for name, tail in logs))

    def _place_mo(self, found: MoLocation | None) -> None:
        """The run follows the MO where the probe found it: a root other than the profile's gives
        the run a moved copy of the profile (cases and reference peers alike); none, NOT_IMPLEMENTED
        policy cases. Nothing found out leaves the profile as declared."""
        if found is None:
            return
        if found.root is None:
            self.mo_missing = found.detail
            return
        self.mo_location = found.detail
        profile = self.mo_profile or reference_profile()
        if found.root != profile.root:
            self.mo_profile = profile.moved(found.root, self.workroot)

    def close(self) -> None:
        """Remove the per-case work directories (state, event files, wire traces of the processes)."""
        shutil.rmtree(self.workroot, ignore_errors=True)

    def features(self, role: str) -> frozenset:
        return self.iut[role].features

    @contextlib.contextmanager
    def open(self, case_key: str, role: str, account: dict | None = None, second_server: bool = False):
        """Both processes for one case; `account` (a case's preconditions.account) overrides the
        default DM account on both sides before they start (auth scheme, encoding, credentials).
        `second_server`: a second reference server runs too, and the device has an account there
        (with a device under test only)."""
        work = self.workroot / case_key.replace("@", ".")
        server_spec = self.iut["server"] if role == "server" else self.reference["server"]
        client_spec = self.iut["client"] if role == "client" else self.reference["client"]
        account = Account().with_overrides(client_spec.account).with_overrides(account)
        started = []
        try:
            profile = self.mo_profile.path if self.mo_profile else None
            server = launch(server_spec, work / "server", self.build_info, account, mo_profile=profile)
            started.append(server)
            server.set_account(account.device_id, {**account.as_dict(), **account.nonces()})
            second = other = None
            if second_server:
                at_second = account.second()
                other = launch(self.reference["server"], work / "server-2", self.build_info, at_second,
                               mo_profile=profile)
                started.append(other)
                other.set_account(account.device_id, at_second.as_dict())
                second = SecondServer(at_second, other.dm_url())
            device = launch(client_spec, work / "device", self.build_info, account, server_url=server.dm_url(),
                            mo_profile=profile, second=second)
            started.append(device)

            def restart_device():
                """The device stopped and started again on its work directory (its state)."""
                started.pop().stop()
                again = launch(client_spec, work / "device", self.build_info, account, server_url=server.dm_url(),
                               mo_profile=profile, second=second)
                started.append(again)
                return again

            yield Pair(server=server, device=device, second_server=other,
                       second_server_id=second.account.server_id if second else None, iut_features=self.features(role),
                       device_features=client_spec.features, device_profile=client_spec.profile,
                       scratch=client_spec.scratch, account=account.as_dict(), restart_device=restart_device,
                       mo_profile=self.mo_profile, mo_missing=self.mo_missing if role == "client" else None)
        finally:
            for r in reversed(started):
                r.stop()


def _device_profile(device: AdapterSpec | None, given: MoProfile | None) -> MoProfile | None:
    """The MO profile of the run: the device adapter's `mo_profile`, which a --mo-profile must not
    contradict, else --mo-profile."""
    if device is None or device.mo_profile is None:
        return given
    declared = MoProfile.load(device.mo_profile)
    if given is not None and given.path != declared.path:
        raise ConfigError(f"adapter {device.name} ({device.path}): its device has MO profile {device.mo_profile}; "
                          f"--mo-profile {given.path} contradicts it")
    return declared


def _answers(host: str, port: int, path: str, tls: bool) -> str | None:
    """None when an HTTP GET of `path` gets any answer in time, else why not."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # reachability only
        conn = http.client.HTTPSConnection(host, port, timeout=PROBE_ANSWER_TIMEOUT_S, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=PROBE_ANSWER_TIMEOUT_S)
    try:
        conn.request("GET", path)
        conn.getresponse().read()
        return None
    except (OSError, http.client.HTTPException) as e:
        return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    finally:
        conn.close()


def _unreachable(iut, role: str) -> str | None:
    """Why the started IUT cannot be reached, or None."""
    api = getattr(iut, "api", None)  # the control-api driver's client
    if api is not None:
        try:
            api.call("GET", "/v1/health", timeout_s=PROBE_ANSWER_TIMEOUT_S)
        except (ControlError, ValueError):
            pass  # an answer, whatever its status or body
        except (OSError, http.client.HTTPException) as e:
            why = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            return f"its control API at {api.host}:{api.port} (GET /v1/health) does not answer: {why}"
    if role == "server":
        url = iut.dm_url()
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"its DM URL {url!r} is not an http(s) URL"
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as e:
            return f"its DM URL {url!r}: {e}"
        why = _answers(parts.hostname, port, parts.path or "/", parts.scheme == "https")
        if why:
            return f"its DM URL {url} does not answer HTTP: {why}"
    return None


def _stderr_tails(work: Path, lines: int = 5) -> list[tuple[str, list[str]]]:
    """The last lines of what the probe's processes wrote on stderr (their work directory goes)."""
    out = []
    for log in sorted(work.rglob("*.stderr.log")) if work.is_dir() else []:
        try:
            text = [x for x in log.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
        except OSError:
            continue
        if text:
            out.append((log.name.removesuffix(".stderr.log"), [x[:300] for x in text[-lines:]]))
    return out
