"""The glossary: its page, and English texts that render every term the one way it gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from handbook.areas import glossary
from handbook.content import load_content
from handbook.model import Handbook, Record

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok, [str(p) for p in result.errors]
    return result.handbook


def _with(records: list[Record], entries: list[Record]) -> Handbook:
    kinds = {"glossary": {r.id: r for r in entries}, "method": {r.id: r for r in records}}
    return Handbook(kinds, {"glossary": "data/ordlista", "method": "methods"})


SUPERVISOR = Record.of("glossary", "handledare", "data/ordlista/handledare.yml",
                       {"term": {"sv": "handledare", "en": "supervisor"}, "match": {"sv": ["handledar"], "en": ["supervis"]},
                        "definition": {"sv": "x"}})
AGENCY = Record.of("glossary", "af", "data/ordlista/af.yml",
                   {"term": {"sv": "Arbetsförmedlingen", "en": "Arbetsförmedlingen"}, "name": True,
                    "gloss": "the Swedish Public Employment Service", "definition": {"sv": "x"}})


def test_a_term_rendered_another_way_is_named_with_its_field():
    record = Record.of("method", "m", "methods/m.yml", {
        "title": {"sv": "Handledarens roll", "en": "The mentor's role"},
        "steps": [{"text": {"sv": "Handledaren visar.", "en": "The supervisor shows."}}],
    })
    assert glossary.missing_renderings(_with([record], [SUPERVISOR])) == [
        'methods/m.yml: title: "handledare" is not rendered as "supervisor"']


def test_a_swedish_name_must_stay_and_be_glossed_once():
    kept = Record.of("method", "a", "methods/a.yml", {
        "summary": {"sv": "Arbetsförmedlingen remitterar.", "en": "Arbetsförmedlingen (the Swedish Public Employment Service) refers."},
        "text": {"sv": "Sedan Arbetsförmedlingen.", "en": "Then Arbetsförmedlingen."}})
    translated = Record.of("method", "b", "methods/b.yml", {
        "summary": {"sv": "Arbetsförmedlingen remitterar.", "en": "The employment service refers."}})
    unglossed = Record.of("method", "c", "methods/c.yml", {
        "summary": {"sv": "Arbetsförmedlingen remitterar.", "en": "Arbetsförmedlingen refers."}})
    assert glossary.missing_renderings(_with([kept, translated, unglossed], [AGENCY])) == [
        'methods/b.yml: summary: "Arbetsförmedlingen" is not rendered as "Arbetsförmedlingen"',
        'methods/b.yml: Arbetsförmedlingen is never glossed as "(the Swedish Public Employment Service)"',
        'methods/c.yml: Arbetsförmedlingen is never glossed as "(the Swedish Public Employment Service)"',
    ]


def test_texts_without_english_are_not_judged():
    record = Record.of("method", "m", "methods/m.yml", {"title": {"sv": "Handledaren"}})
    assert glossary.missing_renderings(_with([record], [SUPERVISOR])) == []


def test_terms_are_found_at_the_start_of_a_word_only():
    assert glossary.uses(SUPERVISOR, "Handledarna och handledaren", "sv")
    assert not glossary.uses(SUPERVISOR, "arbetsplatsinformation", "sv")
    assert glossary.uses(AGENCY, "hos Arbetsförmedlingen", "sv")
    assert not glossary.uses(AGENCY, "hos arbetsförmedlingen i stan", "sv")  # a name keeps its capital


def test_the_glossary_holds_the_handbooks_key_terms(handbook):
    terms = {e.text("term"): e.text("term", "en") for e in glossary.entries(handbook)}
    for swedish in ("handledare", "anordnare", "arbetsträning", "samordningsförbund", "Arbetsförmedlingen", "Fas 3"):
        assert terms.get(swedish), f"the glossary has no English for {swedish}"
    renderings = [e.text("term", "en") for e in glossary.entries(handbook) if not e.get("name")]
    assert len(renderings) == len(set(renderings)), "two terms share one English rendering"


def test_every_english_text_in_the_content_uses_the_glossary(handbook):
    assert glossary.missing_renderings(handbook) == []


def test_the_glossary_page_lists_every_term(real_site, handbook):
    page = (real_site / "om" / "ordlista" / "index.html").read_text(encoding="utf-8")
    for entry in glossary.entries(handbook):
        assert f'<span lang="sv">{entry.text("term")}</span>' in page
        assert f'<span lang="en">{entry.text("term", "en")}' in page
