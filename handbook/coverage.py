"""How much of the content has its English text: localised fields with `en`, per kind of record."""
from __future__ import annotations

from .model import Handbook


def _localised(value):
    """Every localised text in a record's data: a mapping with Swedish text under `sv`."""
    if hasattr(value, "items"):
        if isinstance(value.get("sv"), str):
            yield value
            return
        for sub in value.values():
            yield from _localised(sub)
    elif isinstance(value, (list, tuple)):
        for sub in value:
            yield from _localised(sub)


def translated(handbook: Handbook, lang: str = "en") -> list[tuple[str, int, int]]:
    """(kind, fields with text in `lang`, localised fields) for every kind that has localised fields."""
    found = []
    for kind in handbook.kinds():
        total = done = 0
        for record in handbook.all(kind):
            for field in _localised(record.data):
                total += 1
                done += isinstance(field.get(lang), str) and bool(field.get(lang).strip())
        if total:
            found.append((kind, done, total))
    return found


def percent(done: int, total: int) -> int:
    """Whole per cent, rounded down: 99 % until the last field is translated."""
    return done * 100 // total if total else 100
