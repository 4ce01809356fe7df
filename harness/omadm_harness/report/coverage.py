"""Requirement coverage: static (labels the cases cite) and dynamic (labels the peers exercised)."""
from __future__ import annotations

from ..catalogue import Catalogue
from ..results import RunResult, result_key
from ..verdicts import Verdict, worst


def coverage_table(run: RunResult, catalogue: Catalogue, static_labels: dict[str, list[str]] | None = None) -> dict:
    """One row per requirement: cases citing it (statically, over all known cases and in this run),
    the verdicts of those in this run, and how many cases the reference peers reported it exercised in."""
    static_labels = static_labels or {}
    rows = []
    for req in catalogue:
        cited_by_run = [c for c in run.cases if req.id in _case_labels(c)]
        cited_static = sorted(cid for cid, labels in static_labels.items() if req.id in labels)
        exercised = [result_key(c.case_id, c.role_under_test) for c in run.cases if req.id in c.exercised]
        verdicts = {result_key(c.case_id, c.role_under_test): _label_verdict(c, req.id).name for c in cited_by_run}
        overall = requirement_verdict([Verdict[v] for v in verdicts.values()]) if verdicts else None
        rows.append(
            {
                "id": req.id,
                "label_as_printed": req.label_as_printed,
                "strength": req.strength,
                "role": req.role,
                "status": req.status,
                "static_cases": cited_static,
                "run_cases": verdicts,
                "dynamic_cases": exercised,
                "verdict": overall.name if overall is not None else None,
                "covered_static": bool(cited_static) or bool(verdicts),
                "covered_dynamic": bool(exercised),
            }
        )
    known = set(catalogue.ids())
    unknown = sorted({label for c in run.cases for label in c.exercised if label not in known})
    return {
        "requirements": rows,
        "static_covered": sum(1 for r in rows if r["covered_static"]),
        "dynamic_covered": sum(1 for r in rows if r["covered_dynamic"]),
        "total": len(rows),
        "unknown_exercised_labels": unknown,
    }


def requirement_verdict(verdicts: list[Verdict]) -> Verdict:
    """A requirement's verdict over the runs citing it: the worst of those that judged it (PASS when
    they all passed); NOT_APPLICABLE or NOT_IMPLEMENTED only when no run judged it."""
    judged = [v for v in verdicts if v not in (Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED)]
    if judged:
        return worst(judged)
    return worst(verdicts, default=Verdict.NOT_APPLICABLE)


def _case_labels(case) -> set[str]:
    labels = set(case.labels)
    for c in case.checks:
        labels.update(c.labels)
    return labels


def _label_verdict(case, label: str) -> Verdict:
    """The verdict of a case as far as one label goes: its checks citing the label, or the case's."""
    if case.verdict in (Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED) or case.signal is not None:
        return case.verdict
    own = [c.verdict for c in case.checks if label in c.labels]
    return worst(own) if own else case.verdict
