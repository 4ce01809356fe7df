"""Plays one case between a server role and a device role, then judges its checks."""
from __future__ import annotations

import dataclasses
import functools
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from .catalogue import Catalogue, normalise_label
from .caseformat import DEVICE_FEATURES, MO_FEATURE, Case
from .control import EventCursor, wait_until
from .evidence import alert_locator, attach_messages, message_locator, results_locator, status_locator
from .matchers import match_fields, match_value
from .moprofile import (DEFAULT_SCRATCH, SYS_PREFIX, MoProfile, encode_values, map_strings, reference_profile,
                        resolve_paths, step_targets)
from .responsibility import IUT_PARTY, responsible
from .roles import DeviceRole, ServerRole, Unsupported
from .verdicts import (FINDING_PREFIX, CaseResult, CheckResult, HarnessError, Inconclusive, NotApplicable,
                       NotImplementedByIut, Verdict, VerdictSignal)

DEFAULT_STEP_TIMEOUT_S = 10.0
SESSION_POLL_S = 0.1
SETTLE_S = 3.0  # the longest a finished case waits for its trailing DM exchange (_settle)
SETTLE_POLL_S = 0.2
# Steps that act on a peer (every kind but `wait`): each first lets the exchange in progress end
# (_settle), so a command never rides in an alert session, nor two alerts in one session, by the
# luck of timing.
STIMULUS_STEPS = ("dm", "policy", "session", "properties", "clock", "local", "account", "server_faults", "restart")
SEED_SERVER_ID = "local"  # preconditions.tree is written by the device itself (control API)
STANDARD_MOS = ("DevInfo", "DevDetail", "DMAcc", "MgmtPolicy")
OPEN_ACL = "Add=*&Delete=*&Exec=*&Get=*&Replace=*"
# The properties a case may change as a mere stimulus, with the name of the node that stands for each
# and its format: on a device without property_simulation each becomes a node of that name and format
# under the scratch subtree its adapter names, which our server creates and then Replaces.
STIMULUS_PROPERTIES = {"battery": ("Battery", "int"), "device_type": ("DevType", "chr"),
                       "network_type": ("NetType", "chr")}


@dataclass
class Pair:
    server: ServerRole
    device: DeviceRole
    second_server: ServerRole | None = None  # a second reference server the device has an account at
    second_server_id: str | None = None  # its server id (the device's account there)
    iut_features: frozenset = frozenset()
    device_features: frozenset | None = None  # the device's adapter (IUT or reference); None: iut_features
    device_profile: frozenset | None = None  # profile options the device's adapter declares; None: all
    scratch: str | None = None  # where our server may create nodes on the device (its adapter's `scratch`)
    account: dict | None = None  # the genuine DM account both sides started with (set_account's body)
    # Stops the device's process and starts it again on its state, returning the new role (the
    # topology's; None: the device cannot be restarted).
    restart_device: Callable[[], DeviceRole] | None = None
    mo_profile: MoProfile | None = None  # the device's MgmtPolicy MO layout; None: the reference MO's
    mo_missing: str | None = None  # why the device under test has no MgmtPolicy MO (probed before the run)

    @property
    def profile(self) -> MoProfile:
        return self.mo_profile or reference_profile()


@dataclass
class _Ctx:
    case: Case
    role: str
    pair: Pair
    deadline: float
    batches: dict = field(default_factory=dict)
    second_batches: dict = field(default_factory=dict)  # the batches of `server: second` steps
    step_results: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    locator: dict | None = None  # what the judge running now read in the exchange (evidence.py)
    stimuli: dict = field(default_factory=dict)  # property -> (node, format) written over DM (_stimuli)
    server_faults: set = field(default_factory=set)  # faults of our server the case switched on
    account_changed: bool = False  # an `account` step gave our server other credentials

    @functools.cached_property
    def step_kinds(self) -> dict[str, str]:
        return {str(s["id"]): s["kind"] for s in self.case.steps if "id" in s}

    @functools.cached_property
    def checks_by_id(self) -> dict[str, dict]:
        return {c["id"]: c for c in self.case.checks}

    def remaining(self, want: float | None = None) -> float:
        left = max(0.0, self.deadline - time.monotonic())
        return min(left, want) if want is not None else left

    @property
    def dev(self) -> str:
        return self.pair.device.device_id


