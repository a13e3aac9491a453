"""The curriculum's pages and fragments in English: English interface text, the records' English texts."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from handbook.areas import curriculum
from handbook.content import load_cached
from english_helpers import swedish_left

HANDBOOK = load_cached(ROOT).handbook
MODULES = curriculum.modules(HANDBOOK)
MODULE = MODULES[0]

# Interface words the Swedish pages use: none of them may be left on an English page.
SWEDISH = ["Deltagarvy", "Utbildarvy", "Bygger på", "Bygger inte", "Leder vidare", "Stödjer", "Tidsplan",
           "Efter modulen kan du", "Övning", "Deltagarblad", "Summa", "Minuter", "Aktivitet", "Genomgång",
           " tim ", " tim)", " tim<", "undervisning", "övning", "Kriterium", "Område", "Antal", "Skriv ut", "Tillbaka", "Moduler",
           "Modulen finns", "Ingen modul", "kvalitetskriterier", "Utbildningen har", "Välj alla", "Lägg till",
           "Kursplanen", "Länk till", "Dagar och tider", "Pauser", "På den här sidan"]


def assert_english(page: str):
    left = swedish_left(page, SWEDISH)
    assert not left, f"Swedish interface text on an English page: {left}"


def test_module_page_in_english():
    page = curriculum.module_page(HANDBOOK, MODULE, "en")
    assert page.startswith('---\ntitle: "The supervisor&#x27;s role and values"\n---\n')
    for words in ("## Participant view {#deltagare}", "## Trainer view {#utbildare}", "<dt>Builds on</dt>",
                  "<h3>After the module you can</h3>", "<h3>Session plan</h3>", "Plan a course with this module",
                  "min teaching", "The module is in the file <code>"):
        assert words in page
    assert MODULE.text("summary", "en") in page.replace("&#x27;", "'")
    assert MODULE.get("session_plan")[0]["title"]["en"] in page
    assert_english(page)


def test_session_plan_in_english():
    table = curriculum.session_plan_table(MODULE, "en")
    assert '<th scope="col">Format and part</th>' in table and "Total: 60 min teaching and 60 min exercises" in table
    assert '<span class="vi-part">teaching</span>' in table and "Discussion" in table
    assert_english(table)


def test_handout_page_in_english():
    page = curriculum.handout_page(HANDBOOK, MODULE, "en")
    assert page.startswith('---\ntitle: "Participant handout: The supervisor&#x27;s role and values"\nsearch:')
    assert "Back to the module" in page and "<h2>To read and keep</h2>" in page and ">Print</button>" in page
    assert "vi-print-footer" not in page  # the handbook's name, address and date are at every sheet's foot (print.css)
    assert_english(page)


def test_curriculum_fragments_in_english():
    summary = curriculum.curriculum_summary(HANDBOOK, "en")
    assert f"The training has <strong>{len(MODULES)} modules</strong>" in summary
    order = curriculum.curriculum_order(HANDBOOK, "en")
    assert "Does not build on any other module." in order and "Builds on: " in order
    assert MODULE.text("title", "en").replace("'", "&#x27;") in order
    matrix = curriculum.coverage_matrix(HANDBOOK, "en")
    assert '<th scope="col">Criterion</th>' in matrix and "Area: " in matrix and "Number of criteria" in matrix
    uncovered = curriculum.uncovered_criteria_list(HANDBOOK, "en")
    assert "criteria" in uncovered
    for fragment in (summary, order, matrix, uncovered):
        assert_english(fragment)


def test_course_planner_in_english():
    table = curriculum.planner_modules_table(HANDBOOK, "en")
    assert "The modules in course order, with their time without breaks" in table and "2 h" in table
    form = curriculum.planner_form(HANDBOOK, "en")
    assert "<legend>Modules</legend>" in form and "Select all" in form and "Copy the link" in form
    assert '<option value="60" selected>60 min</option>' in form
    data = json.loads(re.search(r'id="vi-planner-data">(.*?)</script>', form).group(1))
    first = next(m for m in data["modules"] if m["id"] == MODULE.id)
    assert first["title"] == MODULE.text("title", "en")
    assert {a["form"] for m in data["modules"] for a in m["activities"]} <= {
        "Presentation", "Discussion", "Role play", "Case", "Reflection"}
    assert_english(table)
    assert_english(form)


@pytest.mark.parametrize("minutes, words", [(90, "1 h 30 min"), (120, "2 h"), (45, "45 min")])
def test_duration_text_in_english(minutes, words):
    assert curriculum.duration_text(minutes, "en") == words
