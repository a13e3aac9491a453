"""The interactive tools on their English pages (/en/...) in a real browser: the self-assessment, the method
filter, the calculator and the course planner speak English, export in English, write numbers and money the
English way, and keep their saved state apart from the Swedish page's."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, open_page
from conftest import ROOT
from handbook.areas import quality
from handbook.content import load_content

pytestmark = pytest.mark.browser

HANDBOOK = load_content(ROOT).handbook
CRITERIA = HANDBOOK.all("criterion")
SA = "/kvalitetsmodell/sjalvskattning/"
LIBRARY = "/metoder/"
CALCULATOR = "/metoder/socioekonomiskt-bokslut/"
PLANNER = "/handledarutbildning/kursplanerare/"
TWO_MODULES = "#moduler=handledarens-roll,faltet-och-aktorerna&dagar=1&start=08.30&langd=360&lunch=45&paus=15&forkunskap=lagg-till"
OLD_KEY = "vagar-in:sjalvskattning:v1"
# Words of the scripts' former Swedish interface that must not appear on an English page.
SWEDISH = re.compile(r"\b(av|och|nivå|Nivå|skattat|kriterier|Totalt|kunde|Dag|Paus|tim|moduler|Modul|Varning|Inom|"
                     r"Schema|Klockan|Vad|Visar|metoder)\b")


def radio(criterion_id: str, level) -> str:
    return f'#skatta-{criterion_id} input[value="{level}"]'


def summary_row(page, area_title: str) -> list[str]:
    row = page.locator("#vi-sa-table-body tr", has=page.locator("th", has_text=area_title))
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def saved(level: int, organisation: str) -> str:
    """A self-assessment as the script saved it before the English edition."""
    return json.dumps({"format": "vagar-in-sjalvskattning", "version": 1, "organisation": organisation, "date": "",
                       "ratings": {"utsedd-handledare": {"level": level, "note": ""}}})


def test_the_english_self_assessment_summarises_in_english(browser, base):
    criterion = HANDBOOK.get("criterion", "utsedd-handledare")
    with open_page(browser, base + "/en" + SA) as page:
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("#vi-sa-progress").inner_text() == f"You have rated 0 of {len(CRITERIA)} criteria."
        page.fill("#vi-sa-org", "Church Second Hand")
        page.fill("#vi-sa-date", "2026-11-20")
        page.check(radio("utsedd-handledare", 1))
        page.check(radio("handledarutbildning", 4))
        page.check(radio("stod-till-handledaren", 2))
        page.check(radio("tydliga-roller", "na"))
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.input_value("#vi-sa-org") == "Church Second Hand"
        assert page.locator("#vi-sa-status").inner_text() == "Your saved self-assessment has been restored: 4 criteria."
        assert page.locator("#vi-sa-progress").inner_text() == \
            f"You have rated 3 of {len(CRITERIA)} criteria, and marked 1 as not applicable."
        # Supervision: levels 1, 4 and 2 -> average 2.3, written with a decimal point.
        assert summary_row(page, "Supervision") == ["2. Supervision", "3 of 5", "0", "2.3", "1", "1", "0", "1"]
        assert page.locator(".vi-sa-bar", has_text="2. Supervision").locator(".vi-sa-bar-value").inner_text() == "2.3 of 4"
        assert page.locator(".vi-sa-bar", has_text="3. Matching").locator(".vi-sa-bar-value").inner_text() == "not rated"
        first = page.locator("#vi-sa-weakest > li").first.inner_text()
        assert first.startswith(f"{quality.number(HANDBOOK, criterion)} {criterion.text('title', 'en')} – level 1, Started "
                                "(Supervision)")
        page.emulate_media(media="print")
        assert [line for line in page.locator(".vi-sa-print-head").inner_text().split("\n") if line] == [
            "Organisation: Church Second Hand", "Date: 2026-11-20"]
        assert page.locator("#skatta-utsedd-handledare .vi-sa-result").inner_text() == "Level 1: Started"
        assert page.locator("#skatta-formell-validering .vi-sa-result").inner_text() == "Not rated"
        shown = page.locator("#sammanfattning").inner_text() + page.locator(".vi-sa-print-head").inner_text()
        assert SWEDISH.findall(shown) == []


def test_the_english_self_assessment_exports_in_english(browser, base, tmp_path):
    criterion = HANDBOOK.get("criterion", "utsedd-handledare")
    with open_page(browser, base + "/en" + SA, bypass_csp=True) as page:
        page.fill("#vi-sa-org", "Shop, Östersund")
        page.fill("#vi-sa-date", "2026-11-20")
        page.check(radio("utsedd-handledare", 2))
        page.check(radio("tydliga-roller", "na"))
        page.fill("#skatta-utsedd-handledare textarea", "A list,\nbut no stand-ins")
        with page.expect_download() as info:
            page.click("button[data-action=csv]")
        assert info.value.suggested_filename == "self-assessment-shop-ostersund-2026-11-20.csv"
        content = open(info.value.path(), encoding="utf-8-sig").read()
        page.wait_for_function("document.getElementById('vi-sa-status').textContent !== ''")
        assert page.locator("#vi-sa-status").inner_text() == "The CSV file has been downloaded."
        with page.expect_download() as info:
            page.click("button[data-action=json]")
        assert info.value.suggested_filename == "self-assessment-shop-ostersund-2026-11-20.json"
        saved_file = tmp_path / "assessment.json"
        info.value.save_as(saved_file)
        page.emulate_media(media="print")
        assert page.locator("#skatta-utsedd-handledare .vi-sa-result").inner_text().split() == \
            "Level 2: Partly in place. Evidence: A list, but no stand-ins".split()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == ["organisation", "date", "area_id", "area", "criterion_id", "number", "criterion", "level",
                             "level_name", "evidence"]
    by_id = {r["criterion_id"]: r for r in rows}
    assert len(rows) == len(CRITERIA)
    assert by_id["utsedd-handledare"] == {
        "organisation": "Shop, Östersund", "date": "2026-11-20", "area_id": "handledning", "area": "Supervision",
        "criterion_id": "utsedd-handledare", "number": quality.number(HANDBOOK, criterion),
        "criterion": criterion.text("title", "en"), "level": "2", "level_name": "Partly in place",
        "evidence": "A list,\nbut no stand-ins"}
    assert (by_id["tydliga-roller"]["level"], by_id["tydliga-roller"]["level_name"]) == ("not applicable",
                                                                                         "Not applicable to us")
    exported = json.loads(saved_file.read_text(encoding="utf-8"))
    # The file format is the same in both languages, so a file moves between the two pages.
    assert exported["format"] == "vagar-in-sjalvskattning" and exported["ratings"]["tydliga-roller"] == {"level": "na",
                                                                                                       "note": ""}
    with open_page(browser, base + SA, bypass_csp=True) as page:  # the Swedish page reads the English page's file
        page.set_input_files("#vi-sa-import", str(saved_file))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('hämtades')")
        assert page.locator("#vi-sa-status").inner_text() == "Skattningen hämtades från assessment.json: 2 kriterier."
        assert page.is_checked(radio("utsedd-handledare", 2))


def test_a_wrong_file_and_clearing_are_explained_in_english(browser, base, tmp_path):
    wrong = tmp_path / "other.json"
    wrong.write_text('{"ratings": {}}', encoding="utf-8")
    with open_page(browser, base + "/en" + SA, bypass_csp=True) as page:
        page.check(radio("utsedd-handledare", 2))
        page.set_input_files("#vi-sa-import", str(wrong))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('other.json')")
        assert page.locator("#vi-sa-status").inner_text() == \
            "The file other.json could not be read. Choose a JSON file that you downloaded from this page."
        messages = []
        page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
        page.click("button[data-action=clear]")
        assert messages == ["Do you want to clear the whole self-assessment in this browser? This cannot be undone."]
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('cleared')")
        assert page.evaluate("localStorage.getItem('vi-sjalvskattning-v1-en')") is None
        assert not page.is_checked(radio("utsedd-handledare", 2))


def test_the_two_languages_keep_their_own_saved_self_assessment(browser, base):
    context = browser.new_context(viewport=DESKTOP)  # one browser profile for both pages
    try:
        page = context.new_page()
        page.goto(base + SA)
        page.check(radio("utsedd-handledare", 1))
        page.fill("#vi-sa-org", "Svenska butiken")
        page.goto(base + "/en" + SA)
        page.wait_for_load_state("networkidle")
        assert not page.is_checked(radio("utsedd-handledare", 1)), "the Swedish rating is not the English page's"
        assert page.input_value("#vi-sa-org") == ""
        page.check(radio("utsedd-handledare", 3))
        page.fill("#vi-sa-org", "English shop")
        page.goto(base + SA)
        page.wait_for_load_state("networkidle")
        assert page.is_checked(radio("utsedd-handledare", 1)) and page.input_value("#vi-sa-org") == "Svenska butiken"
        keys = page.evaluate("Object.keys(localStorage).filter(k => k.includes('sjalvskattning')).sort()")
        assert keys == ["vi-sjalvskattning-v1-en", "vi-sjalvskattning-v1-sv"]
    finally:
        context.close()


def test_a_swedish_self_assessment_saved_under_the_old_key_is_moved_once_and_stays_swedish(browser, base):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(base + "/en" + SA)
        page.evaluate(f"localStorage.setItem({OLD_KEY!r}, {saved(2, 'Gamla butiken')!r})")
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.input_value("#vi-sa-org") == "", "the English page does not read the Swedish state"
        assert page.evaluate(f"localStorage.getItem({OLD_KEY!r})") is not None, "nor does it move it"

        page.goto(base + SA)
        page.wait_for_load_state("networkidle")
        assert page.input_value("#vi-sa-org") == "Gamla butiken" and page.is_checked(radio("utsedd-handledare", 2))
        assert page.locator("#vi-sa-status").inner_text() == "Din sparade skattning är återställd: 1 kriterium."
        assert page.evaluate(f"localStorage.getItem({OLD_KEY!r})") is None
        assert json.loads(page.evaluate("localStorage.getItem('vi-sjalvskattning-v1-sv')"))["organisation"] == "Gamla butiken"
        page.check(radio("utsedd-handledare", 4))
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.is_checked(radio("utsedd-handledare", 4)), "the moved state is the one saved from now on"
    finally:
        context.close()


def test_the_english_method_filter_counts_in_english(browser, base):
    with open_page(browser, base + "/en" + LIBRARY) as page:
        total = page.locator("#vi-method-cards .vi-method-card").count()
        assert page.locator("#vi-filter-count").inner_text() == f"Showing all {total} methods."
        page.select_option("#vi-filter-typ", "verktyg")
        shown = page.locator("#vi-method-cards .vi-method-card:visible").count()
        assert page.locator("#vi-filter-count").inner_text() == f"Showing {shown} of {total} methods."
        assert page.evaluate("location.search") == "?typ=verktyg"


def test_the_english_calculator_writes_swedish_kronor_the_english_way(browser, base):
    with open_page(browser, base + "/en" + CALCULATOR) as page:
        assert page.locator("#vi-calc-total").inner_text() == "SEK\u00a00"
        page.fill("#vi-calc-ersattningar-kommunen", "120000")
        page.fill("#vi-calc-vard-regionen", "SEK 45,500")
        page.fill("#vi-calc-vard-staten", "30 000")
        page.fill("#vi-calc-produktionsbortfall-individen", "12,5")
        assert page.locator("#vi-calc-sum-kommunen").inner_text() == "SEK\u00a0120,000"
        assert page.locator("#vi-calc-sum-regionen").inner_text() == "SEK\u00a045,500"
        assert page.locator("#vi-calc-total").inner_text() == "SEK\u00a0195,500"
        assert page.locator("#vi-calc-summary").inner_text().replace("\u00a0", " ") == (
            "Total: SEK 195,500. State SEK 30,000, Region SEK 45,500, Municipality SEK 120,000, Individual SEK 0. "
            "1 field is not counted: see the message at the field.")
        assert page.locator("#vi-calc-produktionsbortfall-individen-error").inner_text() == \
            "Error: the amount cannot be read. Write it in kronor, for example 12,000, 12 000 or 1,500.50. The field is not counted."
        assert page.get_attribute("#vi-calc-produktionsbortfall-individen", "aria-invalid") == "true"


def test_the_english_planner_plans_in_english_with_english_times(browser, base):
    with open_page(browser, base + "/en" + PLANNER, bypass_csp=True) as page:
        assert page.locator("#vi-plan-status").inner_text() == "No module is selected."
        page.check("#vi-m-handledarens-roll")
        page.check("#vi-m-faltet-och-aktorerna")
        page.fill("#vi-days", "1")
        page.fill("#vi-start", "08:30")
        page.select_option("#vi-length", "360")
        page.select_option("#vi-lunch", "45")
        page.select_option("#vi-pause", "15")
        assert page.locator(".vi-day h3").all_inner_texts() == ["Day 1: 08:30–13:45"]
        assert page.locator(".vi-plan-settings").inner_text() == (
            "2 modules, 4 h of teaching and exercises. 1 day starting at 08:30 and 6 h long. Lunch 45 min, break 15 min.")
        rows = page.locator(".vi-day-table tbody tr:has(td)")
        times = [(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()) for r in rows.all()]
        assert times[0] == ("08:30–08:45", "My best and worst boss (reflection)")
        assert times[3] == ("09:30–09:45", "Break") and ("11:30–12:15", "Lunch") in times
        assert page.locator(".vi-plan-module th").first.inner_text() == \
            "Module: The supervisor's role and values (08:30–10:45, 2 h 15 min)"
        assert page.locator(".vi-day-table caption").inner_text() == "Timetable for day 1"
        assert page.locator(".vi-day-table thead").inner_text().split() == ["Time", "What", "Min"]
        assert page.locator(".vi-day-note").inner_text() == "Within time: planned end 14:30, 45 min to spare."
        assert page.locator("#vi-plan-status").inner_text() == "2 modules over 1 day. Every day keeps to its time."
        # The plan's address is the Swedish page's, on the English page: a shared link opens in English.
        assert page.locator("#vi-plan-link").input_value() == base + "/en" + PLANNER + TWO_MODULES
        assert SWEDISH.findall(page.locator("#vi-plan-output").inner_text() + page.locator("#vi-plan-status").inner_text()) == []
        page.click("#vi-copy-link")
        page.wait_for_function("document.getElementById('vi-copy-status').textContent !== ''")
        assert page.locator("#vi-copy-status").inner_text() in ("The link has been copied.", "Select the link and copy it yourself.")


def test_the_english_planner_explains_links_overruns_and_prerequisites_in_english(browser, base):
    with open_page(browser, base + "/en" + PLANNER + "#moduler=handleda-i-vardagen,validering-av-kompetens,nope&dagar=1"
                   "&start=09.00&langd=999") as page:
        notices = page.locator(".vi-plan-notices li").all_inner_texts()
        assert "The link names a module that does not exist: “nope”. It has been left out of the plan." in notices
        assert "The length of the day in the link cannot be used; the plan uses 7 h." in notices
        assert any(n.startswith("Added “The supervisor's role and values”, because “") for n in notices)
        assert page.locator(".vi-over-note").inner_text().startswith("⚠ The day runs over its time by ")
        assert "but should end at 16:00. Add a day, make the day longer or remove a module." in \
            page.locator(".vi-over-note").inner_text()
        assert "Over time: day 1." in page.locator("#vi-plan-status").inner_text()
        page.check("#vi-auto-warn")
        warnings = page.locator(".vi-plan-notices li.vi-warning").all_inner_texts()
        assert warnings and all(w.startswith("Warning: “") and w.endswith(
            "which is not in the plan. Make sure the participants already know it.") for w in warnings)
        assert page.locator("#vi-plan-status").inner_text().endswith("Warning: prerequisites are missing.")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_english_tools_in_use_have_no_wcag_violations(browser, base, viewport):
    with open_page(browser, base + "/en" + SA, viewport) as page:
        page.check(radio("utsedd-handledare", 1))
        page.check(radio("tydliga-roller", "na"))
        assert axe_violations(page) == []
    with open_page(browser, base + "/en" + PLANNER + TWO_MODULES, viewport) as page:
        assert page.locator(".vi-day-table").count() == 1
        assert axe_violations(page) == []
