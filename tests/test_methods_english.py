"""The methods library's pages and macros in English: English interface text, English record text, no Swedish left."""
from __future__ import annotations

from pathlib import Path

import pytest

from handbook.areas import methods as lib
from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok
    return result.handbook


def assert_no_swedish(html: str, *words: str):
    for word in words:
        assert word not in html, word


def test_method_page_in_english(handbook):
    method = handbook.get("method", "ips")
    page = lib.method_page(handbook, method, "en")
    assert page.splitlines()[1] == f'title: "{method.text("title", "en")}"'
    assert method.text("summary", "en").replace("'", "&#x27;") in page
    for text in ("<dt>Type</dt>", "<dt>Target groups</dt>", "<dt>Actors</dt>", "Steps or principles", "Self-check",
                 "Method card to print (one page)", "Compare the frameworks", "What and why", "Steps and principles",
                 "What the method asks of your organisation", "Time and people", "Connected to",
                 '<span class="vi-sr">Corresponds in the frameworks:</span>', "Source:", "<h2>Sources</h2>",
                 "The record is in the file <code>methods/ips.yml</code> and is to be reviewed by"):
        assert text in page, text
    assert_no_swedish(page, "<dt>Typ</dt>", "Målgrupper", "Aktörer", "Självkoll", "Metodkort", "Jämför ramverken",
                      "Vad och varför", "Steg och principer", "Tid och personer", "Hänger ihop med", "Källa:", "Källor",
                      "Posten finns i filen", "Motsvarar i ramverken", "frågor")


def test_method_page_with_the_calculator_in_english(handbook):
    page = lib.method_page(handbook, handbook.get("method", lib.CALCULATOR_METHOD), "en")
    for text in ("Work it out yourself: costs per actor", "<legend>Lost production</legend>", "SEK per year.",
                 '<label for="vi-calc-vard-kommunen">Municipality</label>', "Total per actor", "SEK 0",
                 "How to work it out by hand", "one column for each actor: state, region, municipality, individual."):
        assert text in page, text
    assert_no_swedish(page, "Räkna själv", "Produktionsbortfall", "Kronor per år", "Kommunen", "Summa", "0 kr",
                      "Så räknar du för hand", "Töm alla fält")
    calculator = lib.calculator("en")
    assert calculator.count("<input") == len(lib.COST_CATEGORIES) * len(lib.COST_ACTORS)
    assert [name for _id, name in lib.cost_actors("en")] == ["State", "Region", "Municipality", "Individual"]


def test_method_card_in_english(handbook):
    method = handbook.get("method", "ips")
    card = lib.card_page(handbook, method, "en")
    assert card.splitlines()[1] == f'title: "Method card: {method.text("title", "en")}"'
    for text in ("Back to the full description", "Print the card", "<h2>Steps</h2>", "What the method asks of you",
                 "Method card from the handbook Vägar in. The full description with sources:"):
        assert text in card, text
    assert method.get("steps")[0]["title"]["en"].replace("'", "&#x27;") in card
    assert_no_swedish(card, "Metodkort", "Tillbaka", "Skriv ut kortet", "<h2>Steg</h2>", "Det här kräver")


def test_crosswalk_in_english(handbook):
    page = lib.crosswalk_page(handbook, "en")
    assert page.splitlines()[1] == 'title: "Comparison of the frameworks"'
    for text in ("EUSE&#x27;s five steps of Supported Employment", "The eight IPS principles", "The ten EQUASS principles",
                 "The areas of the quality model", "Step or principle", "The methods&#x27; steps", "Quality criteria",
                 "Methods that help", "Corresponds in the frameworks", ": step 1, "):
        assert text.replace("&#x27;", "'") in page, text
    term = handbook.terms("euse-steg")[0]
    assert f"<strong>{term.text('en')}</strong>" in page
    assert 'lang="en"' not in page  # the English label is shown beside the Swedish one on Swedish pages only
    assert_no_swedish(page, "Jämförelse", "Tabellerna visar", "Kvalitetsmodellens områden", "Metodernas steg",
                      ": steg ", "Inget kriterium ännu", "Ingen metod ännu")


def test_method_library_in_english(handbook):
    html = lib.method_library(handbook, "en")
    count = len(lib.methods(handbook))
    for text in ('aria-label="Filter the methods"', ">Target group</label>", '<option value="">All target groups</option>',
                 ">Type</label>", '<option value="verktyg">Tool</option>', '<option value="">All actors</option>',
                 "Show all", f'data-total="{count}">{count} methods</p>', "No method matches all the choices."):
        assert text in html, text
    method = lib.methods(handbook)[0]
    assert method.text("title", "en").replace("'", "&#x27;") in html
    assert_no_swedish(html, "Filtrera", "Målgrupp", "Alla typer", "Visa alla", "metoder</p>", "Ingen metod passar")
    assert lib.method_count(handbook, "en") == str(count)
