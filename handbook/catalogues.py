"""The site catalogues kept in step with the templates (Babel's extract and update, as pybabel does)."""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .messages import LOCALE
from .templating import DOMAIN, LANGUAGES, TEMPLATES

METHODS = [("**.html", "jinja2"), ("**.md", "jinja2")]
OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n", "trim_blocks": "yes", "lstrip_blocks": "yes"} for pattern, _ in METHODS}
META = {"project": "Vägar in", "version": "1", "charset": "utf-8", "msgid_bugs_address": "issues of the repository",
        "last_translator": "Vägar in", "language_team": "Vägar in"}
HEADER = ("# Interface text of the handbook's pages. msgid: the Swedish text as the templates write it;\n"
          "# msgstr: the text in this language. Keep %(name)s placeholders and HTML tags as they are.\n#")
META["header_comment"] = HEADER


def template_catalogue() -> Catalog:
    """Every text the templates use, with the template lines it comes from."""
    catalogue = Catalog(domain=DOMAIN, fuzzy=False, **META)
    for filename, lineno, message, comments, context in extract_from_dir(
            TEMPLATES, METHODS, OPTIONS, comment_tags=("Translators:",), strip_comment_tags=True):
        catalogue.add(message, None, [(f"handbook/templates/{filename}", lineno)], auto_comments=comments,
                      context=context)
    return catalogue


def _po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return out.getvalue()


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines() if b"-Date:" not in line)


def language_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(write: bool = True) -> list[Path]:
    """Bring site.pot and every language's site.po up to date; return the files that were (or would be) changed."""
    template = template_catalogue()
    changed = []
    wanted = {LOCALE / f"{DOMAIN}.pot": _po_bytes(template)}
    for lang in LANGUAGES:
        path = language_path(lang)
        if path.exists():
            with open(path, "rb") as handle:
                catalogue = read_po(handle, locale=lang)
        else:
            catalogue = Catalog(locale=lang, domain=DOMAIN, fuzzy=False, **META)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()  # a text no template uses is dropped; git keeps its history
        wanted[path] = _po_bytes(catalogue)
    for path, data in wanted.items():
        if not path.exists() or _without_dates(path.read_bytes()) != _without_dates(data):
            changed.append(path)
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    return changed


def untranslated(lang: str) -> list[str]:
    """The texts the templates use that the language's catalogue does not translate."""
    with open(language_path(lang), "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    return sorted(m.id for m in template_catalogue() if m.id and m.id not in translated)
