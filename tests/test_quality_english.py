"""The quality model's pages and macros in English: English interface text, English record text, no Swedish left."""
from __future__ import annotations

import json
import re

from conftest import ROOT
from handbook.areas import quality
from handbook.content import load_content

HANDBOOK = load_content(ROOT).handbook
AREAS = HANDBOOK.all("area")


def assert_no_swedish(html: str, *words: str):
    for word in words:
        assert word not in html, word


def test_area_page_in_english():
    area = HANDBOOK.get("area", "handledning")
    page = quality.area_page(HANDBOOK, area, "en")
    criterion = HANDBOOK.get("criterion", "utsedd-handledare")
    assert page.splitlines()[1] == f'title: "{area.get("order")}. {area.text("title", "en")}"'
    assert f"## {quality.number(HANDBOOK, criterion)} {criterion.text('title', 'en')}" in page.replace("\\", "")
    assert criterion.text("summary", "en") in page
    for text in ("Criteria in this area", "What is required of you", "What you get in return", "Four levels",
                 "How you can tell the criterion is met", "Evidence you can show", "Applies to", "What helps you",
                 "The levels of criterion", "Do the self-assessment", "all areas of the quality model",
                 "Previous area:", "Next area:", "Areas of the quality model", "<h3>Sources</h3>"):
        assert text in page, text
    for n, name in quality.LEVELS:
        assert f"<strong>{n} {name['en']}</strong>" in page
    assert "Supervisor training: " in page
    assert_no_swedish(page, "Kriterier i området", "Det här krävs av er", "Fyra nivåer", "Gäller", "Målgrupper",
                      "Nivåerna för kriteriet", "Föregående område", "Nästa område", "Gör självskattningen",
                      "Källor", "Påbörjad", "Handledarutbildning:")


def test_pager_in_english():
    pager = quality._pager(HANDBOOK, AREAS[1], "en")
    assert f'Previous area: <a href="../{AREAS[0].id}/">{AREAS[0].get("order")}. {AREAS[0].text("title", "en")}</a>' in pager
    assert 'aria-label="Areas of the quality model"' in pager
    assert_no_swedish(pager, "Föregående", "Nästa", "Områden")


def test_overview_levels_and_count_in_english():
    overview = quality.quality_model_overview(HANDBOOK, "en")
    first = AREAS[0]
    assert f"{first.get('order')}. {first.text('title', 'en')}</a></h3>" in overview
    assert f"({len(quality.criteria_of(HANDBOOK, first.id))} criteria)" in overview
    assert_no_swedish(overview, "kriterier)")
    levels = quality.quality_levels(HANDBOOK, "en")
    assert "<strong>Started.</strong> You have started" in levels and "<strong>Developed systematically.</strong>" in levels
    assert_no_swedish(levels, "Påbörjad", "Ni har börjat")
    assert quality.quality_count(HANDBOOK, "en") == f"{len(AREAS)} areas and {HANDBOOK.count('criterion')} criteria"


def test_self_assessment_in_english():
    page = quality.self_assessment(HANDBOOK, "en")
    criterion = quality.criteria_of(HANDBOOK, AREAS[0].id)[0]
    for text in ("Name of the organisation", "Date of the assessment", "Save, share and print", "Download CSV (spreadsheet)",
                 "Summary per area", "Average level", "Level 4", "What to work on first", "Read more about the criterion",
                 "Evidence and notes", "<b>Not applicable to us</b>", "To the summary",
                 f"<b>1 Started:</b>", criterion.text("requirement", "en")):
        assert text in page, text
    assert_no_swedish(page, "Organisationens namn", "Spara, dela", "Sammanfattning", "Läs mer om kriteriet",
                      "Belägg och anteckningar", "Inte aktuellt", "Påbörjad")
    data = json.loads(re.search(r'<script type="application/json" id="vi-sa-data">(.*?)</script>', page, re.S).group(1))
    assert [level["name"] for level in data["levels"]] == [name["en"] for _n, name in quality.LEVELS]
    assert data["notApplicable"] == "Not applicable to us"
    assert {h["what"] for h in data["helpers"]} == {"Supervisor training", "Method"}
    assert data["areas"][0]["title"] == AREAS[0].text("title", "en")


def test_level_names_come_from_the_catalogue_and_keep_the_open_data():
    assert [name for _n, name in quality.LEVELS] == [
        {"sv": "Påbörjad", "en": "Started"}, {"sv": "Delvis på plats", "en": "Partly in place"},
        {"sv": "På plats", "en": "In place"}, {"sv": "Utvecklas systematiskt", "en": "Developed systematically"}]
    assert quality.level_name(3, "en") == "In place" and quality.level_name(3) == "På plats"
