"""Adapter files: how to start an IUT (or a reference peer), configure it and drive it.

See docs/adapters.md. Two drivers exist: `control-api` (the process speaks docs/control-api.md, as
the reference binaries do) and `command` (each operation is a command line whose stdout is JSON).
"""
from __future__ import annotations

import json
import secrets
import string
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .caseformat import KNOWN_FEATURES, PROFILE_OPTIONS
from .control import ControlClient
from .process import ManagedProcess, StartError
from .refdriver import ControlDevice, ControlServer
from .roles import DeviceRole, ServerRole, Unsupported
from .yamlload import load_file, plain

DRIVERS = ("control-api", "command")


class AdapterError(Exception):
    """A malformed adapter file (the harness cannot do its job)."""


class _Vars(dict):
    def __missing__(self, key):
        raise AdapterError(f"unknown placeholder {{{key}}}")


def expand(template, variables: dict):
    """Expand {placeholders} in every string of a nested structure."""
    if isinstance(template, str):
        return string.Formatter().vformat(template, (), _Vars(variables))
    if isinstance(template, list):
        return [expand(x, variables) for x in template]
    if isinstance(template, dict):
        return {k: expand(v, variables) for k, v in template.items()}
    return template


ADAPTER_KEYS = ("name", "role", "driver", "start", "features", "profile", "config", "operations")
START_KEYS = ("command", "ready_timeout_s", "stop_timeout_s", "faults")


@dataclass
class AdapterSpec:
    name: str
    role: str  # client (the IUT is a device) or server
    driver: str
    command: list[str]
    features: frozenset
    config: dict | None = None
    operations: dict = field(default_factory=dict)
    ready_timeout_s: float = 10.0
    stop_timeout_s: float = 3.0
    path: str = ""
    faults: dict = field(default_factory=dict)  # deliberately faulty modes enabled at start (set_faults)
    profile: frozenset = frozenset()  # options of our reference MO's semantics a device follows (PROFILE_OPTIONS)

    @classmethod
    def load(cls, path: Path | str) -> "AdapterSpec":
        try:
            doc = load_file(path)
        except (OSError, Exception) as e:  # noqa: BLE001 - any load problem is a configuration error
            raise AdapterError(f"{path}: cannot read adapter: {e}") from e
        if not isinstance(doc, dict):
            raise AdapterError(f"{path}: an adapter file is a YAML mapping")
        for key in ("name", "role", "driver", "start"):
            if key not in doc:
                raise AdapterError(f"{path}:{doc.line}: adapter needs {key!r}")
        for key in doc:
            if key not in ADAPTER_KEYS:
                raise AdapterError(f"{path}:{doc.line_of(key)}: unknown adapter key {key!r} "
                                   f"(one of {', '.join(ADAPTER_KEYS)})")
        if isinstance(doc["start"], dict):
            for key in doc["start"]:
                if key not in START_KEYS:
                    raise AdapterError(f"{path}:{doc['start'].line_of(key)}: unknown start key {key!r} "
                                       f"(one of {', '.join(START_KEYS)})")
        if doc["role"] not in ("client", "server"):
            raise AdapterError(f"{path}:{doc.line_of('role')}: role must be client or server")
        if doc["driver"] not in DRIVERS:
            raise AdapterError(f"{path}:{doc.line_of('driver')}: driver must be one of {', '.join(DRIVERS)}")
        feats = list(doc.get("features", []) or [])
        unknown = [f for f in feats if f not in KNOWN_FEATURES]
        if unknown:
            raise AdapterError(f"{path}:{doc.line_of('features')}: unknown features {', '.join(unknown)}")
        profile = list(doc.get("profile", []) or [])
        unknown = [o for o in profile if o not in PROFILE_OPTIONS]
        if unknown:
            raise AdapterError(f"{path}:{doc.line_of('profile')}: unknown profile options {', '.join(map(str, unknown))}")
        start = doc["start"]
        if not isinstance(start, dict) or not isinstance(start.get("command"), list):
            raise AdapterError(f"{path}:{doc.line_of('start')}: start.command must be a list (argv)")
        return cls(
            name=str(doc["name"]),
            role=doc["role"],
            driver=doc["driver"],
            command=[str(x) for x in start["command"]],
            features=frozenset(feats),
            config=plain(doc.get("config")),
            operations=plain(doc.get("operations", {}) or {}),
            ready_timeout_s=float(start.get("ready_timeout_s", 10)),
            stop_timeout_s=float(start.get("stop_timeout_s", 3)),
            path=str(path),
            faults=plain(start.get("faults", {}) or {}),
            profile=frozenset(profile),
        )


@dataclass
class Account:
    device_id: str = "IMEI:493005100592800"
    server_id: str = "omadm-ref-server"
    user: str = "dev-1"
    password: str = "dev-1-secret"
    server_password: str = "srv-secret"
    auth: str = "md5"
    encoding: str = "xml"  # DM message encoding the device uses: xml or wbxml

    def with_overrides(self, overrides: dict | None) -> "Account":
        """A copy with a case's `preconditions.account` applied (auth, encoding, credentials)."""
        known = {k: str(v) for k, v in (overrides or {}).items() if k in self.__dataclass_fields__}
        return Account(**{**self.__dict__, **known})

    def as_dict(self) -> dict:
        return {"user": self.user, "password": self.password, "auth": self.auth,
                "server_password": self.server_password}


def reference_programs(build_info: dict) -> dict:
    """The {server} and {client} placeholders: the reference binaries of a build (harness.json)."""
    return {"server": build_info.get("server", "omadm-ref-server"),
            "client": build_info.get("client", "omadm-ref-client")}