def check_applicable(case: Case, iut_features: frozenset, device_features: frozenset | None = None,
                     scratch: str | None = None, mo_missing: str | None = None) -> None:
    """Device-side hooks (DEVICE_FEATURES) must be declared by the device, whichever side is under
    test; every other feature by the IUT. A hook the case only implies is not needed where our server
    can do the same over DM (Case.hooks_doable_over_dm): a tree seed always, property changes when
    the device names a `scratch` subtree and every property the case sets can be a stimulus node.
    A case that touches the MgmtPolicy MO on a device without it (undeclared, or `mo_missing`: its
    root answered 404 to the probe before the run) is NOT_IMPLEMENTED, before all."""
    device = iut_features if device_features is None else device_features
    wanted = case.required_features()
    over_dm = set(case.hooks_doable_over_dm())
    if not scratch or not case.properties_set() <= set(STIMULUS_PROPERTIES):
        over_dm.discard("property_simulation")
    if MO_FEATURE in wanted and MO_FEATURE not in device:
        raise NotImplementedByIut(f"the device does not declare {MO_FEATURE}: it has no MgmtPolicy MO")
    if MO_FEATURE in wanted and mo_missing:
        raise NotImplementedByIut(mo_missing)
    missing = [f for f in wanted if f not in DEVICE_FEATURES and f not in iut_features]
    missing_dev = [f for f in wanted if f in DEVICE_FEATURES and f not in device and f not in over_dm]
    if missing or missing_dev:
        parts = [f"the IUT does not declare {', '.join(missing)}"] if missing else []
        parts += [f"the device does not declare {', '.join(missing_dev)}"] if missing_dev else []
        raise NotApplicable("; ".join(parts))


def play(case: Case, role: str, pair: Pair, catalogue: Catalogue, timeout_s: float) -> CaseResult:
    """Play `case` with the `role` side under test; never raises."""
    result = CaseResult(case_id=case.id, title=case.title, labels=list(case.requirements), role_under_test=role,
                        file=str(case.file or ""))
    started = time.monotonic()
    ctx = _Ctx(case, role, pair, started + timeout_s)
    try:
        check_applicable(case, pair.iut_features, pair.device_features, pair.scratch, pair.mo_missing)
        _placed(ctx)
        _stimuli(ctx)
        _preconditions(ctx)
        for step in ctx.case.steps:
            _step(ctx, step)
        for c in ctx.case.checks:
            if role in (c.get("roles") or [role]):
                result.checks.append(_check(ctx, c, catalogue, {r.id: r for r in result.checks}))
        result.checks += _findings(ctx, catalogue)
        _excuse_reference(result.checks)
    except VerdictSignal as s:
        result.signal, result.reason = s.verdict, s.reason
    except Unsupported as e:
        result.signal, result.reason = Verdict.INCONCLUSIVE, f"adapter cannot: {e}"
    except Exception as e:  # noqa: BLE001 - an unexpected exception is the harness's fault: ERROR
        result.signal = Verdict.ERROR
        result.reason = f"{type(e).__name__}: {e}"
        result.transcript.append({"dir": "note", "msg_id": 0, "xml": traceback.format_exc()})
    if ctx.notes and not result.reason:
        result.reason = "; ".join(ctx.notes)
    _settle(ctx)
    _collect(ctx, result)
    attach_messages(result)
    result.duration_s = time.monotonic() - started
    return result


def _settle(ctx: _Ctx) -> None:
    """Wait, at most SETTLE_S, until the exchange in progress is over: every DM session of the device
    ended on the server, every Generic Alert the device queued answered (with any
    status: one the server refused is resent later, not waited for). Before a step that acts on a
    peer (STIMULUS_STEPS), and after the verdict, before the transcript is taken, so that
    two runs of a case give the same transcript whatever the timing of alert sessions. What a peer
    cannot report is not waited for."""
    server, device = ctx.pair.server, ctx.pair.device
    alerts = EventCursor(lambda a, w, k: device.events(a, w, k))

    def unanswered_alerts() -> bool:
        try:
            alerts.poll()
        except Unsupported:
            return False
        queued = {str(e.get("alert")) for e in alerts.seen if e.get("kind") == "alert_queued"}
        settled = {str(e.get("alert")) for e in alerts.seen if e.get("kind") == "alert_answered"}
        return bool(queued - settled)

    def quiet() -> bool:
        open_sessions = [s for s in server.sessions(ctx.dev)
                         if not (s.get("end_reason") or s.get("state") in ("ended", "closed", "done"))]
        return not open_sessions and not unanswered_alerts()

    def wake(seconds: float) -> None:
        # The exchange's last event may be on either side: a short long-poll on the device's stream
        # (which returns on its next event), then both sides are asked again.
        try:
            alerts.poll(wait_ms=int(min(seconds, SETTLE_POLL_S) * 1000))
        except Unsupported:
            time.sleep(min(seconds, SESSION_POLL_S))

    try:
        wait_until(quiet, min(SETTLE_S, ctx.remaining()), wake)
    except Exception:  # noqa: BLE001 - settling only completes the transcript; the verdict stands
        return


