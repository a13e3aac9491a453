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


def generated_pages(handbook: Handbook) -> list[tuple[str, str]]:
    found = [item for source in PAGE_SOURCES for item in source(handbook)]
    paths = [path for path, _ in found]
    duplicates = sorted({p for p in paths if paths.count(p) > 1})
    if duplicates:
        raise ValueError(f"two generated pages share a path: {', '.join(duplicates)}")
    return found


def generated_files(handbook: Handbook) -> list[tuple[str, bytes]]:
    return [item for source in FILE_SOURCES for item in source(handbook)]
