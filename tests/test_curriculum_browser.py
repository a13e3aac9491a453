"""The curriculum pages and the course planner in a real browser: clock times, shared links, print, accessibility."""
from __future__ import annotations

import pytest

from browser_helpers import page_problems, DESKTOP, PHONE, axe_violations, offsite_requests, open_page

pytestmark = pytest.mark.browser

PLANNER = "/handledarutbildning/kursplanerare/"
TWO_MODULES = "#moduler=handledarens-roll,faltet-och-aktorerna&dagar=1&start=08.30&langd=360&lunch=45&paus=15&forkunskap=lagg-till"
PAGES = [
    "/handledarutbildning/",
    "/handledarutbildning/handleda-i-vardagen/",
    "/handledarutbildning/handleda-i-vardagen/deltagarblad/",
    PLANNER,
    PLANNER + "#moduler=handleda-i-vardagen,validering-av-kompetens&dagar=1",  # with a plan that overruns
]


def plan_rows(page) -> list[tuple[str, str]]:
    """(clock times, what) for every timed row of every day."""
    rows = page.locator(".vi-day-table tbody tr:has(td)")
    return [(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()) for r in rows.all()]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_wcag_violations_stays_on_its_origin_and_fits_a_phone(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page_problems(page, base) == []


def test_planner_gives_clock_times_with_pauses_and_lunch_and_keeps_the_plan_in_the_link(browser, base):
    with open_page(browser, base + PLANNER) as page:
        assert page.locator("#vi-plan-status").inner_text() == "Ingen modul är vald."
        page.check("#vi-m-handledarens-roll")
        page.check("#vi-m-faltet-och-aktorerna")
        page.fill("#vi-days", "1")
        page.fill("#vi-start", "08:30")
        page.select_option("#vi-length", "360")
        page.select_option("#vi-lunch", "45")
        page.select_option("#vi-pause", "15")
        assert page.locator(".vi-day h3").all_inner_texts() == ["Dag 1: 08.30–13.45"]
        assert plan_rows(page) == [
            ("08.30–08.45", "Min bästa och sämsta chef (reflektion)"),
            ("08.45–09.10", "Uppdraget: varför handledning? (genomgång)"),
            ("09.10–09.30", "Värdegrunden i vardagen (genomgång)"),
            ("09.30–09.45", "Paus"),  # the next activity would make more than 90 minutes without a pause
            ("09.45–10.20", "Fyra situationer i butiken (fall)"),
            ("10.20–10.45", "Redovisning och min handledarprofil (diskussion)"),
            ("10.45–11.00", "Paus"),  # between two modules
            ("11.00–11.10", "Vem skickade din senaste deltagare? (diskussion)"),
            ("11.10–11.30", "Den sociala ekonomin och arbetsintegrerande sociala företag (genomgång)"),
            ("11.30–12.15", "Lunch"),
            ("12.15–12.40", "Myndigheterna och samordningsförbunden (genomgång)"),
            ("12.40–13.00", "Lärdomar från fas 3: kvalitet eller förvaring? (diskussion)"),
            ("13.00–13.45", "Aktörskartan runt Sara (fall)"),
        ]
        assert page.locator(".vi-day-note").inner_text() == "Inom tiden: planerat slut 14.30, 45 min kvar."
        assert page.locator("#vi-plan-status").inner_text() == "2 moduler på 1 dag. Alla dagar håller tiden."
        link = page.locator("#vi-plan-link").input_value()
        assert link == base + PLANNER + TWO_MODULES
        assert page.evaluate("location.hash") == TWO_MODULES
        shown = page.locator("#vi-plan-output").inner_text()
        requests = list(page.requests_seen)
    assert offsite_requests(page, base) == []
    assert not any("#" in r or "moduler=" in r for r in requests), "the plan never goes to the server"

    with open_page(browser, link) as again:
        assert again.locator("#vi-plan-output").inner_text() == shown
        assert again.is_checked("#vi-m-handledarens-roll") and again.is_checked("#vi-m-faltet-och-aktorerna")
        assert not again.is_checked("#vi-m-handleda-i-vardagen")
        assert again.input_value("#vi-start") == "08:30"
        assert again.input_value("#vi-days") == "1"


def test_planner_orders_by_prerequisites_and_adds_what_is_missing(browser, base):
    with open_page(browser, base + PLANNER + "#moduler=handleda-i-vardagen") as page:
        notices = page.locator(".vi-plan-notices li").all_inner_texts()
        assert "Lade till ”Handledarens roll och värdegrund”, eftersom ”Handleda i vardagen: instruktion, " \
               "återkoppling och anpassning” bygger på den." in notices
        modules = [t.split(" (")[0].removeprefix("Modul: ") for t in page.locator(".vi-plan-module th").all_inner_texts()]
        assert modules == ["Handledarens roll och värdegrund", "Personcentrerad planering av arbetsträningen",
                           "Matchning och arbetsanalys", "Handleda i vardagen: instruktion, återkoppling och anpassning"]
        page.check("#vi-auto-warn")
        assert page.locator(".vi-plan-notices li.vi-warning").all_inner_texts() == [
            "Varning: ”Handleda i vardagen: instruktion, återkoppling och anpassning” bygger på ”Handledarens roll och "
            "värdegrund”, som inte är med i planen. Se till att deltagarna redan kan det.",
            "Varning: ”Handleda i vardagen: instruktion, återkoppling och anpassning” bygger på ”Matchning och "
            "arbetsanalys”, som inte är med i planen. Se till att deltagarna redan kan det.",
        ]
        assert page.locator(".vi-plan-module").count() == 1
        assert page.evaluate("location.hash").endswith("&forkunskap=varna")


def test_planner_follows_the_course_order_of_the_overview(browser, base):
    with open_page(browser, base + "/handledarutbildning/") as overview:
        expected = [t.strip() for t in overview.locator(".vi-course-order > li > a").all_inner_texts()]
    with open_page(browser, base + PLANNER) as page:
        page.click("button[data-select=all]")
        page.fill("#vi-days", "5")
        modules = [t.split(" (")[0].removeprefix("Modul: ") for t in page.locator(".vi-plan-module th").all_inner_texts()]
        assert modules == expected
        assert len(modules) == 12


def test_a_day_that_overruns_is_flagged_in_words(browser, base):
    with open_page(browser, base + PLANNER + "#moduler=handleda-i-vardagen,validering-av-kompetens&dagar=1&start=09.00&langd=420") as page:
        note = page.locator(".vi-over-note")
        assert note.count() == 1
        assert note.inner_text().startswith("⚠ Dagen går över tiden med ")
        assert "men skulle sluta 16.00" in note.inner_text()
        assert "Går över tiden: dag 1." in page.locator("#vi-plan-status").inner_text()


def test_a_broken_link_is_explained_and_the_rest_of_the_plan_kept(browser, base):
    with open_page(browser, base + PLANNER + "#moduler=handledarens-roll,finns-inte&dagar=x&start=25.99") as page:
        notices = page.locator(".vi-plan-notices li").all_inner_texts()
        assert "Länken nämner en modul som inte finns: ”finns-inte”. Den är borttagen ur planen." in notices
        assert "Antalet dagar i länken går inte att använda; planen har 2 dagar." in notices
        assert "Starttiden i länken går inte att läsa; dagen börjar 09.00." in notices
        assert page.locator(".vi-day h3").first.inner_text() == "Dag 1: 09.00–11.15"


def test_planner_prints_only_the_plan(browser, base, tmp_path):
    with open_page(browser, base + PLANNER + TWO_MODULES) as page:
        page.emulate_media(media="print")
        for hidden in ("#vi-planner-form", ".vi-plan-share", ".md-header", ".md-sidebar--primary", ".vi-plan-intro"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator(".vi-day-table").is_visible()
        assert page.locator("h1").is_visible()
        shot = tmp_path / "planner-print.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


def test_handout_prints_without_the_site_chrome(browser, base):
    with open_page(browser, base + "/handledarutbildning/handleda-i-vardagen/deltagarblad/") as page:
        assert page.locator(".vi-print-button").is_visible()  # the script shows the button
        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", ".vi-noprint", ".md-footer"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator(".vi-handout").is_visible()
        assert page.locator(".vi-print-line").is_visible()  # the handbook's name and the address (print.css)


def test_planner_without_javascript_explains_itself_and_lists_the_modules(browser, base):
    with open_page(browser, base + PLANNER, java_script_enabled=False) as page:
        assert not page.locator("#vi-planner").is_visible()
        assert page.locator(".vi-nojs").inner_text().startswith("Planeraren behöver JavaScript.")
        rows = page.locator(".vi-planner-modules-table tbody tr")
        assert rows.count() == 12
        assert rows.first.locator("td").nth(1).inner_text() == "2 tim"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_planner_without_its_script_has_no_wcag_violations(browser, base, viewport):
    # axe-core needs JavaScript itself, so here only the planner's script is kept out.
    context = browser.new_context(viewport=viewport)
    try:
        context.route("**/assets/curriculum.js", lambda route: route.abort())
        page = context.new_page()
        page.goto(base + PLANNER)
        page.wait_for_load_state("networkidle")
        assert page.locator(".vi-planner-modules-table").is_visible()
        assert not page.locator("#vi-planner").is_visible()
        assert axe_violations(page) == []
    finally:
        context.close()
