"""Quality profiles in a real browser: the organisation page with a profile and the national picture
on /kvalitetsmodell/ and a county page pass axe-core (WCAG 2.1 AA) at desktop and phone width, in
both languages, with nothing fetched from another host and no sideways scrolling."""
from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, PHONE, open_page, page_problems
from profile_site import profile_site  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

PAGES = ["/organisationer/butiken-i-norrby/", "/organisationer/ateranvandarna/", "/organisationer/sortera-mera/",
         "/kvalitetsmodell/", "/organisationer/lan/14/",
         "/en/organisationer/butiken-i-norrby/", "/en/kvalitetsmodell/"]


@pytest.fixture(scope="module")
def profiles_base(profile_site, serve) -> str:  # noqa: F811
    return serve(profile_site)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_has_no_wcag_violations_no_sideways_scroll_and_stays_on_its_origin(browser, profiles_base, path, viewport):
    with open_page(browser, profiles_base + path, viewport) as page:
        assert page_problems(page, profiles_base) == []


def test_the_level_bars_are_drawn_without_colour_alone(browser, profiles_base):
    """The reached steps are striped and framed, the track shows its four steps, and the figure is printed:
    the bar's length gives the level (3 of 4 steps), and no colour is needed to tell it."""
    with open_page(browser, profiles_base + "/organisationer/butiken-i-norrby/", DESKTOP) as page:
        bar = page.locator(".vi-pbar").first
        fill = bar.locator(".vi-pbar__fill")
        assert "repeating-linear-gradient" in fill.evaluate("e => getComputedStyle(e).backgroundImage")
        assert "repeating-linear-gradient" in bar.locator(".vi-pbar__track").evaluate(
            "e => getComputedStyle(e).backgroundImage")
        track = bar.locator(".vi-pbar__track").bounding_box()["width"]
        assert track > 40 and abs(fill.bounding_box()["width"] / track - 0.75) < 0.03
        assert bar.locator(".vi-pbar__value").inner_text() == "3 av 4"
        empty = page.locator(".vi-pbar").nth(2)  # Validering: only "ej relevant", no level
        assert empty.locator(".vi-pbar__fill").is_hidden() and empty.locator(".vi-pbar__value").inner_text() == "ingen nivå"
