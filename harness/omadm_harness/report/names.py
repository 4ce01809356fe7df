"""Where each case's parts of a report live, relative to the report directory."""
from __future__ import annotations

from ..results import result_key


def report_anchor(case) -> str:
    """The case's section of report.html."""
    return f"report.html#{result_key(case.case_id, case.role_under_test)}"


def transcript_name(case) -> str:
    """The case's masked transcript."""
    return f"transcripts/{result_key(case.case_id, case.role_under_test).replace('@', '.')}.txt"
