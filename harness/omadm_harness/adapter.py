"""Adapter files: how to start an IUT (or a reference peer), configure it and drive it.

See docs/adapters.md. Two drivers exist: `control-api` (the process speaks docs/control-api.md, as
the reference binaries do) and `command` (each operation is a command line whose stdout is JSON).
"""
from __future__ import annotations

import functools
import json
import re
import secrets
import string
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .control import ControlClient
from .moprofile import default_profile_path
from .process import ManagedProcess, StartError
from .refdriver import ControlDevice, ControlServer
from .roles import DeviceRole, ServerRole, Unsupported
from .schema_check import hint as _hint, line_at as _line, problem as _problem
from .schema_check import schema_problems as _schema_problems
from .yamlload import DuplicateKeyError, line_of, load_file, plain

DRIVERS = ("control-api", "command")


class AdapterError(Exception):
    """A malformed adapter file (the harness cannot do its job); `problems` holds one message per
    problem found ("file:line: $.json.path: what is wrong")."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [message])


class _Vars(dict):
    def __missing__(self, key):
        raise AdapterError(f"unknown placeholder {{{key}}}")


def expand(template, variables: dict):
    """Expand {placeholders} in every string of a nested structure. A string that is one placeholder
    and nothing else whose value is a list or a mapping (`{other_accounts}`) becomes that value."""
    if isinstance(template, str):
        name = template[1:-1] if template.startswith("{") and template.endswith("}") else None
        if name and isinstance(variables.get(name), (list, dict)):
            return variables[name]
        return string.Formatter().vformat(template, (), _Vars(variables))
    if isinstance(template, list):
        return [expand(x, variables) for x in template]
    if isinstance(template, dict):
        return {k: expand(v, variables) for k, v in template.items()}
    return template


SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "adapter.schema.json"


@functools.lru_cache(maxsize=1)
def adapter_schema() -> dict:
    """The JSON Schema of an adapter file (schemas/adapter.schema.json): the one list of the keys an
    adapter may have and of the values they take."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _validator():
    try:
        from jsonschema import Draft202012Validator
    except ImportError as e:  # pragma: no cover - scripts/setup-deps.sh installs it
        raise AdapterError("validating adapter files needs python3-jsonschema (bash scripts/setup-deps.sh)") from e
    return Draft202012Validator(adapter_schema())


_ENUM_WHAT = {"role": "role", "driver": "driver", "features": "feature", "profile": "profile option"}


def schema_problems(doc, path) -> list[str]:
    """One message per violation of the adapter schema: file, line, JSON path and what is wrong (for
    an unknown key, the nearest allowed one). The formatting is schema_check.py's, shared with the
    case linter."""
    return _schema_problems(_validator(), doc, path, _ENUM_WHAT)


def _placeholder_problems(doc, path) -> list[str]:
    """Placeholders in `start.command` and `config` that launch() does not know (a JSON Schema cannot
    say which names a string may hold between braces). Operations have placeholders of their own."""
    known = sorted(start_variables(AdapterSpec("x", "client", "command", ["x"], frozenset()), Path("."), {}, Account()))
    found = []

    def walk(value, parts, line):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, parts + [k], line_of(value, k, line) or line)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, parts + [i], line_of(value, i, line) or line)
        elif isinstance(value, str):
            try:
                names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
            except ValueError as e:
                found.append(_problem(path, line, parts, f"malformed placeholder in {value!r}: {e} "
                                                         "(write {{ and }} for a literal brace)"))
                return
            for name in names:
                base = re.split(r"[.\[]", name, maxsplit=1)[0]
                if base not in known:
                    found.append(_problem(path, line, parts, f"unknown placeholder {{{name}}}"
                                                             f"{_hint(base, known, 'known placeholders')}"))

    walk(doc["start"]["command"], ["start", "command"], _line(doc, ["start", "command"]))
    if doc.get("config") is not None:
        walk(doc["config"], ["config"], _line(doc, ["config"]))
    return [msg for _, _, msg in sorted(set(found))]


def check_document(doc, path) -> list[str]:
    """Every problem of a loaded adapter document: the schema's first, then the semantic checks."""
    return schema_problems(doc, path) or _placeholder_problems(doc, path)


