"""The validator's message catalogues: one gettext file per language.

`handbook/locale/<lang>/LC_MESSAGES/problems.po` holds one entry per rule: the msgid is the rule
name (`enum`, `duplicate-id`, ...), the msgstr the message template with `{placeholders}`. Entries
whose msgid has a dot (`describe.integer`, `hint.quote`, `summary.problems`, `kind.county`, ...) are
the fragments a message is put together from, and the lines the command line prints: nothing a
partner reads is written in the code. Translators
edit the `.po` files with any gettext tool (Poedit, Weblate, Lokalize); the handbook reads them with
Babel as they are, so there is no compile step.

Swedish is the language partners read; English is for maintainers: `--lang en` on the command line
or `HANDBOOK_LANG=en` in the environment.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT = "sv"
DOMAIN = "problems"

_current = [os.environ.get("HANDBOOK_LANG", DEFAULT) if os.environ.get("HANDBOOK_LANG") in LANGUAGES else DEFAULT]


def catalogue_path(lang: str, domain: str = DOMAIN) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=None)
def catalogue(lang: str, domain: str = DOMAIN) -> dict[str, str]:
    """msgid -> msgstr of one catalogue; entries without a translation are left out."""
    with open(catalogue_path(lang, domain), "rb") as handle:
        po = read_po(handle, locale=lang)
    return {m.id: m.string for m in po if m.id and m.string}


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current[0] = lang


def language() -> str:
    return _current[0]


def template(key: str, lang: str | None = None) -> str:
    """The message template for `key` in the current language (or `lang`)."""
    return catalogue(lang or language())[key]


def message(key: str, lang: str | None = None, **values) -> str:
    return template(key, lang).format(**values)


def has(key: str, lang: str | None = None) -> bool:
    return key in catalogue(lang or language())


def count(key: str, n: int, lang: str | None = None, **values) -> str:
    """A counted phrase: `count.file.one` for 1, `count.file.other` for any other number (both
    Swedish and English say "1 fil" / "0 filer", "2 filer")."""
    return message(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **values)


def rules(lang: str | None = None) -> dict[str, str]:
    """The rule messages only: the entries whose msgid has no dot."""
    return {key: text for key, text in catalogue(lang or language()).items() if "." not in key}
