"""The CI templates of docs/ci/ cannot rot: both parse as YAML; every `omadm-harness` (or
`python3 -m omadm_harness`) command they run is accepted by cli.build_parser(), options and values
included; the run uses an adapter and a baseline; the JUnit and HTML reports it writes are what the
templates publish; and the presets, scripts, Debian packages and install they name exist."""
from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from omadm_harness.cli import build_parser
from omadm_harness.report import write_reports
from omadm_harness.results import RunResult

from helpers import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "docs" / "ci"
TEMPLATES = ("github-actions.yml", "gitlab-ci.yml")
HARNESS_CALL = re.compile(r"(?:^|\s)(?:\S*/)?(?:omadm-harness|python3 -m omadm_harness)(?=\s|$)(.*)$")
SUBSTITUTION = re.compile(r"\$\([^)]*\)")
VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
NOT_OURS = {"git", "ca-certificates"}  # what the GitHub container needs before the checkout


def _load(name: str) -> dict:
    doc = yaml.safe_load((CI / name).read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{name}: not a YAML mapping"
    return doc


def _jobs(name: str, doc: dict) -> list[dict]:
    if name == "github-actions.yml":
        return list(doc["jobs"].values())
    return [job for job in doc.values() if isinstance(job, dict) and "script" in job]


def _variables(name: str, doc: dict, job: dict) -> dict:
    if name == "github-actions.yml":
        return {**doc.get("env", {}), **job.get("env", {})}
    return {**doc.get("variables", {}), **job.get("variables", {})}


def _commands(name: str, job: dict) -> list[str]:
    """The shell commands of a job, one per line, continuations joined."""
    if name == "github-actions.yml":
        blocks = [step["run"] for step in job["steps"] if "run" in step]
    else:
        blocks = [c for key in ("before_script", "script", "after_script") for c in job.get(key, [])]
    return [line.strip() for block in blocks for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def _expand(command: str, variables: dict) -> list[str]:
    """The command's words, its variables replaced by the template's values, `$(...)` by 1."""
    command = SUBSTITUTION.sub("1", command)
    return shlex.split(VARIABLE.sub(lambda m: str(variables.get(m.group(1), "X")), command))


def _harness_calls(name: str, doc: dict, job: dict) -> list[list[str]]:
    variables = _variables(name, doc, job)
    return [_expand(m.group(1), variables) for c in _commands(name, job) if (m := HARNESS_CALL.search(c))]


def _template_jobs():
    for name in TEMPLATES:
        doc = _load(name)
        for job in _jobs(name, doc):
            yield name, doc, job


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_harness_command_is_accepted_by_the_cli(name, capsys):
    calls = [call for n, doc, job in _template_jobs() if n == name for call in _harness_calls(n, doc, job)]
    assert calls, f"{name} runs no omadm-harness command"
    runs = []
    for argv in calls:
        if argv == ["--version"]:
            with pytest.raises(SystemExit) as done:
                build_parser().parse_args(argv)
            assert done.value.code == 0 and capsys.readouterr().out.startswith("omadm_harness ")
            continue
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"{name}: `omadm-harness {shlex.join(argv)}` is refused by the CLI: {capsys.readouterr().err}")
        if args.command == "run":
            runs.append(args)
    assert len(runs) == 1, f"{name}: expected one `run`, found {len(runs)}"
    run = runs[0]
    assert run.adapter == [Path("my-device.yaml")], "the adapter placeholder of the README"
    assert run.baseline is not None and run.build_dir is not None and run.out is not None and run.run_id


@pytest.fixture(scope="module")
def report_files(tmp_path_factory) -> set[str]:
    """The files a run writes into its report directory."""
    out = write_reports(RunResult(run_id="r"), tmp_path_factory.mktemp("reports") / "r", CATALOGUE, latest_link=False)
    return {p.name for p in out.iterdir()}


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_reports_of_the_run_are_published(name, report_files):
    assert {"junit.xml", "report.html"} <= report_files
    for n, doc, job in _template_jobs():
        if n != name:
            continue
        run = next(build_parser().parse_args(a) for a in _harness_calls(n, doc, job) if a[0] == "run")
        reports = f"{run.out}/{run.run_id}"
        if name == "github-actions.yml":
            uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
            assert uploads and all(s.get("if") == "always()" for s in uploads)
            assert any(str(s["with"]["path"]).rstrip("/") == reports for s in uploads)
        else:
            artifacts = job["artifacts"]
            assert artifacts["when"] == "always"
            assert artifacts["reports"]["junit"] == f"{reports}/junit.xml"
            assert any(p.rstrip("/") == reports for p in artifacts["paths"])


def test_the_presets_scripts_packages_and_install_the_templates_name_exist():
    presets = json.loads((ROOT / "CMakePresets.json").read_text(encoding="utf-8"))
    configure = {p["name"] for p in presets["configurePresets"]}
    build = {p["name"] for p in presets["buildPresets"]}
    setup_deps = (ROOT / "scripts" / "setup-deps.sh").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "harness" / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["omadm-harness"] == "omadm_harness.cli:main"
    for name, doc, job in _template_jobs():
        for command in _commands(name, job):
            words = _expand(command, _variables(name, doc, job))
            if words[:2] == ["cmake", "--preset"]:
                assert words[2] in configure, f"{name}: {command}"
            if words[:3] == ["cmake", "--build", "--preset"]:
                assert words[3] in build, f"{name}: {command}"
            if words[0] == "bash":
                assert (ROOT / words[1]).is_file(), f"{name}: {command}"
            if words[:2] == ["apt-get", "install"]:
                for package in (w for w in words[2:] if not w.startswith("-")):
                    assert package in NOT_OURS or re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", setup_deps), \
                        f"{name}: {package} is not in scripts/setup-deps.sh"
            if "pip" in Path(words[0]).name and "install" in words:
                assert (ROOT / words[-1] / "pyproject.toml").is_file(), f"{name}: {command}"
        for call in _harness_calls(name, doc, job):
            if call[0] == "run":
                build_dir = build_parser().parse_args(call).build_dir
                assert build_dir.parent == Path("build") and build_dir.name in configure, f"{name}: {call}"
