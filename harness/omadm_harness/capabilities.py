"""What an IUT can do, probed once before a run (`adapter-check --probe`): it starts and prints READY,
takes its DM account, holds one DM session with the reference peer that carries three Gets (the
device's DevId, the MgmtPolicy MO's root, and that root's Type, the MO identifier), and answers the
observation operations it offers. Each line says what was seen and whether it agrees with what the
adapter declares (docs/adapters.md). The MO's root is where the device has a node typed with the MO
identifier, found first (`locate_mo`), which is also what `run` does before the first case."""
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


def probe(pair: Pair, role: str, device_features: frozenset, timeout_s: float = PROBE_TIMEOUT_S,
          mo_location: str | None = None) -> list[Finding]:
    """The findings for an IUT playing `role`, with `pair` opened by the topology (it started, so
    READY and the account are already seen, and the topology's probe located the MO: `mo_location`)."""
    out = [Finding("start", True, "READY printed, account set")]
    if mo_location:
        out.append(Finding("MO location", None, mo_location))
    out += _one_session(pair, role, device_features, timeout_s)
    out += _observation(pair, role, device_features)
    return out


@dataclass
class MoLocation:
    """Where the device keeps its MgmtPolicy MO: `root`, or None with `detail` saying why there is none."""
    root: str | None
    detail: str


def locate_mo(pair: Pair, timeout_s: float = PROBE_TIMEOUT_S) -> MoLocation | None:
    """Finds the device's MgmtPolicy MO over DM, in sessions of our server: at the profile's root when
    a Get finds a node there whose Type is the MO identifier (or that does not expose its Type), else
    at the first node typed with the MO identifier in a walk of the tree (OMA-TS-DM_TND-V1_2_1 §7.7: an
    interior node's Type names the MO whose root it is). None: no session could tell, and the
    adapter's declaration and profile stand."""
    profile = pair.profile
    root, mo_type = profile.root, profile.mo_type
    type_uri = f"{root}?prop=Type"
    got = _gets(pair, [root, type_uri], "mo-probe", timeout_s)
    if got is None:
        return None
    codes, values, _ = got
    if codes.get(root) == 200 and (codes.get(type_uri) != 200 or values.get(type_uri) in (mo_type, "", None)):
        return MoLocation(root, f"{root}, where MO profile {profile.name} puts it")
    found, searched = _search_mo(pair, mo_type, timeout_s)
    if found:
        return MoLocation(found[0], f"{found[0]}, the node typed {mo_type} (MO profile {profile.name} says {root})")
    if codes.get(root) != 404:
        return MoLocation(root, f"{root}, where MO profile {profile.name} puts it (Get answered {codes.get(root)}, "
                                f"Type {values.get(type_uri)!r}; no node typed {mo_type} found)")
    return MoLocation(None, f"the device has no MgmtPolicy MO: a Get of {root} (MO profile {profile.name}) answered "
                            f"404 before the first case, and none of the {searched} nodes down to depth {SEARCH_DEPTH} "
                            f"has Type {mo_type}")


# The walk for an MO's root: how deep below the tree's root, and how many nodes at most.
SEARCH_DEPTH = 4
SEARCH_NODES = 256


def _search_mo(pair: Pair, mo_type: str, timeout_s: float) -> tuple[list[str], int]:
    """The nodes typed `mo_type`, found level by level from the tree's root: one session per level
    Gets each node (an interior node answers its children's names, Format node) and its Type."""
    got = _gets(pair, ["."], "mo-search", timeout_s)
    frontier = _children(".", got)
    searched = 0
    for _ in range(SEARCH_DEPTH):
        frontier = frontier[:max(0, SEARCH_NODES - searched)]
        if not frontier:
            break
        searched += len(frontier)
        got = _gets(pair, [u for n in frontier for u in (n, f"{n}?prop=Type")], "mo-search", timeout_s)
        if got is None:
            break
        found = [n for n in frontier if got[0].get(f"{n}?prop=Type") == 200 and got[1].get(f"{n}?prop=Type") == mo_type]
        if found:
            return found, searched
        frontier = [c for n in frontier for c in _children(n, got)]
    return [], searched


def _children(uri: str, got: tuple[dict, dict, dict] | None) -> list[str]:
    """The children of an interior node a Get answered (its Data lists their names, '/' between)."""
    if got is None or got[0].get(uri) != 200 or got[2].get(uri) != "node":
        return []
    names = [n for n in str(got[1].get(uri) or "").split("/") if n]
    return [f"{uri}/{n}" if uri != "." else f"./{n}" for n in names]


def _gets(pair: Pair, uris: list[str], what: str, timeout_s: float) -> tuple[dict, dict, dict] | None:
    """One session of our server carrying a Get of each URI: the status codes, the values and the
    formats by URI; None when no session carried them."""
    ctx = _Ctx(Case(id=what, title="", requirements=[], role_under_test="client", steps=[], checks=[]),
               "client", pair, time.monotonic() + timeout_s)
    try:
        batch_id = pair.server.send_commands(pair.device.device_id, [{"cmd": "Get", "target": u} for u in uris])
        _session(ctx, {"id": what, "expect_end": "any"}, pending=[batch_id])
        batch = pair.server.batch(pair.device.device_id, batch_id)
    except Exception:  # noqa: BLE001 - a probe that cannot tell leaves the adapter's declaration as it is
        return None
    if batch.get("state") != "done":
        return None
    codes = {st.get("target"): int(st.get("code", 0)) for st in batch.get("statuses", [])}
    results = batch.get("results", [])
    return (codes, {r.get("source"): r.get("data") for r in results},
            {r.get("source"): r.get("format") for r in results})


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
