"""JUnit XML: one testcase per case and role; labels and checks as <properties>. Each testcase names
its section of report.html and its transcript (paths relative to the report directory) as properties,
and a testcase that did not pass repeats them in <system-out>, the transcript in the
`[[ATTACHMENT|path]]` form that Jenkins and GitLab show as an attachment."""
from __future__ import annotations

from lxml import etree

from ..catalogue import Catalogue
from ..results import RunResult
from ..verdicts import Verdict
from .names import report_anchor, transcript_name


def render_junit(run: RunResult, catalogue: Catalogue) -> bytes:
    suite = etree.Element(
        "testsuite",
        name="omadm-mgmtpolicy-conformance",
        tests=str(len(run.cases)),
        time=f"{sum(c.duration_s for c in run.cases):.3f}",
    )
    props = etree.SubElement(suite, "properties")
    etree.SubElement(props, "property", name="run_id", value=run.run_id)
    etree.SubElement(props, "property", name="catalogue", value=catalogue.document)
    for case in run.cases:
        tc = etree.SubElement(
            suite,
            "testcase",
            classname=f"mgmtpolicy.{case.role_under_test}",
            name=case.case_id,
            time=f"{case.duration_s:.3f}",
        )
        p = etree.SubElement(tc, "properties")
        etree.SubElement(p, "property", name="verdict", value=case.verdict.name)
        etree.SubElement(p, "property", name="role_under_test", value=case.role_under_test)
        etree.SubElement(p, "property", name="report", value=report_anchor(case))
        if case.transcript:
            etree.SubElement(p, "property", name="transcript", value=transcript_name(case))
        for label in case.labels:
            etree.SubElement(p, "property", name="requirement", value=label)
        for c in case.checks:
            etree.SubElement(p, "property", name=f"check:{c.id}",
                             value=f"{c.verdict.name} [{', '.join(c.labels)}]")
        judgement = run.judgement(case)
        if judgement.outcome != "EXPECTED":
            etree.SubElement(p, "property", name="baseline", value=judgement.outcome)
        _outcome(tc, case, judgement)
    # The totals are those of the body, so a reader that trusts either agrees (an expected failure
    # is <skipped>, an unexpected one <failure> or <error>).
    for total, element in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(total, str(sum(1 for tc in suite.iter("testcase") if tc.find(element) is not None)))
    return etree.tostring(suite, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _outcome(tc, case, judgement) -> None:
    v = case.verdict
    message = case.summary()
    if judgement.outcome == "XFAIL":
        etree.SubElement(tc, "skipped", message=f"expected failure: {message}")
    elif judgement.unexpected and v == Verdict.ERROR:
        etree.SubElement(tc, "error", message=message, type=v.name).text = "\n".join(judgement.notes)
    elif judgement.unexpected:
        etree.SubElement(tc, "failure", message=message, type=v.name).text = "\n".join(judgement.notes)
    elif v in (Verdict.NOT_APPLICABLE, Verdict.NOT_IMPLEMENTED):
        etree.SubElement(tc, "skipped", message=message)
    if case.reason or v != Verdict.PASS:
        lines = [message, f"report: {report_anchor(case)}"]
        if case.transcript:
            lines.append(f"[[ATTACHMENT|{transcript_name(case)}]]")
        etree.SubElement(tc, "system-out").text = "\n".join(lines)
