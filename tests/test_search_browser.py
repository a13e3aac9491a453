"""The header's search in a real browser, in Swedish and in English: inflected forms find the same
pages, organisations are found by name and place, excerpts read as text, the search is accessible
and usable by keyboard at desktop and phone width, stays on the origin, and a first query fetches
little."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, open_page, sideways_overflow
from search_helpers import search

pytestmark = pytest.mark.browser

# What a phone may fetch to answer its first query, on top of the page: Pagefind's script, its worker
# and its WebAssembly for the language, the index's entry and metadata, the index chunk(s) the words
# need, and the fragments of the results shown (8). Measured: about 220 KB on the real site, and
# 190-215 KB at 1500 organisations (the index is split into chunks; see README.md, "Search").
FIRST_QUERY_BUDGET_KB = 300


def hrefs(page, query: str) -> set[str]:
    found = {r["href"] for r in search(page, query)}
    assert found, f"nothing found for {query!r}"
    return found


@pytest.mark.parametrize("forms", [("handledarna", "handledaren", "handledare"),
                                   ("arbetsträningen", "arbetsträning")], ids=["handledare", "arbetsträning"])
def test_swedish_inflected_forms_find_the_same_pages(browser, base, forms):
    with open_page(browser, base + "/") as page:
        results = [hrefs(page, form) for form in forms]
        assert all(r == results[0] for r in results), {f: len(r) for f, r in zip(forms, results)}
        assert not any(h.startswith("/en/") for h in results[0]), "a Swedish search lists only Swedish pages"
        assert offsite_requests(page, base) == []


def test_the_start_of_a_word_finds_the_whole_word(browser, base):
    with open_page(browser, base + "/") as page:
        titles = [r["title"] for r in search(page, "tillgänglighetsredo")]
        assert any("Tillgänglighetsredogörelse" in t for t in titles), titles


def test_english_stems_english_and_lists_only_english_pages(browser, base):
    with open_page(browser, base + "/en/") as page:
        singular, plural = hrefs(page, "supervisor"), hrefs(page, "supervisors")
        assert singular == plural
        assert all(h.startswith("/en/") for h in singular), sorted(singular)[:5]
        assert "/en/handledarutbildning/" in singular
        titles = {r["title"] for r in search(page, "supervisor")}
        assert "Supervisor training" in titles, titles


def test_an_organisation_is_found_by_name_and_by_place(browser, base):
    with open_page(browser, base + "/") as page:
        found = search(page, "Myrorna", everything=False)
        assert found[0]["href"] == "/organisationer/myrorna/" and found[0]["title"] == "Myrorna", found[:3]
        assert "/organisationer/goteborgs-raddningsmission/" in hrefs(page, "Göteborg")
    with open_page(browser, base + "/en/") as page:
        assert "/en/organisationer/myrorna/" in hrefs(page, "Myrorna")


@pytest.mark.parametrize("start,query", [("/", "Källor"), ("/", "Tid"), ("/en/", "Sources")])
def test_excerpts_read_as_text_with_no_words_run_together(browser, base, start, query):
    with open_page(browser, base + start) as page:
        results = search(page, query)
        marks = [m for r in results for m in r["marks"]]
        assert len(marks) >= 5, results[:3]
        for before, word, after in marks:
            assert not re.search(r"\w$", before) and not re.match(r"\w", after), (before[-20:], word, after[:20])
            # one word (with the punctuation around it): none glued to it
            assert re.fullmatch(r"[(\[\"'„”]?\w[\w-]*[.:,;)\]\"”]*", word), word
        for result in results:
            assert "UtvecklingsgruppenKällor" not in result["excerpt"] and not re.search(r"Tid\d", result["excerpt"])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("start,query", [("/", "handledare"), ("/en/", "supervisor")], ids=["sv", "en"])
def test_the_open_search_is_accessible_and_fits_the_screen(browser, base, viewport, start, query):
    with open_page(browser, base + start, viewport) as page:
        field = page.locator("#vi-search-input")
        if viewport is PHONE:
            assert not field.is_visible()
            opener = page.locator(".vi-search__open")
            assert opener.get_attribute("aria-expanded") == "false"
            opener.click()
            assert opener.get_attribute("aria-expanded") == "true"
        else:
            assert not page.locator(".vi-search__open").is_visible(), "a wide screen shows the field, no button"
        assert field.is_visible()
        label = page.locator('label[for="vi-search-input"]').text_content()
        assert label in ("Sök i handboken", "Search the handbook")
        search(page, query, everything=False)
        region = page.locator("#vi-search-results")
        assert region.is_visible() and region.get_attribute("aria-label") in ("Sökresultat", "Search results")
        assert page.evaluate("document.querySelector('#vi-search-results').tagName") == "SECTION"
        assert axe_violations(page) == []
        every_rule = Axe().run(page, context=".vi-search").response["violations"]  # best practices too
        assert [v["id"] for v in every_rule] == []
        assert sideways_overflow(page) <= 0
        box = region.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert offsite_requests(page, base) == []


def test_the_search_is_used_by_keyboard(browser, base):
    with open_page(browser, base + "/om/") as page:
        page.locator("body").press("/")
        assert page.evaluate("document.activeElement.id") == "vi-search-input"
        page.keyboard.type("Myrorna", delay=20)
        page.wait_for_selector(".vi-search__item")
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.getAttribute('href')")
        assert first and first.endswith("/organisationer/myrorna/")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "vi-search-input"
        page.keyboard.press("Escape")
        assert not page.locator("#vi-search-results").is_visible()
        page.keyboard.press("ArrowDown")  # the results come back with the field's next keystroke
        page.keyboard.type(" ")
        page.wait_for_selector(".vi-search__item")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url("**/organisationer/myrorna/")
        assert page.locator("h1").inner_text().strip("¶ ") == "Myrorna"


def test_a_first_query_fetches_little_and_nothing_before_it(browser, base):
    """Nothing of the index is fetched before the reader types; the first query's files stay in the budget."""
    context = browser.new_context(viewport=PHONE)
    try:
        finished = []
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_load_state("networkidle")
        assert not [r.url for r in finished if "/pagefind/" in r.url], "the index is fetched before anything is typed"
        before = len(finished)
        search(page, "handledare", everything=False)
        page.wait_for_load_state("networkidle")
        fetched = finished[before:]
        # The body's size as the browser counts it, else as the server announced it (a worker's script
        # is counted as 0 by the browser).
        sizes = {r.url: r.sizes()["responseBodySize"] or int(r.response().headers.get("content-length", 0))
                 for r in fetched}
        assert any(u.endswith(".pf_index") for u in sizes) and any(u.endswith(".pf_fragment") for u in sizes)
        assert all("/pagefind/" in u for u in sizes), sorted(sizes)
        total_kb = sum(sizes.values()) / 1024
        print(f"first query: {total_kb:.0f} KB in {len(sizes)} files")
        assert total_kb <= FIRST_QUERY_BUDGET_KB, {u.rsplit("/", 1)[-1]: s for u, s in sizes.items()}
    finally:
        context.close()
