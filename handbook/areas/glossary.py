"""The glossary: the handbook's terms and the one English rendering each has.

Records in data/ordlista/ (one term a file). The page /om/ordlista/ shows them; the tests read them
to check that every English text renders each term the same way (`uses`, `missing_renderings`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .. import registry
from ..model import Handbook, Record
from ..templating import render_template


def entries(handbook: Handbook) -> list[Record]:
    """Every glossary entry, in Swedish alphabetical order of the Swedish term."""
    from .directory import sort_key

    return sorted(handbook.all("glossary"), key=lambda r: (sort_key(r.text("term")), r.id))


def forms(entry: Record, lang: str) -> tuple[str, ...]:
    """The word beginnings that find the entry's term in text of one language."""
    match = entry.get("match") or {}
    return tuple(match.get(lang) or (entry.text("term", lang),))


@lru_cache(maxsize=None)
def _pattern(words: tuple[str, ...], case_sensitive: bool) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", 0 if case_sensitive else re.IGNORECASE)


def uses(entry: Record, value: str, lang: str) -> bool:
    """Whether `value` mentions the entry's term (names are matched with their capitals)."""
    return bool(_pattern(forms(entry, lang), bool(entry.get("name"))).search(value or ""))


def localised_texts(value, where: str = "") -> Iterator[tuple[str, object]]:
    """(field path, {sv, en}) for every localised text in a record's data."""
    if hasattr(value, "items"):
        if "sv" in value and isinstance(value.get("sv"), str):
            yield where, value
            return
        for key, sub in value.items():
            yield from localised_texts(sub, f"{where}.{key}" if where else key)
    elif isinstance(value, (list, tuple)):
        for index, sub in enumerate(value):
            yield from localised_texts(sub, f"{where}[{index}]")


def missing_renderings(handbook: Handbook) -> list[str]:
    """Every English text that leaves out a glossary term its Swedish text uses, and every record
    whose English never glosses a Swedish name it mentions: `path: field: what`."""
    found = []
    glossary = entries(handbook)
    for kind in handbook.kinds():
        if kind == "glossary":
            continue
        for record in handbook.all(kind):
            texts = [(where, value) for where, value in localised_texts(record.data) if isinstance(value.get("en"), str)]
            for entry in glossary:
                mentioned = [(w, v) for w, v in texts if uses(entry, v["sv"], "sv")]
                for where, value in mentioned:
                    if not uses(entry, value["en"], "en"):
                        found.append(f"{record.path}: {where}: \"{entry.text('term')}\" is not rendered as "
                                     f"\"{entry.text('term', 'en')}\"")
                gloss = entry.get("gloss")
                if entry.get("name") and gloss and mentioned and not any(gloss in v["en"] for _, v in mentioned):
                    found.append(f"{record.path}: {entry.text('term')} is never glossed as \"({gloss})\"")
    return found


@registry.macro
def glossary_table(handbook: Handbook, lang: str = "sv") -> str:
    return render_template("glossary/table.html", lang, entries=entries(handbook))
