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
import tempfile
from pathlib import Path

FOLDER = "pagefind"
# Inside a page's article, but no part of its text: the edit button, the facts and links under the
# text (handbook/templates/links/facts.html), and the "¶" permalink after every heading.
EXCLUDED = (".md-content__button", ".vi-page-facts", ".vi-page-links", ".headerlink")


# Elements that end a piece of text, after which a space goes; <br> too, and a span beside a span.
_ENDING = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "tr", "caption", "figcaption",
           "summary", "legend", "label", "option", "button", "section", "header", "footer", "table", "ul", "ol", "dl",
           "blockquote", "figure", "details", "nav", "aside", "pre")
_BREAKS = re.compile(r"</(?:" + "|".join(_ENDING) + r")>|<br\s*/?>"
                     r"|</span>(?=<span)", re.I)  # spans side by side: parts set apart by style (a bar's label, its value)
_TERM_END = re.compile(r"(?<![:.!?])</dt>", re.I)
_DESCRIPTION_END = re.compile(r"(?<![:.!?])</dd>", re.I)
_UPPER_TAG = re.compile(r"<(?:/?[A-Z]|br\s+/?>|BR)")  # markup the quick path below does not know


def readable(html: str) -> str:
    """A page as Pagefind should read it: a space after every element that ends a piece of text, a colon
    after a term (<dt>) and a full stop after its description (<dd>), unless they end in one already.

    The site writes its tags in lower case (templates, Markdown, the sanitiser), so plain replacements
    put the spaces in, at a fifth of an expression's cost; markup written otherwise takes the expression."""
    html = _DESCRIPTION_END.sub(".</dd>", _TERM_END.sub(":</dt>", html))
    if _UPPER_TAG.search(html):
        return _BREAKS.sub(lambda match: match.group(0) + " ", html)
    for tag in _ENDING:
        html = html.replace(f"</{tag}>", f"</{tag}> ")
    return html.replace("<br>", "<br> ").replace("<br/>", "<br/> ").replace("</span><span", "</span> <span")


_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"')
_MARKED = ' data-pagefind-body>'
_IGNORED = "data-pagefind-ignore"
_IGNORED_START = re.compile(r"<([a-z][a-z0-9]*)\b[^<>]*?\s" + _IGNORED + r'(?:="(?:all|index)")?[\s>/]')


def without_ignored(html: str) -> str:
    """The HTML without the elements marked `data-pagefind-ignore` (an organisation's contact details,
    its contact people, quality profile and sources: handbook/templates/directory/organisation.html).
    Pagefind would skip them itself, but still read them: cut from the copy it reads, they no longer cost
    it a third of its time at 1500 organisations. An element ends at its own closing tag, past any of
    the same name inside it; one never closed goes to the end."""
    if _IGNORED not in html:
        return html
    kept, at = [], 0
    while (start := _IGNORED_START.search(html, at)) is not None:
        kept.append(html[at:start.start()])
        tags = re.compile(rf"<(/?){start.group(1)}[\s>/]")
        depth, at = 1, start.end()
        while depth and (tag := tags.search(html, at)) is not None:
            depth += -1 if tag.group(1) else 1
            at = html.find(">", tag.start()) + 1 or len(html)
        if depth:
            at = len(html)
    kept.append(html[at:])
    return "".join(kept)


def _article(page: str) -> str | None:
    """The page as Pagefind needs it: its language and its marked article, read with the breaks
    (`readable`), without what it leaves out (`without_ignored`); None when it marks no article.
    Pagefind then parses a tenth of each page (the header and the menus are most of it), which halves
    its time at 1500 organisations."""
    at = page.find(_MARKED)
    start = page.rfind("<article", 0, at) if at >= 0 else -1
    end = page.find("</article>", at)
    if start < 0 or end < 0:
        return None
    lang = _LANG.search(page)
    return (f'<!doctype html><html lang="{lang.group(1) if lang else ""}"><head></head><body>'
            f"{readable(without_ignored(page[start:end + len('</article>')]))}</body></html>")


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


# The copy goes to a folder in memory when the system has one with room to spare (writing and removing
# 1500 small files there costs a third of what it does on a disk), else beside the site.
MEMORY = Path("/dev/shm")


def _scratch(site_dir: Path, size: int) -> Path:
    """A new empty folder for a copy of about `size` characters."""
    try:
        if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) and shutil.disk_usage(MEMORY).free > 4 * size + 2 ** 26:
            return Path(tempfile.mkdtemp(prefix=f"vagar-in-{site_dir.name}-search-", dir=MEMORY))
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-search-", dir=site_dir.parent))


def program() -> str:
    from pagefind_bin import get_executable

    return str(get_executable())


def index(site_dir: Path) -> str | None:
    """Index the built site in `site_dir` (one edition) into `site_dir/pagefind/`.

    None when it went well, else the indexer's own last lines (what went wrong)."""
    site_dir = Path(site_dir).resolve()
    copy = None
    try:
        copies = []  # (path, what Pagefind reads)
        whole = []  # pages without a marked article: indexed whole if no page marks one (a bare site)
        for page in site_dir.rglob("*.html"):
            relative = page.relative_to(site_dir)
            if relative.parts[0] == FOLDER or relative.as_posix() == "404.html":  # the page for a wrong address
                continue
            text = page.read_text(encoding="utf-8")
            article = _article(text)
            if article is None:
                whole.append((relative, text))
            else:
                copies.append((relative, article))
        copies = copies or [(relative, readable(text)) for relative, text in whole]
        copy = _scratch(site_dir, sum(len(text) for _, text in copies))
        for relative, text in copies:
            _write(copy / relative, text)
        done = subprocess.run([program(), "--site", str(copy), "--output-path", str(site_dir / FOLDER),
                               "--exclude-selectors", ", ".join(EXCLUDED), "--silent"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    except (OSError, UnicodeDecodeError, ImportError, subprocess.SubprocessError) as error:
        return str(error)
    finally:
        if copy is not None:
            shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        said = " ".join(line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip())
        return said[-500:] or f"exit status {done.returncode}"
    return None


def main(argv: list[str] | None = None) -> int:
    """`python -m handbook.search SITE_DIR`: index one built edition (the live server runs it after an
    edit, at a lower priority, and stops it when another edit comes). Ends with 0, or 1 and what went wrong
    on the error stream; stopped with SIGTERM, it leaves no copy of the pages behind."""
    import signal
    import sys

    def stopped(signum, frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, stopped)
    args = list(sys.argv[1:] if argv is None else argv)
    problem = index(Path(args[0]))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