def _collect(ctx: _Ctx, result: CaseResult) -> None:
    """Transcripts and the labels the peers report as exercised. A transcript is kept as the server
    peer gives it: masking volatile values and secrets is the peer's job (the reference server masks
    typed values, docs/control-api.md), never redone here."""
    messages = []
    try:
        for s in ctx.pair.server.sessions(ctx.dev):
            for m in ctx.pair.server.transcript(str(s.get("id"))):
                messages.append({**m, "session": s.get("id")})
    except Exception as e:  # noqa: BLE001 - a missing transcript must not hide the verdict
        ctx.notes.append(f"transcript unavailable: {e}")
    result.transcript = messages + result.transcript
    exercised = []
    for peer in (ctx.pair.server, ctx.pair.device):
        try:
            events, _ = peer.events(0, 0, "requirement_exercised")
            exercised += [str(e.get("label")) for e in events if e.get("label")]
        except Exception:  # noqa: BLE001,S112 - dynamic coverage is best effort; the verdict stands
            continue
    result.exercised = sorted(set(exercised))


def _placed(ctx: _Ctx) -> None:
    """The case with its logical paths resolved (docs/mo-profiles.md): `mo:...` and `sys:...` in the
    device's MO profile, `scratch:...` under the scratch subtree its adapter names (./Vendor when
    none), and the values of enumerated leaves in the profile's spelling."""
    case, profile = ctx.case, ctx.pair.profile
    args = (profile, ctx.pair.scratch or DEFAULT_SCRATCH)

    targets = step_targets(case.steps)

    def placed(part):
        return resolve_paths(encode_values(part, profile, targets), *args)
    ctx.case = dataclasses.replace(case, steps=placed(case.steps), checks=placed(case.checks),
                                   preconditions=placed(case.preconditions))


def _stimuli(ctx: _Ctx) -> None:
    """On a device without property_simulation, each property the case sets becomes a stimulus node
    under the device's scratch subtree (STIMULUS_PROPERTIES): the case is played with that node in
    place of the property's node wherever it names one (conditions, commands, checks), created by our
    server with the precondition's value and changed by a Replace at each `properties` step."""
    if _hooked(ctx, "property_simulation") or not ctx.case.properties_set():
        return
    ctx.stimuli = {name: (f"{ctx.pair.scratch}/{STIMULUS_PROPERTIES[name][0]}", STIMULUS_PROPERTIES[name][1])
                   for name in sorted(ctx.case.properties_set())}
    profile = ctx.pair.profile
    renamed = {profile.system_property(SYS_PREFIX + name): node for name, (node, _) in ctx.stimuli.items()}

    def swap(value):
        return map_strings(value, lambda text: renamed.get(text, text))

    ctx.case = dataclasses.replace(ctx.case, steps=swap(ctx.case.steps), checks=swap(ctx.case.checks))


def _genuine_channel(ctx: _Ctx) -> bool:
    """Before an exchange of the harness's own over DM (a read, a stimulus): where the case changed
    the DM channel on purpose (an `account` step, faults of our server), our server gets back the
    genuine account and conforms again, and the case's batches still queued are cancelled, so that
    the harness's session carries its own commands alone, with credentials the device accepts.
    True when it restored something."""
    if not ctx.account_changed and not ctx.server_faults:
        return False
    server = ctx.pair.server
    for batch_id in ctx.batches.values():
        if server.batch(ctx.dev, batch_id).get("state") == "queued":
            server.cancel_batch(ctx.dev, batch_id)
    if ctx.server_faults:
        server.set_faults({name: False for name in sorted(ctx.server_faults)})
    if ctx.account_changed and ctx.pair.account:
        server.set_account(ctx.dev, ctx.pair.account)
    ctx.server_faults, ctx.account_changed = set(), False
    return True


