"""What a run prints on the console: one progress line per case instance, then the unexpected
results, then the summary as the last line. A failure the baseline lists reads "FAIL (expected)",
never like a new one. Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
from __future__ import annotations

import os
from typing import TextIO

from .baseline import XFAIL, Judgement
from .results import RunResult, result_key
from .verdicts import CaseResult, Verdict

_RESET = "\033[0m"
_VERDICT_COLOUR = {
    Verdict.PASS: "\033[32m",  # green
    Verdict.INCONCLUSIVE: "\033[33m",  # yellow
    Verdict.FAIL: "\033[31m",  # red
    Verdict.ERROR: "\033[1;31m",  # bold red
}
_EXPECTED_COLOUR = "\033[36m"  # cyan: a listed failure, not a new one
_UNEXPECTED_COLOUR = "\033[1;31m"
LABEL_WIDTH = 26  # "INCONCLUSIVE (expected)" and a margin


def use_colour(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


class Painter:
    def __init__(self, colour: bool):
        self.colour = colour

    def paint(self, text: str, code: str | None) -> str:
        return f"{code}{text}{_RESET}" if self.colour and code else text


def verdict_label(result: CaseResult, judgement: Judgement, painter: Painter) -> str:
    """The verdict as the console shows it, padded to one column width before colouring."""
    if judgement.outcome == XFAIL:
        return painter.paint(f"{result.verdict.name} (expected)".ljust(LABEL_WIDTH), _EXPECTED_COLOUR)
    return painter.paint(result.verdict.name.ljust(LABEL_WIDTH), _VERDICT_COLOUR.get(result.verdict))


def progress_line(done: int, total: int, result: CaseResult, judgement: Judgement, painter: Painter) -> str:
    key = result_key(result.case_id, result.role_under_test)
    line = f"[{done}/{total}] {verdict_label(result, judgement, painter)} {key} ({result.duration_s:.2f}s)"
    if result.verdict >= Verdict.INCONCLUSIVE:
        line += f"  {result.summary()}"
    return line


def closing_lines(run: RunResult, out_dir, painter: Painter) -> list[str]:
    """The unexpected results, one per line, then the summary: counts, expected failures, findings,
    where the reports are, and the exit code's meaning."""
    lines = []
    for c in run.unexpected():
        notes = "; ".join(run.judgement(c).notes)
        lines.append(painter.paint("UNEXPECTED", _UNEXPECTED_COLOUR)
                     + f" {c.case_id}@{c.role_under_test}: {c.summary()} ({notes})")
    counts = ", ".join(f"{k} {v}" for k, v in run.counts().items() if v)
    expected = sum(1 for c in run.cases if run.judgement(c).outcome == XFAIL)
    extra = []
    if expected:
        extra.append(f"{expected} expected by the baseline")
    if run.findings():
        extra.append(f"{run.findings()} finding(s)")
    unexpected = len(run.unexpected())
    outcome = (painter.paint(f"{unexpected} unexpected", _UNEXPECTED_COLOUR) if unexpected
               else painter.paint("nothing unexpected", _VERDICT_COLOUR[Verdict.PASS]))
    if run.interrupted:
        outcome = painter.paint("interrupted", _VERDICT_COLOUR[Verdict.INCONCLUSIVE]) + f", {outcome}"
    lines.append(f"{len(run.cases)} case(s): {counts}" + "".join(f"; {e}" for e in extra)
                 + f"; {outcome}; reports in {out_dir}")
    return lines
