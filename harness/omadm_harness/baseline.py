"""Expected-failure baselines: per check, with a reason, strict in both directions.

A listed failure that now passes is stale and fails the run; a failure for another reason than
the listed one (another verdict, status code or detail) fails the run as well.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .verdicts import CaseResult, Verdict
from .yamlload import load_file

# Outcome classes of one case against the baseline.
EXPECTED = "EXPECTED"  # nothing unexpected
XFAIL = "XFAIL"  # failed as listed
STALE = "STALE"  # listed, but now passes
WRONG_REASON = "WRONG_REASON"  # listed, but fails otherwise than listed
NEW_FAIL = "NEW_FAIL"  # fails and is not listed
UNEXPECTED = (STALE, WRONG_REASON, NEW_FAIL)

# Case verdicts that gate a run when no baseline entry covers them.
GATING = (Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.ERROR)


class BaselineError(Exception):
    pass


@dataclass
class Entry:
    case: str
    check: str | None
    verdict: Verdict
    reason: str
    role: str | None = None
    status_code: int | None = None
    detail_match: str | None = None
    bug: str | None = None
    line: int = 0

    def applies_to(self, result: CaseResult) -> bool:
        return self.case == result.case_id and (self.role is None or self.role == result.role_under_test)


@dataclass
class Judgement:
    outcome: str = EXPECTED
    notes: list[str] = field(default_factory=list)

    @property
    def unexpected(self) -> bool:
        return self.outcome in UNEXPECTED

    def worsen(self, outcome: str, note: str) -> None:
        order = [EXPECTED, XFAIL, STALE, WRONG_REASON, NEW_FAIL]
        if order.index(outcome) > order.index(self.outcome):
            self.outcome = outcome
        self.notes.append(note)

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "unexpected": self.unexpected, "notes": list(self.notes)}


class Baseline:
    def __init__(self, entries: list[Entry] | None = None, path: str = ""):
        self.entries = entries or []
        self.path = path

    @classmethod
    def load(cls, path: Path | str) -> "Baseline":
        doc = load_file(path)
        items = (doc or {}).get("expected_failures", []) if isinstance(doc, dict) else None
        if not isinstance(items, list):
            raise BaselineError(f"{path}: expected a mapping with an 'expected_failures' list")
        entries = []
        for item in items:
            line = getattr(item, "line", 0)
            if not isinstance(item, dict) or "case" not in item or "reason" not in item:
                raise BaselineError(f"{path}:{line}: an entry needs 'case' and 'reason'")
            try:
                verdict = Verdict.parse(item.get("verdict", "FAIL"))
            except KeyError as e:
                raise BaselineError(f"{path}:{line}: unknown verdict {item.get('verdict')!r}") from e
            entries.append(
                Entry(
                    case=str(item["case"]),
                    check=item.get("check"),
                    verdict=verdict,
                    reason=str(item["reason"]),
                    role=item.get("role"),
                    status_code=item.get("status_code"),
                    detail_match=item.get("detail_match"),
                    bug=item.get("bug"),
                    line=line,
                )
            )
        return cls(entries, str(path))

    def judge(self, result: CaseResult) -> Judgement:
        j = Judgement()
        entries = [e for e in self.entries if e.applies_to(result)]
        covered_checks = set()
        for e in entries:
            if e.check is None:
                self._judge_case_entry(e, result, j)
                covered_checks.add(None)
            else:
                self._judge_check_entry(e, result, j)
                covered_checks.add(e.check)
        if None in covered_checks:
            return j
        for c in result.checks:
            if c.verdict in GATING and c.id not in covered_checks:
                j.worsen(NEW_FAIL, f"check {c.id} {c.verdict.name} [{', '.join(c.labels)}]: {c.detail}")
        if result.signal in GATING and not any(c.verdict in GATING for c in result.checks):
            j.worsen(NEW_FAIL, f"case {result.verdict.name}: {result.reason}")
        return j

    @staticmethod
    def _judge_case_entry(e: Entry, result: CaseResult, j: Judgement) -> None:
        v = result.verdict
        if v not in GATING:
            j.worsen(STALE, f"baseline {e.case} expects {e.verdict.name} but the case is {v.name} (stale entry)")
        elif v != e.verdict or (e.detail_match and not re.search(e.detail_match, result.summary())):
            j.worsen(WRONG_REASON, f"baseline {e.case} expects {e.verdict.name} ({e.reason}); got {result.summary()}")
        else:
            j.worsen(XFAIL, f"expected: {e.reason}")

    @staticmethod
    def _judge_check_entry(e: Entry, result: CaseResult, j: Judgement) -> None:
        check = next((c for c in result.checks if c.id == e.check), None)
        if check is None or check.verdict not in GATING:
            state = "did not run" if check is None else check.verdict.name
            j.worsen(STALE, f"baseline {e.case}/{e.check} expects {e.verdict.name} but the check {state} (stale entry)")
            return
        wrong = []
        if check.verdict != e.verdict:
            wrong.append(f"verdict {check.verdict.name}")
        if e.status_code is not None and check.status_code != e.status_code:
            wrong.append(f"status code {check.status_code} instead of {e.status_code}")
        if e.detail_match and not re.search(e.detail_match, check.detail or ""):
            wrong.append(f"detail {check.detail!r} does not match {e.detail_match!r}")
        if wrong:
            j.worsen(WRONG_REASON, f"baseline {e.case}/{e.check} ({e.reason}): {'; '.join(wrong)}")
        else:
            j.worsen(XFAIL, f"{e.check} expected: {e.reason}")

    def unused(self, results: list[CaseResult]) -> list[Entry]:
        """Entries whose case did not run in this selection (reported, not gating)."""
        return [e for e in self.entries if not any(e.applies_to(r) for r in results)]


EMPTY = Baseline()
