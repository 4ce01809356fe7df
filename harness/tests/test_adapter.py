from pathlib import Path

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


def test_a_placeholder_alone_takes_a_structured_value_as_it_is():
    accounts = [{"server_id": "s2", "server_url": "http://127.0.0.1:2/dm"}]
    assert expand({"other_accounts": "{other_accounts}", "note": "{n} accounts"},
                  {"other_accounts": accounts, "n": 1}) == {"other_accounts": accounts, "note": "1 accounts"}


def test_the_device_gets_its_second_account_only_when_a_second_server_runs():
    from omadm_harness.adapter import Account, SecondServer, start_variables

    spec = AdapterSpec.load(paths.adapters_dir() / "ref-client.yaml")
    account = Account()
    alone = start_variables(spec, Path("/w"), {}, account)
    assert alone["other_accounts"] == [] and alone["second_server_id"] == ""
    second = account.second()
    both = start_variables(spec, Path("/w"), {}, account, second=SecondServer(second, "http://127.0.0.1:9/dm"))
    assert [a["server_id"] for a in both["other_accounts"]] == [second.server_id] != [account.server_id]
    assert both["second_server_url"] == "http://127.0.0.1:9/dm" and both["second_user"] == second.user
    assert (second.user, second.password, second.server_password) != (account.user, account.password,
                                                                       account.server_password)
    config = expand(spec.config, both)
    assert config["other_accounts"][0]["server_url"] == "http://127.0.0.1:9/dm"


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


# --- the adapter schema (schemas/adapter.schema.json) -------------------------------------------


def _problems(tmp_path, text):
    f = tmp_path / "a.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(AdapterError) as e:
        AdapterSpec.load(f)
    assert str(e.value) == "\n".join(e.value.problems)
    return [p.replace(f"{f}:", "") for p in e.value.problems]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    from omadm_harness.adapter import adapter_schema

    Draft202012Validator.check_schema(adapter_schema())
    assert adapter_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_lists_what_the_harness_knows():
    """Features, profile options and command-driver operations: the schema's lists are the harness's."""
    import re

    from omadm_harness import adapter
    from omadm_harness.caseformat import KNOWN_FEATURES, POLICY_OPS, PROFILE_OPTIONS

    props = adapter.adapter_schema()["properties"]
    assert props["features"]["items"]["enum"] == list(KNOWN_FEATURES)
    assert props["profile"]["items"]["enum"] == list(PROFILE_OPTIONS)
    source = Path(adapter.__file__).read_text(encoding="utf-8")
    called = set(re.findall(r'self\.run\("(\w+)"', source)) | {f"policy_{op}" for op in POLICY_OPS}
    assert set(props["operations"]["properties"]) == called
    assert set(props["start"]["properties"]) == {"command", "ready_timeout_s", "stop_timeout_s", "faults"}


