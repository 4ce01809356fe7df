import pytest

from omadm_harness.diff import diff_runs
from omadm_harness.results import RunResult, merge
from omadm_harness.shard import parse_shard, select_shard
from omadm_harness.verdicts import CaseResult, Verdict


def test_parse_shard():
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_shards_partition_the_selection():
    items = [f"case-{i:02d}" for i in range(11)]
    parts = [select_shard(items, i, 3, key=str) for i in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(items)
    assert all(abs(len(p) - len(parts[0])) <= 1 for p in parts)
    assert select_shard(list(reversed(items)), 1, 3, key=str) == parts[0]


def test_merge_shards_and_reject_duplicates():
    a = RunResult("a", cases=[CaseResult("x"), CaseResult("y", role_under_test="server")])
    b = RunResult("b", cases=[CaseResult("z")])
    m = merge([RunResult.from_json(a.to_json()), RunResult.from_json(b.to_json())], run_id="m")
    assert [c.case_id for c in m.cases] == ["x", "y", "z"]
    assert m.meta["merged_from"] == ["a", "b"]
    with pytest.raises(ValueError):
        merge([a, a])


def test_diff_classes():
    prev = RunResult("p", cases=[CaseResult("fixed", signal=Verdict.FAIL), CaseResult("regressed"),
                                 CaseResult("still", signal=Verdict.ERROR), CaseResult("gone")])
    cur = RunResult("c", cases=[CaseResult("fixed"), CaseResult("regressed", signal=Verdict.FAIL),
                                CaseResult("still", signal=Verdict.FAIL), CaseResult("new", signal=Verdict.FAIL)])
    d = diff_runs(prev, cur)
    assert [x["case"] for x in d["fixed"]] == ["fixed@client"]
    assert [x["case"] for x in d["regressions"]] == ["regressed@client"]
    assert [x["case"] for x in d["still_failing"]] == ["still@client"]
    assert [x["case"] for x in d["new_failures"]] == ["new@client"]
    assert d["removed"] == ["gone@client"]
