"""The quality model in a real browser: the self-assessment's saving, summary, export, import and print
report; accessibility (axe-core) and no request off the origin on every page type, at desktop and phone width."""
from __future__ import annotations

import csv
import io
import json

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, open_page, page_problems
from conftest import ROOT
from handbook.areas import quality
from handbook.content import load_content

pytestmark = pytest.mark.browser

HANDBOOK = load_content(ROOT).handbook
CRITERIA = HANDBOOK.all("criterion")
SA = "/kvalitetsmodell/sjalvskattning/"
PAGES = ["/kvalitetsmodell/", "/kvalitetsmodell/handledning/", "/kvalitetsmodell/verksamhetens-forutsattningar/", SA]


def radio(criterion_id: str, level) -> str:
    """The radio button for one level of one criterion (it sits in its label and has no id)."""
    return f'#skatta-{criterion_id} input[value="{level}"]'


def rate(page, criterion_id: str, level) -> None:
    page.check(radio(criterion_id, level))


def summary_row(page, area_title: str) -> list[str]:
    row = page.locator("#vi-sa-table-body tr", has=page.locator("th", has_text=area_title))
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_wcag_violations_no_sideways_scroll_and_stays_on_its_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page_problems(page, base) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_self_assessment_with_ratings_and_summary_has_no_wcag_violations(browser, base, viewport):
    with open_page(browser, base + SA, viewport) as page:
        page.fill("#vi-sa-org", "Second hand-butiken")
        rate(page, "utsedd-handledare", 1)
        rate(page, "handledarutbildning", 3)
        rate(page, "tydliga-roller", "na")
        assert page.locator("#vi-sa-weakest li").count() >= 2
        assert axe_violations(page) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0


def test_ratings_survive_a_reload_and_make_the_summary(browser, base):
    with open_page(browser, base + SA) as page:
        page.fill("#vi-sa-org", "Kyrkans Second Hand")
        rate(page, "utsedd-handledare", 1)
        rate(page, "handledarutbildning", 4)
        rate(page, "stod-till-handledaren", 2)
        rate(page, "skriftlig-overenskommelse", 3)
        rate(page, "tydliga-roller", "na")
        page.fill("#skatta-utsedd-handledare textarea", "Ingen lista ännu; se \"plan\", rad 2")
        page.reload()
        page.wait_for_load_state("networkidle")

        assert page.input_value("#vi-sa-org") == "Kyrkans Second Hand"
        assert page.is_checked(radio("utsedd-handledare", "1")) and page.is_checked(radio("tydliga-roller", "na"))
        assert page.input_value("#skatta-utsedd-handledare textarea") == "Ingen lista ännu; se \"plan\", rad 2"
        assert "återställd: 5 kriterier" in page.locator("#vi-sa-status").inner_text()
        assert page.locator("#vi-sa-progress").inner_text() == \
            f"Ni har skattat 4 av {len(CRITERIA)} kriterier, och markerat 1 som inte aktuella."
        # Handledning: levels 1, 4 and 2 -> average 2,3; one criterion each on levels 1, 2 and 4.
        assert summary_row(page, "Handledning") == ["2. Handledning", "3 av 5", "0", "2,3", "1", "1", "0", "1"]
        assert summary_row(page, "Arbetsträningsplatsen") == ["1. Arbetsträningsplatsen", "1 av 5", "1", "3,0", "0", "0", "1", "0"]
        bar = page.locator(".vi-sa-bar", has_text="2. Handledning")
        assert bar.locator(".vi-sa-bar-value").inner_text() == "2,3 av 4"

        weakest = page.locator("#vi-sa-weakest > li")
        assert weakest.count() == 3  # level 4 is not among the weakest
        texts = weakest.all_inner_texts()
        assert texts[0].startswith("2.1 En utsedd handledare med avsatt tid – nivå 1, Påbörjad")
        assert "nivå 2" in texts[1] and "nivå 3" in texts[2]
        first_helps = weakest.nth(0).locator(".vi-sa-helps a")
        assert first_helps.first.get_attribute("href") == "../../handledarutbildning/handledarens-roll/"
        assert weakest.nth(0).locator("a").first.get_attribute("href") == "../handledning/#utsedd-handledare"


def test_keyboard_alone_rates_a_criterion(browser, base):
    with open_page(browser, base + SA) as page:
        page.focus(radio("utsedd-handledare", "1"))
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        assert page.is_checked(radio("utsedd-handledare", "2"))
        assert page.evaluate("[document.activeElement.closest('fieldset').id, document.activeElement.value]") == ["skatta-utsedd-handledare", "2"]
        assert summary_row(page, "Handledning")[3] == "2,0"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"