def read_document(path: Path | str):
    """The YAML document of an adapter file, with line numbers (AdapterError when unreadable)."""
    try:
        return load_file(path)
    except DuplicateKeyError as e:
        raise AdapterError(f"{path}:{e.line}: duplicate key {e.key!r}") from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise AdapterError(f"{path}:{line}: not valid YAML: {e.problem or e}") from e
    except (OSError, Exception) as e:  # noqa: BLE001 - any load problem is a configuration error
        raise AdapterError(f"{path}: cannot read adapter: {e}") from e


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
    scratch: str | None = None  # device only: a subtree our server may create nodes under, over DM
    account: dict = field(default_factory=dict)  # device only: the DM account it is provisioned with
    mo_profile: Path | None = None  # device only: its MgmtPolicy MO layout (docs/mo-profiles.md)

    @classmethod
    def load(cls, path: Path | str) -> "AdapterSpec":
        """Read and validate an adapter file: AdapterError lists every problem, one per line."""
        doc = read_document(path)
        problems = check_document(doc, path)
        if problems:
            raise AdapterError("\n".join(problems), problems)
        start = doc["start"]
        return cls(
            name=str(doc["name"]),
            role=doc["role"],
            driver=doc["driver"],
            command=[str(x) for x in start["command"]],
            features=frozenset(doc.get("features") or []),
            config=plain(doc.get("config")),
            operations={op: [str(x) for x in argv] for op, argv in (doc.get("operations") or {}).items()},
            ready_timeout_s=float(start.get("ready_timeout_s", 10)),
            stop_timeout_s=float(start.get("stop_timeout_s", 3)),
            path=str(path),
            faults=plain(start.get("faults") or {}),
            profile=frozenset(doc.get("profile") or []),
            scratch=doc.get("scratch"),
            account=plain(doc.get("account") or {}),
            mo_profile=(Path(path).resolve().parent / doc["mo_profile"]) if doc.get("mo_profile") else None,
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
    client_nonce: str = ""  # base64: the nonce of the device's first md5/HMAC credentials (CLCRED AAuthData)
    server_nonce: str = ""  # base64: the nonce the device expects in our server's first ones (SRVCRED AAuthData)

    def with_overrides(self, overrides: dict | None) -> "Account":
        """A copy with a case's `preconditions.account` applied (auth, encoding, credentials)."""
        known = {k: str(v) for k, v in (overrides or {}).items() if k in self.__dataclass_fields__}
        return Account(**{**self.__dict__, **known})

    def as_dict(self) -> dict:
        """The body of set_account without nonces: the server keeps those its sessions reached."""
        return {"user": self.user, "password": self.password, "auth": self.auth,
                "server_password": self.server_password}

    def nonces(self) -> dict:
        """The nonces the device starts with, for the first set_account (those given only)."""
        return {k: v for k, v in (("client_nonce", self.client_nonce), ("server_nonce", self.server_nonce)) if v}

    def second(self) -> "Account":
        """The account of the device at a second DM server (a case with `server: second` steps): the
        same device, scheme and encoding, its own server id and credentials."""
        return Account(**{**self.__dict__, "server_id": self.server_id + "-2", "user": self.user + "-2",
                          "password": self.password + "-2", "server_password": self.server_password + "-2",
                          "client_nonce": "", "server_nonce": ""})


@dataclass(frozen=True)
class SecondServer:
    """Where the device reaches its second DM server, and its account there."""
    account: Account
    url: str


def _second_variables(second: SecondServer | None) -> dict:
    """The placeholders of the device's second account: `{other_accounts}` (the list a JSON config
    takes as it is, empty without a second server) and its fields one by one (empty without one)."""
    fields = {"second_server_id": "", "second_server_url": "", "second_user": "", "second_password": "",
              "second_server_password": ""}
    if second is None:
        return {**fields, "other_accounts": []}
    a = second.account
    fields = {"second_server_id": a.server_id, "second_server_url": second.url, "second_user": a.user,
              "second_password": a.password, "second_server_password": a.server_password}
    return {**fields, "other_accounts": [{
        "server_id": a.server_id, "server_url": second.url, "auth": a.auth, "user": a.user, "password": a.password,
        "server_password": a.server_password, "encoding": a.encoding, "ver_proto": "DM/1.3"}]}


def reference_programs(build_info: dict) -> dict:
    """The {server} and {client} placeholders: the reference binaries of a build (harness.json)."""
    return {"server": build_info.get("server", "omadm-ref-server"),
            "client": build_info.get("client", "omadm-ref-client")}


def start_variables(spec: AdapterSpec, workdir: Path, build_info: dict, account: Account, server_url: str = "",
                    token: str = "", mo_profile: Path | None = None, second: SecondServer | None = None) -> dict:
    """The placeholders of `start.command` and `config` (docs/adapters.md)."""
    return {
        **_second_variables(second),
        **reference_programs(build_info),
        "port": 0,
        "workdir": str(workdir),
        "config": str(workdir / f"{spec.role}-config.json"),
        "adapter_dir": str(Path(spec.path).resolve().parent) if spec.path else "",
        "token": token,
        "device_id": account.device_id,
        "server_id": account.server_id,
        "server_url": server_url,
        "user": account.user,
        "password": account.password,
        "server_password": account.server_password,
        "auth": account.auth,
        "encoding": account.encoding,
        "client_nonce": account.client_nonce,
        "server_nonce": account.server_nonce,
        "mo_profile": str(mo_profile or default_profile_path()),
    }


def launch(spec: AdapterSpec, workdir: Path, build_info: dict, account: Account, server_url: str = "",
           mo_profile: Path | None = None, second: SecondServer | None = None) -> ServerRole | DeviceRole:
    """Start the adapter's process and return the role it plays; `second` gives a device the account
    of a second DM server."""
    workdir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    variables = start_variables(spec, workdir, build_info, account, server_url, token, mo_profile, second)
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

    def start_session(self, reason, server_id=None):
        return (self.run("start_session", reason=reason, server_id=server_id) or {}).get("session_id")

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
