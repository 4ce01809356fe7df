"""Console output of a run: expected failures read as expected, the summary is the last line,
colour only on a terminal and never with NO_COLOR."""
import io

from omadm_harness.baseline import Baseline
from omadm_harness.console import Painter, closing_lines, use_colour
from omadm_harness.results import RunResult
from omadm_harness.runner import Progress
from omadm_harness.verdicts import CaseResult, CheckResult

ESC = "\033["


def failing(case="MgmtPolicyMO-HLF-2-update"):
    return CaseResult(case, role_under_test="client", checks=[
        CheckResult("replaced", ["MgmtPolicyMO-HLF-2"], "SHALL", False, detail="status 404", status_code=404)])


def passing():
    return CaseResult("MgmtPolicyMO-HLF-1-download", role_under_test="server", checks=[
        CheckResult("stored", ["MgmtPolicyMO-HLF-1"], "SHALL", True)])


def listed(tmp_path):
    f = tmp_path / "b.yaml"
    f.write_text("expected_failures:\n  - case: MgmtPolicyMO-HLF-2-update\n    check: replaced\n"
                 "    verdict: FAIL\n    reason: update not supported yet\n")
    return Baseline.load(f)


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_listed_failure_reads_as_expected_and_a_new_one_does_not(tmp_path):
    out = io.StringIO()
    progress = Progress(2, stream=out, baseline=listed(tmp_path))
    progress.report(failing())
    progress.report(failing("MgmtPolicyMO-HLF-3-activate"))
    first, second = out.getvalue().splitlines()
    assert first.startswith("[1/2] FAIL (expected)") and "MgmtPolicyMO-HLF-2-update@client" in first
    assert second.startswith("[2/2] FAIL ") and "(expected)" not in second
    assert ESC not in out.getvalue(), "colour written to a stream that is not a terminal"


def test_summary_is_the_last_line_after_the_unexpected_results(tmp_path):
    run = RunResult("r", cases=[passing(), failing(), failing("MgmtPolicyMO-HLF-3-activate")])
    run.apply_baseline(listed(tmp_path))
    lines = closing_lines(run, "/tmp/reports/r", Painter(False))
    assert len(lines) == 2
    assert lines[0].startswith("UNEXPECTED MgmtPolicyMO-HLF-3-activate@client")
    assert lines[-1] == ("3 case(s): PASS 1, FAIL 2; 1 expected by the baseline; 1 unexpected; "
                         "reports in /tmp/reports/r")


def test_all_as_expected_says_so():
    run = RunResult("r", cases=[passing()])
    run.apply_baseline(Baseline())
    assert closing_lines(run, "out", Painter(False)) == ["1 case(s): PASS 1; nothing unexpected; reports in out"]


def test_colour_on_a_terminal_only_and_never_with_no_color():
    assert use_colour(Tty(), {"TERM": "xterm"})
    assert not use_colour(io.StringIO(), {"TERM": "xterm"})
    assert not use_colour(Tty(), {"TERM": "xterm", "NO_COLOR": "1"})
    assert not use_colour(Tty(), {"TERM": "dumb"})
    out = Tty()
    Progress(1, stream=out).report(failing())
    assert f"{ESC}31mFAIL" in out.getvalue()
