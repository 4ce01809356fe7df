"""The HTML report as a browser renders it: headless Chromium takes a screenshot of report.html
and dumps its DOM; the requirement x case x verdict matrix must have one row per requirement of
the catalogue. Chromium is required (Debian package `chromium`): without it the test fails with
instructions, it is never skipped. The screenshot stays in the test's output directory."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from omadm_harness.lint import discover
from omadm_harness.report import write_reports
from omadm_harness.results import RunResult
from omadm_harness.verdicts import CaseResult, CheckResult, Verdict

from helpers import CATALOGUE, load

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
BROWSER_TIMEOUT_S = 45
WINDOW = "1400,1000"
MIN_SCREENSHOT_BYTES = 10_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOT_PASSING = ("ERROR", "FAIL", "INCONCLUSIVE", "PASS_NONSTRICT")
# Measures, in the browser, where the requirement table's first row that does not pass lies.
FOLD_SCRIPT = """<script>
const rows = Array.from(document.querySelectorAll('table.matrix tr')).slice(1);
const bad = rows.filter(r => %s.includes(r.children[2].textContent.trim()));
document.body.setAttribute('data-fold', JSON.stringify({height: window.innerHeight, failing: bad.length,
  first_bottom: bad.length ? bad[0].getBoundingClientRect().bottom : -1}));
</script>""" % json.dumps(list(NOT_PASSING))


def _chromium() -> str:
    env = os.environ.get("OMADM_CHROMIUM")
    if env:
        return env
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed to check the HTML report but none was found "
                f"(looked for {', '.join(CHROMIUM_CANDIDATES)}; set OMADM_CHROMIUM to its path). "
                "Install it: apt-get install -y chromium")


def _browser(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    argv = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", f"--window-size={WINDOW}", *args]
    try:
        return subprocess.run(argv, capture_output=True, timeout=BROWSER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{binary} did not finish within {BROWSER_TIMEOUT_S} s: {' '.join(argv)}\n"
                    f"{(e.stderr or b'').decode('utf-8', 'replace')[-2000:]}")


def _real_case_run() -> RunResult:
    """A run over the project's real case files with varied verdicts (no binaries needed)."""
    cases, issues = load(discover(Path(__file__).resolve().parents[2] / "testcases" / "cases"))
    assert not issues, issues
    verdicts = [Verdict.PASS, Verdict.PASS, Verdict.PASS_NONSTRICT, Verdict.FAIL, Verdict.NOT_APPLICABLE,
                Verdict.INCONCLUSIVE]
    results = []
    for i, case in enumerate(cases):
        v = verdicts[i % len(verdicts)]
        checks = [CheckResult(c["id"], list(c["labels"]), "SHALL", v != Verdict.FAIL,
                              detail="" if v != Verdict.FAIL else "status 200, expected [404]") for c in case.checks]
        signal = v if v in (Verdict.NOT_APPLICABLE, Verdict.INCONCLUSIVE) else None
        strength_miss = v == Verdict.PASS_NONSTRICT
        if strength_miss and checks:
            checks[0] = CheckResult(checks[0].id, checks[0].labels, "SHOULD", False, detail="SHOULD missed")
        role = case.roles()[0]
        results.append(CaseResult(case.id, title=case.title, labels=list(case.requirements), role_under_test=role,
                                  checks=checks, signal=signal, reason="precondition" if signal else "",
                                  exercised=list(case.requirements)))
    run = RunResult("browser", cases=results, meta={"iut": "both", "adapter": "test"})
    run.apply_baseline()
    return run, {c.id: c.all_labels() for c in cases}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    chromium = _chromium()
    out = tmp_path_factory.mktemp("html-report")
    run, static = _real_case_run()
    report_dir = write_reports(run, out / "run", CATALOGUE, static, latest_link=False)
    page = (report_dir / "report.html").resolve()
    return chromium, out, page, run