def _carry(ctx: _Ctx, commands: list[dict], what: str) -> str:
    """Queue the harness's own commands and run a session that carries them; returns the batch.
    Right after the channel was restored, a session the device refuses (our server's credentials on
    the nonce of the case's hostile exchange) is followed by one more: the refusal's Chal gave our
    server the nonce the device expects."""
    server = ctx.pair.server
    restored = _genuine_channel(ctx)
    batch_id = server.send_commands(ctx.dev, commands)
    _session(ctx, {"id": what, "expect_end": "any"} if restored else {"id": what}, pending=[batch_id])
    if restored and server.batch(ctx.dev, batch_id).get("state") == "queued":
        _session(ctx, {"id": what}, pending=[batch_id])
    return batch_id


def _over_dm(ctx: _Ctx, commands: list[dict], what: str) -> None:
    """Commands our server sends in a DM session of their own, to set up what a device hook would
    (a tree seed, a stimulus); a command the device refuses leaves the case INCONCLUSIVE."""
    batch = ctx.pair.server.batch(ctx.dev, _carry(ctx, commands, what))
    statuses = list(batch.get("statuses", []))
    bad = [f"{s.get('cmd')} {s.get('target')}: {s.get('code')}" for s in statuses if int(s.get("code", 0)) >= 300]
    if len(statuses) < len(commands) or bad:
        raise Inconclusive(f"{what} over DM not applied ({batch.get('state')}): {'; '.join(bad) or 'no status'}")


def _stimulus_commands(ctx: _Ctx, values: dict, cmd: str) -> list[dict]:
    return [{"cmd": cmd, "target": ctx.stimuli[name][0], "format": ctx.stimuli[name][1], "data": str(value)}
            for name, value in values.items()]


def _preconditions(ctx: _Ctx) -> None:
    pre = ctx.case.preconditions
    dev = ctx.pair.device
    seed_over_dm: list[dict] = []
    try:
        if pre.get("faults"):
            dev.set_faults(pre["faults"])
        if pre.get("server_faults"):  # our reference server misbehaves on purpose (a role client case)
            ctx.pair.server.set_faults(pre["server_faults"])
            ctx.server_faults |= set(pre["server_faults"])
        if pre.get("clock"):
            dev.clock(set_to=pre["clock"])
        if pre.get("properties") and ctx.stimuli:
            seed_over_dm += _stimulus_commands(ctx, pre["properties"], "Add")
        elif pre.get("properties"):
            dev.set_properties(pre["properties"])
        if pre.get("tree"):
            seed = list(pre["tree"]) + open_acl_commands(pre["tree"])
            if not _hooked(ctx, "local_tree_access"):  # written by our server (Case.hooks_doable_over_dm)
                seed_over_dm += seed
            else:
                statuses = dev.apply_local(seed, SEED_SERVER_ID)
                bad = [s for s in statuses or [] if int(s.get("code", 200)) >= 300]
                if bad:
                    raise Inconclusive(f"tree seed rejected: {bad}")
        if seed_over_dm:
            _over_dm(ctx, seed_over_dm, "preconditions")
        # preconditions.account is applied by the topology before the processes start (both sides).
    except Unsupported as e:
        raise Inconclusive(f"precondition not reachable: {e}") from e


def open_acl_commands(tree: list[dict]) -> list[dict]:
    """ACL Replaces that open the top-level subtrees a tree seed creates to every DM server.

    Seeded content stands for what the device already holds and its DM servers manage: a policy
    owner may act on it unless the case restricts it (with its own `?prop=ACL` Replace, deeper or
    on that top-level node). The standard MOs keep the ACLs the device gives them."""
    own_acl = {str(c.get("target", "")).split("?", 1)[0] for c in tree if "?prop=ACL" in str(c.get("target", ""))}
    roots: list[str] = []
    for c in tree:
        target = str(c.get("target", "")).split("?", 1)[0]
        parts = target.split("/")
        if c.get("cmd") != "Add" or len(parts) < 2 or parts[0] != "." or parts[1] in STANDARD_MOS:
            continue
        root = "./" + parts[1]
        if root not in roots and root not in own_acl:
            roots.append(root)
    return [{"cmd": "Replace", "target": f"{r}?prop=ACL", "data": OPEN_ACL} for r in roots]


