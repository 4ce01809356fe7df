"""Markdown coverage table."""
from __future__ import annotations

from ..catalogue import Catalogue
from ..results import RunResult


def render_coverage_markdown(run: RunResult, catalogue: Catalogue, cov: dict) -> str:
    counts = run.counts()
    lines = [
        f"# Requirement coverage: run {run.run_id}",
        "",
        f"{cov['static_covered']}/{cov['total']} requirements cited by cases (static), "
        f"{cov['dynamic_covered']}/{cov['total']} reported exercised by the reference peers (dynamic).",
        "",
        "Verdicts: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v),
        "",
        f"Findings of the reference peers on the IUT's messages: {run.findings()}.",
        "",
        "| Requirement | As printed | Strength | Static cases | Dynamic | Verdict in this run |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for row in cov["requirements"]:
        static_n = len(set(row["static_cases"]) | {k.split("@")[0] for k in row["run_cases"]})
        lines.append(
            f"| {row['id']} | {row['label_as_printed']} | {row['strength']} | {static_n} | "
            f"{len(row['dynamic_cases'])} | {row['verdict'] or 'not run'} |"
        )
    uncovered = [r["id"] for r in cov["requirements"] if not r["covered_static"]]
    if uncovered:
        lines += ["", "Not cited by any case: " + ", ".join(uncovered)]
    if cov.get("unknown_exercised_labels"):
        lines += ["", "Labels reported by the peers but not in the catalogue: " + ", ".join(cov["unknown_exercised_labels"])]
    return "\n".join(lines) + "\n"
