"""Every subcommand documents its exit codes (--help epilog, README.md "Exit codes"), and the
commands return what is documented."""
import re
from pathlib import Path

import pytest

from omadm_harness.cli import build_parser, main
from omadm_harness.exitcodes import EXIT_CODES

from helpers import GOOD_CASE, write_case

README = Path(__file__).resolve().parents[2] / "README.md"
SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001 - argparse has no API


def _help(argv, capsys) -> str:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0
    return capsys.readouterr().out


def test_every_subcommand_has_its_exit_codes():
    assert set(SUBCOMMANDS) == set(EXIT_CODES)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_help_lists_the_exit_codes_and_examples(command, capsys):
    out = _help([command, "--help"], capsys)
    assert "exit codes:" in out and "examples:" in out
    codes, examples = EXIT_CODES[command]
    for code, meaning in codes:
        assert re.search(rf"^  {code}  ", out, re.M), (command, code)
    assert examples and all(e in out for e in examples)


def test_the_top_level_help_names_the_exit_codes(capsys):
    assert "exit codes: 0 all as expected" in _help(["--help"], capsys)


def _readme_codes() -> dict[str, list[int]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \| (.*) \|$", section, re.M)
    return {cmd: [int(c) for c in re.findall(r"\*\*(\d)\*\*", cells)] for cmd, cells in rows}


def test_the_readme_lists_the_same_codes_per_command():
    assert _readme_codes() == {cmd: [c for c, _ in codes] for cmd, (codes, _) in EXIT_CODES.items()}


def _documented(command: str, code: int) -> str:
    meaning = dict(EXIT_CODES[command][0]).get(code)
    assert meaning is not None, f"{command} returned {code}, which its --help does not document"
    return meaning


def test_lint_on_a_bad_case_returns_its_documented_code(tmp_path):
    write_case(tmp_path / "cases", GOOD_CASE.replace("kind: session", "kind: nap"))
    code = main(["lint", "--cases", str(tmp_path / "cases")])
    assert code == 1 and "lint problems" in _documented("lint", code)


def test_adapter_check_returns_its_documented_codes(tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("name: x\nrole: client\ndriver: command\nstart: {command: [x]}\n", encoding="utf-8")
    bad.write_text("name: x\nrole: client\ndriver: command\nstart: {command: [x], ready_timeout: 3}\n",
                   encoding="utf-8")
    assert main(["adapter-check", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: OK\n"
    code = main(["adapter-check", str(good), str(bad)])
    assert code == 2 and "not a valid adapter" in _documented("adapter-check", code)
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"{good}: OK",
        f"{bad}:4: $.start.ready_timeout: unknown key 'ready_timeout' (did you mean 'ready_timeout_s'?)"]
    assert "1 of 2 file(s) invalid" in out.err
    assert main(["adapter-check", str(tmp_path / "missing.yaml")]) == 2


def test_list_and_report_return_their_documented_codes(tmp_path):
    write_case(tmp_path / "cases", GOOD_CASE)
    code = main(["list", "--cases", str(tmp_path / "cases"), "--id", "MgmtPolicyMO-HLF-9"])
    assert code == 2 and "no case selected" in _documented("list", code)
    one = tmp_path / "r.json"
    one.write_text("{}", encoding="utf-8")
    code = main(["report", str(one), str(one)])
    assert code == 2 and "without --merge" in _documented("report", code)