def _step(ctx: _Ctx, step: dict) -> None:
    kind = step["kind"]
    server, dev = ctx.pair.server, ctx.pair.device
    sid = step.get("id")
    if kind in STIMULUS_STEPS:
        _settle(ctx)
    server, batches = _server_of(ctx, step)
    if kind == "dm":
        batches[sid or f"_{len(batches)}"] = server.send_commands(ctx.dev, step["commands"])
    elif kind == "policy":
        batches[sid or f"_{len(batches)}"] = server.policy(
            ctx.dev, step["op"], step.get("policy"), step.get("pid"), step.get("correlator"))
    elif kind == "session":
        _session(ctx, step)
    elif kind == "properties" and ctx.stimuli:
        _over_dm(ctx, _stimulus_commands(ctx, step["set"], "Replace"), f"step {sid or 'properties'}")
    elif kind == "properties":
        dev.set_properties(step["set"])
    elif kind == "clock":
        dev.clock(advance_ms=step.get("advance_ms"), set_to=step.get("set"))
    elif kind == "wait":
        peer = server if step["peer"] == "server" else dev
        cursor = EventCursor(lambda a, w, k: peer.events(a, w, k))
        hits = cursor.wait_for(lambda e: e.get("kind") == step["event"] and match_fields(step.get("match"), e),
                               ctx.remaining(step.get("timeout_s", DEFAULT_STEP_TIMEOUT_S)), step.get("count", 1))
        ctx.step_results[sid] = hits
        if len(hits) < step.get("count", 1):
            ctx.notes.append(f"step {sid or kind}: {step['event']} not seen in time")
    elif kind == "local":
        ctx.step_results[sid] = dev.apply_local(step["commands"], step.get("server_id", "local"))
    elif kind == "account":
        server.set_account(ctx.dev, {k: step[k] for k in ("user", "password", "auth", "server_password") if k in step})
        ctx.account_changed = True
    elif kind == "server_faults":  # our reference server misbehaves on purpose from now on (a role client case)
        server.set_faults(step["set"])
        ctx.server_faults |= set(step["set"])
    elif kind == "restart":
        if ctx.pair.restart_device is None:
            raise Unsupported("the device cannot be restarted here")
        ctx.pair.device = ctx.pair.restart_device()
    else:
        raise ValueError(f"unknown step kind {kind!r}")


def _server_of(ctx: _Ctx, step: dict) -> tuple[ServerRole, dict]:
    """The reference server a step speaks through (or an `alert` check reads), with the batches it
    queued there: the second one for `server: second` (the device's account at another DM
    server), else the case's."""
    if step.get("server") != "second":
        return ctx.pair.server, ctx.batches
    if ctx.pair.second_server is None:
        raise HarnessError(f"step {step.get('id', step['kind'])}: no second server runs for this case")
    return ctx.pair.second_server, ctx.second_batches


def _batch(ctx: _Ctx, step_id: str) -> dict:
    """The batch a `dm` or `policy` step queued, as the server it went through reports it."""
    if step_id in ctx.second_batches:
        return ctx.pair.second_server.batch(ctx.dev, ctx.second_batches[step_id])
    return ctx.pair.server.batch(ctx.dev, ctx.batches[step_id])


def _initiator(ctx: _Ctx, step: dict) -> str:
    """Who starts a session: the step's `initiator`, or with `any` (the default) Package 0 where the
    IUT declares pkg0_notification, else a session the device starts (client_initiated_session)."""
    wanted = step.get("initiator", "any")
    if wanted != "any":
        return wanted
    for initiator, feature in (("server", "pkg0_notification"), ("client", "client_initiated_session")):
        if feature in ctx.pair.iut_features:
            return initiator
    raise NotApplicable("the IUT declares neither pkg0_notification nor client_initiated_session: no session can start")


