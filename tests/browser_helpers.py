"""Helpers for browser tests: open a page, check accessibility with axe-core, watch requests."""
from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def open_page(browser, url: str, viewport: dict = DESKTOP, **context_options):
    """A fresh context and page at `url`, which records every request it makes in `page.requests_seen`."""
    context = browser.new_context(viewport=viewport, **context_options)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    try:
        yield page
    finally:
        context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations, one line each: rule id, impact and the first offending element."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    found = []
    for violation in results.response["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def offsite_requests(page, base_url: str) -> list[str]:
    """Requests that left the page's own origin (data: and blob: URLs stay in the browser)."""
    origin = urlparse(base_url).netloc
    return [u for u in page.requests_seen if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != origin]


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 or less: it fits the viewport)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def page_problems(page, base_url: str) -> list[str]:
    """What every page must get right: one h1, no WCAG A/AA violation, nothing fetched from another
    host, and no sideways scrolling at the viewport's width."""
    found = [f"{n} h1 elements" for n in [page.locator("h1").count()] if n != 1]
    found += axe_violations(page)
    found += [f"request off the origin: {u}" for u in offsite_requests(page, base_url)]
    found += [f"scrolls sideways by {px}px" for px in [sideways_overflow(page)] if px > 0]
    return found
