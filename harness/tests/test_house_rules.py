"""tools/check_house_rules.py on small trees holding one violation per rule."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "check_house_rules.py"
# Split so that the citation rule does not read this file as citing the notes it forbids.
NOTES_MD = "PROTOCOL" + ".md"
STYLE_SECTION = "STYLE" + " 2.4"
SHARED_PATH = "../" + "shared" + "/notes.txt"
LABEL = "MgmtPolicyMO" + "-HLF-1"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def run(root: Path, rules: str = "purity,labels,citations"):
    done = subprocess.run([sys.executable, str(TOOL), "--root", str(root), "--rules", rules],
                          capture_output=True, text=True, check=False)
    return done.returncode, done.stdout.splitlines()


def test_clean_tree_passes_with_a_summary(tmp_path):
    write(tmp_path, "core/x/src/a.cpp", "#include <chrono>\nint f() { return 1; }\n")
    code, out = run(tmp_path)
    assert code == 0
    assert len(out) == 1 and "clean" in out[0]


def test_purity_reports_io_headers_clocks_and_randomness_in_core(tmp_path):
    write(tmp_path, "core/x/src/a.cpp",
          "#include <thread>\n"
          "#include <boost/asio/ip/tcp.hpp>\n"
          "// steady_clock::now() in a comment is fine\n"
          "auto t = std::chrono::system_clock::now();\n"
          "std::random_device rd;\n"
          "const char* dev = \"/dev/urandom\";\n")
    code, out = run(tmp_path, "purity")
    assert code == 1
    assert [line.split(":")[1] for line in out] == ["1", "2", "4", "5", "6"]
    assert all(line.startswith("core/x/src/a.cpp:") and ": purity: " in line for line in out)


def test_purity_ignores_tests_and_shells(tmp_path):
    write(tmp_path, "core/x/tests/a_test.cpp", "#include <thread>\nauto t = std::chrono::steady_clock::now();\n")
    write(tmp_path, "reference-common/src/a.cpp", "#include <thread>\n#include <fstream>\n")
    assert run(tmp_path, "purity")[0] == 0


def test_labels_reports_literals_not_comments(tmp_path):
    write(tmp_path, "reference-client/src/a.cpp",
          f"// {LABEL} is exercised here\n"
          "constexpr int kWait = 60'000;\n"
          f'void f() {{ exercised("{LABEL}", "x"); }}\n'
          f'auto raw = R"({LABEL})";\n')
    code, out = run(tmp_path, "labels")
    assert code == 1
    assert [line.split(": labels: ")[0] for line in out] == ["reference-client/src/a.cpp:3",
                                                            "reference-client/src/a.cpp:4"]
    assert "omadm::req::MgmtPolicyMO_HLF_1" in out[0]


def test_labels_ignores_other_directories(tmp_path):
    write(tmp_path, "bench/a.cpp", f'auto s = "{LABEL}";\n')
    assert run(tmp_path, "labels")[0] == 0


def test_citations_reports_notes_outside_the_repository(tmp_path):
    write(tmp_path, "docs/a.md", f"See {NOTES_MD} 4.2.\nSee docs/protocol-notes.md#tls.\n")
    write(tmp_path, "core/x/src/a.hpp", f"// Injected time ({STYLE_SECTION}).\n#include <memory>\nstd::shared_ptr<int> p;\n")
    write(tmp_path, "scripts/a.sh", f"cat {SHARED_PATH}\n")
    code, out = run(tmp_path, "citations")
    assert code == 1
    assert [line.split(": citations: ")[0] for line in out] == ["core/x/src/a.hpp:1", "docs/a.md:1",
                                                               "scripts/a.sh:1"]


def test_git_tree_checks_untracked_files_but_not_ignored_ones(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, ".gitignore", "/build/\n")
    write(tmp_path, "build/a.md", f"{NOTES_MD}\n")
    write(tmp_path, "docs/a.md", f"{NOTES_MD}\n")
    code, out = run(tmp_path, "citations")
    assert code == 1 and [line.split(":")[0] for line in out] == ["docs/a.md"]


def test_format_reports_unformatted_cpp(tmp_path):
    if shutil.which("clang-format-14") is None:
        pytest.skip("clang-format-14 not installed")
    shutil.copy(ROOT / ".clang-format", tmp_path / ".clang-format")
    good = "int f() {\n    return 1;\n}\n"
    write(tmp_path, "core/x/src/good.cpp", good)
    write(tmp_path, "core/x/src/bad.cpp", good + "int   g( ) {return 2;}\n")
    code, out = run(tmp_path, "format")
    assert code == 1
    assert out and all(line.startswith("core/x/src/bad.cpp:4: format: ") for line in out)
