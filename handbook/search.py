"""The site search: a Pagefind index of one built edition, in `<site>/pagefind/`.

Pagefind reads the built HTML, so every page is found as a reader sees it, the organisation pages
that the hook stamps after the theme has rendered included. It stems the edition's language (the
`lang` of its pages: Swedish at the root, English in /en/, each with an index of its own), splits
the index into chunks and has the reader's browser fetch only those that a query needs.

What is indexed: the article of a page (`data-pagefind-body`, set in overrides/main.html on every
page but those whose front matter says `search: exclude: true`), without the edit button, the facts
under the text and the headings' permalinks (EXCLUDED). The header's field (overrides/partials/
search.html with docs/assets/search.js) asks the index; Pagefind's own files stay in pagefind/.

Words never run together in the index or an excerpt: the site's HTML has no whitespace between
tags, and Pagefind reads some elements that break text (a term and its description, a label, an
option, spans set apart by style) as inline ones: "<dt>Tid</dt><dd>2 tim</dd>" was read as "Tid2 tim". It
therefore reads a copy of the pages (`readable`) in which such elements end with a space, a term
with a colon and a description with a full stop ("Tid: 2 tim."); the pages served stay as built.

Nothing here imports MkDocs: it runs the `pagefind` program (PyPI `pagefind-bin`) on a folder.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

FOLDER = "pagefind"
# Inside a page's article, but no part of its text: the edit button, the facts and links under the
# text (handbook/templates/links/facts.html), and the "¶" permalink after every heading.
EXCLUDED = (".md-content__button", ".vi-page-facts", ".vi-page-links", ".headerlink")


# Elements that end a piece of text, after which a space goes; <br> too, and a span beside a span.
_BREAKS = re.compile(r"</(?:p|div|h[1-6]|li|dt|dd|td|th|tr|caption|figcaption|summary|legend|label|option|button"
                     r"|section|header|footer|table|ul|ol|dl|blockquote|figure|details|nav|aside|pre)>|<br\s*/?>"
                     r"|</span>(?=<span)", re.I)  # spans side by side: parts set apart by style (a bar's label, its value)
_TERM_END = re.compile(r"(?<![:.!?])</dt>", re.I)
_DESCRIPTION_END = re.compile(r"(?<![:.!?])</dd>", re.I)


def readable(html: str) -> str:
    """A page as Pagefind should read it: a space after every element that ends a piece of text, a colon
    after a term (<dt>) and a full stop after its description (<dd>), unless they end in one already."""
    html = _DESCRIPTION_END.sub(".</dd>", _TERM_END.sub(":</dt>", html))
    return _BREAKS.sub(lambda match: match.group(0) + " ", html)


_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"')
_MARKED = ' data-pagefind-body>'


def _article(page: str) -> str | None:
    """The page as Pagefind needs it: its language and its marked article, read with the breaks
    (`readable`); None when it marks no article. Pagefind then parses a tenth of each page (the
    header and the menus are most of it), which halves its time at 1500 organisations."""
    at = page.find(_MARKED)
    start = page.rfind("<article", 0, at) if at >= 0 else -1
    end = page.find("</article>", at)
    if start < 0 or end < 0:
        return None
    lang = _LANG.search(page)
    return (f'<!doctype html><html lang="{lang.group(1) if lang else ""}"><head></head><body>'
            f"{readable(page[start:end + len('</article>')])}</body></html>")


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def program() -> str:
    from pagefind_bin import get_executable

    return str(get_executable())


def index(site_dir: Path) -> str | None:
    """Index the built site in `site_dir` (one edition) into `site_dir/pagefind/`.

    None when it went well, else the indexer's own last lines (what went wrong)."""
    site_dir = Path(site_dir).resolve()
    copy = site_dir.with_name(f".{site_dir.name}-search-{os.getpid()}")
    shutil.rmtree(copy, ignore_errors=True)
    try:
        whole = []  # pages without a marked article: indexed whole if no page marks one (a bare site)
        marked = False
        for page in site_dir.rglob("*.html"):
            relative = page.relative_to(site_dir)
            if relative.parts[0] == FOLDER or relative.as_posix() == "404.html":  # the page for a wrong address
                continue
            text = page.read_text(encoding="utf-8")
            article = _article(text)
            if article is None:
                whole.append((relative, text))
                continue
            marked = True
            _write(copy / relative, article)
        for relative, text in [] if marked else whole:
            _write(copy / relative, readable(text))
        done = subprocess.run([program(), "--site", str(copy), "--output-path", str(site_dir / FOLDER),
                               "--exclude-selectors", ", ".join(EXCLUDED), "--silent"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    except (OSError, UnicodeDecodeError, ImportError, subprocess.SubprocessError) as error:
        return str(error)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        said = " ".join(line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip())
        return said[-500:] or f"exit status {done.returncode}"
    return None
