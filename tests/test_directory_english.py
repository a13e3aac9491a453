"""The partner directory in English: interface text from the site catalogue, record text in English."""
from __future__ import annotations

import json
import re

from conftest import ROOT
from handbook import links
from handbook.areas import directory
from handbook.content import load_content

HANDBOOK = load_content(ROOT).handbook
SWEDISH = ["Typ av organisation", "Verkar i", "Arbetsträning som erbjuds", "Tar emot", "Källor", "Arbetar du på",
           "Organisationer i", "Till organisationskatalogen", "ska ses över", "Hela landet", "Antal", "Län"]


def _no_swedish(html: str, allowed: tuple = ()) -> None:
    for word in SWEDISH:
        if word not in allowed:
            assert word not in html, word


def test_an_organisation_page_in_english():
    record = HANDBOOK.get("organisation", "arbetsformedlingen")
    page = directory.organisation_page(record, directory._context(HANDBOOK, "en"), "en")
    assert "Type of organisation" in page and "Works in" in page and "Work training offered" in page
    assert "Sources" in page and "Do you work at Arbetsförmedlingen?" in page and "To the directory of organisations" in page
    assert record.text("description", "en") in page
    assert "The details come from <cite>" in page  # taken from the decision document
    _no_swedish(page)
    # Swedish stays as it was
    swedish = directory.organisation_page(record, directory._context(HANDBOOK))
    assert "Typ av organisation" in swedish and "Type of organisation" not in swedish


def test_the_edit_link_in_english_with_a_repository():
    record = HANDBOOK.get("organisation", "myrorna")
    link = directory.edit_link(record, links.Repo("https://git.example.org/vagar-in", "main"), lang="en")
    assert "Do you work at Myrorna?" in link and "edit the file on GitHub" in link and "How it works" in link
    assert "Arbetar du" not in link and "ändra filen" not in link


def test_county_pages_and_the_county_index_in_english():
    pages = dict(directory.directory_pages(HANDBOOK, "en"))
    grouped = directory.by_county(HANDBOOK)
    full = next(c for c in HANDBOOK.counties() if grouped[c.code])
    empty = next(c for c in HANDBOOK.counties() if not grouped[c.code])
    page = pages[f"organisationer/lan/{full.code}.md"]
    assert f"# Organisations in {full.label('en')}" in page
    assert "in the directory work in" in page or "in the directory works in" in page
    assert "search and filter among them" in page
    assert "There are no organisations from" in pages[f"organisationer/lan/{empty.code}.md"]
    index = pages["organisationer/lan/index.md"]
    assert "# Organisations per county" in index and "Number of organisations per county" in index
    assert "All organisations" in index and "County code" in index
    for text in (page, index):
        _no_swedish(text)
        assert "organisationer i katalogen" not in text and "Välj ett län" not in text


def test_the_directory_macros_in_english():
    search = directory.directory_search(HANDBOOK, "en")
    assert "Search by name or place" in search and "All counties" in search and "Clear the filters" in search
    assert "Sök på namn" not in search and "Rensa filtren" not in search and "Alla län" not in search
    texts = json.loads(re.search(r'<script type="application/json" id="vi-directory-texts">(.*?)</script>', search).group(1))
    assert texts["more"] == "Show {n} more ({left} left)" and texts["failed"].startswith("The organisations could not")
    assert not any("organisationer" in value for value in texts.values())
    overview = directory.county_overview(HANDBOOK, "en")
    assert "Bar chart: number of organisations per county" in overview and "The whole country (national)" in overview
    assert "Stapeldiagram" not in overview and "Alla organisationer" not in overview
    national = directory.national_list(HANDBOOK, "en")
    assert "Inga nationella" not in national
    coverage = directory.directory_coverage(HANDBOOK, "en")
    assert "How much the directory holds right now:" in coverage and "which work training they offer" in coverage
    assert "står i katalogen" not in coverage and " av " not in coverage


def test_the_directory_script_texts_in_swedish_are_the_old_words():
    texts = directory.script_texts("sv")
    assert texts["more"] == "Visa {n} till ({left} kvar)" and texts["locale"] == "sv-SE"
    assert texts["loading"] == "Hämtar organisationerna …"
