"""The interactive tools' interface text comes from the page: each tool's page renders a texts block
(`<script type="application/json" id="vi-<area>-texts">`) from the catalogue, in the page's language,
and the block holds every text its script asks for, in both languages."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from handbook.areas import curriculum, methods, quality
from handbook.content import load_content

HANDBOOK = load_content(ROOT).handbook
ASSETS = ROOT / "docs" / "assets"
CALCULATOR = HANDBOOK.get("method", methods.CALCULATOR_METHOD)

# script, the texts block's id, and the pages (as HTML fragments, by language) that run the script
TOOLS = {
    "quality": ("quality.js", "vi-quality-texts", [lambda lang: quality.self_assessment(HANDBOOK, lang)]),
    "methods": ("methods.js", "vi-methods-texts", [lambda lang: methods.method_library(HANDBOOK, lang),
                                                  lambda lang: methods.method_page(HANDBOOK, CALCULATOR, lang),
                                                  lambda lang: methods.calculator(lang)]),
    "curriculum": ("curriculum.js", "vi-curriculum-texts", [lambda lang: curriculum.planner_form(HANDBOOK, lang)]),
}
# t("key", ...) and t(condition ? "key" : "other", ...): the keys a script asks for.
T_CALL = re.compile(r'\bt\(\s*(?:[^"(),]*\?\s*)?"(\w+)"(?:\s*:\s*"(\w+)")?')
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# English texts that are rightly the same as the Swedish ones.
SAME_IN_ENGLISH = {"({time}, {duration})", "{title} ({form})", "{minutes} min", "{actor} {amount}", "Lunch", "Min", "organisation",
                   "Organisation:"}


def used_keys(script: str) -> set[str]:
    source = (ASSETS / script).read_text(encoding="utf-8")
    return {key for match in T_CALL.finditer(source) for key in match.groups() if key}


def block(html: str, block_id: str) -> dict:
    found = re.findall(rf'<script type="application/json" id="{block_id}">(.*?)</script>', html, re.S)
    assert len(found) == 1, f"{block_id}: {len(found)} blocks"
    assert "<" not in found[0] and "&" not in found[0]
    return json.loads(found[0])


@pytest.mark.parametrize("area", TOOLS)
def test_the_page_holds_every_text_its_script_uses_in_both_languages(area):
    script, block_id, pages = TOOLS[area]
    used = used_keys(script)
    assert len(used) > 5, used
    for page in pages:
        sv, en = block(page("sv"), block_id), block(page("en"), block_id)
        assert sorted(used - set(sv)) == [], "used by the script, missing from the Swedish block"
        assert sorted(used - set(en)) == [], "used by the script, missing from the English block"
        assert sorted(set(sv) - used) == [], "in the block, used by no script"
        assert set(sv) == set(en)


@pytest.mark.parametrize("area", TOOLS)
def test_the_english_texts_are_english_with_the_same_placeholders(area):
    script, block_id, pages = TOOLS[area]
    sv, en = block(pages[0]("sv"), block_id), block(pages[0]("en"), block_id)
    for key in sv:
        assert sorted(PLACEHOLDER.findall(sv[key])) == sorted(PLACEHOLDER.findall(en[key])), key
        assert not re.search("[åäöÅÄÖ]", en[key]), (key, en[key])
        assert en[key] != sv[key] or sv[key] in SAME_IN_ENGLISH, (key, en[key])


@pytest.mark.parametrize("area", TOOLS)
def test_swedish_texts_are_what_the_script_wrote_before(area):
    """The Swedish page reads as before: the texts are the script's former Swedish words."""
    script, block_id, pages = TOOLS[area]
    sv = block(pages[0]("sv"), block_id)
    expected = {
        "quality": {"progressNa": "Ni har skattat {rated} av {total} kriterier, och markerat {na} som inte aktuella.",
                    "fileName": "sjalvskattning", "csvLevelName": "nivanamn", "csvNotApplicable": "inte aktuellt",
                    "resultNote": "{result}. Belägg: {note}"},
        "methods": {"filterAll": "Visar alla {total} metoder.", "amount": "{amount}\u00a0kr",
                    "summary": "Totalt: {total}. {actors}."},
        "curriculum": {"clock": "{hours}.{minutes}", "hoursMinutes": "{hours} tim {minutes} min", "hours": "{hours} tim",
                       "minutes": "{minutes} min", "status": "{modules} på {days}."},
    }[area]
    assert {key: sv[key] for key in expected} == expected


def test_amounts_and_times_follow_the_templates_words():
    """Money and lengths of time are written with the catalogue's own texts, in both languages."""
    assert block(methods.calculator("en"), "vi-methods-texts")["amount"] == "SEK\u00a0{amount}"
    en = block(curriculum.planner_form(HANDBOOK, "en"), "vi-curriculum-texts")
    assert (en["clock"], en["hoursMinutes"], en["hours"], en["minutes"]) == (
        "{hours}:{minutes}", "{hours} h {minutes} min", "{hours} h", "{minutes} min")
    assert curriculum.duration_text(90, "en") == en["hoursMinutes"].format(hours=1, minutes=30)
    assert curriculum.duration_text(90, "sv") == "1 tim 30 min"


def test_saved_state_is_kept_per_language_and_the_old_swedish_key_is_migrated():
    source = (ASSETS / "quality.js").read_text(encoding="utf-8")
    assert 'var STORAGE_KEY = "vi-sjalvskattning-v1-" + LANG;' in source
    assert 'var OLD_STORAGE_KEY = "vagar-in:sjalvskattning:v1";' in source
    assert 'if (LANG !== "sv") return;' in source  # only the Swedish page reads the old key
    # The other two tools keep nothing in the browser: the filter and the plan live in the address.
    for script in ("methods.js", "curriculum.js"):
        assert "localStorage" not in (ASSETS / script).read_text(encoding="utf-8")
