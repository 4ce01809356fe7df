"""A run's results: metadata, per-case results, baseline judgements; JSON round trip; exit code."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .baseline import EMPTY, Baseline, Judgement
from .verdicts import FINDING_PREFIX, CaseResult, Verdict

JSON_SCHEMA_VERSION = 1

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_HARNESS = 2
EXIT_INTERRUPTED = 3


def result_key(case_id: str, role: str) -> str:
    return f"{case_id}@{role}"


@dataclass
class RunResult:
    run_id: str
    cases: list[CaseResult] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    judgements: dict[str, Judgement] = field(default_factory=dict)
    interrupted: bool = False
    diff: dict | None = None
    start_failures: int = 0  # cases whose IUT or reference peer did not start

    def apply_baseline(self, baseline: Baseline = EMPTY) -> None:
        self.judgements = {result_key(c.case_id, c.role_under_test): baseline.judge(c) for c in self.cases}
        self.meta["baseline"] = baseline.path or None
        self.meta["baseline_unused"] = [f"{e.case}/{e.check or '*'}" for e in baseline.unused(self.cases)]

    def judgement(self, case: CaseResult) -> Judgement:
        key = result_key(case.case_id, case.role_under_test)
        if key not in self.judgements:
            self.judgements[key] = EMPTY.judge(case)
        return self.judgements[key]

    def unexpected(self) -> list[CaseResult]:
        return [c for c in self.cases if self.judgement(c).unexpected]

    def counts(self) -> dict[str, int]:
        out = {v.name: 0 for v in Verdict}
        for c in self.cases:
            out[c.verdict.name] += 1
        return out

    def findings(self) -> int:
        """How many deviations the reference peers found in the IUT's messages (docs/case-format.md)."""
        return sum(1 for c in self.cases for k in c.checks if k.id.startswith(FINDING_PREFIX))

    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if not self.cases or self.start_failures:
            return EXIT_HARNESS
        return EXIT_UNEXPECTED if self.unexpected() else EXIT_OK

    def to_json(self) -> dict:
        return {
            "schema": JSON_SCHEMA_VERSION,
            "run": {
                "id": self.run_id,
                "harness_version": __version__,
                "interrupted": self.interrupted,
                **self.meta,
            },
            "summary": {
                "total": len(self.cases),
                "verdicts": self.counts(),
                "findings": self.findings(),
                "unexpected": [result_key(c.case_id, c.role_under_test) for c in self.unexpected()],
                "exit_code": self.exit_code(),
            },
            "cases": [
                {**c.to_json(), "key": result_key(c.case_id, c.role_under_test), "baseline": self.judgement(c).to_json()}
                for c in self.cases
            ],
            "diff": self.diff,
        }

    @classmethod
    def from_json(cls, doc: dict) -> "RunResult":
        run = dict(doc.get("run", {}))
        run_id = run.pop("id", "merged")
        interrupted = bool(run.pop("interrupted", False))
        run.pop("harness_version", None)
        res = cls(run_id=run_id, meta=run, interrupted=interrupted)
        res.cases = [CaseResult.from_json(c) for c in doc.get("cases", [])]
        return res

    @classmethod
    def load(cls, path: Path | str) -> "RunResult":
        with open(path, encoding="utf-8") as f:
            return cls.from_json(json.load(f))


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{int(time.time() * 1000) % 1000:03d}"


def merge(results: list[RunResult], run_id: str | None = None) -> RunResult:
    """Merge shard results into one run; a case present in two shards is an error."""
    merged = RunResult(run_id=run_id or new_run_id())
    seen: set[str] = set()
    shards = []
    for r in results:
        shards.append(r.run_id)
        merged.interrupted = merged.interrupted or r.interrupted
        for c in r.cases:
            key = result_key(c.case_id, c.role_under_test)
            if key in seen:
                raise ValueError(f"case {key} appears in more than one shard")
            seen.add(key)
            merged.cases.append(c)
    merged.cases.sort(key=lambda c: result_key(c.case_id, c.role_under_test))
    if results:
        merged.meta = {k: v for k, v in results[0].meta.items() if k not in ("shard", "baseline_unused")}
    merged.meta["merged_from"] = shards
    return merged
