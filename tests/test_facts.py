"""The facts from the source documents are where a reader looks for them, in the source's own tense.

The about page (/om/, both editions) and the pre-study's project record carry the facts that the
source documents give about Lumena, SESAM and the decision basis. The checks read the real content:
they fail when a fact is removed or a plan is written as a result again.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.areas.glossary import localised_texts
from handbook.content import load_content

ROOT = Path(__file__).parent.parent
ABOUT = {"sv": ROOT / "docs" / "om" / "index.md", "en": ROOT / "docs-en" / "om" / "index.md"}


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok, [str(p) for p in result.errors]
    return result.handbook


def section(lang: str, start: str) -> str:
    """The text of the about page's section whose heading starts with `start`."""
    text = ABOUT[lang].read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(start)}.*?(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"{ABOUT[lang]}: no section starting with '## {start}'"
    return match.group(0)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# Lumena (Kohesio): budget, EU share, period, three tracks, four contributions, young adults

LUMENA = {
    "sv": ["15 148 871,01 euro", "6 059 894,50 euro", "40 procent", "2021–2027", "31 mars 2023", "31 mars 2026",
           "Tre spår", "för unga", "upp till 65 år", "kompetensutveckling", "Fyra bidrag",
           "arbetslöshet och sjukskrivning", "arbete eller studier", "mindre diskriminering",
           "lokalt, regionalt och nationellt", "uppsökande och förebyggande arbete för unga vuxna"],
    "en": ["EUR 15,148,871.01", "EUR 6,059,894.50", "40 per cent", "2021–2027", "31 March 2023", "31 March 2026",
           "Three tracks", "young people", "up to 65", "skills development", "Four intended contributions",
           "unemployment and sick leave", "work or studies", "less discrimination",
           "local, regional and national", "outreach and prevention for young adults"],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_about_page_gives_lumenas_figures_tracks_and_contributions(lang):
    text = squeezed(section(lang, "Lumena"))
    assert [fact for fact in LUMENA[lang] if fact not in text] == []
    numbered = re.findall(r"^\s+\d\. ", section(lang, "Lumena"), flags=re.M)
    assert len(numbered) == 4, "the four intended contributions, as a numbered list"


# SESAM (the ESF article): plans as plans, a brand and a quality-marked way of working, transnational work

SESAM = {
    "sv": {"present": ["skulle projektet skapa", "kunde ännu inte säga", "höll på att skapas", "varumärke",
                       "kvalitetsmärkt arbetssätt", "transnationellt"],
           "absent": ["togs fram", "byggde"]},
    "en": {"present": ["was to be created", "could not yet say", "was being created", "brand",
                       "quality-marked way of working", "transnationally"],
           "absent": ["was developed", "built a"]},
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_about_page_tells_sesams_plans_as_plans(lang):
    text = squeezed(section(lang, "SESAM"))
    assert [fact for fact in SESAM[lang]["present"] if fact not in text] == []
    assert [word for word in SESAM[lang]["absent"] if word in text] == []


def test_no_record_says_sesam_built_its_platform_or_model(handbook):
    # A sentence about SESAM's platform or model that tells it as done (the source: it is being made).
    done = re.compile(r"\b(byggde|tog fram|togs fram|skapade|utvecklade|built|developed|(?<!being )(?<!be )created)\b")
    plan = re.compile(r"plattform|modell|platform|model")
    sentences = [(f"{r.path}: {w}", s) for kind in handbook.kinds() for r in handbook.all(kind)
                 for w, v in localised_texts(r.data) for text in (v.get("sv"), v.get("en")) if text
                 for s in re.split(r"(?<=[.!?])\s", text) if "SESAM" in s]
    assert sentences, "the content mentions SESAM"
    found = [where for where, s in sentences if plan.search(s) and done.search(s)]
    assert found == []


# The decision basis: steering group, deadline and decision date, partnership, ESF priorities,
# programme area and its answer on cooperation

BASIS = {
    "sv": ["PIACS", "24 februari", "1 mars", "Partnerskapet för ett inkluderande arbetsliv",
           "Civilsamhälle integration och arbete", "Tre prioriteringar i ESF", "social delaktighet i arbete",
           "inkluderande arbetsmarknad", "nationella arbetsmarknadspolitiken", "programområde 1 och 2",
           "sannolikt programområde 2", "Ja i mycket hög grad", "inte publicerat"],
    "en": ["PIACS", "24 February", "1 March", "Partnerskapet för ett inkluderande arbetsliv",
           "Civilsamhälle integration och arbete", "Three ESF priorities", "social participation in work",
           "inclusive labour market", "national labour-market policy", "programme area 1 and 2",
           "probably be programme area 2", "to a very high degree", "not published"],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_about_page_gives_the_decision_basis_answers(lang):
    text = squeezed(section(lang, "Idén" if lang == "sv" else "The idea"))
    assert [fact for fact in BASIS[lang] if fact not in text] == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_project_record_gives_the_decision_basis_answers(handbook, lang):
    project = handbook.get("project", "forstudie")
    text = squeezed(project.text("purpose", lang))
    assert [fact for fact in BASIS[lang] if fact not in text and fact != BASIS[lang][-1]] == []


# SKL was undecided, and is SKR since 2019

def test_every_text_that_names_skl_says_it_was_undecided_and_is_skr_now(handbook):
    texts = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in ABOUT.values()]
    texts += [(f"{r.path}: {w}.{lang}", v[lang]) for kind in handbook.kinds() for r in handbook.all(kind)
              for w, v in localised_texts(r.data) for lang in ("sv", "en") if isinstance(v.get(lang), str)]
    naming = [(where, text) for where, text in texts if "Sveriges Kommuner och Landsting" in text]
    assert len(naming) >= 3
    assert [where for where, text in naming if "SKR" not in text] == []
    undecided = ("mer tid", "more time")
    assert [where for where, text in naming if not any(u in text for u in undecided)] == []


# Claims that no source makes are not in the content

def test_no_organisation_claims_a_language_no_source_gives(handbook):
    assert [r.path for r in handbook.all("organisation") if r.get("languages")] == []


def test_the_county_codes_of_former_counties_are_not_stated_as_facts():
    for page in (ROOT / "docs" / "bidra" / "listor" / "index.md", ROOT / "docs-en" / "bidra" / "listor" / "index.md"):
        text = squeezed(page.read_text(encoding="utf-8"))
        assert "Kristianstad" in text
        assert "slagits samman" not in text and "have been merged" not in text
        assert "inte kunnat kontrollera" in text or "not been able to check" in text


def test_the_sip_rule_does_not_date_the_health_care_act_to_2025(handbook):
    module = handbook.get("module", "samverkan-med-myndigheter")
    for lang in ("sv", "en"):
        text = squeezed(module.text("handout", lang))
        assert "2019:973" in text
        assert not re.search(r"(Sedan den 1 juli 2025|Since 1 July 2025)[^.]*(hälso- och sjukvårdslagen|Health and Medical)[^.]*\.", text)


def test_bip_gives_each_figure_with_its_context(handbook):
    bip = handbook.get("method", "bip")
    for lang, year in (("sv", "efter ett år"), ("en", "after a year")):
        text = squeezed(bip.text("what_and_why", lang))
        assert "1 p" in text and "27 p" in text and year in text
        assert "32" not in text


def test_the_pages_use_the_glossarys_terms_not_their_variants(handbook):
    variants = [(e.text("term"), w) for e in handbook.all("glossary") for w in e.get("variants") or ()]
    assert variants, "the glossary lists variants (arbetscoach: arbetsspecialist, jobbcoach)"
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += [f"{page.relative_to(ROOT)}: {word} (write {term})" for term, word in variants
                  if re.search(rf"(?<!\w){re.escape(word)}", text, flags=re.IGNORECASE)]
    assert found == []
