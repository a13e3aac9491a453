"""The work packages' pages and fragments in English: English interface text, the records' English texts."""
from __future__ import annotations

import csv
import io

import pytest

from conftest import ROOT
from handbook.areas import workpackages as wp
from handbook.content import load_cached
from english_helpers import swedish_left

HANDBOOK = load_cached(ROOT).handbook
PROJECT = wp.projects(HANDBOOK)[0]
PACKAGE = wp.packages_of(HANDBOOK, PROJECT.id)[0]

# Interface words the Swedish pages use: none of them may be left on an English page.
SWEDISH = ["Paket ", "Syfte", "Leveranser", "Aktiviteter", "Partner:", "Ansvariga", "Underlaget", "underlaget",
           "Status: Planerad", "Pågår", "Typ:", "Poster", "Summa", "Totalt", "Kostnad", "Tidsplan", "Inget",
           "Hela arbetsgruppen", "Målgrupper", "Utvecklingsgruppen", " organisationer", "Förstudie", "Möte per telefon",
           "Rapporter", "Skrivande", "Diagram", "Ladda ner", "Skillnad", "Andel", " kr<", "\u00a0kr", "Mars", "Maj", "juni",
           "tidsplanen</a> och", "Obs!", "Månad", "Fas<", "Tid<"]


def assert_english(page: str):
    left = swedish_left(page, SWEDISH)
    assert not left, f"Swedish interface text on an English page: {left}"


def test_package_page_in_english():
    page = wp.package_page(HANDBOOK, PACKAGE, "en")
    title = f"Package {PACKAGE.get('number')}: {PACKAGE.text('title', 'en')}"
    assert page.startswith(f'---\ntitle: "{title}"\n')
    for words in ("\n## Purpose\n", "\n## Deliverables\n", "\n## Activities and cost\n", "\n## Partners\n",
                  "Part of <a href=", "Status: Planned.", "and costs <strong>SEK\u00a0", "the timeline</a> and ",
                  '<th scope="col">Line item</th>', "The whole project is run by "):
        assert words in page, words
    assert PACKAGE.text("summary", "en") in page
    assert_english(page)


def test_project_fragment_in_english():
    fragment = wp.workpackage_projects(HANDBOOK, lang="en")
    assert fragment.startswith(f"## {PROJECT.text('title', 'en')}".replace("-", "\\-"))
    for words in ("<dt>Phase</dt><dd>Pre-study</dd>", "<dt>Cost, the sum of the line items</dt>", ">Timeline</a> · ",
                  "### Purpose and aims {#forstudie-syfte}", "### The work packages {#forstudie-paket}",
                  "The whole working group <span", "Activities that do not belong to a particular package",
                  "is made up of"):
        assert words in fragment, words
    assert_english(fragment)


def test_timeline_in_english():
    fragment = wp.workpackage_timeline(HANDBOOK, lang="en")
    assert '<th scope="col">March</th>' in fragment and "Nothing planned" in fragment
    assert "Timeline March–August: what happens each month, by package" in fragment
    assert_english(fragment)


def test_budget_in_english():
    fragment = wp.workpackage_budget(HANDBOOK, lang="en")
    for words in ("### Total cost {#forstudie-jamforelse}", "Note: the totals do not match.",
                  "SEK\u00a02\u00a0500 more than the sum of the line items", "Cost per kind of activity",
                  '<th scope="col">Month</th>', "Download all line items as CSV", "Phone meeting"):
        assert words in fragment, words
    assert_english(fragment)


def test_texts_held_in_python_in_english():
    assert wp.period_label(["maj", "juni"], "en") == "May–June"
    assert wp.kronor(12500, "en") == "SEK\u00a012\u00a0500"
    assert wp.comparison(1500, 1500, "en") == "The sum of the line items, SEK\u00a01\u00a0500, matches the total cost that the source document states."
    assert wp.package_label(PACKAGE, "en") == f"Package {PACKAGE.get('number')}: {PACKAGE.text('title', 'en')}"


def test_line_items_csv_in_english():
    rows = list(csv.reader(io.StringIO(wp.line_items_csv(HANDBOOK, PROJECT, "en").decode("utf-8-sig"))))
    assert rows[0] == ["project", "activity", "order", "time", "months", "package", "kind", "activity_title", "line_item",
                       "amount_sek", "amount_in_source"]
    first = wp.activities_of(HANDBOOK, PROJECT.id)[0]
    assert rows[1][7] == first.text("title", "en") and rows[1][8] == wp.line_items(first)[0]["text"]["en"]
