"""The partner directory in a real browser: filters, the URL round trip, counts, paging, accessibility."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, open_page
from conftest import ROOT
from handbook.areas import directory
from handbook.content import load_content

pytestmark = pytest.mark.browser

HANDBOOK = load_content(ROOT).handbook
PAGES = ["/organisationer/", "/organisationer/lan/14/", "/organisationer/lan/10/", "/organisationer/lan/",
         "/organisationer/goteborgs-raddningsmission/", "/organisationer/myrorna/"]


def ready(page):
    page.wait_for_selector("#vi-directory[data-ready='1']", timeout=10000)


def count(page) -> int:
    return int(page.get_attribute("#vi-directory", "data-count"))


def shown_ids(page) -> list[str]:
    return [href.rstrip("/") for href in page.locator(".vi-dir-results h3 a").evaluate_all("els => els.map(a => a.getAttribute('href'))")]


def expected(**filters) -> list[str]:
    """Ids the filters must show, computed from the records in Python."""
    out = []
    for r in directory.organisations(HANDBOOK):
        if filters.get("lan") and r.get("county") != filters["lan"]:
            continue
        if filters.get("typ") and r.get("type") != filters["typ"]:
            continue
        if filters.get("omfattning") and r.get("scope") != filters["omfattning"]:
            continue
        if filters.get("arbetstraning") and filters["arbetstraning"] not in r.get("offers", ()):
            continue
        out.append(r.id)
    return out


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_directory_pages_have_no_wcag_violations_and_stay_on_their_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        if path == "/organisationer/":
            ready(page)
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == []
        assert offsite_requests(page, base) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_directory_with_filters_applied_has_no_wcag_violations(browser, base):
    with open_page(browser, base + "/organisationer/?typ=ideell-organisation", PHONE) as page:
        ready(page)
        assert count(page) == len(expected(typ="ideell-organisation"))
        assert axe_violations(page) == []


def test_without_filters_every_organisation_is_counted_and_the_first_page_shown(browser, base):
    with open_page(browser, base + "/organisationer/") as page:
        ready(page)
        total = HANDBOOK.count("organisation")
        assert count(page) == total
        assert shown_ids(page) == [r.id for r in directory.organisations(HANDBOOK)][:directory.PAGE_SIZE]
        assert page.locator(".vi-dir-count").inner_text().startswith(f"{total} organisationer")
        assert page.locator(".vi-dir-nojs").is_hidden()


def test_filters_count_what_the_data_says_and_round_trip_through_the_url(browser, base):
    with open_page(browser, base + "/organisationer/", bypass_csp=True) as page:
        ready(page)
        page.select_option("#vi-dir-typ", "ideell-organisation")
        page.select_option("#vi-dir-omfattning", "nationell")
        want = expected(typ="ideell-organisation", omfattning="nationell")
        assert len(want) > 1
        page.wait_for_function(f"document.querySelector('#vi-directory').dataset.count === '{len(want)}'")
        assert shown_ids(page) == want
        assert page.locator(".vi-dir-count").inner_text() == (
            f"{len(want)} organisationer för Ideell organisation.")
        query = parse_qs(urlparse(page.url).query)
        assert query == {"typ": ["ideell-organisation"], "omfattning": ["nationell"]}
        url = page.url
    # The same URL in a fresh page restores the form and the results.
    with open_page(browser, url, PHONE, bypass_csp=True) as page:
        ready(page)
        assert page.input_value("#vi-dir-typ") == "ideell-organisation"
        assert page.input_value("#vi-dir-omfattning") == "nationell"
        assert shown_ids(page) == want


def test_county_filter_narrows_the_municipalities_and_the_results(browser, base):
    with open_page(browser, base + "/organisationer/?lan=14", bypass_csp=True) as page:
        ready(page)
        assert shown_ids(page) == expected(lan="14") == ["goteborgs-raddningsmission"]
        options = page.locator("#vi-dir-kommun option").evaluate_all("els => els.map(o => o.value)")
        assert options == ["", "Göteborg"]
        page.select_option("#vi-dir-kommun", "Göteborg")
        page.wait_for_function("location.search.includes('kommun=')")
        assert parse_qs(urlparse(page.url).query) == {"lan": ["14"], "kommun": ["Göteborg"]}
        assert count(page) == 1


def test_text_search_ignores_case_and_accents_and_an_empty_result_says_what_to_do(browser, base):
    with open_page(browser, base + "/organisationer/", bypass_csp=True) as page:
        ready(page)
        page.fill("#vi-dir-q", "raddningsmission")
        page.wait_for_function("document.querySelector('#vi-directory').dataset.count === '1'")
        assert shown_ids(page) == ["goteborgs-raddningsmission"]
        assert parse_qs(urlparse(page.url).query) == {"q": ["raddningsmission"]}
        page.fill("#vi-dir-q", "finns-inte-xyz")
        page.wait_for_function("document.querySelector('#vi-directory').dataset.count === '0'")
        assert "Pröva att ta bort ett filter" in page.locator(".vi-dir-count").inner_text()
        page.click(".vi-dir-reset")
        page.wait_for_function(f"document.querySelector('#vi-directory').dataset.count === '{HANDBOOK.count('organisation')}'")
        assert urlparse(page.url).query == ""


def test_unknown_values_in_the_url_are_ignored(browser, base):
    with open_page(browser, base + "/organisationer/?lan=99&typ=<b>x</b>") as page:
        ready(page)
        assert page.input_value("#vi-dir-lan") == "" and page.input_value("#vi-dir-typ") == ""
        assert count(page) == HANDBOOK.count("organisation")


def test_a_national_directory_is_shown_in_pages_of_25_with_counts_that_match(browser, base):
    """1500 synthetic rows served in place of katalog.json: the page shows 25, then 25 more on request."""
    rows = [[f"org-{n:04d}", f"Organisation {n:04d}", "socialt-foretag" if n % 3 else "kommun", "lokal",
             "01" if n % 2 else "12", "Stockholm" if n % 2 else "Malmö", ["kafe-och-kok"] if n % 5 == 0 else [], ["unga"]]
            for n in range(1500)]
    body = json.dumps({"columns": ["id", "name", "type", "scope", "county", "municipality", "offers", "target_groups"],
                       "rows": rows})
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.route("**/organisationer/katalog.json", lambda route: route.fulfill(body=body, content_type="application/json"))
    try:
        page.goto(base + "/organisationer/?lan=12&arbetstraning=kafe-och-kok")
        ready(page)
        want = [r[0] for r in rows if r[4] == "12" and "kafe-och-kok" in r[6]]
        assert count(page) == len(want) == 150
        assert page.locator(".vi-dir-results li").count() == 25
        assert page.locator(".vi-dir-count").inner_text() == (
            "150 organisationer för Skåne län, Kafé och kök. Visar de första 25.")
        page.click(".vi-dir-more")
        assert page.locator(".vi-dir-results li").count() == 50
        assert shown_ids(page) == want[:50]
        # Focus moves to the first new result, so keyboard and screen reader users continue there.
        assert page.evaluate("document.activeElement.getAttribute('href')") == want[25] + "/"
        assert page.locator(".vi-dir-more").inner_text() == "Visa 25 till (100 kvar)"
        assert page.evaluate("document.querySelectorAll('#vi-directory li').length") == 50, "never all 1500 at once"
    finally:
        context.close()


def test_without_javascript_the_directory_points_to_the_county_pages(browser, base):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(base + "/organisationer/")
        assert page.locator(".vi-dir-nojs").is_visible()
        assert page.locator(".vi-dir-form").is_hidden()
        page.locator(".vi-county-table a", has_text="Västra Götalands län").click()
        assert page.url.endswith("/organisationer/lan/14/")
        page.get_by_role("link", name="Göteborgs Räddningsmission").click()
        assert page.url.endswith("/organisationer/goteborgs-raddningsmission/")
        assert page.locator("h1").inner_text().strip("¶ \n") == "Göteborgs Räddningsmission"
    finally:
        context.close()


def test_directory_prints_without_its_form(browser, base):
    with open_page(browser, base + "/organisationer/") as page:
        ready(page)
        page.emulate_media(media="print")
        assert page.locator(".vi-dir-form").is_hidden()
        assert page.locator(".vi-county-table").is_visible()
