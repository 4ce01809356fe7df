"""Mutation runner: plays the suite against every deliberately faulty mode of the reference peers
(testcases/faults/) and against the conforming peers, and prints the kill matrix (docs/faults.md).

A fault is killed only by a FAIL on a check labelled with a requirement the fault violates. An
ERROR against a faulty IUT counts against the harness; so does any non-PASS against the
conforming peers.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from .adapter import AdapterSpec
from .catalogue import Catalogue, normalise_label
from .caseformat import Case
from .paths import adapters_dir, faults_dir
from .results import RunResult, result_key
from .runner import DEFAULT_CASE_TIMEOUT_S, expand_roles, run_items
from .verdicts import CaseResult, Verdict
from .yamlload import load_file

REFERENCE_ADAPTERS = {"client": "ref-client.yaml", "server": "ref-server.yaml"}
ROLES = ("client", "server")


class FaultCatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Fault:
    role: str  # the role the faulty peer plays as IUT: client (device) or server
    id: str
    effect: str
    violates: tuple[str, ...]
    caught_by: tuple[str, ...]
    where: str = ""  # file:line

    @property
    def key(self) -> str:
        return f"{self.role}/{self.id}"


def load_faults(directory: Path | None, catalogue: Catalogue) -> list[Fault]:
    """Every fault of testcases/faults/*.yaml, checked: known labels, unique ids, role per file."""
    out: list[Fault] = []
    for path in sorted(Path(directory or faults_dir()).glob("*.yaml")):
        doc = load_file(path)
        role = doc.get("role") if isinstance(doc, dict) else None
        if role not in ROLES:
            raise FaultCatalogueError(f"{path}:1: role must be client or server")
        seen: set[str] = set()
        for i, f in enumerate(doc.get("faults") or []):
            line = f.line if hasattr(f, "line") else 1
            where = f"{path}:{line}"
            if not isinstance(f, dict) or not isinstance(f.get("id"), str) or not f.get("violates"):
                raise FaultCatalogueError(f"{where}: a fault needs an id and a non-empty violates list")
            if f["id"] in seen:
                raise FaultCatalogueError(f"{where}: duplicate fault {f['id']!r}")
            seen.add(f["id"])
            for label in f["violates"]:
                if catalogue.resolve(label) is None:
                    raise FaultCatalogueError(f"{where}: unknown requirement label {label!r}")
            out.append(Fault(role=role, id=f["id"], effect=str(f.get("effect", "")),
                             violates=tuple(normalise_label(x) for x in f["violates"]),
                             caught_by=tuple(str(c) for c in f.get("caught_by") or []), where=where))
    return out


def killing_checks(result: CaseResult, violates: tuple[str, ...]) -> list[str]:
    """The labels of `violates` on which `result` FAILed a check."""
    hit: list[str] = []
    for c in result.checks:
        if c.verdict == Verdict.FAIL:
            hit += [x for x in c.labels if x in violates and x not in hit]
    return hit


@dataclass
class FaultOutcome:
    fault: Fault
    killed_by: dict[str, list[str]] = field(default_factory=dict)  # case@role -> labels
    errors: list[str] = field(default_factory=list)  # case@role: summary
    missed_expected: list[str] = field(default_factory=list)  # caught_by cases that did not kill it
    verdicts: dict[str, int] = field(default_factory=dict)

    @property
    def killed(self) -> bool:
        return bool(self.killed_by)

    def to_json(self) -> dict:
        return {"role": self.fault.role, "fault": self.fault.id, "effect": self.fault.effect,
                "violates": list(self.fault.violates), "killed": self.killed, "killed_by": self.killed_by,
                "errors": self.errors, "missed_expected": self.missed_expected, "verdicts": self.verdicts}


def judge_fault(fault: Fault, run: RunResult) -> FaultOutcome:
    out = FaultOutcome(fault)
    for c in run.cases:
        out.verdicts[c.verdict.name] = out.verdicts.get(c.verdict.name, 0) + 1
        key = result_key(c.case_id, c.role_under_test)
        labels = killing_checks(c, fault.violates)
        if labels:
            out.killed_by[key] = labels
        if c.verdict == Verdict.ERROR:
            out.errors.append(f"{key}: {c.summary()}")
    killers = {k.split("@")[0] for k in out.killed_by}
    out.missed_expected = [c for c in fault.caught_by if c not in killers]
    return out


@dataclass
class MutationResult:
    outcomes: list[FaultOutcome]
    conforming: list[CaseResult]
    server_runs: int = 0  # server-mode runs of the suite played against a faulty server
    server_runs_failing: int = 0  # of them, those that FAILed at least one faulty server

    @property
    def killed(self) -> int:
        return sum(1 for o in self.outcomes if o.killed)

    @property
    def errors(self) -> int:
        return sum(len(o.errors) for o in self.outcomes)

    @property
    def conforming_non_pass(self) -> list[CaseResult]:
        return [c for c in self.conforming if c.verdict != Verdict.PASS]

    def ok(self) -> bool:
        """Every fault killed, by every case the catalogue says catches it; no ERROR; conforming
        peers all PASS."""
        return (self.killed == len(self.outcomes) and not self.errors and not self.conforming_non_pass
                and not any(o.missed_expected for o in self.outcomes))

    def last_line(self) -> str:
        return (f"mutation: {len(self.outcomes)} faults, {self.killed} killed, {self.errors} errors, "
                f"{len(self.conforming_non_pass)} conforming-peer non-PASS")

    def to_json(self) -> dict:
        return {"faults": [o.to_json() for o in self.outcomes],
                "conforming_non_pass": [f"{result_key(c.case_id, c.role_under_test)}: {c.summary()}"
                                        for c in self.conforming_non_pass],
                "server_runs": self.server_runs, "server_runs_failing": self.server_runs_failing,
                "summary": self.last_line()}

    def matrix_markdown(self) -> str:
        lines = ["# Kill matrix", "", "| fault | role | violates | killed by (case@role: labels) | errors |",
                 "| --- | --- | --- | --- | ---: |"]
        for o in self.outcomes:
            killers = "<br>".join(f"{k}: {', '.join(v)}" for k, v in sorted(o.killed_by.items())) or "**not killed**"
            lines.append(f"| {o.fault.id} | {o.fault.role} | {', '.join(o.fault.violates)} | {killers} | "
                         f"{len(o.errors)} |")
        lines += ["", self.last_line(), ""]
        return "\n".join(lines)


def run_mutation(cases: list[Case], catalogue: Catalogue, faults: list[Fault],
                 make_topology: Callable[[dict[str, AdapterSpec]], object], jobs: int = 1,
                 case_timeout_s: float = DEFAULT_CASE_TIMEOUT_S, stream: TextIO | None = None,
                 conforming: bool = True, expected_only: bool = False) -> MutationResult:
    """`make_topology(specs)` builds the topology for one adapter per role (ProcessTopology); with
    `expected_only` each fault is played against its `caught_by` cases only (a quick check)."""
    stream = stream or sys.stderr
    reference = {r: AdapterSpec.load(adapters_dir() / f) for r, f in REFERENCE_ADAPTERS.items()}
    conforming_results: list[CaseResult] = []
    if conforming:
        items = expand_roles(cases, "both")
        run = _run(items, make_topology(reference), catalogue, jobs, case_timeout_s)
        conforming_results = run.cases
        bad = [c for c in run.cases if c.verdict != Verdict.PASS]
        print(f"conforming peers: {len(run.cases)} runs, {len(bad)} non-PASS", file=stream, flush=True)
        for c in bad:
            print(f"  {result_key(c.case_id, c.role_under_test)}: {c.summary()}", file=stream)
    outcomes: list[FaultOutcome] = []
    server_failing: set[str] = set()
    server_played: set[str] = set()
    for fault in faults:
        faulty = dataclasses.replace(reference[fault.role], name=f"{reference[fault.role].name}+{fault.id}",
                                     faults={fault.id: True})
        items = expand_roles(cases, fault.role)
        if expected_only:
            items = [i for i in items if i.case.id in fault.caught_by]
        if fault.role == "server":
            server_played |= {i.key for i in items}
        run = _run(items, make_topology({**reference, fault.role: faulty}), catalogue, jobs, case_timeout_s)
        outcome = judge_fault(fault, run)
        outcomes.append(outcome)
        if fault.role == "server":
            server_failing |= {result_key(c.case_id, c.role_under_test) for c in run.cases
                               if c.verdict == Verdict.FAIL}
        _print_outcome(outcome, stream)
    return MutationResult(outcomes, conforming_results, len(server_played), len(server_failing))


def _run(items, topology, catalogue: Catalogue, jobs: int, case_timeout_s: float) -> RunResult:
    try:
        run = run_items(items, topology, catalogue, jobs=jobs, case_timeout_s=case_timeout_s)
        if run.interrupted:  # SIGTERM or SIGINT: the whole matrix stops (exit 3), not just this fault
            raise KeyboardInterrupt
        return run
    finally:
        close = getattr(topology, "close", None)
        if close:
            close()


def _print_outcome(o: FaultOutcome, stream: TextIO) -> None:
    state = "KILLED" if o.killed else "ALIVE "
    killers = "; ".join(f"{k} [{', '.join(v)}]" for k, v in sorted(o.killed_by.items()))
    print(f"{state} {o.fault.key}: " + (f"by {len(o.killed_by)} run(s): {killers}" if o.killed
                                       else f"no FAIL on {', '.join(o.fault.violates)}"), file=stream, flush=True)
    for e in o.errors:  # each names its fault: the line follows that fault's, not the next one's
        print(f"  ERROR under {o.fault.key}: {e}", file=stream)
    if o.missed_expected:
        print(f"  expected to be caught by, but was not: {', '.join(o.missed_expected)}", file=stream)


def write_mutation_reports(result: MutationResult, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "mutation.json").write_text(json.dumps(result.to_json(), indent=2), encoding="utf-8")
    (out_dir / "mutation.md").write_text(result.matrix_markdown(), encoding="utf-8")
    return out_dir
