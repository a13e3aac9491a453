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


# All of axe-core, layout shift, Content-Security-Policy and words broken in tables (the reading tests).

def axe_all_violations(page, disabled: tuple[str, ...] = ()) -> list[str]:
    """Violations of every axe-core rule, not only the WCAG-tagged ones (best practices such as
    landmark-unique, region or heading-order too), one line each; `disabled` names rules left out."""
    options = {"rules": {rule: {"enabled": False} for rule in disabled}} if disabled else None
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


# Installed before the page's own scripts: the layout shifts without recent input (the CLS), and every
# Content-Security-Policy violation the browser reports.
WATCH_SCRIPT = """
window.__viShift = 0;
window.__viCsp = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) { if (!entry.hadRecentInput) window.__viShift += entry.value; });
}).observe({ type: "layout-shift", buffered: true });
document.addEventListener("securitypolicyviolation", function (event) {
  window.__viCsp.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " line " + event.lineNumber);
});
"""


@contextmanager
def open_watched_page(browser, url: str, viewport: dict = DESKTOP, settle_ms: int = 500, route=None, **context_options):
    """As open_page, with layout shifts and CSP violations recorded from the first byte (read them with
    `layout_shift` and `csp_violations`); `route` is an optional (pattern, handler) for page.route."""
    context = browser.new_context(viewport=viewport, **context_options)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.add_init_script(WATCH_SCRIPT)
    if route is not None:
        page.route(*route)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(settle_ms)
    try:
        yield page
    finally:
        context.close()


def layout_shift(page) -> float:
    """The page's cumulative layout shift so far (shifts right after input are not counted)."""
    return page.evaluate("window.__viShift")


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__viCsp")


BROKEN_WORDS_SCRIPT = """([selector, pattern]) => {
  const found = [];
  const word = new RegExp(pattern, "gu");
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (const match of node.data.matchAll(word)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) found.push(match[0]);
      }
    }
  }
  return found;
}"""

LETTERS = r"[\p{L}\p{N}]+"  # a word: letters and digits (a line may break after a hyphen or a slash)
NO_SPACE = r"[^\s]+"         # a file name or a path: nothing between two spaces breaks


def broken_words(page, selector: str = "td, th, caption", pattern: str = LETTERS) -> list[str]:
    """Words in the elements that `selector` finds whose letters lie on more than one line."""
    return page.evaluate(BROKEN_WORDS_SCRIPT, [selector, pattern])


CUT_CAPTIONS_SCRIPT = """() => [...document.querySelectorAll(".md-content caption")].filter(caption => {
  const box = (caption.closest(".vi-scroll, .md-typeset__scrollwrap") || caption.closest(".md-content")).getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(caption);
  return [...range.getClientRects()].some(r => r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1));
}).map(caption => caption.textContent.trim())"""


def cut_captions(page) -> list[str]:
    """Table captions with text outside their scroll region (or the page's content) as the page is shown."""
    return page.evaluate(CUT_CAPTIONS_SCRIPT)
