"""For tests of English pages: no Swedish interface text may be left on them."""
from __future__ import annotations

import re


def without_swedish_fallbacks(page: str) -> str:
    """The page without record texts that have no English yet (shown in Swedish, marked lang="sv")."""
    page = re.sub(r'<(span|div) lang="sv">.*?</\1>', "", page, flags=re.S)
    return re.sub(r'<[^>]*class="vi-fallback"[^>]*>.*?</(small|p)>', "", page, flags=re.S)


def swedish_left(page: str, words: list[str]) -> list[str]:
    """The Swedish interface words of `words` that are still on the page."""
    english = without_swedish_fallbacks(page)
    return [word for word in words if word in english]
