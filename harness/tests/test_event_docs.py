"""The case schema's event kinds per peer (testcases/schema/case.schema.yaml) are those docs/events.md
documents for that binary: a case cannot wait on an event no binary publishes, and a documented
event is never refused by lint."""
import re
from pathlib import Path

from omadm_harness.caseformat import KNOWN_EVENTS

EVENTS_MD = Path(__file__).resolve().parents[2] / "docs" / "events.md"
SECTIONS = {"Both binaries": ("device", "server"), "Server": ("server",), "Client": ("device",)}


def documented() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"device": set(), "server": set()}
    peers: tuple[str, ...] = ()
    for line in EVENTS_MD.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^###\s+(.+?)\s*$", line)
        if heading:
            peers = SECTIONS.get(heading.group(1), ())
            continue
        if line.startswith("## "):
            peers = ()
        row = re.match(r"^\|\s*`([a-z0-9_]+)`\s*\|", line)
        if row and peers:
            for peer in peers:
                out[peer].add(row.group(1))
    return out


def test_schema_events_are_the_documented_events():
    docs = documented()
    assert docs["device"] and docs["server"], "no event table found in docs/events.md"
    for peer in ("device", "server"):
        assert set(KNOWN_EVENTS[peer]) == docs[peer], (
            f"{peer}: only in the schema {sorted(set(KNOWN_EVENTS[peer]) - docs[peer])}, "
            f"only in docs/events.md {sorted(docs[peer] - set(KNOWN_EVENTS[peer]))}")
