"""The site search, in the built files: each edition has a Pagefind index of its own language that
holds every page with text (the stamped organisation pages included, a module's handout not), and the
indexed text has no words run together. The search itself, in a browser: test_search_browser.py."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from handbook import search
from handbook.areas import directory
from handbook.content import load_content
from search_helpers import indexed_pages, languages

HANDBOOK = load_content(ROOT).handbook
ORGANISATIONS = directory.organisations(HANDBOOK)


def pages_with_text(edition: Path) -> set[str]:
    """URLs of the pages of one edition that mark their text for the search (data-pagefind-body)."""
    found = set()
    for page in edition.rglob("index.html"):
        relative = page.relative_to(edition)
        if relative.parts[0] in ("en", "pagefind"):
            continue
        if "data-pagefind-body" in page.read_text(encoding="utf-8"):
            found.add("/" + "".join(part + "/" for part in relative.parts[:-1]))
    return found


@pytest.fixture(scope="module")
def swedish(real_site):
    return indexed_pages(real_site)


@pytest.fixture(scope="module")
def english(real_site):
    return indexed_pages(real_site / "en")


def test_each_edition_has_an_index_of_its_own_language_and_the_theme_search_is_gone(real_site, swedish, english):
    assert languages(real_site) == {"sv"} and languages(real_site / "en") == {"en"}
    assert not (real_site / "search").exists() and not (real_site / "en" / "search").exists()
    start = (real_site / "index.html").read_text(encoding="utf-8")
    assert "lunr" not in start and 'data-md-component="search"' not in start
    assert len(swedish) == len(english) > 100


def test_the_index_holds_every_page_with_text_and_nothing_else(real_site, swedish, english):
    for edition, index in ((real_site, swedish), (real_site / "en", english)):
        marked = pages_with_text(edition)
        assert set(index) == marked
        assert "/organisationer/myrorna/" in marked and "/" in marked
    handouts = [url for url in swedish if url.endswith("/deltagarblad/")]
    assert handouts == [], "a module's handout repeats the module page: only the module is found"
    handout = real_site / "handledarutbildning" / "handledarens-roll" / "deltagarblad" / "index.html"
    assert handout.exists() and "data-pagefind-body" not in handout.read_text(encoding="utf-8")


def test_every_organisation_page_is_indexed_with_its_name_place_and_facts(real_site, swedish, english):
    """The stamped organisation pages (written after the theme rendered one shell) are in both indexes,
    with the name and every fact the page shows (type, where it works, what it offers), but not its
    contact details, contact people or quality profile: a search finds an organisation by what it is
    and does, and a person's name or an address is not a reason to find it."""
    assert ORGANISATIONS
    for index, edition in ((swedish, real_site), (english, real_site / "en")):
        for record in ORGANISATIONS:
            url = f"/organisationer/{record.id}/"
            assert url in index, url
            content = index[url]["content"]
            assert html.unescape(index[url]["meta"]["title"]) == record.get("name")
            assert record.get("name") in html.unescape(content)
            page = (edition / url.strip("/") / "index.html").read_text(encoding="utf-8")
            facts = re.search(r'<dl class="vi-facts">(.*?)</dl>', page, re.S).group(1)
            shown, _, contact = facts.partition('<div class="vi-contact" data-pagefind-ignore>')
            pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", shown, re.S)
            assert len(pairs) >= 2, url
            for term, value in pairs:
                plain = html.unescape(re.sub(r"<[^>]+>", "", value)).strip()
                assert plain and f"{html.unescape(term)}: {plain}" in html.unescape(content), (url, term, plain)
            for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", contact, re.S):
                plain = html.unescape(re.sub(r"<[^>]+>", "", value)).strip()
                assert plain not in html.unescape(content), (url, term, plain)
            for person in record.get("contacts", ()):
                assert person.get("name") not in html.unescape(content), url
            if "vi-pchart" in page:
                assert "vi-pchart" not in content and not re.search(r"\b\d (av|of) 4\b", content), url


def test_what_search_leaves_out_is_cut_from_the_copy_it_reads():
    """An element marked data-pagefind-ignore goes, up to its own closing tag, past any of its name inside
    it; an unclosed one to the end; the rest stays as it was."""
    page = ('<p>a</p><div class="x" data-pagefind-ignore="all"><div><p>b</p></div><p>c</p></div><p>d</p>'
            '<dl><dt>e</dt><div data-pagefind-ignore><dt>f</dt><dd>g</dd></div><dd>h</dd></dl>'
            '<p data-pagefind-ignored="no">i</p><section data-pagefind-ignore>j<section>k</section>')
    assert search.without_ignored(page) == ('<p>a</p><p>d</p><dl><dt>e</dt><dd>h</dd></dl>'
                                            '<p data-pagefind-ignored="no">i</p>')
    assert search.without_ignored("<p>plain</p>") == "<p>plain</p>"


