"""The requirement catalogue (testcases/requirements.yaml): canonical ids, printed form, strength, role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .yamlload import load_file

_LABEL_RE = re.compile(r"^MgmtPolicyMO-[A-Za-z]+-\d+$")


def normalise_label(label: str) -> str:
    """Canonical form of a label: all whitespace removed (`MgmtPolicyMO-Device -01` -> `...-Device-01`)."""
    return re.sub(r"\s+", "", str(label))


@dataclass(frozen=True)
class Requirement:
    id: str
    label_as_printed: str
    strength: str  # SHALL or SHOULD
    role: str  # device, server or both
    source: str
    status: str  # active or waived
    text: str
    waiver: str | None = None

    @property
    def is_shall(self) -> bool:
        return self.strength.upper() in ("SHALL", "MUST")

    @property
    def waived(self) -> bool:
        return self.status == "waived" and bool(self.waiver)


class CatalogueError(Exception):
    pass


class Catalogue:
    def __init__(self, requirements: list[Requirement], document: str = "", path: Path | None = None):
        self.document = document
        self.path = path
        self._by_id: dict[str, Requirement] = {}
        for r in requirements:
            if r.id in self._by_id:
                raise CatalogueError(f"duplicate requirement id {r.id}")
            self._by_id[r.id] = r

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Catalogue":
        path = Path(path) if path else paths.requirements_file()
        doc = load_file(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("requirements"), list):
            raise CatalogueError(f"{path}: expected a mapping with a 'requirements' list")
        reqs = []
        for entry in doc["requirements"]:
            rid = normalise_label(entry.get("id", ""))
            if not _LABEL_RE.match(rid):
                raise CatalogueError(f"{path}:{entry.line}: bad requirement id {entry.get('id')!r}")
            reqs.append(
                Requirement(
                    id=rid,
                    label_as_printed=str(entry.get("label_as_printed", rid)),
                    strength=str(entry.get("strength", "SHALL")).upper(),
                    role=str(entry.get("role", "both")),
                    source=str(entry.get("source", "")),
                    status=str(entry.get("status", "active")),
                    text=str(entry.get("text", "")),
                    waiver=entry.get("waiver"),
                )
            )
        return cls(reqs, str(doc.get("document", "")), path)

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, label: str) -> bool:
        return self.resolve(label) is not None

    def ids(self) -> list[str]:
        return list(self._by_id)

    def resolve(self, label: str) -> Requirement | None:
        """The requirement a label names, accepting the printed form and stray whitespace."""
        return self._by_id.get(normalise_label(label))

    def get(self, label: str) -> Requirement:
        r = self.resolve(label)
        if r is None:
            raise KeyError(label)
        return r

    def strength_of(self, labels: list[str]) -> str:
        """SHALL when any label is SHALL, else SHOULD (unknown labels count as SHALL)."""
        for label in labels:
            r = self.resolve(label)
            if r is None or r.is_shall:
                return "SHALL"
        return "SHOULD" if labels else "SHALL"
