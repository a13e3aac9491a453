"""Sources a reader can check: a link only where the text is, otherwise a description of the document.

A source is a title plus either a URL, or who made it and when (publisher and date), or a note that
says what it is ("opublicerat beslutsunderlag"). A URL that points at a site's front page is not a
source for a document: the reader lands on a start page and finds nothing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from handbook import templating
from handbook.content import load_content
from handbook.model import localise
from handbook.areas.quality import model_rows
from handbook.render import cite, cite_text, sources

ROOT = Path(__file__).parent.parent
COMMON = json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
# Markdown links in the hand-written pages: [text](address).
MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok, [str(p) for p in result.errors]
    return result.handbook


def source_schema() -> dict:
    defs = COMMON["$defs"]
    return {**defs["source"], "$defs": defs}


def cited_sources(value, at: str = ""):
    """(where, source) for every source in a record's data: items of `sources`, and every `source`."""
    if hasattr(value, "items"):
        for key, sub in value.items():
            here = f"{at}.{key}" if at else key
            if key == "sources" and isinstance(sub, (list, tuple)):
                yield from ((f"{here}[{i}]", s) for i, s in enumerate(sub))
            elif key == "source" and hasattr(sub, "get"):
                yield here, sub
            else:
                yield from cited_sources(sub, here)
    elif isinstance(value, (list, tuple)):
        for index, sub in enumerate(value):
            yield from cited_sources(sub, f"{at}[{index}]")


def is_front_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def all_sources(handbook):
    for kind in handbook.kinds():
        for record in handbook.all(kind):
            for where, source in cited_sources(record.data):
                yield f"{record.path}: {where}", source


# The schema

@pytest.mark.parametrize("source", [
    {"title": "Rapport", "url": "https://example.test/rapport.pdf"},
    {"title": "Beslutsunderlag", "publisher": "Gruppen", "date": "2019-02"},
    {"title": "Beslutsunderlag", "note": "opublicerat beslutsunderlag"},
    {"title": "Lagen", "publisher": "Sveriges riksdag", "date": "2017", "note": "textkopia", "url": "https://example.test/lag"},
    {"title": "Underlag", "note": {"sv": "opublicerat", "en": "unpublished"}},
])
def test_a_source_with_a_link_or_a_description_is_valid(source):
    jsonschema.validate(source, source_schema())


@pytest.mark.parametrize("source", [
    {"title": "Bara en titel"},
    {"title": "Utgivare men inget datum", "publisher": "Gruppen"},
    {"title": "Datum men ingen utgivare", "date": "2019"},
    {"title": "Fel datum", "publisher": "Gruppen", "date": "1 mars"},
    {"title": "Okänt fält", "note": "x", "author": "Någon"},
    {"title": "Anteckning utan svenska", "note": {"en": "unpublished"}},
])
def test_a_source_without_a_link_or_a_description_is_refused(source):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(source, source_schema())


# The real content

def test_every_cited_source_has_a_link_or_a_description(handbook):
    found = list(all_sources(handbook))
    assert len(found) > 100  # the walk finds the sources (there are hundreds)
    missing = [where for where, s in found
               if not s.get("url") and not (s.get("publisher") and s.get("date")) and not s.get("note")]
    assert missing == []


def test_no_cited_source_links_to_a_bare_front_page(handbook):
    bare = [f"{where}: {s['url']}" for where, s in all_sources(handbook) if s.get("url") and is_front_page(s["url"])]
    assert bare == []


def test_the_pages_cite_no_bare_front_page_in_their_source_lists():
    bare = []
    for page in sorted(list((ROOT / "docs").rglob("*.md")) + list((ROOT / "docs-en").rglob("*.md"))):
        text = page.read_text(encoding="utf-8")
        for heading in ("## Källor", "## Sources"):
            if heading in text:
                listed = text.split(heading, 1)[1].split("\n## ", 1)[0]
                bare += [f"{page.relative_to(ROOT)}: {url}" for _, url in MD_LINK.findall(listed) if is_front_page(url)]
    assert bare == []


def test_copies_on_document_sharing_sites_say_they_are_copies(handbook):
    hosts = ("businessdocbox.", "docest.", "docplayer.", "vdocument", "github.com")
    unmarked = [where for where, s in all_sources(handbook)
                if any(h in (s.get("url") or "") for h in hosts) and "kopia" not in localise(s.get("note"), "sv")[0]]
    assert unmarked == []


def test_the_decision_basis_is_described_as_an_unpublished_document(handbook):
    basis = [(where, s) for where, s in all_sources(handbook) if s["title"].startswith("Beslutsunderlag till styrgruppen")]
    assert len(basis) > 40
    assert [where for where, s in basis if s.get("url")] == []
    assert all("opublicerat" in localise(s.get("note"), "sv")[0] for _, s in basis)
    assert all("unpublished" in localise(s.get("note"), "en")[0] for _, s in basis)


# Every place that shows sources shows the new fields

SOURCE = {"title": "Beslutsunderlag <b>", "publisher": "Gruppen & co", "date": "2019-02", "note": "opublicerat"}


def test_the_render_helper_shows_publisher_date_and_note_escaped():
    shown = cite(SOURCE)
    assert shown == "Beslutsunderlag &lt;b&gt;, Gruppen &amp; co, 2019-02 (opublicerat)"
    assert "<a " not in shown
    assert "<a href=\"https://example.test/r\">R</a>, X" == cite({"title": "R", "url": "https://example.test/r", "publisher": "X"})
    assert "<li>Beslutsunderlag &lt;b&gt;, Gruppen &amp; co, 2019-02 (opublicerat)</li>" in sources([SOURCE])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_sources_macro_shows_the_same_as_the_helper(lang):
    env = templating.environment(lang)
    page = env.from_string('{% from "_macros.html" import sources %}{{ sources(items) }}').render(items=[SOURCE])
    assert "<li>Beslutsunderlag &lt;b&gt;, Gruppen &amp; co, 2019-02 (opublicerat)</li>" in page
    linked = env.from_string('{% from "_macros.html" import cite %}{{ cite(s) }}').render(
        s={"title": "R", "url": "https://example.test/r", "note": "kopia"})
    assert linked == '<a href="https://example.test/r">R</a> (kopia)'


def test_a_note_in_both_languages_is_shown_in_the_pages_language():
    source = {"title": "Underlag", "note": {"sv": "opublicerat", "en": "unpublished"}}
    assert cite(source, "en") == "Underlag (unpublished)"
    assert "<li>Underlag (opublicerat)</li>" in sources([source], "sv")
    page = templating.environment("en").from_string('{% from "_macros.html" import cite %}{{ cite(s) }}').render(s=source)
    assert page == "Underlag (unpublished)"
    assert cite_text(source) == "Underlag (opublicerat)"


def test_the_download_text_shows_every_field():
    assert cite_text(SOURCE) == "Beslutsunderlag <b>, Gruppen & co, 2019-02 (opublicerat)"
    assert cite_text({"title": "R", "url": "https://example.test/r"}) == "R <https://example.test/r>"


def test_the_quality_model_download_describes_unpublished_sources(handbook):
    rows = model_rows(handbook)
    cells = [r["sources"] for r in rows if "Beslutsunderlag till styrgruppen" in r["sources"]]
    assert cells, "some criteria cite the decision basis"
    assert all("opublicerat beslutsunderlag" in c for c in cells)
    assert not any("coompanion.se" in c for c in cells)
