import json

import pytest

from lxml import etree

from omadm_harness.report import write_reports
from omadm_harness.report.sequence import render_sequence_svg, summarise
from omadm_harness.results import RunResult
from omadm_harness.verdicts import CaseResult, CheckResult, Verdict

from helpers import CATALOGUE

XML = "<SyncML><SyncBody><Status/><Status/><Alert><Data>1226</Data></Alert><Final/></SyncBody></SyncML>"


def sample_run():
    ok = CaseResult("MgmtPolicyMO-HLF-1-download", title="dl", labels=["MgmtPolicyMO-HLF-1"], checks=[
        CheckResult("st", ["MgmtPolicyMO-HLF-1"], "SHALL", True)],
        transcript=[{"dir": "in", "msg_id": 1, "xml": XML}, {"dir": "out", "msg_id": 1, "xml": "<SyncML/>"}],
        exercised=["MgmtPolicyMO-HLF-1", "MgmtPolicyMO-OSR-01"])
    bad = CaseResult("MgmtPolicyMO-ATHEN-1-bad-cred", labels=["MgmtPolicyMO-ATHEN-1"], checks=[
        CheckResult("rejected", ["MgmtPolicyMO-ATHEN-1"], "SHALL", False, detail="status 200 <&>")])
    na = CaseResult("MgmtPolicyMO-IOP-01-location", labels=["MgmtPolicyMO-IOP-01"], signal=Verdict.NOT_APPLICABLE,
                    reason="no feature")
    run = RunResult("r1", cases=[ok, bad, na], meta={"iut": "client"})
    run.apply_baseline()
    return run


def test_all_reports_written(tmp_path):
    out = write_reports(sample_run(), tmp_path / "r1", CATALOGUE, {"MgmtPolicyMO-HLF-2-x": ["MgmtPolicyMO-HLF-2"]})
    for name in ("results.json", "junit.xml", "report.html", "coverage.md"):
        assert (out / name).is_file()
    assert (tmp_path / "latest").resolve() == out.resolve()


def test_junit_is_xml_with_label_properties(tmp_path):
    out = write_reports(sample_run(), tmp_path / "r1", CATALOGUE)
    root = etree.parse(str(out / "junit.xml")).getroot()
    assert root.tag == "testsuite" and root.get("tests") == "3" and root.get("failures") == "1"
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    props = [p.get("value") for p in cases["MgmtPolicyMO-HLF-1-download"].iter("property") if p.get("name") == "requirement"]
    assert props == ["MgmtPolicyMO-HLF-1"]
    assert cases["MgmtPolicyMO-ATHEN-1-bad-cred"].find("failure") is not None
    assert cases["MgmtPolicyMO-IOP-01-location"].find("skipped") is not None


def test_json_shape(tmp_path):
    out = write_reports(sample_run(), tmp_path / "r1", CATALOGUE, {"MgmtPolicyMO-HLF-2-x": ["MgmtPolicyMO-HLF-2"]})
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == 1 and doc["run"]["id"] == "r1"
    assert doc["summary"]["verdicts"]["FAIL"] == 1 and doc["summary"]["exit_code"] == 1
    case = doc["cases"][0]
    for key in ("id", "key", "verdict", "checks", "labels", "transcript_ref", "baseline", "exercised"):
        assert key in case
    assert case["transcript_ref"] and (out / case["transcript_ref"]).is_file()
    assert doc["cases"][1]["first_failure"]["id"] == "rejected"
    cov = {r["id"]: r for r in doc["coverage"]["requirements"]}
    assert cov["MgmtPolicyMO-OSR-01"]["covered_dynamic"] and not cov["MgmtPolicyMO-OSR-01"]["covered_static"]
    assert cov["MgmtPolicyMO-HLF-2"]["covered_static"]


