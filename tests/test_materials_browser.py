"""Curriculum materials in a real browser: accessible at desktop and phone width, checklists shown as
boxes on screen, and on paper the material alone, with empty boxes and lines to write on."""
from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, PHONE, open_page, page_problems

pytestmark = pytest.mark.browser

CHECKLIST = "/handledarutbildning/material/observatorens-checklista/"
TEMPLATE = "/handledarutbildning/material/mall-for-kompetensintyg/"
PAGES = [CHECKLIST, TEMPLATE, "/handledarutbildning/material/exempelintyg/", "/handledarutbildning/material/",
         "/en" + CHECKLIST]

BOX = """el => { const s = getComputedStyle(el, "::before");
  return {content: s.content, width: parseFloat(s.width), height: parseFloat(s.height),
          border: s.borderTopStyle, borderWidth: parseFloat(s.borderTopWidth), color: s.borderTopColor,
          background: s.backgroundColor, marker: getComputedStyle(el).listStyleType}; }"""


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_material_page_has_no_wcag_violations_stays_on_its_origin_and_fits_a_phone(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page_problems(page, base) == []


def test_a_checklist_reads_as_a_list_and_each_item_shows_an_empty_box(browser, base):
    with open_page(browser, base + CHECKLIST) as page:
        items = page.locator(".vi-material ul.vi-checklist > li.vi-task")
        assert items.count() >= 10
        checklist = page.locator(".vi-material ul.vi-checklist").first
        lists = page.locator(".vi-material").get_by_role("list")
        assert lists.count() == page.locator(".vi-material ul, .vi-material ol").count()  # boxes or not, a list
        assert checklist.get_by_role("listitem").count() == checklist.locator("li").count()
        box = items.first.evaluate(BOX)
        assert box["content"] == '""' and box["border"] == "solid" and box["width"] > 8 and box["height"] > 8
        assert box["marker"] in ("none", '"\u200b"')  # the box, not a bullet as well (an invisible marker keeps the list)
        assert "[ ]" not in page.locator(".vi-material").inner_text()


def test_on_paper_the_checklist_prints_alone_with_black_empty_boxes(browser, base):
    with open_page(browser, base + CHECKLIST) as page:
        assert page.locator(".vi-print-button").is_visible()
        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", ".vi-noprint", ".md-footer"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator(".vi-material").is_visible() and page.locator(".vi-print-line").is_visible()
        box = page.locator("li.vi-task").first.evaluate(BOX)
        assert box["content"] == '""' and box["border"] == "solid" and box["borderWidth"] >= 1.5
        assert box["color"] == "rgb(0, 0, 0)" and box["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_on_paper_a_template_gives_each_field_a_line_to_write_on(browser, base):
    with open_page(browser, base + TEMPLATE) as page:
        field = page.locator(".vi-material-mall ul:not(.vi-checklist) > li").first
        screen = field.evaluate("el => getComputedStyle(el).borderBottomStyle")
        page.emulate_media(media="print")
        printed = field.evaluate("el => ({line: getComputedStyle(el).borderBottomStyle, room: parseFloat(getComputedStyle(el).paddingBottom)})")
        assert screen == "none" and printed["line"] == "solid" and printed["room"] > 10
