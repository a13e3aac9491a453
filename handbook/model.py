"""Small read-only records and a collection with named queries.

Pages and macros ask the collection (`handbook.counties()`,
`handbook.terms("malgrupper")`), never reach into raw files.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

LANGUAGES = ("sv", "en")


def localise(value, lang: str = "sv") -> tuple[str, bool]:
    """The text for `lang`, and whether it fell back to Swedish."""
    if value is None:
        return "", False
    if isinstance(value, str):
        return value, False
    if lang in value:
        return value[lang], False
    return value.get("sv", ""), lang != "sv"


def _freeze(value):
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Record:
    """One record: one file. `data` is read-only."""

    kind: str
    id: str
    path: str
    data: Mapping

    @classmethod
    def of(cls, kind: str, record_id: str, path: str, data: dict) -> "Record":
        return cls(kind, record_id, path, _freeze(data))

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def text(self, key: str, lang: str = "sv") -> str:
        return localise(self.data.get(key), lang)[0]

    @property
    def order(self) -> tuple:
        return (self.data.get("order", 0), self.id)


@dataclass(frozen=True)
class County:
    code: str
    letter: str
    name: Mapping

    def label(self, lang: str = "sv") -> str:
        return localise(self.name, lang)[0]


@dataclass(frozen=True)
class Term:
    taxonomy: str
    id: str
    label: Mapping
    description: Mapping | None
    sources: tuple

    def text(self, lang: str = "sv") -> str:
        return localise(self.label, lang)[0]


class Handbook:
    """Every record of the content, by kind and id."""

    def __init__(self, records: dict[str, dict[str, Record]], folders: dict[str, str] | None = None):
        self._records = records
        self.folders = dict(folders or {})  # kind -> content folder, such as "data/lan"

    def kinds(self) -> list[str]:
        return sorted(self._records)

    def all(self, kind: str) -> list[Record]:
        """Records of a kind in their reading order (`order`, then id)."""
        return sorted(self._records.get(kind, {}).values(), key=lambda r: r.order)

    def get(self, kind: str, record_id: str) -> Record | None:
        return self._records.get(kind, {}).get(record_id)

    def count(self, kind: str) -> int:
        return len(self._records.get(kind, {}))

    # Counties
    def counties(self) -> list[County]:
        return [self.county(r.id) for r in sorted(self._records.get("county", {}).values(), key=lambda r: r.id)]

    def county(self, code: str) -> County | None:
        record = self.get("county", code)
        return County(record.id, record.get("letter"), record.get("name")) if record else None

    # Taxonomies
    def taxonomies(self) -> list[Record]:
        return self.all("taxonomy")

    def terms(self, taxonomy: str) -> list[Term]:
        record = self.get("taxonomy", taxonomy)
        if record is None:
            raise KeyError(f"no taxonomy `{taxonomy}`")
        return [Term(taxonomy, t["id"], t["label"], t.get("description"), t.get("sources", ())) for t in record.get("terms", ())]

    def term(self, taxonomy: str, term_id: str) -> Term:
        for term in self.terms(taxonomy):
            if term.id == term_id:
                return term
        raise KeyError(f"no term `{term_id}` in taxonomy `{taxonomy}`")
