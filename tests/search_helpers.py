"""Helpers for the site search (Pagefind): read an edition's index, and search from the header."""
from __future__ import annotations

import gzip
import json
from pathlib import Path


def indexed_pages(edition: Path) -> dict[str, dict]:
    """Every page in an edition's Pagefind index, by its URL: {"url", "content", "meta", ...}.

    A fragment is gzip with a "pagefind_dcd" signature before its JSON."""
    pages = {}
    for fragment in (edition / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        page = json.loads(data[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    return pages


def languages(edition: Path) -> set[str]:
    entry = json.loads((edition / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return set(entry["languages"])


def search(page, query: str, everything: bool = True, timeout: int = 15000) -> list[dict]:
    """Type `query` into the header's search and wait for its results: [{"href", "title", "excerpt",
    "marks": [(text before, marked text, text after)]}] of every result (all pages of them with
    `everything`, pressing "Show more" until it is gone)."""
    field = page.locator("#vi-search-input")
    if not field.is_visible():
        page.locator(".vi-search__open").click()
    field.fill("")
    field.press_sequentially(query, delay=20)
    page.wait_for_function(
        """(q) => { const s = document.querySelector('.vi-search__status').textContent;
                    return s.includes(q) && !s.includes('…') && (document.querySelector('.vi-search__list li')
                           || /(Ingen sida|No page)/.test(s)) }""", arg=query, timeout=timeout)
    while everything and page.locator(".vi-search__more").is_visible():
        count = page.locator(".vi-search__item").count()
        page.locator(".vi-search__more").click()
        page.wait_for_function("(n) => document.querySelectorAll('.vi-search__item').length > n", arg=count,
                               timeout=timeout)
    return page.evaluate("""() => Array.from(document.querySelectorAll('.vi-search__item')).map(li => {
        const excerpt = li.querySelector('.vi-search__excerpt');
        const marks = Array.from(excerpt.querySelectorAll('mark')).map(m => [
            m.previousSibling ? m.previousSibling.textContent : '', m.textContent,
            m.nextSibling ? m.nextSibling.textContent : '']);
        return {href: new URL(li.querySelector('a').href).pathname, title: li.querySelector('.vi-search__title').textContent,
                excerpt: excerpt.textContent, marks: marks};
    })""")
