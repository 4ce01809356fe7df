"""Who answers for a check: the implementation under test (IUT) or the reference peer.

The rule (docs/case-format.md, Responsibility): a check judges whoever is responsible for the fact
it reads. What a reference peer received from the IUT, and what it did because of it, is the IUT's
doing: the nodes our device holds after a server under test downloaded a policy, the alerts our
server stored from a device under test. A reference peer answers only for its own acts: the
answers of our device to the harness's local commands, a Package 0 the harness asked our server to
send, and our server's duty towards a message whose sending by the device (`depends_on`) passed. Events that only
echo a harness request judge nobody and cannot be checked.
"""
from __future__ import annotations

from dataclasses import dataclass

from .caseformat import HARNESS_ECHOES, KNOWN_EVENTS

IUT_PARTY = {"client": "device", "server": "server"}

# Events each reference binary reports, and among them those that only echo a harness request
# (no party is judged by them): both lists live in the case schema (testcases/schema/case.schema.yaml,
# device_event, server_event, harness_echo_event). OWN_ACTS are the acts a peer performs on a harness
# request rather than in answer to the other party.
OWN_ACTS = {"device": frozenset(), "server": frozenset({"package0_sent"})}


@dataclass(frozen=True)
class Responsibility:
    party: str | None  # "device" or "server"; None when it cannot be derived
    why: str

    def judges_iut(self, role: str) -> bool:
        return self.party == IUT_PARTY[role]


def responsible(check: dict, role: str, step_kinds: dict[str, str], checks: dict[str, dict] | None = None
                ) -> Responsibility:
    """The party answering for `check` when the case is played with `role` under test.

    `step_kinds` maps step ids to their kinds; `checks` maps the case's check ids to checks (for
    `depends_on`)."""
    iut = IUT_PARTY[role]
    kind = check.get("kind")
    if kind == "event":
        peer, event = check.get("peer"), check.get("event")
        if peer not in KNOWN_EVENTS:
            return Responsibility(None, f"event peer {peer!r} is neither device nor server")
        if event in HARNESS_ECHOES:
            return Responsibility(None, f"{event!r} only echoes a harness request and judges nobody")
        if event not in KNOWN_EVENTS[peer]:
            return Responsibility(None, f"the {peer} reports no event {event!r}")
        if event in OWN_ACTS[peer]:
            return Responsibility(peer, f"{event} is the {peer}'s own act on a harness request")
    if kind in ("status", "result"):
        step_kind = step_kinds.get(check.get("step", ""))
        if step_kind == "local":
            if kind == "result":
                return Responsibility(None, "a local step has statuses, no results")
            return Responsibility("device", "the device's answer to a local command of the harness")
        if step_kind not in ("dm", "policy"):
            return Responsibility(None, f"step {check.get('step')!r} is not a dm, policy or local step")
    party = check.get("party") or iut
    if party == iut:
        return Responsibility(iut, f"a requirement on the {iut} under test")
    # Our server answers for storing and acknowledging what the device was seen to send; our device
    # only ever does what the server under test's commands and policies made it do.
    deps = [(checks or {}).get(d) for d in check.get("depends_on") or []] if party == "server" else []
    if any(d is not None and responsible(d, role, step_kinds, checks).party == iut for d in deps):
        return Responsibility(party, f"the {iut}'s part ({', '.join(check['depends_on'])}) is checked first; "
                                     f"the rest is the reference {party}'s duty")
    return Responsibility(iut, f"what the reference {party} did because of the {iut} under test")
