"""Templates: escaping is structural, undefined names fail, and every interface text is translated."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po

from handbook import catalogues, templating
from handbook.content import load_content
from handbook.pages import taxonomy_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok
    return result.handbook


def test_values_are_escaped_unless_they_are_already_markup():
    env = templating.environment("sv")
    page = env.from_string("<p>{{ value }}</p>{{ field|text }}").render(value="<script>x</script>", field={"sv": "<b>&</b>"})
    assert page == "<p>&lt;script&gt;x&lt;/script&gt;</p>&lt;b&gt;&amp;&lt;/b&gt;"


def test_markdown_fields_are_sanitised():
    env = templating.environment("sv")
    page = env.from_string("{{ field|markdown }}").render(field={"sv": "**fet** <script>alert(1)</script> [x](javascript:alert(1))"})
    assert "<strong>fet</strong>" in page and "<script" not in page and "javascript:" not in page


def test_an_undefined_name_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        templating.environment("sv").from_string("{{ missing }}").render()


def test_a_translated_text_escapes_its_values():
    env = templating.environment("en")
    page = env.from_string('{{ _("Listan finns i filen <code>%(path)s</code>.", path=p) }}').render(p="<i>x</i>")
    assert page == "The list is in the file <code>&lt;i&gt;x&lt;/i&gt;</code>."


def test_english_text_missing_from_a_record_falls_back_to_swedish_with_a_notice():
    page = templating.environment("en").from_string("{{ field|text }}").render(field={"sv": "Handledare"})
    assert page.startswith('<span lang="sv">Handledare</span>') and "not yet available in English" in page


def test_the_catalogues_hold_exactly_the_texts_of_the_templates():
    assert catalogues.update(write=False) == [], "run python scripts/catalogues.py"


def test_every_interface_text_has_an_english_translation():
    assert catalogues.untranslated("en") == []


def test_catalogue_entries_keep_their_placeholders_and_tags():
    with open(catalogues.language_path("en"), "rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if message.id and message.string:
            for pattern in (r"%\(\w+\)s", r"</?\w+"):
                assert sorted(re.findall(pattern, message.id)) == sorted(re.findall(pattern, message.string)), message.id


def test_a_list_page_in_english_uses_the_english_catalogue_and_fields(handbook):
    page = taxonomy_page(handbook, "malgrupper", "en")
    record = handbook.get("taxonomy", "malgrupper")
    assert f"# {record.text('title', 'en')}" in page
    assert "The terms in the list" in page and "Termerna" not in page
    swedish = taxonomy_page(handbook, "malgrupper")
    assert "Termerna i listan" in swedish and f"# {record.text('title')}" in swedish


class _Catalogue:
    """A catalogue of a few texts, one with markup, one with a literal percent sign."""
    texts = {"Källor": "Sources", "Tryck & spara": "Print <b>&</b> save", "100 %%": "100 %%", "Nivå %(level)s": "Level %(level)s"}

    def gettext(self, text):
        return self.texts.get(text, text)

    def ngettext(self, one, other, n):
        return self.gettext(one if n == 1 else other)


TEMPLATES_BOTH_WAYS = [
    '<h2>{{ _("Källor") }}</h2>',
    '<p>{{- _("Tryck & spara") -}}</p>',
    '{{ _("100 %%") }}|{{ [_("Källor"), _("100 %%")]|join(", ") }}',
    '{% set title = _("Källor").unescape() %}{{ title }}',
    '{{ _("Nivå %(level)s", level=3) }} {{ _("Källor")|upper }} {{ _("Okänd") }}',
    '{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(_("Tryck & spara")) }}{{ m(_("Källor") ~ "<i>") }}',
]


@pytest.mark.parametrize("source", TEMPLATES_BOTH_WAYS)
def test_texts_translated_when_compiled_print_what_the_i18n_extension_prints(source):
    def env(extensions):
        e = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, extensions=extensions)
        e.handbook_translations = _Catalogue()
        e.install_gettext_translations(_Catalogue(), newstyle=True)
        return e

    plain = env(["jinja2.ext.i18n"]).from_string(source).render()
    folded_env = env(["jinja2.ext.i18n", templating.FixedTexts])
    assert folded_env.from_string(source).render() == plain
    compiled = folded_env.compile(source, raw=True)
    # texts without values are looked up when compiling: their Swedish msgids are gone from the code
    assert "Källor" not in compiled and "Tryck & spara" not in compiled and "100 %%" not in compiled
    assert ("Nivå %(level)s" in compiled) == ("level=" in source)  # a text with values is looked up at render time


def test_the_site_environment_translates_its_fixed_texts_when_compiling():
    env = templating.environment("en")
    source = env.loader.get_source(env, "directory/organisation.html")[0]
    compiled = env.compile(source, raw=True)
    assert "Work training offered" in compiled and "Arbetsträning som erbjuds" not in compiled
