"""The probe before the first case (ProcessTopology.probe): an IUT that cannot be started or reached
stops `run` with exit 2 and one message, before any case runs and before any report is written."""
import json
import sys
from pathlib import Path

import pytest

from omadm_harness.adapter import AdapterSpec
from omadm_harness.cli import main
from omadm_harness.topology import ConfigError, ProcessTopology

from helpers import GOOD_CASE, write_case

FAKES = Path(__file__).parent / "fakes"
PEER = [sys.executable, str(FAKES / "fake_peer.py")]
IUT = [sys.executable, str(FAKES / "fake_iut.py")]
REQUIREMENTS = Path(__file__).resolve().parents[2] / "testcases" / "requirements.yaml"
OPS = {name: PEER + ["op", name] for name in ("set_account", "send_commands", "batch", "sessions", "alerts",
                                              "start_session", "transcript")}


def _adapter(path: Path, role: str, driver: str, command: list, **extra) -> Path:
    doc = {"name": f"{path.stem}", "role": role, "driver": driver,
           "start": {"command": command, "ready_timeout_s": 5, "stop_timeout_s": 2}, **extra}
    path.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML
    return path


@pytest.fixture
def fake_source(tmp_path, monkeypatch):
    """A source tree of its own whose reference peers are fake command-driver processes."""
    src = tmp_path / "src"
    (src / "harness" / "adapters").mkdir(parents=True)
    pids = tmp_path / "pids.txt"
    for role, file in (("server", "ref-server.yaml"), ("client", "ref-client.yaml")):
        _adapter(src / "harness" / "adapters" / file, role, "command", PEER + ["serve", str(pids)], operations=OPS)
    monkeypatch.setenv("OMADM_SOURCE_DIR", str(src))
    return src


def _run(tmp_path, adapter: Path, iut: str) -> int:
    cases = tmp_path / "cases"
    case = GOOD_CASE if iut == "client" else GOOD_CASE.replace("role_under_test: client", "role_under_test: server")
    write_case(cases, case)
    return main(["run", "--cases", str(cases), "--requirements", str(REQUIREMENTS), "--adapter", str(adapter),
                 "--iut", iut, "--out", str(tmp_path / "out"), "-q"])


def test_an_iut_that_exits_at_once_stops_the_run_before_the_first_case(tmp_path, fake_source, capsys):
    adapter = _adapter(tmp_path / "quits.yaml", "client", "command",
                       [sys.executable, "-c", "import sys; print('no licence file', file=sys.stderr); sys.exit(3)"])
    assert _run(tmp_path, adapter, "client") == 2
    err = capsys.readouterr().err
    assert f"adapter quits ({adapter}): the client under test cannot be started or reached" in err
    assert "quits: exited (code 3) before READY" in err and "no licence file" in err
    assert not (tmp_path / "out").exists(), "no case ran, no report"


def test_a_server_whose_dm_url_answers_nothing_stops_the_run(tmp_path, fake_source, capsys):
    adapter = _adapter(tmp_path / "deaf.yaml", "server", "command", IUT + ["closed"], operations=OPS)
    assert _run(tmp_path, adapter, "server") == 2
    err = capsys.readouterr().err
    assert "the server under test cannot be started or reached" in err
    assert "its DM URL http://127.0.0.1:" in err and "does not answer HTTP: ConnectionRefusedError" in err
    assert not (tmp_path / "out").exists()


def test_a_control_api_that_answers_nothing_stops_the_run(tmp_path, fake_source, capsys):
    adapter = _adapter(tmp_path / "mute.yaml", "client", "control-api", IUT + ["closed"])
    assert _run(tmp_path, adapter, "client") == 2
    err = capsys.readouterr().err
    assert "its control API at 127.0.0.1:" in err and "(GET /v1/health) does not answer" in err
    assert not (tmp_path / "out").exists()


def test_any_http_answer_is_reachable_and_the_probe_leaves_nothing_behind(tmp_path):
    """404 on /v1/health and on the DM URL still proves the IUT answers; the probe's processes are
    stopped and its work directories removed."""
    def spec(name, role, driver, command, **kw):
        return AdapterSpec(name=name, role=role, driver=driver, command=command, features=frozenset(),
                           stop_timeout_s=2, **kw)

    pids = tmp_path / "pids.txt"
    reference = {"server": spec("fs", "server", "command", PEER + ["serve", str(pids)], operations=OPS),
                 "client": spec("fc", "client", "command", PEER + ["serve", str(pids)], operations=OPS)}
    iut = {"client": spec("c", "client", "control-api", IUT + ["answer"]),
           "server": spec("s", "server", "command", IUT + ["answer"], operations=OPS)}
    topology = ProcessTopology(iut, {}, tmp_path / "work", reference)
    topology.probe(["client", "server"])
    assert not list((tmp_path / "work").iterdir())
    iut["server"] = spec("s", "server", "command", IUT + ["answer"])  # no set_account: every case would ERROR
    with pytest.raises(ConfigError, match="did not start: Unsupported: adapter s has no operation 'set_account'"):
        ProcessTopology(iut, {}, tmp_path / "work", reference).probe(["server"])
