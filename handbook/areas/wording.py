"""Checks on the words of the content: one name for one thing, and a link for what a text names.

- `named-not-linked`: a criterion's Swedish text names a module or a method of the handbook (by its
  short title: the part before ": " or " – ") that the criterion's `helped_by` does not list. The
  reader of the criterion then gets no link to it.
- `glossary-variant`: a Swedish text uses a spelling that a glossary entry lists among its
  `variants` (another word for the same thing, such as jobbcoach for arbetscoach). The handbook
  uses the glossary's own term.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .. import check
from ..load import Loaded, field_path
from ..model import Handbook
from ..problems import problem


def swedish_texts(value, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) for the Swedish of every localised text in a record's data."""
    if hasattr(value, "items"):
        if isinstance(value.get("sv"), str) and set(value) <= {"sv", "en"}:
            yield at + ("sv",), value["sv"]
            return
        for key, sub in value.items():
            yield from swedish_texts(sub, at + (key,))
    elif isinstance(value, (list, tuple)):
        for index, sub in enumerate(value):
            yield from swedish_texts(sub, at + (index,))


def short_title(title: str) -> str:
    """"Handleda i vardagen: instruktion, ..." -> "Handleda i vardagen"; "IPS – Individanpassat ..." -> "IPS"."""
    return re.split(r": | – ", title, maxsplit=1)[0].strip()


def _words(word: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


# One handbook is checked at a time: its names and variants are worked out once, not for every record.
_cache: dict = {"of": None}


def _for(handbook: Handbook) -> dict:
    if _cache["of"] is not handbook:
        _cache.clear()
        _cache["of"] = handbook
    return _cache


def _names(handbook: Handbook) -> list[tuple[str, str, str, re.Pattern]]:
    """(list in helped_by, id, short title, pattern) for every module and method."""
    cache = _for(handbook)
    if "names" not in cache:
        found = []
        for kind, field in (("module", "modules"), ("method", "methods")):
            for record in handbook.all(kind):
                name = short_title(record.text("title"))
                if len(name) >= 3:
                    found.append((field, record.id, name, _words(name)))
        cache["names"] = found
    return cache["names"]


def _variants(handbook: Handbook) -> list[tuple[str, re.Pattern]]:
    """(glossary term, pattern of its variants as word beginnings) for every entry that lists variants."""
    cache = _for(handbook)
    if "variants" not in cache:
        found = []
        for entry in handbook.all("glossary"):
            words = [w for w in entry.get("variants") or () if isinstance(w, str) and w.strip()]
            if words:
                alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                found.append((entry.text("term"), re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)))
        cache["variants"] = found
    return cache["variants"]


@check.rule("criterion")
def named_not_linked(handbook, record, loaded: Loaded):
    helped = record.get("helped_by") or {}
    if not hasattr(helped, "get"):
        return
    reported = set()
    for at, text in swedish_texts(loaded.data):
        for field, target, name, pattern in _names(handbook):
            linked = helped.get(field) or ()
            if target in linked or (field, target) in reported or not pattern.search(text):
                continue
            reported.add((field, target))
            yield problem(loaded.path, *loaded.place(at), field_path(at), "named-not-linked",
                          name=name, id=target, list=f"helped_by.{field}")


@check.rule("*")
def glossary_variant(handbook, record, loaded: Loaded):
    if record.kind == "glossary":
        return
    for at, text in swedish_texts(loaded.data):
        for term, pattern in _variants(handbook):
            found = pattern.search(text)
            if found:
                yield problem(loaded.path, *loaded.place(at), field_path(at), "glossary-variant",
                              found=found.group(0), term=term)
