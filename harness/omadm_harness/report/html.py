"""One self-contained HTML page: summary, the runs that did not pass (first), one row per
requirement with its verdict, and each case with its checks; a case that did not pass shows its
sequence diagram and its indented transcript inline (a finding links to the message it names), a
passing one links to its transcript file."""
from __future__ import annotations

from collections import Counter

import jinja2
from lxml import etree
from markupsafe import Markup

from ..catalogue import Catalogue
from ..results import RunResult, result_key
from .names import transcript_name
from ..verdicts import Verdict
from .sequence import render_sequence_svg

_COLOURS = {
    "PASS": "#c8f7c5", "PASS_NONSTRICT": "#e6f7b0", "INFO": "#dde8f7", "NOT_APPLICABLE": "#eeeeee",
    "NOT_IMPLEMENTED": "#e4e4e4", "INCONCLUSIVE": "#fde7a9", "FAIL": "#f7b2ad", "ERROR": "#d9a6f2",
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>MgmtPolicyMO conformance: run {{ run.run_id }}</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222;max-width:110em}
table{border-collapse:collapse;margin:0.5em 0}
td,th{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top;text-align:left}
th{background:#f0f0f0}
.v{font-weight:bold;text-align:center;white-space:nowrap}
{% for name, colour in colours.items() %}.v-{{ name }}{background:{{ colour }}}
{% endfor %}
pre{background:#f7f7f7;padding:6px;overflow-x:auto;font-size:12px;max-height:40em;white-space:pre}
pre:target{outline:3px solid #e0a000}
details{margin:0.3em 0}
.case{border-top:1px solid #ccc;padding-top:0.5em;margin-top:1em}
.runs a{margin-right:0.6em}
</style></head><body>
<h1>MgmtPolicyMO conformance report</h1>
<p>Run <code>{{ run.run_id }}</code>; IUT role(s): {{ meta.get('iut', '-') }}; adapter: {{ meta.get('adapter', '-') }};
catalogue {{ catalogue.document }}; {{ run.cases|length }} case(s); exit code {{ exit_code }}{% if run.interrupted %}; <b>interrupted</b>{% endif %}.</p>
<h2 id="summary">Summary</h2>
<table><tr>{% for name, n in counts.items() %}<th>{{ name }}</th>{% endfor %}<th>findings</th></tr>
<tr>{% for name, n in counts.items() %}<td class="v v-{{ name }}">{{ n }}</td>{% endfor %}<td class="v">{{ run.findings() }}</td></tr></table>
<p>Coverage: {{ cov.static_covered }}/{{ cov.total }} requirements cited (static),
{{ cov.dynamic_covered }}/{{ cov.total }} exercised as the reference peers report (dynamic).</p>
<h2 id="matrix">Requirements</h2>
<p>One row per requirement label: its verdict over the runs citing it; those not passing first, worst first.</p>
<table class="matrix"><tr><th>Requirement</th><th>Strength</th><th>Verdict</th><th>Runs</th><th>Not passing</th><th>Dynamic</th></tr>
{% for row in requirement_rows %}{% set bad = not_passing_runs(row) %}<tr><td title="{{ row.label_as_printed }}">{{ row.id }}</td><td>{{ row.strength }}</td>
<td class="v {% if row.verdict %}v-{{ row.verdict }}{% endif %}">{{ row.verdict or 'not run' }}</td>
<td>{{ tally(row) }}</td><td class="runs">{% for k in bad %}<a href="#{{ k }}">{{ k }}</a>{% endfor %}</td>
<td>{{ row.dynamic_cases|length }}</td></tr>
{% endfor %}</table>
<h2 id="failures">Cases not passing</h2>
{% if not_passing %}<table class="failures"><tr><th>Case</th><th>Verdict</th><th>Baseline</th><th>First failing check</th></tr>
{% for c in not_passing %}{% set f = c.first_failure() %}<tr><td><a href="#{{ key(c) }}">{{ key(c) }}</a></td>
<td class="v v-{{ c.verdict.name }}">{{ c.verdict.name }}</td><td>{{ judgement(c).outcome }}</td>
<td>{% if f %}<a href="#{{ key(c) }}--{{ f.id }}">{{ f.id }}</a> [{{ f.labels|join(', ') }}] {{ f.detail }}{% else %}{{ c.reason }}{% endif %}</td></tr>
{% endfor %}</table>{% else %}<p>Every case passed.</p>{% endif %}
<h2 id="cases">Cases</h2>
{% for c in run.cases %}{% set passed = c.verdict.name == 'PASS' %}<div class="case" id="{{ key(c) }}">
<details{% if not passed %} open{% endif %}><summary><b>{{ c.case_id }}</b> <small>({{ c.role_under_test }} under test)</small>
<span class="v v-{{ c.verdict.name }}">{{ c.verdict.name }}</span> {{ c.title }}</summary>
<p>{{ c.summary() }}{% if judgement(c).outcome != 'EXPECTED' %}; baseline: {{ judgement(c).outcome }} {{ judgement(c).notes|join('; ') }}{% endif %}</p>
<p>Requirements: {{ c.labels|join(', ') }}; exercised (dynamic): {{ c.exercised|join(', ') or '-' }}; {{ '%.2f'|format(c.duration_s) }} s</p>
<table><tr><th>Check</th><th>Labels</th><th>Strength</th><th>Answers</th><th>Verdict</th><th>Detail</th></tr>
{% for k in c.checks %}<tr id="{{ key(c) }}--{{ k.id }}"><td>{{ k.id }}</td><td>{{ k.labels|join(', ') }}</td><td>{{ k.strength }}</td>
<td>{{ k.responsible }}</td><td class="v v-{{ k.verdict.name }}">{{ k.verdict.name }}</td>
<td>{{ k.detail }}{% if k.message and not passed %} (<a href="#{{ key(c) }}--m{{ k.message }}">message {{ k.message }}</a>){% endif %}</td></tr>{% endfor %}
</table>
{% if c.transcript %}{% if passed %}<p><a href="{{ transcript_ref(c) }}">Masked transcript</a> ({{ c.transcript|length }} messages)</p>
{% else %}<details open><summary>Sequence diagram ({{ c.transcript|length }} messages)</summary>{{ svg(c) }}</details>
<details open><summary>Masked transcript</summary>
{% for m in c.transcript %}<pre id="{{ key(c) }}--m{{ loop.index }}">{{ loop.index }} {{ 'device -> server' if m.get('dir') == 'in' else 'server -> device' }} msg {{ m.get('msg_id') }}
{{ pretty(m.get('xml')) }}</pre>{% endfor %}</details>{% endif %}{% endif %}
</details></div>{% endfor %}
</body></html>
"""


def pretty_xml(text) -> str:
    """A message indented one element per line; as given when it is not XML."""
    raw = str(text or "")
    try:
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        return etree.tostring(etree.fromstring(raw.encode("utf-8"), parser), pretty_print=True,
                              encoding="unicode").rstrip()
    except (etree.XMLSyntaxError, ValueError):
        return raw


_NOT_PASSING = (Verdict.PASS_NONSTRICT, Verdict.INCONCLUSIVE, Verdict.FAIL, Verdict.ERROR)


def _failing_first(rows: list[dict]) -> list[dict]:
    """Requirement rows whose verdict does not pass first, worst first; the others in catalogue order."""
    def rank(item):
        index, row = item
        v = Verdict[row["verdict"]] if row["verdict"] else None
        return (0, -v, index) if v in _NOT_PASSING else (1, 0, index)

    return [row for _, row in sorted(enumerate(rows), key=rank)]


def render_html(run: RunResult, catalogue: Catalogue, cov: dict) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_TEMPLATE)
    key = lambda c: result_key(c.case_id, c.role_under_test)  # noqa: E731
    not_passing = sorted((c for c in run.cases if c.verdict != Verdict.PASS),
                         key=lambda c: (not run.judgement(c).unexpected, -c.verdict, key(c)))

    def tally(row) -> str:
        counts = Counter(row["run_cases"].values())
        return ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda kv: Verdict[kv[0]]))

    return template.render(
        run=run,
        meta=run.meta,
        catalogue=catalogue,
        counts=run.counts(),
        colours=_COLOURS,
        exit_code=run.exit_code(),
        not_passing=not_passing,
        cov=cov,
        requirement_rows=_failing_first(cov["requirements"]),
        key=key,
        judgement=run.judgement,
        tally=tally,
        not_passing_runs=lambda row: [k for k, v in row["run_cases"].items() if v != "PASS"],
        pretty=pretty_xml,
        transcript_ref=transcript_name,
        svg=lambda c: Markup(render_sequence_svg(c.transcript)),
    )