def test_export_csv_has_a_row_per_criterion(browser, base):
    with open_page(browser, base + SA) as page:
        page.fill("#vi-sa-org", "=Butiken, Östersund")
        page.fill("#vi-sa-date", "2026-11-20")
        rate(page, "utsedd-handledare", 2)
        rate(page, "tydliga-roller", "na")
        page.fill("#skatta-utsedd-handledare textarea", "Lista finns,\nmen inga ersättare")
        with page.expect_download() as info:
            page.click("button[data-action=csv]")
        download = info.value
        assert download.suggested_filename == "sjalvskattning-butiken-ostersund-2026-11-20.csv"
        content = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == len(CRITERIA)
    assert list(rows[0]) == ["organisation", "datum", "omrade_id", "omrade", "kriterium_id", "nummer", "kriterium",
                             "niva", "nivanamn", "belagg"]
    by_id = {r["kriterium_id"]: r for r in rows}
    assert [r["kriterium_id"] for r in rows] == [c.id for a in HANDBOOK.all("area")
                                                 for c in quality.criteria_of(HANDBOOK, a.id)]
    assert by_id["utsedd-handledare"] == {
        "organisation": "'=Butiken, Östersund", "datum": "2026-11-20", "omrade_id": "handledning",
        "omrade": "Handledning", "kriterium_id": "utsedd-handledare", "nummer": "2.1",
        "kriterium": "En utsedd handledare med avsatt tid", "niva": "2", "nivanamn": "Delvis på plats",
        "belagg": "Lista finns,\nmen inga ersättare"}
    assert (by_id["tydliga-roller"]["niva"], by_id["tydliga-roller"]["nivanamn"]) == ("inte aktuellt", "Inte aktuellt för oss")
    assert by_id["formell-validering"]["niva"] == "" and by_id["formell-validering"]["nivanamn"] == ""


def test_export_json_and_import_it_into_a_fresh_browser(browser, base, tmp_path):
    with open_page(browser, base + SA, bypass_csp=True) as page:
        page.fill("#vi-sa-org", "Föreningen")
        rate(page, "utsedd-handledare", 3)
        rate(page, "vag-till-studier", "na")
        page.fill("#skatta-vag-till-studier textarea", "Vi har inga studiemotiverande kurser.")
        with page.expect_download() as info:
            page.click("button[data-action=json]")
        saved = tmp_path / "skattning.json"
        info.value.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["format"] == "vagar-in-sjalvskattning" and exported["organisation"] == "Föreningen"
    assert exported["ratings"]["utsedd-handledare"] == {"level": 3, "note": ""}

    with open_page(browser, base + SA, bypass_csp=True) as page:  # a new context: nothing in localStorage
        assert not page.is_checked(radio("utsedd-handledare", "3"))
        page.set_input_files("#vi-sa-import", str(saved))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('hämtades')")
        assert page.locator("#vi-sa-status").inner_text() == "Skattningen hämtades från skattning.json: 2 kriterier."
        assert page.is_checked(radio("utsedd-handledare", "3")) and page.is_checked(radio("vag-till-studier", "na"))
        assert page.input_value("#skatta-vag-till-studier textarea") == "Vi har inga studiemotiverande kurser."
        assert page.input_value("#vi-sa-org") == "Föreningen"
        page.reload()
        assert page.is_checked(radio("utsedd-handledare", "3")), "an import is saved in the browser"


def test_import_of_a_wrong_file_changes_nothing_and_says_so(browser, base, tmp_path):
    wrong = tmp_path / "annat.json"
    wrong.write_text('{"ratings": {"utsedd-handledare": {"level": 9}}}', encoding="utf-8")
    with open_page(browser, base + SA, bypass_csp=True) as page:
        rate(page, "utsedd-handledare", 2)
        page.set_input_files("#vi-sa-import", str(wrong))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('annat.json')")
        assert "kunde inte läsas" in page.locator("#vi-sa-status").inner_text()
        assert page.is_checked(radio("utsedd-handledare", "2"))


def test_clear_empties_the_form_and_the_browser_storage(browser, base):
    with open_page(browser, base + SA) as page:
        rate(page, "utsedd-handledare", 2)
        page.fill("#vi-sa-org", "Butiken")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button[data-action=clear]")
        assert not page.is_checked(radio("utsedd-handledare", "2"))
        assert page.input_value("#vi-sa-org") == ""
        assert page.evaluate("localStorage.getItem('vagar-in:sjalvskattning:v1')") is None
        page.reload()
        assert not page.is_checked(radio("utsedd-handledare", "2"))


def test_print_is_a_clean_report_with_name_and_date(browser, base):
    with open_page(browser, base + SA) as page:
        page.fill("#vi-sa-org", "Kyrkans Second Hand")
        page.fill("#vi-sa-date", "2026-11-20")
        rate(page, "utsedd-handledare", 1)
        page.fill("#skatta-utsedd-handledare textarea", "Saknar lista")
        page.emulate_media(media="print")
        assert [line for line in page.locator(".vi-sa-print-head").inner_text().split("\n") if line] == [
            "Organisation: Kyrkans Second Hand", "Datum: 2026-11-20"]
        for hidden in (".vi-sa-tools", ".md-header", ".md-sidebar--primary", "#skatta-utsedd-handledare .vi-sa-options"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("#skatta-utsedd-handledare .vi-sa-result").inner_text() == \
            "Nivå 1: Påbörjad. Belägg: Saknar lista"
        assert page.locator("#skatta-formell-validering .vi-sa-result").inner_text() == "Inte skattat"
        assert page.locator("#sammanfattning").is_visible()


def test_without_javascript_the_page_is_the_full_printable_checklist(browser, base):
    with open_page(browser, base + SA, java_script_enabled=False) as page:
        assert page.locator(".vi-sa-area fieldset").count() == len(CRITERIA)
        assert page.locator("#vi-sa input[type=radio]").count() == 5 * len(CRITERIA)
        assert page.locator("#vi-sa textarea").count() == len(CRITERIA)
        assert not page.locator("#vi-sa-tools").is_visible()
        assert not page.locator("#sammanfattning").is_visible()
        page.emulate_media(media="print")
        assert page.locator("#skatta-utsedd-handledare .vi-sa-options").is_visible()
        assert page.locator("#vi-sa-org").is_visible()
