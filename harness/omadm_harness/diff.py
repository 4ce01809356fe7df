"""Run-to-run comparison: new failures, fixed, regressions, still failing, added and removed cases."""
from __future__ import annotations

from .results import RunResult, result_key
from .verdicts import Verdict

BAD = (Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.ERROR)


def diff_runs(previous: RunResult, current: RunResult) -> dict:
    before = {result_key(c.case_id, c.role_under_test): c.verdict for c in previous.cases}
    after = {result_key(c.case_id, c.role_under_test): c.verdict for c in current.cases}
    out: dict[str, list] = {
        "new_failures": [],
        "regressions": [],
        "fixed": [],
        "still_failing": [],
        "changed": [],
        "added": [],
        "removed": sorted(k for k in before if k not in after),
    }
    for key, v in sorted(after.items()):
        if key not in before:
            out["added"].append(key)
            if v in BAD:
                out["new_failures"].append({"case": key, "now": v.name})
            continue
        was = before[key]
        if was != v:
            out["changed"].append({"case": key, "was": was.name, "now": v.name})
        if v in BAD and was not in BAD:
            out["regressions"].append({"case": key, "was": was.name, "now": v.name})
        elif v not in BAD and was in BAD:
            out["fixed"].append({"case": key, "was": was.name, "now": v.name})
        elif v in BAD and was in BAD:
            out["still_failing"].append({"case": key, "was": was.name, "now": v.name})
    out["previous_run"] = previous.run_id
    return out


def format_diff(d: dict) -> str:
    lines = [f"diff against run {d.get('previous_run')}:"]
    for name in ("new_failures", "regressions", "fixed", "still_failing"):
        items = d.get(name, [])
        lines.append(f"  {name.replace('_', ' ')}: {len(items)}")
        for item in items:
            lines.append(f"    {item['case']}: {item.get('was', '-')} -> {item['now']}")
    lines.append(f"  added: {len(d.get('added', []))}, removed: {len(d.get('removed', []))}")
    return "\n".join(lines)