def launch(spec: AdapterSpec, workdir: Path, build_info: dict, account: Account, server_url: str = "") -> ServerRole | DeviceRole:
    """Start the adapter's process and return the role it plays."""
    workdir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    variables = {
        **reference_programs(build_info),
        "port": 0,
        "workdir": str(workdir),
        "config": str(workdir / f"{spec.role}-config.json"),
        "token": token,
        "device_id": account.device_id,
        "server_id": account.server_id,
        "server_url": server_url,
        "user": account.user,
        "password": account.password,
        "server_password": account.server_password,
        "auth": account.auth,
        "encoding": account.encoding,
    }
    if spec.config is not None:
        Path(variables["config"]).write_text(json.dumps(expand(spec.config, variables), indent=2), encoding="utf-8")
    argv = expand(spec.command, variables)
    proc = ManagedProcess(argv, workdir, name=f"{spec.name}")
    proc.start()
    try:
        ready = proc.wait_ready(spec.ready_timeout_s)
    except StartError:
        proc.stop(spec.stop_timeout_s)
        raise
    if spec.driver == "control-api":
        if "control_port" not in ready:
            proc.stop(spec.stop_timeout_s)
            raise StartError(f"{spec.name}: READY has no control_port")
        api = ControlClient("127.0.0.1", ready["control_port"], ready.get("token", token))
        if spec.role == "server":
            role = ControlServer(proc, api, ready, spec.features, spec.stop_timeout_s)
        else:
            role = ControlDevice(proc, api, ready, spec.features, spec.stop_timeout_s, device_id=account.device_id)
    else:
        runner = _CommandRunner(spec, variables, workdir)
        if spec.role == "server":
            role = CommandServer(proc, runner, ready, spec.features)
        else:
            role = CommandDevice(proc, runner, ready, spec.features, account.device_id)
    if spec.faults:
        try:
            role.set_faults(spec.faults)
        except Exception:
            proc.stop(spec.stop_timeout_s)
            raise
    return role


class _CommandRunner:
    """Runs `operations.<op>` (an argv template); its stdout is JSON."""

    def __init__(self, spec: AdapterSpec, variables: dict, workdir: Path):
        self.spec, self.variables, self.workdir = spec, variables, workdir
        self.counter = 0

    def run(self, op: str, **values):
        template = self.spec.operations.get(op)
        if template is None:
            raise Unsupported(f"adapter {self.spec.name} has no operation {op!r}")
        self.counter += 1
        variables = dict(self.variables)
        for key, value in values.items():
            if isinstance(value, (dict, list)):
                f = self.workdir / f"op{self.counter}-{key}.json"
                f.write_text(json.dumps(value), encoding="utf-8")
                variables[f"{key}_file"] = str(f)
                value = json.dumps(value)
            variables[key] = "" if value is None else str(value)
        argv = expand(template, variables)
        done = subprocess.run(argv, capture_output=True, timeout=30, check=False, cwd=self.workdir)
        if done.returncode != 0:
            raise RuntimeError(f"{op}: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
        out = done.stdout.decode("utf-8", "replace").strip()
        return json.loads(out) if out else None


class _CommandBacked:
    def __init__(self, proc, runner: _CommandRunner, ready: dict, features):
        self.proc, self.run, self.ready, self.features = proc, runner.run, ready, frozenset(features)

    def events(self, after, wait_ms, kind=None):
        doc = self.run("events", after=after, wait_ms=wait_ms, kind=kind or "") or {}  # Unsupported without it
        return list(doc.get("events", [])), int(doc.get("next", after))

    def stop(self):
        if self.proc is not None:
            self.proc.stop()


class CommandServer(_CommandBacked, ServerRole):
    name = "server"

    def dm_url(self):
        return self.ready.get("dm_url") or f"http://127.0.0.1:{self.ready['port']}/dm"

    def set_account(self, device_id, account):
        self.run("set_account", device_id=device_id, **account)

    def send_commands(self, device_id, commands):
        return self.run("send_commands", device_id=device_id, commands=commands)["batch"]

    def policy(self, device_id, op, policy, pid, correlator):
        return self.run(f"policy_{op}", device_id=device_id, policy=policy or {}, pid=pid, correlator=correlator)["batch"]

    def batch(self, device_id, batch_id):
        return self.run("batch", device_id=device_id, batch=batch_id)

    def notify(self, device_id, udp):
        return (self.run("notify", device_id=device_id, udp=udp) or {}).get("session_id")

    def alerts(self, device_id):
        return self.run("alerts", device_id=device_id) or []

    def sessions(self, device_id):
        return self.run("sessions", device_id=device_id) or []

    def transcript(self, session_id):
        return (self.run("transcript", session=session_id) or {}).get("messages", [])

    def set_faults(self, faults):
        self.run("set_faults", faults=faults)


class CommandDevice(_CommandBacked, DeviceRole):
    name = "device"

    def __init__(self, proc, runner, ready, features, device_id):
        super().__init__(proc, runner, ready, features)
        self.device_id = device_id

    def pkg0_address(self):
        port = self.ready.get("pkg0_udp_port")
        return f"127.0.0.1:{port}" if port else None

    def start_session(self, reason):
        return (self.run("start_session", reason=reason) or {}).get("session_id")

    def set_properties(self, props):
        self.run("set_properties", properties=props)

    def clock(self, advance_ms=None, set_to=None):
        self.run("clock", advance_ms=advance_ms, set=set_to)

    def read_tree(self, uri):
        return self.run("read_tree", uri=uri)

    def apply_local(self, commands, server_id):
        return (self.run("apply_local", commands=commands, server_id=server_id) or {}).get("statuses", [])

    def policies(self):
        return self.run("policies") or []

    def set_faults(self, faults):
        self.run("set_faults", faults=faults)
