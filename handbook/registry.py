"""Where each part of the handbook registers what it adds to the site.

A content area (handbook/areas/<area>.py) adds generated pages, downloads and
macros with these decorators; kind-specific checks use `handbook.check.rule`.
No shared list has to be edited to add an area.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Handbook
from .render import esc, front_matter, md_text

PageSource = Callable[[Handbook], Iterable[tuple[str, str]]]
FileSource = Callable[[Handbook], Iterable[tuple[str, bytes]]]

PAGE_SOURCES: list[PageSource] = []
FILE_SOURCES: list[FileSource] = []
MACROS: dict[str, Callable] = {}

# Site settings for the areas, such as `repo_url` and `repo_branch`: the adapter copies them from mkdocs.yml
# (`extra`, and the repository address from `repo_url`) before it asks for pages, so the core never reads
# the MkDocs configuration itself.
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


# The macros each hand-written page called in this process's builds, with what they gave (its blocks
# filled in): page -> {(macro, arguments): (args, kwargs, text)}. The live server asks them again after an
# edit, and reads a page again only when one of them now gives something else (`macros_changed`).
MACRO_CALLS: dict[str, dict] = {}


def called(page: str, name: str, args: tuple, kwargs: dict, result) -> None:
    from . import render

    MACRO_CALLS.setdefault(page, {})[(name, repr(args), repr(sorted(kwargs.items())))] = (
        args, kwargs, render.fill_blocks(str(result)))


def macros_changed(page: str, handbook: Handbook, lang: str) -> bool:
    """Whether any macro the page called gives another text now (True when its calls are not known)."""
    from . import render

    calls = MACRO_CALLS.get(page)
    if not calls:
        return True
    for (name, _a, _k), (args, kwargs, text) in calls.items():
        function = MACROS.get(name)
        if function is None or render.fill_blocks(str(call(function, handbook, *args, lang=lang, **kwargs))) != text:
            return True
    return False


def call(function: Callable, *args, lang: str = "sv", **kwargs):
    """Call a registered function, giving it the build's language when it takes one (`lang`)."""
    if _takes_lang(function):
        kwargs["lang"] = lang
    return function(*args, **kwargs)


@lru_cache(maxsize=None)
def _takes_lang(function: Callable) -> bool:
    """Asked once per function: macros are called on every page that uses them."""
    import inspect

    try:
        return "lang" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


# Page sources that read no organisation and no quality profile (`apart_from_directory`): their pages are
# kept for the next build in the same process (the live server's), and made again only when another
# record changed, as objects (content.load_cached gives an unchanged file's record back as the same
# object), or a site setting or the day. An edit to one of 1500 organisations makes none of them again.
# tests/test_live.py holds each such source to it: its pages are the same without any organisation.
APART_FROM_DIRECTORY: set = set()
_KEPT: dict = {}  # (source, lang) -> (the records it may read, settings, day, [(path, markdown, body)])
DIRECTORY_KINDS = ("organisation", "profile")


def apart_from_directory(function: PageSource) -> PageSource:
    """Declare a page source (registered with `pages`) that reads no organisation and no profile."""
    APART_FROM_DIRECTORY.add(function)
    return function


def same_objects(kept: tuple, now: tuple) -> bool:
    """Whether two sequences hold the same objects, one for one (records kept for a later build are
    compared as objects: content.load_cached gives an unchanged file's record back as the same object)."""
    return len(kept) == len(now) and all(a is b for a, b in zip(kept, now))


def besides_directory(handbook: Handbook) -> tuple:
    """Every record but the organisations and their profiles, in one order."""
    return tuple(r for kind in handbook.kinds() if kind not in DIRECTORY_KINDS for r in handbook.all(kind))


def _kept_pages(source, handbook: Handbook, lang: str, world: tuple) -> list[tuple[str, str]]:
    from . import render
    from .history import today

    settings = (repr(sorted(SETTINGS.items(), key=lambda item: item[0])), today())
    hit = _KEPT.get((source, lang))
    if hit is not None and hit[1] == settings and same_objects(hit[0], world):
        made = []
        for path, markdown, body in hit[2]:
            if body is not None:
                BODIES[path] = render.put_blocks(body)
            made.append((path, render.put_blocks(markdown)))
        return made
    made = list(call(source, handbook, lang=lang))
    _KEPT[(source, lang)] = (world, settings, [(path, render.keep_blocks(markdown),
                                                render.keep_blocks(BODIES[path]) if path in BODIES else None)
                                               for path, markdown in made])
    return made


def generated_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    BODIES.clear()
    world = besides_directory(handbook) if APART_FROM_DIRECTORY else ()
    found = [item for source in PAGE_SOURCES
             for item in (_kept_pages(source, handbook, lang, world) if source in APART_FROM_DIRECTORY
                          else call(source, handbook, lang=lang))]
    seen: set = set()
    duplicates = sorted({path for path, _ in found if path in seen or seen.add(path)})
    if duplicates:
        raise ValueError(f"two generated pages share a path: {', '.join(duplicates)}")
    return found