def _session(ctx: _Ctx, step: dict, pending: list | None = None) -> None:
    """Start a session and wait until it ended with the batches it must carry (`pending`, by default
    every batch of the case's steps) done."""
    (server, batches), dev = _server_of(ctx, step), ctx.pair.device
    before = {str(s.get("id")) for s in server.sessions(ctx.dev)}
    if _initiator(ctx, step) == "server":
        server.notify(ctx.dev, dev.pkg0_address())
    elif server is ctx.pair.second_server:
        dev.start_session(step.get("reason", "user"), ctx.pair.second_server_id)
    else:
        dev.start_session(step.get("reason", "user"))
    if step.get("expect_end") == "none":  # no session may follow: a later step shows the device went on
        return
    pending = list(batches.values()) if pending is None else pending
    cursor = EventCursor(lambda a, w, k: server.events(a, w, k))

    def ended() -> bool:
        sessions = [s for s in server.sessions(ctx.dev) if str(s.get("id")) not in before]
        finished = [s for s in sessions if s.get("end_reason") or s.get("state") in ("ended", "closed", "done")]
        if not finished:
            return False
        return all(server.batch(ctx.dev, b).get("state") in ("done", "cancelled") for b in pending) \
            or step.get("expect_end") == "any"

    def wake(seconds: float) -> None:
        try:
            cursor.poll(wait_ms=int(seconds * 1000))
        except Unsupported:  # a server adapter without an event stream: its sessions are polled instead
            time.sleep(min(seconds, SESSION_POLL_S))

    ok = wait_until(ended, ctx.remaining(step.get("timeout_s", DEFAULT_STEP_TIMEOUT_S)), wake)
    if not ok:
        ctx.notes.append(f"step {step.get('id', 'session')}: session did not complete in time")


def _check(ctx: _Ctx, check: dict, catalogue: Catalogue, earlier: dict | None = None) -> CheckResult:
    labels = check["labels"]
    strength = check.get("strength") or catalogue.strength_of(labels)
    who = responsible(check, ctx.role, ctx.step_kinds, ctx.checks_by_id)
    if who.party is None:  # lint refuses such a check; a case loaded without lint is the harness's fault
        raise HarnessError(f"check {check['id']}: no responsible party: {who.why}")
    res = CheckResult(id=check["id"], labels=labels, strength=strength, passed=None,
                      constrains="iut" if who.judges_iut(ctx.role) else "reference", responsible=who.party)
    option = check.get("profile")
    undeclared = option and ctx.pair.device_profile is not None and option not in ctx.pair.device_profile
    if undeclared:  # a choice of our reference MO the RD does not require: observed, never FAILed
        res.strength = "INFO"
    # A check that only makes sense once others passed (the server cannot receive an alert the
    # device never sent) is not judged when they did not: INCONCLUSIVE, never a verdict on its party.
    failed = [d for d in check.get("depends_on") or [] if not (earlier or {}).get(d) or not earlier[d].passed]
    if failed:
        res.detail = f"not judged: {', '.join(failed)} did not pass"
        return res
    try:
        ctx.locator = None
        passed, detail, code = _JUDGES[check["kind"]](ctx, check)
        res.passed, res.detail, res.status_code, res.locator = passed, detail, code, ctx.locator
        if undeclared:
            res.detail = f"{detail} (INFO: the device does not declare profile option {option})"
    except Unsupported as e:
        res.passed, res.detail = None, f"adapter cannot: {e}"
    return res


# A finding's severity (docs/events.md) as the strength of the check it becomes.
_FINDING_STRENGTH = {"error": "SHALL", "warning": "SHOULD", "info": "INFO"}


def _findings(ctx: _Ctx, catalogue: Catalogue) -> list[CheckResult]:
    """Every deviation the reference peer found in the IUT's messages, as a failed check on the IUT
    under the requirement the finding names (OSR-01 when it names none the catalogue knows).
    Findings the case provokes on purpose (`expected_findings`: labels) are not verdicts."""
    reference = ctx.pair.device if ctx.role == "server" else ctx.pair.server
    try:
        events, _ = reference.events(0, 0, "finding")
    except Unsupported:
        return []
    expected = set(ctx.case.expected_findings)
    out = []
    for n, e in enumerate(ev for ev in events if ev.get("kind", "finding") == "finding"):
        label = catalogue.resolve(str(e.get("requirement", ""))) and normalise_label(str(e["requirement"]))
        label = label or "MgmtPolicyMO-OSR-01"
        if label in expected:
            continue
        evidence = e.get("evidence") if isinstance(e.get("evidence"), dict) else {}
        detail = str(evidence.get("detail") or e.get("detail") or "")
        where = ", ".join(f"{k} {evidence[k]}" for k in ("msg_id", "cmd_id", "location") if evidence.get(k))
        party = IUT_PARTY[ctx.role]
        # The finding is about a message of the IUT: from the device in client mode, to it in server mode.
        locator = message_locator("in" if ctx.role == "client" else "out", evidence["msg_id"]) \
            if evidence.get("msg_id") else None
        out.append(CheckResult(id=f"{FINDING_PREFIX}{n + 1}", labels=[label], locator=locator,
                               strength=_FINDING_STRENGTH.get(str(e.get("severity", "error")), "SHALL"),
                               passed=False, responsible=party,
                               detail=f"the reference {'device' if party == 'server' else 'server'} found: {detail}"
                                      + (f" ({where})" if where else "")))
    return out


