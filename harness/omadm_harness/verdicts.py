"""The verdict lattice and its aggregation (worst wins, as TTCN-3's only-worsen rule)."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable


class Verdict(enum.IntEnum):
    PASS = 0
    PASS_NONSTRICT = 1  # only SHOULD-level checks missed
    INFO = 2  # observational, never gates
    NOT_APPLICABLE = 3  # excluded by the IUT's declared features
    NOT_IMPLEMENTED = 4  # the IUT signalled an optional feature is absent
    INCONCLUSIVE = 5  # a precondition was not reached
    FAIL = 6  # a SHALL check was violated by the IUT
    ERROR = 7  # harness, environment or reference-peer fault; never the IUT's

    @classmethod
    def parse(cls, text: str) -> "Verdict":
        return cls[str(text).strip().upper()]

    @property
    def is_failure(self) -> bool:
        return self >= Verdict.FAIL


def worst(verdicts: Iterable[Verdict], default: Verdict = Verdict.PASS) -> Verdict:
    out = default
    for v in verdicts:
        if v > out:
            out = v
    return out


class VerdictSignal(Exception):
    """Raised inside case execution to end the case with a given verdict."""

    verdict = Verdict.ERROR

    def __init__(self, reason: str, label: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.label = label


class Inconclusive(VerdictSignal):
    verdict = Verdict.INCONCLUSIVE


class NotApplicable(VerdictSignal):
    verdict = Verdict.NOT_APPLICABLE


class NotImplementedByIut(VerdictSignal):
    verdict = Verdict.NOT_IMPLEMENTED


class HarnessError(VerdictSignal):
    verdict = Verdict.ERROR


class Failure(VerdictSignal):
    verdict = Verdict.FAIL


FINDING_PREFIX = "finding-"  # checks made of the reference peer's findings (docs/case-format.md, Findings)


@dataclass
class CheckResult:
    id: str
    labels: list[str]
    strength: str  # SHALL, SHOULD or INFO
    passed: bool | None  # None: could not be judged
    detail: str = ""
    constrains: str = "iut"  # "iut" or "reference": who answers for the fact (harness/omadm_harness/responsibility.py)
    responsible: str = ""  # the party ("device" or "server") that answers for it
    observed: object = None
    status_code: int | None = None
    # What the check read in the exchange (evidence.py): `locator` while the case runs, `message` the
    # 1-based position in the case's transcript of the message it judged, once found there.
    locator: dict | None = None
    message: int | None = None

    @property
    def verdict(self) -> Verdict:
        if self.passed is None:
            return Verdict.INCONCLUSIVE
        if self.passed:
            return Verdict.PASS
        if self.constrains == "reference":
            return Verdict.ERROR
        if self.strength == "INFO":
            return Verdict.INFO
        if self.strength == "SHOULD":
            return Verdict.PASS_NONSTRICT
        return Verdict.FAIL

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "labels": list(self.labels),
            "strength": self.strength,
            "passed": self.passed,
            "verdict": self.verdict.name,
            "detail": self.detail,
            "constrains": self.constrains,
            "responsible": self.responsible,
            "status_code": self.status_code,
            "message": self.message,
        }


@dataclass
class CaseResult:
    case_id: str
    title: str = ""
    labels: list[str] = field(default_factory=list)
    role_under_test: str = "client"
    checks: list[CheckResult] = field(default_factory=list)
    signal: Verdict | None = None  # a verdict raised during execution (N/A, INCONCLUSIVE, ERROR...)
    reason: str = ""
    duration_s: float = 0.0
    transcript: list[dict] = field(default_factory=list)
    exercised: list[str] = field(default_factory=list)  # labels the reference peers reported
    file: str = ""

    @property
    def verdict(self) -> Verdict:
        if self.signal in (Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED):
            return self.signal
        base = worst(c.verdict for c in self.checks)
        if self.signal is not None:
            base = worst([base, self.signal])
        return base

    def first_failure(self) -> CheckResult | None:
        v = self.verdict
        for c in self.checks:
            if c.verdict == v and v >= Verdict.PASS_NONSTRICT:
                return c
        return None

    def summary(self) -> str:
        v = self.verdict
        first = self.first_failure()
        if first is not None and v in (Verdict.FAIL, Verdict.PASS_NONSTRICT, Verdict.ERROR):
            return f"{v.name}: check {first.id} [{', '.join(first.labels)}] {first.detail}".rstrip()
        if self.reason:
            return f"{v.name}: {self.reason}"
        return v.name

    def to_json(self) -> dict:
        first = self.first_failure()
        return {
            "id": self.case_id,
            "title": self.title,
            "file": self.file,
            "labels": list(self.labels),
            "role_under_test": self.role_under_test,
            "verdict": self.verdict.name,
            "summary": self.summary(),
            "reason": self.reason,
            "first_failure": first.to_json() if first else None,
            "duration_s": round(self.duration_s, 3),
            "checks": [c.to_json() for c in self.checks],
            "exercised": sorted(set(self.exercised)),
            "transcript": self.transcript,
        }

    @classmethod
    def from_json(cls, d: dict) -> "CaseResult":
        checks = []
        for c in d.get("checks", []):
            checks.append(
                CheckResult(
                    id=c["id"],
                    labels=c.get("labels", []),
                    strength=c.get("strength", "SHALL"),
                    passed=c.get("passed"),
                    detail=c.get("detail", ""),
                    constrains=c.get("constrains", "iut"),
                    responsible=c.get("responsible", ""),
                    status_code=c.get("status_code"),
                    message=c.get("message"),
                )
            )
        r = cls(
            case_id=d["id"],
            title=d.get("title", ""),
            labels=d.get("labels", []),
            role_under_test=d.get("role_under_test", "client"),
            checks=checks,
            reason=d.get("reason", ""),
            duration_s=d.get("duration_s", 0.0),
            transcript=d.get("transcript", []),
            exercised=d.get("exercised", []),
            file=d.get("file", ""),
        )
        # Restore a raised verdict that the checks alone do not explain.
        stored = Verdict.parse(d.get("verdict", "PASS"))
        if stored != r.verdict:
            r.signal = stored
        return r
