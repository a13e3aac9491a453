"""Where each part of the handbook registers what it adds to the site.

A content area (handbook/areas/<area>.py) adds generated pages, downloads and
macros with these decorators; kind-specific checks use `handbook.check.rule`.
No shared list has to be edited to add an area.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Handbook

PageSource = Callable[[Handbook], Iterable[tuple[str, str]]]
FileSource = Callable[[Handbook], Iterable[tuple[str, bytes]]]

PAGE_SOURCES: list[PageSource] = []
FILE_SOURCES: list[FileSource] = []
MACROS: dict[str, Callable] = {}

# Site settings for the areas, such as `edit_url_template`: the adapter copies them from mkdocs.yml
# `extra` before it asks for pages, so the core never reads the MkDocs configuration itself.
SETTINGS: dict = {}


def pages(function: PageSource) -> PageSource:
    """Register a function that returns (path under docs/, markdown) for generated pages."""
    PAGE_SOURCES.append(function)
    return function


def files(function: FileSource) -> FileSource:
    """Register a function that returns (path under the site, bytes) for generated downloads and assets."""
    FILE_SOURCES.append(function)
    return function


def macro(function: Callable) -> Callable:
    """Register a macro for hand-written pages; it is called as name(handbook, *args) and returns HTML or text."""
    MACROS[function.__name__] = function
    return function


# Bodies that skip Markdown. A generated page whose body is finished HTML can leave a marker in its
# Markdown instead of the HTML: Markdown then reads one comment, not the whole body (its HTML
# parser cost more than the rest of building a page, for 1500 organisation pages), and the adapter
# puts the body in after Markdown has run (`fill_body`). An engine that cannot do that calls
# `inline_bodies` on the pages first.
BODY_MARKER = "<!-- handbook:body -->"
BODIES: dict[str, str] = {}


def page_with_body(path: str, head: str, body_html: str) -> tuple[str, str]:
    """A generated page: `head` is its front matter and Markdown (the title); `body_html` is put in after Markdown."""
    BODIES[path] = body_html
    return path, f"{head}\n{BODY_MARKER}\n"


def fill_body(path: str, html: str) -> str:
    """The page's HTML with its finished body in place of the marker."""
    body = BODIES.get(path)
    if body is None or BODY_MARKER not in html:
        return html
    return html.replace(BODY_MARKER, body, 1)


def inline_bodies(pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pages with their bodies written into the Markdown, as HTML blocks Markdown leaves alone."""
    return [(path, markdown.replace(BODY_MARKER, f'\n<div markdown="0">\n{BODIES[path]}\n</div>\n', 1)
             if path in BODIES else markdown) for path, markdown in pages]


def generated_pages(handbook: Handbook) -> list[tuple[str, str]]:
    BODIES.clear()
    found = [item for source in PAGE_SOURCES for item in source(handbook)]
    seen: set = set()
    duplicates = sorted({path for path, _ in found if path in seen or seen.add(path)})
    if duplicates:
        raise ValueError(f"two generated pages share a path: {', '.join(duplicates)}")
    return found


def generated_files(handbook: Handbook) -> list[tuple[str, bytes]]:
    return [item for source in FILE_SOURCES for item in source(handbook)]
