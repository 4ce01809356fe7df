"""Report writers: JUnit XML, JSON, one self-contained HTML page, Markdown coverage, transcripts."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..catalogue import Catalogue
from ..results import RunResult, result_key
from .coverage import coverage_table
from .html import render_html
from .junit import render_junit
from .names import transcript_name
from .markdown import render_coverage_markdown


def render_transcript(case) -> str:
    lines = [f"# {case.case_id} ({case.role_under_test} under test): masked transcript"]
    for i, m in enumerate(case.transcript, 1):
        arrow = "device -> server" if m.get("dir") == "in" else "server -> device"
        lines.append(f"--- {i} {arrow} session={m.get('session', '')} msg={m.get('msg_id', '')}")
        lines.append(str(m.get("xml", "")).rstrip())
    return "\n".join(lines) + "\n"


def write_reports(run: RunResult, out_dir: Path, catalogue: Catalogue, static_labels: dict[str, list[str]] | None = None,
                  latest_link: bool = True) -> Path:
    """Write every report of `run` into `out_dir` (created); point `<parent>/latest` at it."""
    out_dir = Path(out_dir)
    (out_dir / "transcripts").mkdir(parents=True, exist_ok=True)
    cov = coverage_table(run, catalogue, static_labels)
    doc = run.to_json()
    doc["coverage"] = cov
    for case_doc, case in zip(doc["cases"], run.cases):
        if case.transcript:
            rel = transcript_name(case)
            (out_dir / rel).write_text(render_transcript(case), encoding="utf-8")
            case_doc["transcript_ref"] = rel
        else:
            case_doc["transcript_ref"] = None
    (out_dir / "results.json").write_text(json.dumps(doc, indent=2, sort_keys=False), encoding="utf-8")
    (out_dir / "junit.xml").write_bytes(render_junit(run, catalogue))
    (out_dir / "report.html").write_text(render_html(run, catalogue, cov), encoding="utf-8")
    (out_dir / "coverage.md").write_text(render_coverage_markdown(run, catalogue, cov), encoding="utf-8")
    if latest_link:
        _point_latest(out_dir)
    return out_dir


def _point_latest(out_dir: Path) -> None:
    latest = out_dir.parent / "latest"
    tmp = out_dir.parent / f".latest-{os.getpid()}"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(out_dir.name)
        os.replace(tmp, latest)
    except OSError:
        pass
