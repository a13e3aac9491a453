"""Honest directory entries: an entry taken from someone else's document says so; the directory page
promises only what the entries hold."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from handbook import links
from handbook.areas import directory
from handbook.content import load_content
from handbook.model import Record

HANDBOOK = load_content(ROOT).handbook
ORGANISATIONS = directory.organisations(HANDBOOK)
SHARED = directory.shared_sources(HANDBOOK)


def _host(url) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def _organisation(**data) -> Record:
    return Record.of("organisation", "butiken", "data/organisationer/butiken.yml",
                     {"name": "Butiken", "type": "ideell-organisation", "scope": "nationell", **data})


@pytest.mark.parametrize("record", ORGANISATIONS, ids=[r.id for r in ORGANISATIONS])
def test_an_entry_taken_from_a_document_says_so_and_invites_the_organisation(real_site, record):
    cited = [s.get("url") for r in ORGANISATIONS for s in r.get("sources", ())]  # a document may have no address
    others = [s for s in record.get("sources", ())
              if _host(s.get("url")) != _host(record.get("website")) or cited.count(s.get("url")) > 1]
    page = (real_site / "organisationer" / record.id / "index.html").read_text(encoding="utf-8")
    said = re.search(r"<p>Uppgifterna kommer från (.*?); organisationen har inte själv granskat dem\.</p>", page)
    assert bool(said) == bool(others)
    if others:
        assert re.findall(r"<cite>(.*?)</cite>", said.group(1)) == [html.escape(s["title"]) for s in others]
    assert f"Arbetar du på {html.escape(record.get('name'))}?" in page


def test_the_real_entries_come_from_the_decision_basis():
    """The first entries were put together from the project's decision basis, and their pages say so."""
    for record in ORGANISATIONS:
        assert directory.taken_from_sources(record, SHARED), record.id
        assert any(s["title"].startswith("Beslutsunderlag") for s in directory.outside_sources(record, SHARED)), record.id


def test_an_entry_whose_sources_are_its_own_website_is_not_called_someone_elses():
    own = _organisation(website="https://www.butiken.se/", sources=[{"title": "Om oss", "url": "https://butiken.se/om"}])
    assert directory.outside_sources(own) == []
    body = directory.edit_link(own, links.Repo())
    assert "Uppgifterna kommer från" not in body and "Arbetar du på Butiken?" in body
    mixed = _organisation(website="https://butiken.se/", sources=[{"title": "Om oss", "url": "https://butiken.se/"},
                                                                  {"title": "En <rapport>", "url": "https://example.org/r"}])
    body = directory.edit_link(mixed, links.Repo())
    assert "Uppgifterna kommer från <cite>En &lt;rapport&gt;</cite>; organisationen har inte själv granskat dem." in body
    nothing = _organisation()
    assert not directory.taken_from_sources(nothing)
    # The same address in many entries is a document about many organisations, even on one's own site.
    assert directory.outside_sources(own, frozenset({"https://butiken.se/om"})) == list(own.get("sources"))


def test_the_directory_page_says_how_many_entries_fill_each_field(real_site):
    page = (real_site / "organisationer" / "index.html").read_text(encoding="utf-8")
    total = len(ORGANISATIONS)
    for name, words, _n in directory.coverage(HANDBOOK):
        filled = sum(1 for r in ORGANISATIONS if r.get(name))
        assert f"<li>{filled} av {total} har angett {html.escape(words)}</li>" in page, name
    taken = sum(1 for r in ORGANISATIONS if directory.taken_from_sources(r, SHARED))
    assert f"{taken} av {total} poster bygger på dokument som någon annan än organisationen har skrivit" in page
    assert "Katalogen byggs av uppgifter som organisationerna själva skickar in" not in page
