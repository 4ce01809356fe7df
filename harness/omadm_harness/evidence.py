"""Which message of a case's transcript a check judged. A judge leaves a locator on its check: the
direction and MsgID a peer's finding names, or the SyncML element (Status, Results, Alert) and the
values it read. Once the transcript is collected, `attach_messages` finds the first message that
holds it, so the report links each check to its message (reports/README.md)."""
from __future__ import annotations

from lxml import etree

from .verdicts import CaseResult

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def status_locator(status: dict) -> dict:
    """The device's Status for one server command, as the server recorded it."""
    return {"dir": "in", "element": "Status", "Cmd": status.get("cmd"), "TargetRef": status.get("target"),
            "Data": str(status.get("code", ""))}


def results_locator(source: str | None) -> dict:
    return {"dir": "in", "element": "Results", "LocURI": source}


def alert_locator(source: str | None) -> dict:
    return {"dir": "in", "element": "Alert", "LocURI": source}


def message_locator(direction: str, msg_id) -> dict:
    return {"dir": direction, "msg_id": str(msg_id)}


def attach_messages(result: CaseResult) -> None:
    parsed: dict[int, etree._Element | None] = {}
    for check in result.checks:
        if check.locator:
            check.message = _find(result.transcript, check.locator, parsed)


def _find(transcript: list[dict], loc: dict, parsed: dict) -> int | None:
    for i, m in enumerate(transcript, 1):
        if m.get("dir") != loc["dir"]:
            continue
        if "msg_id" in loc:
            if str(m.get("msg_id")) == loc["msg_id"]:
                return i
            continue
        if i not in parsed:
            parsed[i] = _parse(m.get("xml"))
        root = parsed[i]
        if root is not None and any(_holds(el, loc) for el in root.iter(f"{{*}}{loc['element']}")):
            return i
    return None


def _parse(xml) -> etree._Element | None:
    if not isinstance(xml, str) or not xml.lstrip().startswith("<"):
        return None
    try:
        return etree.fromstring(xml.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError:
        return None


def _holds(element, loc: dict) -> bool:
    """Every value the locator names (None: any) is the text of a descendant of that name."""
    for name, want in loc.items():
        if name in ("dir", "element") or want in (None, ""):
            continue
        if not any((d.text or "").strip() == want for d in element.iter(f"{{*}}{name}")):
            return False
    return True
