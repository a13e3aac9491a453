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
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
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


class FixedTexts(Extension):
    """`_("Källor")` translated once, when a template is compiled, instead of at every render.

    Each environment has one language, so a text with no values is a constant: exactly what the i18n
    extension's newstyle gettext returns (the translation as markup, %-formatted with no values).
    On its own in an output tag it becomes template text; inside an expression, a string marked
    safe, in parentheses (`_("...").unescape()` stays a method call on it). `_()` with values is left to the i18n extension. An organisation's page has about twenty
    such texts and is rendered 1500 times per language."""

    def filter_stream(self, stream: TokenStream):
        catalogue = getattr(self.environment, "handbook_translations", None)
        tokens = list(stream)
        if catalogue is None:
            yield from tokens
            return
        i = 0
        while i < len(tokens):
            if (tokens[i].type == "variable_begin" and i + 5 < len(tokens) and tokens[i + 5].type == "variable_end"
                    and (text := self._constant(tokens, i + 1, catalogue)) is not None):
                yield Token(tokens[i].lineno, "data", text)  # `{{ _("...") }}` whole
                i += 6
            elif (text := self._constant(tokens, i, catalogue)) is not None:
                line = tokens[i].lineno
                yield from (Token(line, "lparen", "("), Token(line, "string", text), Token(line, "pipe", "|"),
                            Token(line, "name", "safe"), Token(line, "rparen", ")"))  # `( "..."|safe )`
                i += 4
            else:
                yield tokens[i]
                i += 1

    @staticmethod
    def _constant(tokens: list[Token], i: int, catalogue) -> str | None:
        """The translated text if tokens[i:] start with `_("literal")` (not an attribute `x._(...)`)."""
        if not (tokens[i].type == "name" and tokens[i].value == "_" and i + 3 < len(tokens)
                and tokens[i + 1].type == "lparen" and tokens[i + 2].type == "string" and tokens[i + 3].type == "rparen"
                and (i == 0 or tokens[i - 1].type != "dot")):
            return None
        try:
            return str(Markup(catalogue.gettext(tokens[i + 2].value)) % {})
        except (KeyError, TypeError, ValueError):  # the same error comes at render time, with its line
            return None


@lru_cache(maxsize=None)
def environment(lang: str = "sv") -> Environment:
    """The template environment of one language: its filters know the language.

    Templates are not reloaded while the environment lives (no file check at each page: 1500 pages,
    four checks each); `make serve` starts with fresh environments at each rebuild (`forget`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n", FixedTexts], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False, auto_reload=False)
    env.handbook_translations = translations(lang)
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters.update({
        # Localised text, escaped; a Swedish fallback on an English page is marked for the reader.
        "text": lambda value, in_lang=None: Markup(render.text(value, in_lang or lang)),
        # Localised Markdown, rendered and sanitised against the allowlist.
        "markdown": lambda value: Markup(render.markdown(value, lang)),
        # Text for a Markdown heading or line: HTML-escaped, then Markdown punctuation escaped.
        "md_text": lambda value: Markup(render.md_text(value)),
        # A bar's width as a class (vi-w-0 ... vi-w-100), not an inline style.
        "width_class": render.width_class,
    })
    env.globals.update({
        "lang": lang,
        "relative_url": render.relative_url,
        # An HTML block that Markdown leaves alone (and that skips Markdown during a build).
        "html_block": lambda inner: Markup(render.block(str(inner))),
        # Front matter: its values are escaped and quoted by render.front_matter.
        "front_matter": lambda title, **meta: Markup(render.front_matter(title, **meta)),
    })
    return env


def forget() -> None:
    """Drop the compiled templates and catalogues, so edited ones are read again."""
    environment.cache_clear()
    translations.cache_clear()


def render_template(name: str, lang: str = "sv", **context) -> str:
    """A template rendered to a string (Markdown with HTML blocks, or a fragment of HTML)."""
    return environment(lang).get_template(name).render(**context)
