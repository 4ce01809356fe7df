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