def _excuse_reference(checks: list[CheckResult]) -> None:
    """A check on a reference peer that failed where the IUT's own messages broke a SHALL of DM (a
    finding FAILed on it: a CmdID given twice, a Status out of range) is not judged: the peer may have
    failed because of them (it cannot acknowledge an alert whose CmdID another command also has).
    INCONCLUSIVE, not ERROR: the case FAILs on the finding, and ERROR stays for a peer that fails
    where the IUT conformed."""
    broke = [c.id for c in checks if c.id.startswith(FINDING_PREFIX) and c.verdict == Verdict.FAIL]
    if not broke:
        return
    for c in checks:
        if c.constrains == "reference" and c.passed is False:
            c.passed = None
            c.detail = f"not judged: the IUT's messages broke DM ({', '.join(broke[:3])}); {c.detail}"


def _count_ok(check: dict, n: int, default_min: int = 1) -> tuple[bool, str]:
    if "count" in check:
        return n == check["count"], f"{n} found, expected exactly {check['count']}"
    want = check.get("min_count", default_min)
    return n >= want, f"{n} found, expected at least {want}"


def _judge_status(ctx, check):
    if check["step"] in ctx.batches or check["step"] in ctx.second_batches:
        batch = _batch(ctx, check["step"])
    else:  # a `local` step: the statuses the device answered to the control API
        batch = {"state": "local", "statuses": list(ctx.step_results.get(check["step"]) or [])}
    statuses = list(batch.get("statuses", []))
    if "index" in check:
        statuses = statuses[check["index"]:check["index"] + 1]
    if "target" in check:
        statuses = [s for s in statuses if s.get("target") == check["target"]]
    if "cmd" in check:
        statuses = [s for s in statuses if s.get("cmd") == check["cmd"]]
    if not statuses:
        return False, f"no status for step {check['step']} (batch {batch.get('state')})", None
    want = check["code"] if isinstance(check["code"], list) else [check["code"]]
    for s in statuses:
        code = int(s.get("code", 0))
        if code not in [int(w) for w in want]:
            ctx.locator = status_locator(s) if batch.get("state") != "local" else None
            return False, f"{s.get('cmd')} {s.get('target')}: status {code}, expected {want}", code
    ctx.locator = status_locator(statuses[0]) if batch.get("state") != "local" else None
    return True, f"status {[int(s.get('code', 0)) for s in statuses]}", int(statuses[0].get("code", 0))


def _judge_result(ctx, check):
    batch = _batch(ctx, check["step"])
    results = [r for r in batch.get("results", []) if "source" not in check or r.get("source") == check["source"]]
    ctx.locator = results_locator(check.get("source") or (results[0].get("source") if results else None))
    if "value" in check:
        good = [r for r in results if match_value(check["value"], r.get("data"))[0]]
        if not good:
            seen = [r.get("data") for r in results]
            return False, f"no result matches {check['value']!r}; got {seen!r}", None
        results = good
    ok, detail = _count_ok(check, len(results))
    return ok, detail, None


_STATE_NAMES = {"10": "inactive", "20": "active"}


def _hooked(ctx, feature: str) -> bool:
    features = ctx.pair.device_features if ctx.pair.device_features is not None else ctx.pair.iut_features
    return feature in features


def _read_over_dm(ctx, uri: str) -> dict:
    """A node as our server reads it in a DM session (a Get), for a device that declares no
    local_tree_access: the same facts the hook gives, or Unsupported when the Get cannot tell."""
    server = ctx.pair.server
    try:
        _initiator(ctx, {})
    except NotApplicable as e:
        raise Unsupported(f"no local_tree_access and no way to open a DM session to read the tree ({e})") from e
    batch = server.batch(ctx.dev, _carry(ctx, [{"cmd": "Get", "target": uri}], f"read {uri}"))
    statuses = list(batch.get("statuses", []))
    code = int(statuses[0].get("code", 0)) if statuses else 0
    ctx.locator = results_locator(uri) if code == 200 else (status_locator(statuses[0]) if statuses else None)
    if code == 404:
        return {"uri": uri, "exists": False}
    results = [r for r in batch.get("results", []) if r.get("source") in (uri, None)] or batch.get("results", [])
    if code != 200 or not results:
        raise Unsupported(f"Get {uri} over DM answered {code or 'nothing'}: the node cannot be observed")
    return {"uri": uri, "exists": True, "value": results[0].get("data"), "format": results[0].get("format")}


