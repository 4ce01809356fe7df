import pytest

from omadm_harness import paths
from omadm_harness.adapter import AdapterError, AdapterSpec, expand


def test_shipped_adapters_load():
    server = AdapterSpec.load(paths.adapters_dir() / "ref-server.yaml")
    client = AdapterSpec.load(paths.adapters_dir() / "ref-client.yaml")
    assert server.role == "server" and client.role == "client"
    assert "fault_injection" in client.features and client.config["server_url"] == "{server_url}"


def test_placeholders_expand_and_unknown_ones_fail():
    assert expand(["{server}", "--listen", "127.0.0.1:{port}"], {"server": "/b/s", "port": 0}) == [
        "/b/s", "--listen", "127.0.0.1:0"]
    with pytest.raises(AdapterError):
        expand("{nope}", {})


def test_unknown_feature_rejected(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("name: x\nrole: client\ndriver: command\nstart: {command: [x]}\nfeatures: [teleport]\n")
    with pytest.raises(AdapterError, match="teleport"):
        AdapterSpec.load(f)


def test_a_missing_events_operation_is_unsupported_not_an_empty_list(tmp_path):
    from omadm_harness.adapter import AdapterSpec, CommandDevice, _CommandRunner
    from omadm_harness.roles import Unsupported

    spec = AdapterSpec(name="no-events", role="client", driver="command", command=["x"], features=frozenset())
    device = CommandDevice(None, _CommandRunner(spec, {}, tmp_path), {}, [], "dev-1")
    with pytest.raises(Unsupported, match="no operation 'events'"):
        device.events(0, 0, "policy_executed")


@pytest.mark.parametrize("call", [lambda d: d.read_tree("./A"), lambda d: d.policies(), lambda d: d.events(0, 0)])
def test_a_route_the_device_does_not_serve_is_unsupported(call):
    """A 404 from the control API means the observation cannot be made, never "the node is absent"."""
    from omadm_harness.control import ControlError
    from omadm_harness.refdriver import ControlDevice
    from omadm_harness.roles import Unsupported

    class NoRoutes:
        def get(self, path, **query):
            raise ControlError("GET", path, 404, '{"error":"not_found"}')

        def events(self, after, wait_ms, kind):
            raise ControlError("GET", "/v1/events", 404, '{"error":"not_found"}')

    device = ControlDevice(None, NoRoutes(), {}, [])
    with pytest.raises(Unsupported, match="does not serve"):
        call(device)


def test_a_start_program_under_a_per_case_placeholder_is_checked_at_launch(tmp_path):
    """{workdir} is only known when a case starts: the up-front check leaves such a program alone,
    and still refuses one that is missing outright."""
    from omadm_harness.topology import ConfigError, ProcessTopology

    def spec(command):
        return AdapterSpec(name="x", role="client", driver="command", command=command, features=frozenset())

    reference = {"server": spec(["/bin/true"]), "client": spec(["/bin/true"])}
    ProcessTopology({"client": spec(["{workdir}/run.sh"])}, {}, tmp_path, reference).check_commands(["client"])
    with pytest.raises(ConfigError, match="start program '/nonexistent/run.sh' not found"):
        ProcessTopology({"client": spec(["/nonexistent/run.sh"])}, {}, tmp_path, reference).check_commands(["client"])
