"""One self-contained HTML page: summary, requirement x case x verdict matrix, each case with its
checks, a sequence diagram of its exchange and its masked transcript."""
from __future__ import annotations

import jinja2
from markupsafe import Markup

from ..catalogue import Catalogue
from ..results import RunResult, result_key
from .sequence import render_sequence_svg

_COLOURS = {
    "PASS": "#c8f7c5", "PASS_NONSTRICT": "#e6f7b0", "INFO": "#dde8f7", "NOT_APPLICABLE": "#eeeeee",
    "NOT_IMPLEMENTED": "#e4e4e4", "INCONCLUSIVE": "#fde7a9", "FAIL": "#f7b2ad", "ERROR": "#d9a6f2",
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>MgmtPolicyMO conformance: run {{ run.run_id }}</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:0.5em 0}
td,th{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}
th{background:#f0f0f0}
.v{font-weight:bold;text-align:center}
{% for name, colour in colours.items() %}.v-{{ name }}{background:{{ colour }}}
{% endfor %}
pre{background:#f7f7f7;padding:6px;overflow-x:auto;font-size:12px;max-height:30em}
details{margin:0.3em 0}
.case{border-top:1px solid #ccc;padding-top:0.5em;margin-top:1em}
</style></head><body>
<h1>MgmtPolicyMO conformance report</h1>
<p>Run <code>{{ run.run_id }}</code>; IUT role(s): {{ meta.get('iut', '-') }}; adapter: {{ meta.get('adapter', '-') }};
catalogue {{ catalogue.document }}; {{ run.cases|length }} case(s); exit code {{ exit_code }}.</p>
<h2 id="summary">Summary</h2>
<table><tr>{% for name, n in counts.items() %}<th>{{ name }}</th>{% endfor %}</tr>
<tr>{% for name, n in counts.items() %}<td class="v v-{{ name }}">{{ n }}</td>{% endfor %}</tr></table>
{% if unexpected %}<p><b>Unexpected results:</b> {% for c in unexpected %}<a href="#{{ key(c) }}">{{ key(c) }}</a> {% endfor %}</p>{% endif %}
<p>Coverage: {{ cov.static_covered }}/{{ cov.total }} requirements cited (static),
{{ cov.dynamic_covered }}/{{ cov.total }} exercised as the reference peers report (dynamic).</p>
<h2 id="matrix">Requirement x case x verdict</h2>
<table class="matrix"><tr><th>Requirement</th><th>Strength</th><th>Dynamic</th>
{% for c in run.cases %}<th title="{{ c.title }}"><a href="#{{ key(c) }}">{{ key(c) }}</a></th>{% endfor %}</tr>
{% for row in cov.requirements %}<tr><td title="{{ row.label_as_printed }}">{{ row.id }}</td><td>{{ row.strength }}</td>
<td>{{ row.dynamic_cases|length }}</td>
{% for c in run.cases %}{% set v = row.run_cases.get(key(c)) %}<td class="v {% if v %}v-{{ v }}{% endif %}">{{ v or '' }}</td>{% endfor %}</tr>
{% endfor %}</table>
<h2 id="cases">Cases</h2>
{% for c in run.cases %}<div class="case" id="{{ key(c) }}">
<h3>{{ c.case_id }} <small>({{ c.role_under_test }} under test)</small> <span class="v v-{{ c.verdict.name }}">{{ c.verdict.name }}</span></h3>
<p>{{ c.title }}</p>
<p>{{ c.summary() }}{% if judgement(c).outcome != 'EXPECTED' %}; baseline: {{ judgement(c).outcome }} {{ judgement(c).notes|join('; ') }}{% endif %}</p>
<p>Requirements: {{ c.labels|join(', ') }}; exercised (dynamic): {{ c.exercised|join(', ') or '-' }}; {{ '%.2f'|format(c.duration_s) }} s</p>
<table><tr><th>Check</th><th>Labels</th><th>Strength</th><th>Verdict</th><th>Detail</th></tr>
{% for k in c.checks %}<tr><td>{{ k.id }}</td><td>{{ k.labels|join(', ') }}</td><td>{{ k.strength }}</td>
<td class="v v-{{ k.verdict.name }}">{{ k.verdict.name }}</td><td>{{ k.detail }}</td></tr>{% endfor %}
</table>
<details><summary>Sequence diagram ({{ c.transcript|length }} messages)</summary>{{ svg(c) }}</details>
<details><summary>Masked transcript</summary>
{% for m in c.transcript %}<pre>{{ loop.index }} {{ 'device -> server' if m.get('dir') == 'in' else 'server -> device' }} msg {{ m.get('msg_id') }}
{{ m.get('xml') }}</pre>{% endfor %}</details>
</div>{% endfor %}
</body></html>
"""


def render_html(run: RunResult, catalogue: Catalogue, cov: dict) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_TEMPLATE)
    return template.render(
        run=run,
        meta=run.meta,
        catalogue=catalogue,
        counts=run.counts(),
        colours=_COLOURS,
        exit_code=run.exit_code(),
        unexpected=run.unexpected(),
        cov=cov,
        key=lambda c: result_key(c.case_id, c.role_under_test),
        judgement=run.judgement,
        svg=lambda c: Markup(render_sequence_svg(c.transcript)),
    )
