"""The work-package pages in a real browser: accessible at desktop and phone width, a real timeline table,
one landscape page when printed, and a CSV download that adds up."""
from __future__ import annotations

import csv
import io
import re

import pytest

from browser_helpers import DESKTOP, PHONE, open_page, page_problems

pytestmark = pytest.mark.browser

PAGES = ["/arbetspaket/", "/arbetspaket/paket-1/", "/arbetspaket/paket-5/", "/arbetspaket/tidsplan/", "/arbetspaket/budget/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_wcag_violations_and_stays_on_its_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page_problems(page, base) == []


def test_timeline_is_a_table_that_screen_readers_can_walk(browser, base):
    with open_page(browser, base + "/arbetspaket/tidsplan/") as page:
        timeline = page.get_by_role("table", name=re.compile("^Tidsplan mars–augusti"))
        assert timeline.count() == 1
        columns = timeline.get_by_role("columnheader").all_inner_texts()
        assert columns == ["Paket", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "Kostnad"]
        rows = [t.strip() for t in timeline.get_by_role("rowheader").all_inner_texts()]
        assert rows[0].startswith("Paket 1:") and rows[-1].startswith("Hela arbetsgruppen")
        assert len(rows) == 6
        # The region that scrolls the table on a narrow screen is reachable by keyboard and named.
        region = page.get_by_role("region", name=re.compile("^Tidsplan mars–augusti"))
        assert region.get_attribute("tabindex") == "0"


def test_timeline_reads_without_colour(browser, base):
    """Every cell holds words; in forced-colours mode (no author colours) the cells still say the same."""
    with open_page(browser, base + "/arbetspaket/tidsplan/", forced_colors="active") as page:
        cells = page.locator(".vi-timeline-table tbody td")
        texts = [t.strip() for t in cells.all_text_contents()]
        assert len(texts) == 6 * 7 and all(texts)
        assert "Inget planerat" in texts[1]
        june_of_group = texts[-4]
        assert "Teknikstöd under skrivandet (maj–juni)" in june_of_group


def test_timeline_scrolls_inside_its_region_on_a_phone(browser, base):
    with open_page(browser, base + "/arbetspaket/tidsplan/", PHONE) as page:
        region = page.locator(".vi-timeline .vi-scroll")
        assert region.evaluate("r => r.scrollWidth > r.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        header = page.locator(".vi-timeline-table tbody th").first
        assert header.evaluate("h => getComputedStyle(h).position") == "sticky"


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert count == len(boxes)
    return [(float(w), float(h)) for w, h in boxes]


def test_timeline_prints_on_one_landscape_page(browser, base):
    with open_page(browser, base + "/arbetspaket/tidsplan/") as page:
        page.emulate_media(media="print")
        pages = pdf_pages(page.pdf(prefer_css_page_size=True))
        assert len(pages) == 1
        width, height = pages[0]
        assert width > height  # landscape
        assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()


def test_other_pages_keep_portrait_when_printed(browser, base):
    with open_page(browser, base + "/arbetspaket/budget/") as page:
        page.emulate_media(media="print")
        pages = pdf_pages(page.pdf(prefer_css_page_size=True, format="A4"))
        assert all(w < h for w, h in pages)


def test_csv_download_holds_every_line_item(browser, base):
    with open_page(browser, base + "/arbetspaket/budget/", accept_downloads=True) as page:
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Ladda ner alla poster som CSV").click()
        download = download_info.value
        assert download.suggested_filename == "forstudie-poster.csv"
        rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
        assert len(rows) == 28
        assert sum(int(r["belopp_kr"]) for r in rows if r["belopp_kr"]) == 83500


def test_budget_says_the_totals_differ_in_words(browser, base):
    with open_page(browser, base + "/arbetspaket/budget/", PHONE) as page:
        note = page.get_by_role("note")
        assert note.count() == 1
        said = " ".join(note.inner_text().split())
        assert "Obs! Summorna stämmer inte." in said
        assert "86 000 kr" in said.replace("\u00a0", " ") and "83 500 kr" in said.replace("\u00a0", " ")