def test_html_shows_failures_inline_and_links_passing_transcripts(tmp_path):
    run = sample_run()
    bad = run.cases[1]
    bad.transcript = [{"dir": "in", "msg_id": 1, "xml": XML}]
    bad.checks.append(CheckResult("finding-1", ["MgmtPolicyMO-OSR-01"], "SHALL", False,
                                  detail="the reference server found: Status missing (msg_id 1)", message=1))
    out = write_reports(run, tmp_path / "r1", CATALOGUE)
    html = (out / "report.html").read_text()
    assert 'class="matrix"' in html and "MgmtPolicyMO-Device-03" in html
    assert "status 200 &lt;&amp;&gt;" in html
    assert "<svg" in html and "Alert 1226" in html  # the failing case's exchange, inline
    assert 'href="#MgmtPolicyMO-ATHEN-1-bad-cred@client--m1">message 1</a>' in html
    assert 'id="MgmtPolicyMO-ATHEN-1-bad-cred@client--m1"' in html
    assert "<SyncBody>\n    <Status/>" in html.replace("&lt;", "<").replace("&gt;", ">")  # indented
    assert 'href="transcripts/MgmtPolicyMO-HLF-1-download.client.txt"' in html  # the passing one, linked
    assert (out / "transcripts" / "MgmtPolicyMO-HLF-1-download.client.txt").is_file()
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # self-contained


def test_markdown_coverage(tmp_path):
    out = write_reports(sample_run(), tmp_path / "r1", CATALOGUE)
    md = (out / "coverage.md").read_text()
    assert "| MgmtPolicyMO-Device-01 | MgmtPolicyMO-Device -01 | SHALL |" in md
    assert "| MgmtPolicyMO-ATHEN-1 |" in md and "FAIL" in md


def test_sequence_summary():
    assert summarise(XML) == "Status x2 Alert 1226 Final"
    svg = render_sequence_svg([{"dir": "in", "msg_id": 1, "xml": XML}])
    etree.fromstring(svg.encode())


@pytest.mark.parametrize("verdicts, expected", [
    (["PASS", "PASS"], "PASS"),
    (["PASS", "NOT_APPLICABLE"], "PASS"),
    (["NOT_APPLICABLE", "NOT_APPLICABLE"], "NOT_APPLICABLE"),
    (["NOT_APPLICABLE", "NOT_IMPLEMENTED"], "NOT_IMPLEMENTED"),
    (["PASS", "FAIL", "NOT_APPLICABLE"], "FAIL"),
])
def test_a_requirement_is_judged_by_the_runs_that_judged_it(verdicts, expected):
    from omadm_harness.report.coverage import requirement_verdict

    assert requirement_verdict([Verdict[v] for v in verdicts]).name == expected


def test_junit_totals_agree_with_the_body_under_a_baseline(tmp_path):
    """A baselined failure is <skipped> in the body, so the root counts it as skipped, not failed."""
    from omadm_harness.baseline import Baseline

    bl = tmp_path / "bl.yaml"
    bl.write_text("expected_failures:\n  - {case: MgmtPolicyMO-ATHEN-1-bad-cred, reason: known}\n", encoding="utf-8")
    run = sample_run()
    run.apply_baseline(Baseline.load(bl))
    out = write_reports(run, tmp_path / "r1", CATALOGUE)
    root = etree.parse(str(out / "junit.xml")).getroot()
    for total, element in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        assert int(root.get(total)) == len(root.findall(f"testcase/{element}")), total
    assert root.get("failures") == "0" and root.get("skipped") == "2"


def test_junit_testcases_link_their_report_section_and_transcript(tmp_path):
    run = sample_run()
    run.cases[1].transcript = [{"dir": "in", "msg_id": 1, "xml": XML}]  # the failing case
    out = write_reports(run, tmp_path / "r1", CATALOGUE)
    root = etree.parse(str(out / "junit.xml")).getroot()
    html = (out / "report.html").read_text(encoding="utf-8")
    transcripts = 0
    for tc in root.iter("testcase"):
        props = {p.get("name"): p.get("value") for p in tc.iter("property")}
        page, _, anchor = props["report"].partition("#")
        assert page == "report.html" and f'id="{anchor}"' in html, props["report"]
        if "transcript" in props:
            transcripts += 1
            assert (out / props["transcript"]).is_file(), props["transcript"]
    assert transcripts == 2
    failed = next(tc for tc in root.iter("testcase") if tc.find("failure") is not None)
    lines = failed.find("system-out").text.splitlines()
    assert "report: report.html#MgmtPolicyMO-ATHEN-1-bad-cred@client" in lines
    assert "[[ATTACHMENT|transcripts/MgmtPolicyMO-ATHEN-1-bad-cred.client.txt]]" in lines
    assert (out / "transcripts/MgmtPolicyMO-ATHEN-1-bad-cred.client.txt").is_file()