@pytest.mark.parametrize("path", sorted(paths.adapters_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_adapter_validates(path):
    spec = AdapterSpec.load(path)
    assert spec.name and spec.command


def test_every_problem_has_its_file_line_path_and_a_hint(tmp_path):
    problems = _problems(tmp_path, """\
name: x
role: clinet
driver: command
start:
  command: ["x"]
  ready_timeout: 5
  stop_timeout_s: -1
features: [generic_alrt]
profil: [onchange_edge]
operations:
  start_sesion: [x]
  events: []
""")
    assert problems == [
        "2: $.role: unknown role 'clinet' (did you mean 'client'?)",
        "6: $.start.ready_timeout: unknown key 'ready_timeout' (did you mean 'ready_timeout_s'?)",
        "7: $.start.stop_timeout_s: -1 is less than the minimum of 0",
        "8: $.features[0]: unknown feature 'generic_alrt' (did you mean 'generic_alert'?)",
        "9: $.profil: unknown key 'profil' (did you mean 'profile'?)",
        "11: $.operations.start_sesion: unknown key 'start_sesion' (did you mean 'start_session'?)",
        "12: $.operations.events: expected at least 1 item(s), got 0",
    ]


def test_an_unknown_key_without_a_near_one_lists_the_allowed_keys(tmp_path):
    (problem,) = _problems(tmp_path, "name: x\nrole: client\ndriver: command\nstart: {command: [x]}\nzzz: 1\n")
    assert problem.startswith("5: $.zzz: unknown key 'zzz' (allowed keys: name, role, driver, start,")


def test_missing_keys_and_wrong_types(tmp_path):
    assert _problems(tmp_path, "name: x\nrole: client\n") == [
        "1: $: missing required key 'driver'", "1: $: missing required key 'start'"]
    assert _problems(tmp_path, "name: x\nrole: client\ndriver: command\nstart:\n  command: /bin/x --flag\n") == [
        "5: $.start.command: expected a list, got a string"]
    assert _problems(tmp_path, "- a\n") == ["1: $: expected a mapping, got a list"]


def test_unreadable_yaml_and_duplicate_keys_name_their_line(tmp_path):
    assert _problems(tmp_path, "name: x\nname: y\n") == ["2: duplicate key 'name'"]
    (problem,) = _problems(tmp_path, "name: x\nrole: [client\n")
    assert problem.startswith("3: not valid YAML:")


def test_unknown_placeholders_are_found_at_load_not_in_every_case(tmp_path):
    problems = _problems(tmp_path, """\
name: x
role: client
driver: command
start:
  command: ["/opt/x", "{workdr}/state", "--port={port"]
config:
  server: {url: "{servr_url}", fine: "{server_url}", literal: "{{not a placeholder}}"}
""")
    assert problems == [
        "5: $.start.command[1]: unknown placeholder {workdr} (did you mean 'workdir'?)",
        "5: $.start.command[2]: malformed placeholder in '--port={port': expected '}' before end of string "
        "(write {{ and }} for a literal brace)",
        "7: $.config.server.url: unknown placeholder {servr_url} (did you mean 'server_url'?)",
    ]


def test_numbers_in_argv_become_strings(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("name: x\nrole: server\ndriver: command\nstart: {command: [x, --n, 3]}\n"
                 "operations: {batch: [tool, --timeout, 30]}\n", encoding="utf-8")
    spec = AdapterSpec.load(f)
    assert spec.command == ["x", "--n", "3"] and spec.operations == {"batch": ["tool", "--timeout", "30"]}


def test_a_device_adapter_names_its_account_and_mo_profile(tmp_path):
    from omadm_harness.adapter import Account

    profiles = Path(__file__).resolve().parents[2] / "testcases" / "profiles"
    f = tmp_path / "a.yaml"
    f.write_text("name: x\nrole: client\ndriver: command\nstart: {command: [x]}\n"
                 f"account: {{device_id: 'IMEI:1', auth: hmac, server_nonce: c2Vydg==}}\nmo_profile: {profiles}/acme.json\n")
    spec = AdapterSpec.load(f)
    account = Account().with_overrides(spec.account).with_overrides({"auth": "basic"})
    assert (account.device_id, account.auth, account.server_nonce) == ("IMEI:1", "basic", "c2Vydg==")
    assert account.nonces() == {"server_nonce": "c2Vydg=="} and "server_nonce" not in account.as_dict()
    assert spec.mo_profile == profiles / "acme.json"


def test_a_run_profile_must_agree_with_the_device_adapters(tmp_path):
    from omadm_harness.moprofile import MoProfile
    from omadm_harness.topology import ConfigError, ProcessTopology

    profiles = Path(__file__).resolve().parents[2] / "testcases" / "profiles"
    spec = AdapterSpec("x", "client", "command", ["x"], frozenset(), mo_profile=profiles / "acme.json")
    assert ProcessTopology({"client": spec}, {}, tmp_path).mo_profile.name == "acme"
    same = ProcessTopology({"client": spec}, {}, tmp_path, mo_profile=MoProfile.load(profiles / "acme.json"))
    assert same.mo_profile.name == "acme"
    with pytest.raises(ConfigError, match="contradicts"):
        ProcessTopology({"client": spec}, {}, tmp_path, mo_profile=MoProfile.load(profiles / "reference.json"))


def test_an_unknown_account_field_is_refused(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("name: x\nrole: client\ndriver: command\nstart: {command: [x]}\naccount: {pin: '1234'}\n")
    with pytest.raises(AdapterError, match="pin"):
        AdapterSpec.load(f)
