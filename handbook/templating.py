"""Page bodies from Jinja2 templates; their interface text from the site catalogues.

Templates live in `handbook/templates/` and are rendered with autoescaping on: every value is
HTML-escaped unless it is already markup (the `text` and `markdown` filters return escaped or
sanitised markup), so escaping is structural, not a habit. An undefined name is an error.

Interface text is written in Swedish in the templates, `{{ _("Källor") }}`, and looked up in
`handbook/locale/<lang>/LC_MESSAGES/site.po` (msgid: the Swedish text; msgstr: the translation).
Swedish needs no translation, so its catalogue only holds what a Swedish reader should see
differently from the source text. `python scripts/catalogues.py` extracts the texts of every
template into `site.pot` and adds the new ones to each language's catalogue; a test fails when a
text has no English translation.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import render
from .messages import LOCALE

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("sv", "en")
DOMAIN = "site"


@lru_cache(maxsize=None)
def translations(lang: str) -> Translations:
    """The site catalogue of one language, read from its .po file (compiled in memory)."""
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return Translations()
    with open(path, "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(fp=compiled)


def gettext(text: str, lang: str) -> str:
    """One interface text in `lang`, for the few places outside a template."""
    return translations(lang).gettext(text)


@lru_cache(maxsize=None)
def environment(lang: str = "sv") -> Environment:
    """The template environment of one language: its filters know the language."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False)
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters.update({
        # Localised text, escaped; a Swedish fallback on an English page is marked for the reader.
        "text": lambda value, in_lang=None: Markup(render.text(value, in_lang or lang)),
        # Localised Markdown, rendered and sanitised against the allowlist.
        "markdown": lambda value: Markup(render.markdown(value, lang)),
        # Text for a Markdown heading or line: HTML-escaped, then Markdown punctuation escaped.
        "md_text": lambda value: Markup(render.md_text(value)),
    })
    env.globals.update({
        "lang": lang,
        "relative_url": render.relative_url,
        # Front matter: its values are escaped and quoted by render.front_matter.
        "front_matter": lambda title, **meta: Markup(render.front_matter(title, **meta)),
    })
    return env


def render_template(name: str, lang: str = "sv", **context) -> str:
    """A template rendered to a string (Markdown with HTML blocks, or a fragment of HTML)."""
    return environment(lang).get_template(name).render(**context)
