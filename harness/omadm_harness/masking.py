"""Masking of volatile fields in DM messages, so that two runs of a case diff cleanly.

Each distinct volatile value becomes a numbered placeholder (`{SessionID-1}`), so the transcript
still shows which messages share a value.
"""
from __future__ import annotations

import re

_ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b")
_COMPACT_TIME = re.compile(r"\b\d{8}T\d{6}Z\b")
_SIMPLE_ELEMENTS = ("SessionID", "NextNonce", "MAC", "TStamp", "LastRun")


class Masker:
    def __init__(self, keep_correlators: set[str] | None = None):
        self.keep_correlators = set(keep_correlators or ())
        self._seen: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def token(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._seen:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._seen[key] = "{%s-%d}" % (kind, self._counts[kind])
        return self._seen[key]

    def _element(self, xml: str, name: str) -> str:
        pattern = re.compile(r"(<%s(?:\s[^>]*)?>)(.*?)(</%s>)" % (name, name), re.S)
        return pattern.sub(lambda m: m.group(1) + self.token(name, m.group(2)) + m.group(3), xml)

    def _cred_data(self, xml: str) -> str:
        cred = re.compile(r"(<Cred>.*?</Cred>)", re.S)
        data = re.compile(r"(<Data(?:\s[^>]*)?>)(.*?)(</Data>)", re.S)

        def fix(m: re.Match) -> str:
            return data.sub(lambda d: d.group(1) + self.token("CredData", d.group(2)) + d.group(3), m.group(1))

        return cred.sub(fix, xml)

    def _correlators(self, xml: str) -> str:
        pattern = re.compile(r"(<Correlator>)(.*?)(</Correlator>)", re.S)

        def fix(m: re.Match) -> str:
            value = m.group(2)
            if value in self.keep_correlators:
                return m.group(0)
            return m.group(1) + self.token("Correlator", value) + m.group(3)

        return pattern.sub(fix, xml)

    def _hmac_header(self, text: str) -> str:
        pattern = re.compile(r"((?:mac|nonce)=)([A-Za-z0-9+/=]+)", re.I)
        return pattern.sub(lambda m: m.group(1) + self.token("HMAC", m.group(2)), text)

    def mask(self, xml: str) -> str:
        if not xml:
            return xml
        out = xml
        for name in _SIMPLE_ELEMENTS:
            out = self._element(out, name)
        out = self._cred_data(out)
        out = self._correlators(out)
        out = self._hmac_header(out)
        out = _ISO_TIME.sub(lambda m: self.token("Time", m.group(0)), out)
        out = _COMPACT_TIME.sub(lambda m: self.token("Time", m.group(0)), out)
        return out


def mask_transcript(messages: list[dict], keep_correlators: set[str] | None = None) -> list[dict]:
    """Masked copies of transcript messages ({"dir", "msg_id", "xml", ...}); one Masker per case."""
    masker = Masker(keep_correlators)
    out = []
    for m in messages:
        item = dict(m)
        item["xml"] = masker.mask(str(m.get("xml", "")))
        if "headers" in item and isinstance(item["headers"], dict):
            item["headers"] = {k: masker.mask(str(v)) for k, v in item["headers"].items()}
        out.append(item)
    return out
