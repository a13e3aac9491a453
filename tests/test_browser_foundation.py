"""The start page, /om/ and the shared pages in a real browser: accessible, offline, searchable."""
from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, open_page
from search_helpers import search

pytestmark = pytest.mark.browser

PAGES = ["/", "/om/", "/bidra/", "/bidra/listor/", "/bidra/listor/malgrupper/", "/data/", "/tillganglighet/", "/personuppgifter/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_wcag_violations_and_stays_on_its_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.lang") == "sv"
        assert axe_violations(page) == []
        assert offsite_requests(page, base) == []


def test_phone_width_has_no_sideways_scrolling(browser, base):
    for path in ("/", "/om/"):
        with open_page(browser, base + path, PHONE) as page:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"


def test_start_page_sends_each_audience_on_its_way(browser, base):
    with open_page(browser, base + "/") as page:
        headings = [h.strip("¶ \n") for h in page.locator(".vi-path h3").all_inner_texts()]
        assert headings == ["Du som tar emot deltagare", "Du som utbildar handledare", "Du som vill bidra"]
        for link in page.locator(".vi-path a").all():
            response = page.request.get(base + "/" + link.get_attribute("href").lstrip("./").split("#")[0])
            assert response.status == 200, link.get_attribute("href")


def test_swedish_search_runs_in_the_page_with_swedish_language_support(browser, base):
    with open_page(browser, base + "/") as page:
        titles = [r["title"] for r in search(page, "tillgänglighetsredo")]  # the start of a word finds the whole word
        assert any("Tillgänglighetsredogörelse" in t for t in titles), titles
        assert any(u.endswith("/pagefind/wasm.sv.pagefind") for u in page.requests_seen), "Swedish stemming"
        assert offsite_requests(page, base) == []
