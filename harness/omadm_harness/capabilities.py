"""What an IUT can do, probed once before a run (`adapter-check --probe`): it starts and prints READY,
takes its DM account, holds one DM session with the reference peer that carries three Gets (the
device's DevId, the MgmtPolicy MO's root where the MO profile puts it, and that root's Type, the MO
identifier), and answers the observation operations it offers. Each line says what was seen and
whether it agrees with what the adapter declares (docs/adapters.md). `missing_mo` is the part of it
that `run` does before the first case."""
from __future__ import annotations

import time
from dataclasses import dataclass

from .caseformat import MO_FEATURE, Case
from .engine import Pair, _Ctx, _initiator, _session
from .roles import Unsupported
from .verdicts import NotApplicable

PROBE_TIMEOUT_S = 15.0
DEV_ID = "./DevInfo/DevId"


@dataclass
class Finding:
    what: str
    ok: bool | None  # None: nothing to compare with a declaration
    detail: str

    def line(self) -> str:
        mark = {True: "ok", False: "MISMATCH", None: "--"}[self.ok]
        return f"  {mark:8} {self.what}: {self.detail}"


def probe(pair: Pair, role: str, device_features: frozenset, timeout_s: float = PROBE_TIMEOUT_S) -> list[Finding]:
    """The findings for an IUT playing `role`, with `pair` opened by the topology (it started, so
    READY and the account are already seen)."""
    out = [Finding("start", True, "READY printed, account set")]
    out += _one_session(pair, role, device_features, timeout_s)
    out += _observation(pair, role, device_features)
    return out


def missing_mo(pair: Pair, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the device has no MgmtPolicy MO where its profile puts it (a Get of the root answered 404
    in a session of our server), or None: it has one, or the Get told nothing (no session, another
    code), and the adapter's declaration stands."""
    ctx = _Ctx(Case(id="mo-probe", title="", requirements=[], role_under_test="client", steps=[], checks=[]),
               "client", pair, time.monotonic() + timeout_s)
    root = pair.profile.root
    try:
        batch_id = pair.server.send_commands(pair.device.device_id, [{"cmd": "Get", "target": root}])
        _session(ctx, {"id": "mo-probe", "expect_end": "any"}, pending=[batch_id])
        batch = pair.server.batch(pair.device.device_id, batch_id)
    except Exception:  # noqa: BLE001 - a probe that cannot tell leaves the adapter's declaration as it is
        return None
    codes = [int(st.get("code", 0)) for st in batch.get("statuses", []) if st.get("target") == root]
    if codes != [404]:
        return None
    return (f"the device has no MgmtPolicy MO: a Get of {root} (MO profile {pair.profile.name}) answered 404 "
            f"before the first case")


def _one_session(pair: Pair, role: str, device_features: frozenset, timeout_s: float) -> list[Finding]:
    server, dev = pair.server, pair.device
    ctx = _Ctx(Case(id="adapter-check", title="", requirements=[], role_under_test=role, steps=[], checks=[]),
               role, pair, time.monotonic() + timeout_s)
    try:
        initiator = _initiator(ctx, {})
    except NotApplicable as e:
        return [Finding("session", False, str(e))]
    how = "Package 0 from the server" if initiator == "server" else "started by the device"
    mo_root, mo_type = pair.profile.root, pair.profile.mo_type
    type_uri = f"{mo_root}?prop=Type"
    try:
        batch_id = server.send_commands(dev.device_id, [{"cmd": "Get", "target": DEV_ID},
                                                        {"cmd": "Get", "target": mo_root},
                                                        {"cmd": "Get", "target": type_uri}])
        _session(ctx, {"id": "probe"}, pending=[batch_id])
        batch = server.batch(dev.device_id, batch_id)
        sessions = server.sessions(dev.device_id)
    except Unsupported as e:
        return [Finding("session", None, f"the adapter cannot: {e}")]
    if batch.get("state") != "done":
        why = "; ".join(ctx.notes) or f"batch {batch.get('state')}"
        return [Finding("session", False, f"{how}: the Gets were not answered ({why})")]
    last = sessions[-1] if sessions else {}
    facts = ", ".join(f"{k} {last[k]}" for k in ("ver_proto", "auth", "end_reason") if last.get(k))
    out = [Finding("session", True, f"{how}" + (f" ({facts})" if facts else ""))]
    if last.get("ver_proto") and last["ver_proto"] != "DM/1.3":
        out.append(Finding("DM version", False, f"the device spoke {last['ver_proto']}; MgmtPolicyMO 1.0 runs on "
                                                f"DM/1.3 (the cases that claim DM 1.3 will FAIL)"))
    codes = {s.get("target"): int(s.get("code", 0)) for s in batch.get("statuses", [])}
    values = {r.get("source"): r.get("data") for r in batch.get("results", [])}
    out.append(Finding(f"Get {DEV_ID}", codes.get(DEV_ID) == 200,
                       f"{codes.get(DEV_ID)} {values.get(DEV_ID)!r}" if DEV_ID in values else f"{codes.get(DEV_ID)}"))
    has_mo = codes.get(mo_root) == 200
    declared = MO_FEATURE in device_features
    out.append(Finding("MgmtPolicy MO", has_mo == declared if codes.get(mo_root) in (200, 404) else None,
                       f"Get {mo_root} answered {codes.get(mo_root)}; {MO_FEATURE} "
                       f"{'declared' if declared else 'not declared'}"))
    if has_mo:
        typed = values.get(type_uri)
        out.append(Finding("MO identifier", typed == mo_type if codes.get(type_uri) == 200 else None,
                           f"{mo_root} has Type {typed!r} (Get answered {codes.get(type_uri)}); MO profile "
                           f"{pair.profile.name} expects {mo_type}"))
    return out


def _observation(pair: Pair, role: str, device_features: frozenset) -> list[Finding]:
    """The device's observation operations, against what its adapter declares (a server under test
    is observed through its own listings, which the session above already used)."""
    if role != "client":
        return []
    dev = pair.device
    out = []
    try:
        dev.events(0, 0)
        out.append(Finding("events", None, "offered: waits on device events and event checks can be judged"))
    except Unsupported:
        out.append(Finding("events", None, "not offered: waits on device events and event checks are INCONCLUSIVE"))
    declared = "local_tree_access" in device_features
    try:
        node = dev.read_tree(DEV_ID)
        out.append(Finding("read_tree", declared or None,
                           f"answers ({DEV_ID} exists={node.get('exists')}); local_tree_access "
                           f"{'declared' if declared else 'not declared: the tree is read over DM'}"))
    except Unsupported as e:
        out.append(Finding("read_tree", not declared, f"not offered ({e}); local_tree_access "
                                                      f"{'declared' if declared else 'not declared'}"))
    return out
