"""omadm_harness.buildinfo: the one lookup of a build's harness.json, used by the CLI, the pytest plugin
and the end-to-end tests."""
import json
import os

import pytest

from omadm_harness.buildinfo import BuildInfoError, candidate_build_dirs, find_build_info, read_build_info
from omadm_harness.topology import ConfigError, load_build_info


def _build(root, name, roles=("server", "client"), mtime=None, executable=True):
    build = root / "build" / name
    build.mkdir(parents=True)
    info = {}
    for role in roles:
        binary = build / f"omadm-ref-{role}"
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755 if executable else 0o644)
        info[role] = str(binary)
    doc = build / "harness.json"
    doc.write_text(json.dumps(info))
    if mtime is not None:
        os.utime(doc, (mtime, mtime))
    return build


@pytest.fixture(autouse=True)
def _no_build_dir_env(monkeypatch):
    monkeypatch.delenv("OMADM_BUILD_DIR", raising=False)


def test_read_build_info_reads_the_file(tmp_path):
    build = _build(tmp_path, "dev")
    assert read_build_info(build)["server"] == str(build / "omadm-ref-server")


@pytest.mark.parametrize("content,message", [(None, "configure and build first"), ("{not json", "not JSON"),
                                             ("[1]", "not a JSON object")])
def test_read_build_info_names_the_file_it_cannot_use(tmp_path, content, message):
    if content is not None:
        (tmp_path / "harness.json").write_text(content)
    with pytest.raises(BuildInfoError, match=message) as err:
        read_build_info(tmp_path)
    assert str(tmp_path / "harness.json") in str(err.value)


def test_load_build_info_turns_a_missing_file_into_a_config_error(tmp_path):
    assert load_build_info(None) == {}
    with pytest.raises(ConfigError, match="harness.json"):
        load_build_info(tmp_path / "nope")


def test_find_build_info_prefers_the_newest_build_with_both_binaries(tmp_path):
    _build(tmp_path, "old", mtime=1_000)
    newest = _build(tmp_path, "new", mtime=3_000)
    _build(tmp_path, "server-only", roles=("server",), mtime=5_000)
    info = find_build_info(root=tmp_path)
    assert info["build_dir"] == str(newest)
    assert info["client"] == str(newest / "omadm-ref-client")
    assert find_build_info(("server",), root=tmp_path)["build_dir"] == str(tmp_path / "build" / "server-only")


def test_find_build_info_skips_binaries_that_are_not_executable(tmp_path):
    _build(tmp_path, "plain", executable=False)
    assert find_build_info(root=tmp_path) is None


def test_omadm_build_dir_is_the_only_candidate_when_set(tmp_path, monkeypatch):
    _build(tmp_path, "other", mtime=9_000)
    chosen = _build(tmp_path, "chosen", mtime=1_000)
    monkeypatch.setenv("OMADM_BUILD_DIR", str(chosen))
    assert candidate_build_dirs(tmp_path) == [chosen]
    assert find_build_info(root=tmp_path)["build_dir"] == str(chosen)
    monkeypatch.setenv("OMADM_BUILD_DIR", str(tmp_path / "missing"))
    assert find_build_info(root=tmp_path) is None
