"""Runs a selection of cases, in parallel when asked, with a per-case timeout and progress output."""
from __future__ import annotations

import concurrent.futures as cf
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, TextIO

from .baseline import EMPTY, Baseline
from .catalogue import Catalogue, normalise_label
from .console import Painter, progress_line, use_colour
from .caseformat import Case
from .engine import play
from .process import StartError
from .results import RunResult, result_key
from .verdicts import CaseResult, Verdict

DEFAULT_CASE_TIMEOUT_S = 30.0
START_FAILURE = "did not start: "


@dataclass(frozen=True)
class Item:
    case: Case
    role: str

    @property
    def key(self) -> str:
        return result_key(self.case.id, self.role)


def expand_roles(cases: list[Case], iut: str) -> list[Item]:
    wanted = ("client", "server") if iut == "both" else (iut,)
    return [Item(c, r) for c in cases for r in c.roles() if r in wanted]


def select(items: list[Item], labels: list[str] | None = None, prefixes: list[str] | None = None,
           keyword: str | None = None) -> list[Item]:
    out = items
    if labels:
        wanted = {normalise_label(x) for x in labels}
        out = [i for i in out if wanted & set(i.case.all_labels())]
    if prefixes:
        out = [i for i in out if any(i.case.id.startswith(p) or i.key.startswith(p) for p in prefixes)]
    if keyword:
        out = [i for i in out if keyword.lower() in (i.key + " " + i.case.title).lower()]
    return out


class Progress:
    """One console line per finished case instance, judged against the baseline (console.py)."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False,
                 baseline: Baseline = EMPTY):
        self.total, self.done, self.stream, self.quiet = total, 0, stream or sys.stderr, quiet
        self.baseline = baseline
        self.painter = Painter(use_colour(self.stream))
        self.lock = threading.Lock()

    def report(self, result: CaseResult) -> None:
        with self.lock:
            self.done += 1
            if not self.quiet:
                print(progress_line(self.done, self.total, result, self.baseline.judge(result), self.painter),
                      file=self.stream, flush=True)


def run_items(items: list[Item], topology, catalogue: Catalogue, jobs: int = 1,
              case_timeout_s: float = DEFAULT_CASE_TIMEOUT_S, progress: Progress | None = None,
              run: RunResult | None = None, on_result: Callable[[CaseResult], None] | None = None) -> RunResult:
    run = run or RunResult(run_id="adhoc")
    progress = progress or Progress(len(items), quiet=True)
    pool = cf.ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="case")
    results: dict[str, CaseResult] = {}
    try:
        futures = {pool.submit(run_one, item, topology, catalogue, case_timeout_s): item for item in items}
        for fut in cf.as_completed(futures):
            res = fut.result()
            results[futures[fut].key] = res
            progress.report(res)
            if res.reason.startswith(START_FAILURE):
                run.start_failures += 1
            if on_result:
                on_result(res)
    except KeyboardInterrupt:
        run.interrupted = True
        for f in futures:
            f.cancel()
    finally:
        pool.shutdown(wait=not run.interrupted, cancel_futures=True)
    run.cases = [results[i.key] for i in items if i.key in results]
    return run


def run_one(item: Item, topology, catalogue: Catalogue, case_timeout_s: float) -> CaseResult:
    """One case in its own topology; a case that overruns its timeout is ERROR."""
    timeout = float(item.case.timeout_s or case_timeout_s)
    started = time.monotonic()
    try:
        options = {}
        if (item.case.preconditions or {}).get("account"):
            options["account"] = item.case.preconditions["account"]
        if item.case.uses_second_server():
            options["second_server"] = True
        opened = topology.open(item.key, item.role, **options)
        with opened as pair:
            return play(item.case, item.role, pair, catalogue, timeout)
    except StartError as e:
        return CaseResult(case_id=item.case.id, title=item.case.title, labels=list(item.case.requirements),
                          role_under_test=item.role, signal=Verdict.ERROR, reason=f"{START_FAILURE}{e}",
                          duration_s=time.monotonic() - started, file=str(item.case.file or ""))
    except Exception as e:  # noqa: BLE001 - the harness broke: ERROR, never FAIL
        return CaseResult(case_id=item.case.id, title=item.case.title, labels=list(item.case.requirements),
                          role_under_test=item.role, signal=Verdict.ERROR, reason=f"{type(e).__name__}: {e}",
                          duration_s=time.monotonic() - started, file=str(item.case.file or ""))
