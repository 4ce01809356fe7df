import json
import subprocess
import sys
from pathlib import Path

import pytest

from omadm_harness.cli import main
from omadm_harness.results import RunResult
from omadm_harness.verdicts import CaseResult, CheckResult

from helpers import CATALOGUE, GOOD_CASE, write_case


def cases_dir(tmp_path):
    write_case(tmp_path / "cases", GOOD_CASE)
    return tmp_path / "cases"


def test_lint_clean_and_dirty(tmp_path, capsys):
    d = cases_dir(tmp_path)
    assert main(["lint", "--cases", str(d)]) == 0
    write_case(d, GOOD_CASE.replace("kind: session", "kind: nap"), area="bad")
    assert main(["lint", "--cases", str(d)]) == 1
    assert "unknown step kind 'nap'" in capsys.readouterr().out


def test_list_and_no_case_selected(tmp_path, capsys):
    d = cases_dir(tmp_path)
    assert main(["list", "--cases", str(d), "--iut", "client"]) == 0
    assert "MgmtPolicyMO-HLF-1-download-minimal@client" in capsys.readouterr().out
    assert main(["list", "--cases", str(d), "--id", "MgmtPolicyMO-HLF-9"]) == 2


def test_run_with_no_case_selected_exits_2(tmp_path):
    assert main(["run", "--cases", str(cases_dir(tmp_path)), "-l", "MgmtPolicyMO-DMS-02", "--out", str(tmp_path)]) == 2


def test_run_with_bad_adapter_exits_2(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("name: x\nrole: toaster\n")
    assert main(["run", "--cases", str(cases_dir(tmp_path)), "--adapter", str(bad), "--out", str(tmp_path)]) == 2


def test_run_with_missing_build_info_exits_2(tmp_path):
    rc = main(["run", "--cases", str(cases_dir(tmp_path)), "--build-dir", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert rc == 2


def test_a_missing_start_program_is_refused_before_the_first_case(tmp_path, capsys):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "harness.json").write_text(json.dumps({"server": "/nonexistent/srv", "client": "/nonexistent/cli"}))
    rc = main(["run", "--cases", str(cases_dir(tmp_path)), "--build-dir", str(tmp_path / "b"), "--iut", "client",
               "--out", str(tmp_path / "out"), "-q"])
    assert rc == 2 and not (tmp_path / "out").exists()
    assert "start program '/nonexistent/cli' not found" in capsys.readouterr().err


def test_run_when_binary_does_not_start_exits_2_before_the_first_case(tmp_path, capsys):
    """The probe before the first case starts the pair once: a peer that exits at once is exit 2 with
    one message, not an ERROR in every case (harness/tests/test_probe.py for IUT adapters)."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "harness.json").write_text(json.dumps({"server": "/bin/false", "client": "/bin/false"}))
    rc = main(["run", "--cases", str(cases_dir(tmp_path)), "--build-dir", str(tmp_path / "b"), "--iut", "client",
               "--out", str(tmp_path / "out"), "-q"])
    assert rc == 2 and not (tmp_path / "out").exists()
    assert "did not start: omadm-ref-server: exited (code 1) before READY" in capsys.readouterr().err


def test_a_missing_diff_file_is_refused_before_the_run(tmp_path, capsys):
    rc = main(["run", "--cases", str(cases_dir(tmp_path)), "--diff", str(tmp_path / "nope.json"),
               "--out", str(tmp_path / "out")])
    assert rc == 2 and not (tmp_path / "out").exists()
    assert "no such results file" in capsys.readouterr().err


def _results(tmp_path, name, passed, role="client"):
    run = RunResult(name, cases=[CaseResult("MgmtPolicyMO-HLF-1-download-minimal", role_under_test=role,
                                            labels=["MgmtPolicyMO-HLF-1"],
                                            checks=[CheckResult("dl-accepted", ["MgmtPolicyMO-HLF-1"], "SHALL", passed)])])
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(run.to_json()))
    return path


def test_report_merge_and_diff(tmp_path):
    a = _results(tmp_path, "shard1", True)
    b = _results(tmp_path, "shard2", False, role="server")
    out = tmp_path / "out"
    assert main(["report", str(a), str(b)]) == 2  # several files need --merge
    assert main(["report", "--merge", str(a), str(b), "--out", str(out)]) == 1
    doc = json.loads((out / "latest" / "results.json").read_text())
    assert len(doc["cases"]) == 2 and doc["run"]["merged_from"] == ["shard1", "shard2"]
    assert main(["report", str(a), "--out", str(out), "--diff", str(b)]) == 0


def test_report_with_baseline(tmp_path):
    bl = tmp_path / "bl.yaml"
    bl.write_text("expected_failures:\n  - case: MgmtPolicyMO-HLF-1-download-minimal\n    check: dl-accepted\n"
                  "    reason: known\n")
    assert main(["report", str(_results(tmp_path, "r", False)), "--baseline", str(bl), "--out", str(tmp_path)]) == 0
    assert main(["report", str(_results(tmp_path, "s", True)), "--baseline", str(bl), "--out", str(tmp_path)]) == 1


def test_module_entry_point(tmp_path):
    harness = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "omadm_harness", "list", "--cases", str(cases_dir(tmp_path))],
                          cwd=harness, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_cases_repeat_so_own_cases_run_beside_the_suite(tmp_path, capsys):
    d = cases_dir(tmp_path)
    own = tmp_path / "own"
    write_case(own, GOOD_CASE.replace("download-minimal", "download-own"))
    assert main(["list", "--cases", str(d), "--cases", str(own), "--iut", "client"]) == 0
    out = capsys.readouterr().out
    assert "download-minimal@client" in out and "download-own@client" in out


def test_zero_jobs_is_refused_before_anything_runs(tmp_path, capsys):
    assert main(["run", "--cases", str(cases_dir(tmp_path)), "-j", "0", "--out", str(tmp_path / "o")]) == 2
    assert "-j must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_labels_and_ids_are_matched_as_people_type_them(tmp_path, capsys):
    d = cases_dir(tmp_path)
    for args in (["-l", "hlf-1"], ["-l", "MgmtPolicyMO-HLF -1"], ["--id", "HLF-1"]):
        assert main(["list", "--cases", str(d), *args]) == 0, args
        assert "MgmtPolicyMO-HLF-1-download-minimal@client" in capsys.readouterr().out
    assert main(["list", "--cases", str(d), "-l", "HLF-42"]) == 2
    assert "unknown requirement label(s): HLF-42" in capsys.readouterr().err


def test_version_and_requirements(capsys):
    from omadm_harness import __version__

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"omadm_harness {__version__}"
    assert main(["requirements"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("MgmtPolicyMO-") and "\tSHALL\t" in lines[0]
    assert len(lines) == len(list(CATALOGUE))
