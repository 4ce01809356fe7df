"""The harness as an installed distribution (harness/pyproject.toml): `pip install ./harness` into a
venv that sees Debian's packages (--system-site-packages), offline (--no-index --no-build-isolation),
gives an `omadm-harness` command that works from outside the checkout, given the checkout by
--source-dir or OMADM_SOURCE_DIR, or found from the current directory. Needs python3-venv,
python3-pip, python3-setuptools and python3-wheel: without them the test fails with the apt-get
line, it is never skipped."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from omadm_harness import __version__, paths
from omadm_harness.cli import main

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "harness"
PYTHON = "/usr/bin/python3"  # Debian's, whose site packages the venv sees
DEBIAN_PACKAGES = "python3-venv python3-pip python3-setuptools python3-wheel python3-jsonschema"
INSTALL_HINT = f"install them: apt-get install -y {DEBIAN_PACKAGES} (or bash scripts/setup-deps.sh)"
TIMEOUT_S = 180
# What the in-tree environment may set and the installed command must do without.
_SCRUBBED = ("PYTHONPATH", "PYTHONHOME", "OMADM_SOURCE_DIR", "VIRTUAL_ENV", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL",
             "PIP_FIND_LINKS", "PIP_REQUIRE_VIRTUALENV", "PIP_USER")


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def _run(argv: list, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=_env(**env), capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)


def _need(what: str, proc: subprocess.CompletedProcess) -> None:
    if proc.returncode != 0:
        pytest.fail(f"{what} failed (exit {proc.returncode}); {INSTALL_HINT}\n{proc.stdout}\n{proc.stderr}")


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A venv with the harness pip-installed offline from a copy of harness/ (a setuptools build
    writes build/ and *.egg-info beside pyproject.toml: not into the shared checkout)."""
    base = tmp_path_factory.mktemp("packaging")
    if not Path(PYTHON).is_file():
        pytest.fail(f"{PYTHON} not found: the harness runs with Debian's python3")
    _need("importing setuptools, wheel, pip and venv",
          _run([PYTHON, "-c", "import setuptools, wheel, pip, venv"], base))
    source = base / "harness"
    shutil.copytree(HARNESS, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "tests"))
    env_dir = base / "venv"
    _need("python3 -m venv --system-site-packages", _run([PYTHON, "-m", "venv", "--system-site-packages", env_dir], base))
    _need("pip install --no-index --no-build-isolation ./harness",
          _run([env_dir / "bin" / "pip", "install", "--no-index", "--no-build-isolation", "--no-cache-dir", "-q",
                source], base))
    return env_dir


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working directory that is not in the checkout."""
    d = tmp_path / "elsewhere"
    d.mkdir()
    assert ROOT not in d.resolve().parents
    return d


def _in_tree_list() -> str:
    """`python3 -m omadm_harness list` as the README runs it, from the checkout."""
    proc = _run([PYTHON, "-m", "omadm_harness", "list"], ROOT, PYTHONPATH=str(HARNESS))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_console_script_is_the_installed_cli(venv, outside):
    assert (venv / "bin" / "omadm-harness").is_file()
    proc = _run([venv / "bin" / "omadm-harness", "--version"], outside)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"omadm_harness {__version__}"
    where = _run([venv / "bin" / "python", "-c", "import omadm_harness; print(omadm_harness.__file__)"], outside)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    module = _run([venv / "bin" / "python", "-m", "omadm_harness", "--version"], outside)
    assert module.returncode == 0 and module.stdout == proc.stdout, module.stderr


def test_the_installed_command_plays_the_stock_suite_given_by_option_or_environment(venv, outside):
    expected = _in_tree_list()
    assert expected.count("\n") > 10 and "MgmtPolicyMO-HLF-1-" in expected
    by_option = _run([venv / "bin" / "omadm-harness", "list", "--source-dir", ROOT], outside)
    assert by_option.returncode == 0, by_option.stderr
    assert by_option.stdout == expected
    lint = _run([venv / "bin" / "omadm-harness", "lint"], outside, OMADM_SOURCE_DIR=str(ROOT))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "case(s) clean, 0 problem(s)" in lint.stderr


def test_the_installed_command_finds_the_checkout_it_runs_in(venv):
    proc = _run([venv / "bin" / "omadm-harness", "list", "--id", "HLF-1"], ROOT / "docs")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith("MgmtPolicyMO-HLF-1-") for line in lines)


def test_the_installed_command_outside_a_checkout_names_what_is_missing(venv, outside):
    proc = _run([venv / "bin" / "omadm-harness", "list"], outside)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    for needed in (*paths.CHECKOUT_MARKERS, str(outside.resolve()), "--source-dir", "OMADM_SOURCE_DIR"):
        assert needed in proc.stderr, proc.stderr
    missing = _run([venv / "bin" / "omadm-harness", "list", "--source-dir", outside / "nope"], outside)
    assert missing.returncode == 2 and "--source-dir" in missing.stderr and "no such directory" in missing.stderr


# --- the same resolution in process, without a venv -----------------------------------------------


@pytest.fixture
def installed_elsewhere(tmp_path, monkeypatch):
    """paths.py as if installed in a site-packages outside any checkout."""
    site = tmp_path / "site-packages" / "omadm_harness"
    site.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(site / "paths.py"))
    monkeypatch.delenv("OMADM_SOURCE_DIR", raising=False)
    yield site
    paths.set_source_root(None)


def test_source_root_precedence(installed_elsewhere, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT / "harness" / "omadm_harness")
    assert paths.source_root() == ROOT  # the current directory's checkout
    monkeypatch.setenv("OMADM_SOURCE_DIR", str(tmp_path))
    assert paths.source_root() == tmp_path  # the environment over the current directory
    paths.set_source_root(ROOT)
    assert paths.source_root() == ROOT  # --source-dir over the environment
    paths.set_source_root(None)
    monkeypatch.delenv("OMADM_SOURCE_DIR")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(paths.SourceRootError, match="testcases/requirements.yaml"):
        paths.source_root()


def test_the_cli_reports_a_missing_source_tree_as_a_harness_error(installed_elsewhere, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 2
    assert "no harness source tree" in capsys.readouterr().err
    assert main(["list", "--source-dir", str(ROOT), "--id", "HLF-1"]) == 0
    assert "MgmtPolicyMO-HLF-1-" in capsys.readouterr().out
    assert main(["list", "--id", "HLF-1"]) == 2  # --source-dir held for that call only
    capsys.readouterr()
    assert main(["list", "--source-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a checkout of the harness" in err and all(m in err for m in paths.CHECKOUT_MARKERS)
