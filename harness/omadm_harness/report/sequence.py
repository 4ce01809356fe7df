"""Inline SVG sequence diagram of a case's DM exchange, generated from its transcript."""
from __future__ import annotations

import re
from html import escape

_COMMANDS = ("Alert", "Add", "Replace", "Get", "Delete", "Exec", "Copy", "Atomic", "Sequence", "Status",
             "Results", "Final")


def summarise(xml: str) -> str:
    """Command names of a SyncML message body in order, with counts ("Status x3 Results Final")."""
    body = xml.split("<SyncBody", 1)[1] if "<SyncBody" in xml else xml
    names = re.findall(r"<(%s)[\s/>]" % "|".join(_COMMANDS), body)
    out: list[str] = []
    count = 0
    for i, name in enumerate(names):
        count += 1
        if i + 1 == len(names) or names[i + 1] != name:
            out.append(name if count == 1 else f"{name} x{count}")
            count = 0
    alert = re.search(r"<Alert>.*?<Data>(\d+)</Data>", body, re.S)
    text = " ".join(out) or "(empty)"
    if alert:
        text = text.replace("Alert", f"Alert {alert.group(1)}", 1)
    return text


def render_sequence_svg(messages: list[dict], left: str = "device", right: str = "server") -> str:
    """Two lifelines; messages with dir "in" (as the server records them) go device -> server."""
    width, top, step = 560, 40, 30
    height = top + step * max(len(messages), 1) + 20
    x_left, x_right = 90, width - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="DM exchange">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>',
        f'<text x="{x_left}" y="20" text-anchor="middle" font-weight="bold">{escape(left)}</text>',
        f'<text x="{x_right}" y="20" text-anchor="middle" font-weight="bold">{escape(right)}</text>',
        f'<line x1="{x_left}" y1="28" x2="{x_left}" y2="{height - 5}" stroke="#999" stroke-dasharray="4"/>',
        f'<line x1="{x_right}" y1="28" x2="{x_right}" y2="{height - 5}" stroke="#999" stroke-dasharray="4"/>',
    ]
    for i, m in enumerate(messages):
        y = top + step * i + 10
        from_left = m.get("dir") == "in"
        x1, x2 = (x_left, x_right) if from_left else (x_right, x_left)
        label = f"{m.get('msg_id', i + 1)}: {summarise(str(m.get('xml', '')))}"
        parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#333" marker-end="url(#arrow)"/>')
        parts.append(f'<text x="{width / 2}" y="{y - 4}" text-anchor="middle" font-size="11">{escape(label)}</text>')
    if not messages:
        parts.append(f'<text x="{width / 2}" y="{top + 10}" text-anchor="middle" font-size="11">no DM messages</text>')
    parts.append("</svg>")
    return "".join(parts)