def _read_node(ctx, uri: str) -> dict:
    if _hooked(ctx, "local_tree_access"):
        return ctx.pair.device.read_tree(uri) or {}
    return _read_over_dm(ctx, uri)


def _judge_tree(ctx, check):
    node = _read_node(ctx, check["uri"])
    exists = bool(node.get("exists", "value" in node))
    if "exists" in check and exists != bool(check["exists"]):
        return False, f"{check['uri']} exists={exists}, expected {check['exists']}", None
    for key in ("value", "format"):
        if key in check:
            ok, detail = match_value(check[key], node.get(key))
            if not ok:
                return False, f"{check['uri']} {key}: {detail}", None
    return True, f"{check['uri']} exists={exists} value={node.get('value')!r}", None


def _judge_alert(ctx, check):
    server, _ = _server_of(ctx, check)
    alerts = server.alerts(ctx.dev)
    fields = {k: check[k] for k in ("type", "source", "correlator", "data") if k in check}
    hits = [a for a in alerts if match_fields(fields, a)]
    if hits:
        ctx.locator = alert_locator(hits[0].get("source"))
    ok, detail = _count_ok(check, len(hits))
    return ok, f"alerts: {detail}", None


def _policies_over_dm(ctx, pid: str) -> list[dict]:
    """The policy listing of one policy, read over DM (its State and Results/Count nodes)."""
    profile = ctx.pair.profile
    state = _read_node(ctx, profile.resolve(f"mo:{pid}/state"))
    if not state.get("exists"):
        return []
    count = _read_node(ctx, profile.resolve(f"mo:{pid}/results/run_count"))
    value = profile.decode("state", state.get("value"))
    return [{"id": pid, "state": _STATE_NAMES.get(str(value), value),
             "results": {"count": count.get("value")}}]


def _judge_policy_state(ctx, check):
    listing = ctx.pair.device.policies() if _hooked(ctx, "local_tree_access") else _policies_over_dm(ctx, check["pid"])
    pols = [p for p in listing
            if str(p.get("id", p.get("pid"))) == str(check["pid"]) and p.get("installed", True) is not False]
    exists = bool(pols)
    if "exists" in check and exists != bool(check["exists"]):
        return False, f"policy {check['pid']} exists={exists}, expected {check['exists']}", None
    if "state" in check:
        if not pols:
            return False, f"policy {check['pid']} not installed", None
        ok, detail = match_value(check["state"], pols[0].get("state"))
        if not ok:
            return False, f"policy {check['pid']} state: {detail}", None
    if "count" in check:
        ok, detail = match_value(check["count"], (pols[0].get("results") or {}).get("count") if pols else None)
        if not ok:
            return False, f"policy {check['pid']} results count: {detail}", None
    return True, f"policy {check['pid']} exists={exists}", None


def _judge_event(ctx, check):
    peer = ctx.pair.server if check["peer"] == "server" else ctx.pair.device
    events, _ = peer.events(0, 0, check["event"])
    hits = [e for e in events if e.get("kind", check["event"]) == check["event"] and match_fields(check.get("match"), e)]
    ok, detail = _count_ok(check, len(hits))
    return ok, f"{check['event']} events: {detail}", None


def _judge_session(ctx, check):
    listing = ctx.pair.server.sessions(ctx.dev)
    fields = {k: check[k] for k in ("auth", "end_reason", "ver_proto") if k in check}
    unreported = [k for k in fields if any(k not in s for s in listing)]
    if unreported:
        raise Unsupported(f"the server's sessions listing does not report {', '.join(unreported)}")
    sessions = [s for s in listing if match_fields(fields, s)]
    ok, detail = _count_ok(check, len(sessions))
    return ok, f"sessions: {detail}", None


_JUDGES = {
    "status": _judge_status,
    "result": _judge_result,
    "tree": _judge_tree,
    "alert": _judge_alert,
    "policy_state": _judge_policy_state,
    "event": _judge_event,
    "session": _judge_session,
}
