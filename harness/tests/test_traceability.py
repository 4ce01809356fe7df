import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "check_traceability.py"
MARKER = "@pytest.mark." + "requirement"  # split so that the gate does not read this file as citing

REQS = """requirements:
  - {id: MgmtPolicyMO-HLF-1, strength: SHALL, role: both, status: active}
  - {id: MgmtPolicyMO-HLF-2, strength: SHALL, role: both, status: waived, waiver: not testable here}
  - {id: MgmtPolicyMO-IOP-01, strength: SHOULD, role: device, status: active}
"""


def tree(tmp_path, cpp="", py=""):
    (tmp_path / "testcases" / "cases").mkdir(parents=True)
    (tmp_path / "testcases" / "requirements.yaml").write_text(REQS)
    (tmp_path / "core" / "x" / "tests").mkdir(parents=True)
    (tmp_path / "core" / "x" / "tests" / "x_test.cpp").write_text(cpp)
    (tmp_path / "harness").mkdir()
    (tmp_path / "harness" / "test_x.py").write_text(py)
    return tmp_path


def run(root):
    return subprocess.run([sys.executable, str(TOOL), "--root", str(root)], capture_output=True, text=True, check=False)


def test_covered_by_gtest_passes(tmp_path):
    done = run(tree(tmp_path, cpp="TEST(A, B) { omadm::testing::covers(req::MgmtPolicyMO_HLF_1); }"))
    assert done.returncode == 0, done.stderr
    assert "waived: not testable here" in done.stdout


def test_missing_shall_fails_naming_it(tmp_path):
    done = run(tree(tmp_path))
    assert done.returncode == 1 and "MgmtPolicyMO-HLF-1 (SHALL): no test and no waiver" in done.stderr


def test_unknown_label_in_pytest_marker_fails(tmp_path):
    done = run(tree(tmp_path, cpp="covers(req::MgmtPolicyMO_HLF_1);",
                    py=MARKER + '("MgmtPolicyMO-HLF-7")\ndef test_x(): pass\n'))
    assert done.returncode == 1 and "unknown requirement label 'MgmtPolicyMO-HLF-7'" in done.stderr


def test_project_tree_passes():
    assert run(ROOT).returncode == 0
