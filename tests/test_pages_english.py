"""The shared macros of the hand-written pages and the glossary table in English."""
from __future__ import annotations

from conftest import ROOT
from handbook import pages
from handbook.areas import glossary
from handbook.content import load_content

HANDBOOK = load_content(ROOT).handbook


def test_the_list_index_and_a_term_list_in_english():
    index = pages.taxonomy_index(HANDBOOK, "en")
    first = HANDBOOK.taxonomies()[0]
    assert f">{first.text('title', 'en')}</a> – {len(HANDBOOK.terms(first.id))} terms, in <code>{first.path}</code>" in index
    assert "termer, i" not in index
    terms = pages.term_list(HANDBOOK, first.id, lang="en")
    term = HANDBOOK.terms(first.id)[0]
    assert f"<strong>{term.text('en')}</strong>" in terms
    if first.get("sources"):
        assert "<h3>Sources</h3>" in terms and "Källor" not in terms


def test_the_county_table_in_english():
    table = pages.county_table(HANDBOOK, "en")
    assert f"Sweden’s {len(HANDBOOK.counties())} counties with county code and letter code" in table
    assert '<th scope="col">County code</th><th scope="col">Letter</th><th scope="col">County</th>' in table
    assert "Sveriges" not in table and "Bokstav" not in table and "Länskod" not in table


def test_the_data_downloads_in_english():
    table = pages.data_downloads(HANDBOOK, "en")
    assert "All datasets in the handbook" in table and '<th scope="col">Entries</th>' in table
    assert "Source folder" in table and "Källmapp" not in table and "Alla dataset" not in table
    if "Compilations" in table:
        assert "Sammanställningar" not in table and "Some parts of the handbook" in table
    assert pages.count(HANDBOOK, "method", "en") == str(HANDBOOK.count("method"))


def test_the_glossary_table_in_english():
    table = glossary.glossary_table(HANDBOOK, "en")
    entries = glossary.entries(HANDBOOK)
    assert f"The handbook’s {len(entries)} terms in Swedish and English" in table
    assert '<th scope="col">Swedish</th><th scope="col">English</th><th scope="col">Meaning</th>' in table
    entry = next(e for e in entries if e.text("definition", "en"))
    assert f'<span lang="sv">{entry.text("term")}</span>' in table  # the Swedish term stays Swedish
    assert entry.text("definition", "en").split("’")[0][:40] in table.replace("&#39;", "'")
    for word in ("Handbokens", "Betydelse", "Källa:", "Svenska"):
        assert word not in table
