"""The methods library in a real browser: the filter, the calculator, accessibility and no request off the origin."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from browser_helpers import DESKTOP, PHONE, offsite_requests, open_page, page_problems
from handbook.areas import methods as lib
from handbook.content import load_content

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CALCULATOR = f"/metoder/{lib.CALCULATOR_METHOD}/"
PAGES = ["/metoder/", "/metoder/ips/", "/metoder/ips/kort/", "/metoder/jamforelse/", CALCULATOR]


@pytest.fixture(scope="module")
def handbook():
    return load_content(ROOT).handbook


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(".vi-method-card", "cards => cards.filter(c => !c.hidden && c.offsetParent !== null)"
                                     ".map(c => c.id.replace('metod-', ''))")


def expected(handbook, malgrupp="", typ="", aktor="") -> list[str]:
    return [m.id for m in lib.methods(handbook)
            if (not malgrupp or malgrupp in m.get("target_groups"))
            and (not typ or m.get("kind") == typ)
            and (not aktor or aktor in m.get("actors"))]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_methods_pages_have_no_wcag_violations_and_stay_on_their_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page_problems(page, base) == []


def test_the_filter_shows_the_records_that_match_and_counts_them(browser, base, handbook):
    with open_page(browser, base + "/metoder/") as page:
        assert page.locator("#vi-method-filter").is_visible()
        total = len(lib.methods(handbook))
        assert visible_cards(page) == expected(handbook)
        assert page.locator("#vi-filter-count").inner_text() == f"Visar alla {total} metoder."
        for term in handbook.terms("malgrupper"):
            page.select_option("#vi-filter-malgrupp", term.id)
            want = expected(handbook, malgrupp=term.id)
            assert visible_cards(page) == want, term.id
            assert page.locator("#vi-filter-count").inner_text() == f"Visar {len(want)} av {total} metoder."
        page.select_option("#vi-filter-malgrupp", "personer-med-psykisk-ohalsa")
        page.select_option("#vi-filter-typ", "metod")
        page.select_option("#vi-filter-aktor", "region")
        want = expected(handbook, "personer-med-psykisk-ohalsa", "metod", "region")
        assert 0 < len(want) < total
        assert visible_cards(page) == want
        assert page.locator("#vi-filter-count").get_attribute("role") == "status"


def test_the_filter_state_makes_a_shareable_url_that_restores_it(browser, base, handbook):
    with open_page(browser, base + "/metoder/") as page:
        page.select_option("#vi-filter-typ", "verktyg")
        page.select_option("#vi-filter-aktor", "samordningsforbund")
        query = parse_qs(urlparse(page.url).query)
        assert query == {"typ": ["verktyg"], "aktor": ["samordningsforbund"]}
        shared = page.url
        shown = visible_cards(page)
        assert shown == expected(handbook, typ="verktyg", aktor="samordningsforbund") != []
    with open_page(browser, shared, PHONE) as page:
        assert page.locator("#vi-filter-typ").input_value() == "verktyg"
        assert page.locator("#vi-filter-aktor").input_value() == "samordningsforbund"
        assert page.locator("#vi-filter-malgrupp").input_value() == ""
        assert visible_cards(page) == shown
        page.click("#vi-filter-reset")
        assert urlparse(page.url).query == ""
        assert len(visible_cards(page)) == len(lib.methods(handbook))


def test_an_unknown_or_empty_filter_in_the_url_shows_a_message_or_everything(browser, base, handbook):
    with open_page(browser, base + "/metoder/?malgrupp=finns-inte&typ=metod") as page:
        assert page.locator("#vi-filter-malgrupp").input_value() == ""
        assert visible_cards(page) == expected(handbook, typ="metod")
    with open_page(browser, base + "/metoder/?malgrupp=unga&typ=metod&aktor=region") as page:
        want = expected(handbook, "unga", "metod", "region")
        assert visible_cards(page) == want
        assert page.locator("#vi-filter-empty").is_visible() == (want == [])


def test_without_javascript_the_index_is_a_plain_list_of_every_method(browser, base, handbook):
    with open_page(browser, base + "/metoder/?typ=verktyg", java_script_enabled=False) as page:
        assert not page.locator("#vi-method-filter").is_visible()
        assert len(visible_cards(page)) == len(lib.methods(handbook))
        assert page.locator("#vi-filter-count").inner_text() == f"{len(lib.methods(handbook))} metoder"


def amounts(page, selector: str) -> str:
    return page.locator(selector).inner_text().replace("\u00a0", " ").replace("\u2212", "-")


def test_the_calculator_sums_per_actor_and_in_total(browser, base):
    with open_page(browser, base + CALCULATOR, bypass_csp=True) as page:
        assert page.locator("#vi-calculator").is_visible()
        assert amounts(page, "#vi-calc-total") == "0 kr"
        page.fill("#vi-calc-ersattningar-kommunen", "120000")
        page.fill("#vi-calc-ersattningar-staten", "30 000")
        page.fill("#vi-calc-vard-regionen", "45 500 kr")
        page.fill("#vi-calc-produktionsbortfall-individen", "200000")
        page.fill("#vi-calc-rattsvasende-staten", "")  # an empty field counts as 0
        page.fill("#vi-calc-skatteintakter-kommunen", "12,5 kr")  # 12,50 kr: öre after a comma
        page.fill("#vi-calc-rehabilitering-regionen", "mycket")  # not a number: reported, not counted
        assert amounts(page, "#vi-calc-sum-staten") == "30 000 kr"
        assert amounts(page, "#vi-calc-sum-regionen") == "45 500 kr"
        assert amounts(page, "#vi-calc-sum-kommunen") == "120 012,50 kr"
        assert amounts(page, "#vi-calc-sum-individen") == "200 000 kr"
        assert amounts(page, "#vi-calc-sum-ersattningar") == "150 000 kr"
        assert amounts(page, "#vi-calc-sum-ersattningar-kommunen") == "120 000 kr"
        assert amounts(page, "#vi-calc-total") == "395 512,50 kr"
        summary = amounts(page, "#vi-calc-summary")
        assert summary == ("Totalt: 395 512,50 kr. Staten 30 000 kr, Regionen 45 500 kr, Kommunen 120 012,50 kr, "
                           "Individen 200 000 kr. 1 fält räknas inte med: se meddelandet vid fältet.")
        assert page.locator("#vi-calc-summary").get_attribute("aria-live") == "polite"
        field = "#vi-calc-rehabilitering-regionen"
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        assert "går inte att läsa" in page.locator(field + "-error").inner_text()
        assert page.locator("#vi-calc-vard-regionen").get_attribute("aria-invalid") is None
        page.fill("#vi-calc-rehabilitering-regionen", "-5000")  # a cost is never negative: reported, not counted
        assert amounts(page, "#vi-calc-sum-regionen") == "45 500 kr"
        assert page.locator("#vi-calc-rehabilitering-regionen").get_attribute("aria-invalid") == "true"
        assert "mindre än 0" in page.locator("#vi-calc-rehabilitering-regionen-error").inner_text()
        page.click("#vi-calc-reset")
        page.wait_for_function("document.getElementById('vi-calc-total').textContent.startsWith('0')")
        assert amounts(page, "#vi-calc-summary").startswith("Totalt: 0 kr.")
        assert offsite_requests(page, base) == []


def test_the_calculator_sends_nothing_and_stores_nothing(browser, base):
    with open_page(browser, base + CALCULATOR) as page:
        before = len(page.requests_seen)
        page.fill("#vi-calc-vard-kommunen", "1000")
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert len(page.requests_seen) == before
        assert urlparse(page.url).query == ""
        stored = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
        assert "1000" not in stored  # the theme keeps its own settings there; the figures are never stored


def test_the_calculator_prints_only_the_result(browser, base):
    with open_page(browser, base + CALCULATOR) as page:
        page.evaluate("window.print = () => { window.printed = true; }")
        page.fill("#vi-calc-vard-kommunen", "1000")
        page.click("#vi-calc-print")
        assert page.evaluate("window.printed") is True
        page.emulate_media(media="print")
        assert page.locator(".vi-calc-table").is_visible()
        assert amounts(page, "#vi-calc-total") == "1 000 kr"
        assert not page.locator("h1").is_visible()
        assert not page.locator(".vi-calc-category").first.is_visible()
        assert not page.locator("#vi-calc-print").is_visible()


def test_without_javascript_the_calculator_page_explains_the_sum_by_hand(browser, base):
    with open_page(browser, base + CALCULATOR, java_script_enabled=False) as page:
        assert not page.locator("#vi-calculator").is_visible()
        manual = page.locator(".vi-calc-manual")
        assert manual.is_visible()
        assert "Lägg ihop varje kolumn" in manual.inner_text()


def test_a_method_card_prints_on_one_page(browser, base, handbook):
    for method in lib.methods(handbook):
        with open_page(browser, f"{base}/metoder/{method.id}/kort/") as page:
            page.emulate_media(media="print")
            assert not page.locator(".md-header").is_visible()
            # A4 with the 1 cm margins a browser's print dialog uses by default
            pdf = page.pdf(format="A4", margin={side: "10mm" for side in ("top", "right", "bottom", "left")})
            assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, method.id


def test_the_card_print_button_appears_with_javascript_and_prints(browser, base):
    with open_page(browser, base + "/metoder/ips/kort/", PHONE) as page:
        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="Skriv ut kortet").click()
        assert page.evaluate("window.printed") is True
    with open_page(browser, base + "/metoder/ips/kort/", java_script_enabled=False) as page:
        assert not page.locator("button[data-print]").is_visible()