def test_report_screenshot_is_rendered(rendered):
    chromium, out, page, _ = rendered
    shot = out / "report-screenshot.png"
    done = _browser(chromium, out / "profile-shot", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), (f"no screenshot written (exit {done.returncode}): "
                            f"{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    data = shot.read_bytes()
    assert data.startswith(PNG_MAGIC), "the screenshot is not a PNG"
    assert len(data) >= MIN_SCREENSHOT_BYTES, f"screenshot of {len(data)} bytes: the page looks blank"
    # A blank page compresses to a tiny, near-uniform image: require some variety of bytes as well.
    assert len(set(data[len(PNG_MAGIC):])) > 200, "screenshot looks uniform"
    print(f"screenshot artifact: {shot}")


def test_matrix_has_one_row_per_requirement(rendered):
    chromium, out, page, run = rendered
    done = _browser(chromium, out / "profile-dom", "--dump-dom", page.as_uri())
    dom = done.stdout.decode("utf-8", "replace")
    assert "<table" in dom, f"no DOM dumped (exit {done.returncode}): {done.stderr.decode('utf-8', 'replace')[-2000:]}"
    (out / "report-dom.html").write_text(dom, encoding="utf-8")
    doc = lxml_html.fromstring(dom)
    tables = doc.xpath('//h2[@id="matrix"]/following-sibling::table[contains(@class, "matrix")][1]')
    assert tables, "the requirement table is missing from the rendered page"
    rows = tables[0].xpath("./tr|./tbody/tr")
    header, body = rows[0], rows[1:]
    columns = [th.text_content().strip() for th in header.xpath("./th")]
    assert columns == ["Requirement", "Strength", "Verdict", "Runs", "Not passing", "Dynamic"], columns
    labels = [tr.xpath("./td")[0].text_content().strip() for tr in body]
    assert sorted(labels) == sorted(CATALOGUE.ids()), "one row per requirement label"
    verdict_names = {v.name for v in Verdict}
    shown, order = set(), []
    for tr in body:
        cells = tr.xpath("./td")
        assert cells[2].text_content().strip() in verdict_names | {"not run"}
        shown.add(cells[2].text_content().strip())
        order.append(cells[2].text_content().strip())
        links = [a.get("href") for a in cells[4].xpath(".//a")]
        assert all(doc.xpath(f'//*[@id="{h[1:]}"]') for h in links), "a not-passing link leads nowhere"
    assert "FAIL" in shown and len(shown - {"not run"}) >= 2, f"requirement verdicts: {sorted(shown)}"
    failing = [i for i, v in enumerate(order) if v in NOT_PASSING]
    assert failing == list(range(len(failing))), "requirements not passing come first"
    worst = [Verdict[order[i]] for i in failing]
    assert worst == sorted(worst, reverse=True), "worst first"
    rest = [labels[i] for i in range(len(failing), len(labels))]
    assert rest == [x for x in CATALOGUE.ids() if x in rest], "the others in catalogue order"


def test_failing_requirements_show_without_scrolling(rendered):
    """The first screen of a run with failures shows its failing requirements: the first row of the
    requirement table that does not pass lies inside the window the browser opens with."""
    chromium, out, page, _ = rendered
    probe = page.with_name("fold.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", FOLD_SCRIPT + "</body>"), encoding="utf-8")
    done = _browser(chromium, out / "profile-fold", "--dump-dom", probe.as_uri())
    doc = lxml_html.fromstring(done.stdout.decode("utf-8", "replace") or "<html/>")
    fold = doc.xpath("//body/@data-fold")
    assert fold, f"the page's script did not run (exit {done.returncode}): {done.stderr.decode('utf-8', 'replace')[-2000:]}"
    seen = json.loads(fold[0])
    assert seen["failing"] > 0, seen
    assert 0 <= seen["first_bottom"] <= seen["height"], f"first failing requirement below the fold: {seen}"
    shot = out / "report-first-screen.png"
    _browser(chromium, out / "profile-fold-shot", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file() and shot.read_bytes().startswith(PNG_MAGIC)
    print(f"screenshot artifact: {shot}")


def test_requirements_then_failed_cases_link_to_their_check(rendered):
    chromium, out, page, run = rendered
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    headings = [h.get("id") for h in doc.xpath("//h2")]
    assert headings.index("matrix") < headings.index("failures") < headings.index("cases")
    rows = doc.xpath('//table[contains(@class, "failures")]/tr')[1:]
    assert len(rows) == sum(1 for c in run.cases if c.verdict != Verdict.PASS)
    for tr in rows:
        for a in tr.xpath(".//a"):
            assert doc.xpath(f'//*[@id="{a.get("href")[1:]}"]'), a.get("href")