def test_a_place_and_an_offer_of_a_fictional_organisation_are_in_the_index(fixture_site):
    """The fixture's organisation offers work training and has a town: the index has both."""
    index = indexed_pages(fixture_site)
    page = next(p for url, p in index.items() if url.startswith("/organisationer/kyrkans-second-hand"))
    content = html.unescape(page["content"])
    assert "Östersund" in content
    offers = [label for key, label in directory._labels(load_content(ROOT / "tests" / "fixtures" / "valid").handbook,
                                                          "arbetstraning", "sv").items()
              if key in ("butik-och-forsaljning", "sortering-och-hantering")]
    assert len(offers) == 2 and all(label in content for label in offers), (offers, content[:400])
    # The name is indexed as the text a reader sees ("<script>" in it is text); the header's script
    # shows an excerpt as text too (assets/search.js: only Pagefind's <mark> becomes an element).
    assert "Kyrkans Second Hand <script>alert(1)</script> & Co" in content


def test_indexed_text_has_no_words_run_together(swedish, english):
    """A term and its description, options and side-by-side spans are read apart: "Tid: 2 tim", never "Tid2"."""
    for index in (swedish, english):
        for url, page in index.items():
            content = page["content"]
            assert not re.search(r"\b(Tid|Duration)\d", content), url
            assert "UtvecklingsgruppenKällor" not in content and "TypMetod" not in content, url
    module = swedish["/handledarutbildning/handledarens-roll/"]["content"]
    assert re.search(r"Tid: \d+ tim", module), module[:600]


def test_a_page_is_read_with_a_break_after_each_element_that_ends_a_piece_of_text():
    read = search.readable('<dl><dt>Tid</dt><dd>2 tim</dd><dt>Plats:</dt><dd><a href="x">Umeå</a></dd></dl>'
                           '<span>Län</span><span>3</span><p>a<br>b</p><strong>hel</strong>t')
    assert read == ('<dl><dt>Tid:</dt> <dd>2 tim.</dd> <dt>Plats:</dt> <dd><a href="x">Umeå</a>.</dd> </dl> '
                    '<span>Län</span> <span>3</span><p>a<br> b</p> <strong>hel</strong>t')


def test_an_index_that_cannot_be_made_is_reported_not_raised(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<html lang='sv'><body><p>Hej</p></body></html>", encoding="utf-8")
    monkeypatch.setattr(search, "program", lambda: str(tmp_path / "no-such-program"))
    for memory in (search.MEMORY, tmp_path / "no-memory-folder"):  # the copy in memory, or beside the site
        monkeypatch.setattr(search, "MEMORY", memory)
        problem = search.index(tmp_path)
        assert problem and "no-such-program" in problem
        left = [p.name for folder in (tmp_path.parent, search.MEMORY) if folder.is_dir() for p in folder.iterdir()
                if f"{tmp_path.name}-search" in p.name]
        assert left == []
    monkeypatch.undo()
    assert search.index(tmp_path) is None and (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_markup_in_capitals_is_read_apart_too():
    """The quick path knows lower-case tags; other markup takes the expressions, with the same result."""
    assert search.readable("<P>a</P><BR>b<Dl><dt>T</dt><DD>v</DD></dl>") == "<P>a</P> <BR> b<Dl><dt>T:</dt> <DD>v.</dd> </dl> "
    lower = "<p>a</p><br>b<dl><dt>T</dt><dd>v</dd></dl><span>x</span><span>y</span>"
    assert search.readable(lower) == search.readable(lower.replace("<br>", "<BR>")).replace("<BR>", "<br>")


def test_make_serve_searches_both_editions(tmp_path):
    """`make serve` indexes each edition after each build, as `make build` does."""
    from conftest import make_project
    from server_helpers import running_server, wait_for

    fixtures = Path(__file__).parent / "fixtures"
    project = make_project(tmp_path / "project", fixtures / "valid", fixtures / "site" / "docs", fixtures / "site" / "mkdocs.yml")
    shutil.copytree(project / "docs", project / "docs-en")
    (project / "mkdocs.en.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: docs-en\ntheme:\n  language: en\n", encoding="utf-8")
    with running_server(project, tmp_path / "serve.log") as (server, base):
        wait_for(f"{base}/pagefind/pagefind-entry.json", '"sv"', process=server, status=200)
        wait_for(f"{base}/en/pagefind/pagefind-entry.json", '"en"', process=server, status=200)
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