def generated_files(handbook: Handbook, lang: str = "sv") -> list[tuple[str, bytes]]:
    """Every area's downloads, made once per content (the build writes them, the open-data page and the
    address check list them). Downloads are data, the same in every language: a source takes no `lang`."""
    cached = _FILES.get(id(handbook))
    if cached is None or cached[0] is not handbook:
        _FILES.clear()
        cached = _FILES[id(handbook)] = (handbook, [item for source in FILE_SOURCES for item in source(handbook)])
    return cached[1]


_FILES: dict[int, tuple[Handbook, list]] = {}


# Stamped pages: many pages with one layout, such as the 1500 organisation pages of a national
# directory. They differ only in their title, their address and their body, so the theme renders
# one page, the shell, with placeholders, and each page is that shell with its own values put in.
# A theme page with the whole site navigation costs more to render than anything else in a build;
# stamping does it once per folder instead of once per page. The pages are the same as the
# theme would render them one by one (a test compares the two), and an engine that cannot stamp
# builds them one by one with `expand`.
STAMP_TITLE = "VIHANDBOOKSTAMPTITLE"
STAMP_SLUG = "VIHANDBOOKSTAMPSLUG"  # the shell's file name, so its address and heading id are placeholders too
# What the adapter adds under each page (last changed, edit and report links: handbook.links.page_facts).
STAMP_FACTS = "<!-- handbook:page-facts -->"
_STAMP_SPLIT = re.compile(f"({STAMP_TITLE}|{STAMP_SLUG}|{re.escape(BODY_MARKER)}|{re.escape(STAMP_FACTS)})")
_SITEMAP_ENTRY = re.compile(rf"[ \t]*<url>\s*<loc>[^<]*/{STAMP_SLUG}/</loc>.*?</url>\n?", re.S)


@dataclass
class Stamped:
    """Pages in one folder with one layout: (slug, title as plain text, body HTML) each.

    A page is at `<folder>/<slug>/`, and its heading's id is its slug. Stamped pages have no table
    of contents (their bodies are HTML that the theme never reads); the site search finds them, as
    it indexes the built pages (handbook/search.py)."""
    folder: str
    pages: list[tuple[str, str, str]] = field(default_factory=list)
    heading_ids: bool = True  # whether Markdown takes `{ #id }` after a heading (attr_list); stamping needs it
    facts: dict[str, str] = field(default_factory=dict)  # slug -> the HTML that takes the place of STAMP_FACTS

    @property
    def shell_path(self) -> str:
        return f"{self.folder}/{STAMP_SLUG}.md"

    def head(self, title: str, slug: str) -> str:
        heading_id = f" {{ #{slug} }}" if self.heading_ids else ""
        return front_matter(title, hide=["toc"]) + f"# {md_text(title)}{heading_id}\n"

    def shell(self) -> tuple[str, str]:
        """The shell page as (path under docs/, markdown) with placeholders for title, slug and body."""
        return self.shell_path, f"{self.head(STAMP_TITLE, STAMP_SLUG)}\n{BODY_MARKER}\n"

    def expand(self) -> list[tuple[str, str]]:
        """Every page as an ordinary generated page, for an engine that cannot stamp."""
        return [page_with_body(f"{self.folder}/{slug}.md", self.head(title, slug), body)
                for slug, title, body in self.pages]

    def stamp(self, shell_html: str, finish: Callable[[str], str] = str) -> Iterator[tuple[str, str]]:
        """(path under the site, HTML) of every page, from the theme's rendering of the shell; `finish`
        is done to each page's body and facts before they go in (the shell may be finished once)."""
        pieces = _STAMP_SPLIT.split(shell_html)
        if STAMP_TITLE not in pieces or BODY_MARKER not in pieces:
            raise ValueError(f"the shell page of {self.folder}/ lost its placeholders; build the pages one by one")
        for slug, title, body in self.pages:  # values go in once: text that looks like a placeholder stays text
            values = {STAMP_TITLE: esc(title), STAMP_SLUG: slug, BODY_MARKER: finish(body),
                      STAMP_FACTS: finish(self.facts.get(slug, ""))}
            yield f"{self.folder}/{slug}/index.html", "".join(values.get(piece, piece) for piece in pieces)


    def stamp_sitemap(self, xml: str) -> str:
        """The sitemap with the shell's entry replaced by one entry per page (a sitemap lists pages only
        when the site knows its own address, `site_url`)."""
        match = _SITEMAP_ENTRY.search(xml)
        if not match:
            return xml
        entries = "".join(match.group(0).replace(STAMP_SLUG, slug) for slug, _title, _body in self.pages)
        return xml[:match.start()] + entries + xml[match.end():]


STAMP_SOURCES: list[Callable[[Handbook], Iterable[Stamped]]] = []


def stamped(function: Callable[[Handbook], Iterable[Stamped]]) -> Callable[[Handbook], Iterable[Stamped]]:
    """Register a function that returns groups of stamped pages (`Stamped`)."""
    STAMP_SOURCES.append(function)
    return function


def generated_stamps(handbook: Handbook, lang: str = "sv") -> list[Stamped]:
    return [group for source in STAMP_SOURCES for group in call(source, handbook, lang=lang)]
