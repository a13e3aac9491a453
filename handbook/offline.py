"""The offline copy: the whole built site (both editions) as a zip archive that works opened from files.

`python -m handbook offline` (`make offline`) reads the built `site/` and writes
`site/offline/vagar-in.zip`. The archive holds one folder, `vagar-in/`, whose `index.html` opens the
Swedish edition (`en/index.html` the English one). A page read from a file cannot do what the
published site does, so the copy differs from it in these ways, and only these:

- Links to a folder (`href="metoder/"`, `href="/metoder/"`, `href=".."`) name its `index.html`, with
  their `#anchor` and `?query` kept: a browser shows a folder listing, not a page, for a folder. Links
  in the tools' page data (`"url": "../x/"` in a page's JSON) are rewritten the same way.
- Data the tools fetch (`data-src="katalog.json"`) cannot be fetched from a `file://` page: each such
  file has a script beside it (`katalog.js`) that hands the same data to the page's script, which
  loads it with a script tag when the page is read from a file.
- The search: Pagefind's module and index chunks cannot be loaded from files either. Each edition gets
  a small index of its own (`assets/search-offline.js`: title, headings, the start of the text and
  the words of every page the site search indexes), which `assets/search.js` searches when the page is
  read from a file, with the same result markup. Pagefind's own files are left out of the copy.
- Every page says which day the copy is from (a line at the top of its text, styled at the end of the
  copy's `assets/handbook.css`); the head's hreflang links, for search engines, are left out; and its
  Content-Security-Policy names the `file:` scheme beside `'self'` (scripts still only from files of
  the copy and by the hashes of the theme's inline scripts: never `'unsafe-inline'`).

The build writes a placeholder where the archive is offered (the `offline_download()` macro, on the
start page and the open-data page of each edition): an HTML comment, so a site without an archive shows
no dead link. `fill` puts the link and the archive's size there once the archive is made.

Nothing here imports MkDocs: it reads and writes files of a built site.
"""
from __future__ import annotations

import datetime
import html as _html
import json
import os
import posixpath
import re
import shutil
import sys
import time
import unicodedata
import zipfile
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from . import history, messages, reading, registry, search
from .reading import script_hashes
from .templating import environment

ARCHIVE = "offline/vagar-in.zip"
FOLDER = "vagar-in"          # the one folder in the archive
INDEX_SCRIPT = "assets/search-offline.js"
STYLE = "assets/handbook.css"   # the copy's date line is styled at the end of it
START = "<!--vi-offline-download-->"
END = "<!--/vi-offline-download-->"
_SLOT = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
EDITIONS = {"": "sv", "en": "en"}
LEFT_OUT = ("pagefind", "offline")   # folders of an edition the copy does without


@registry.macro
def offline_download(handbook, lang: str = "sv") -> str:
    """Where the offline archive is offered: empty until `make offline` has made the archive."""
    return START + END


# Texts ------------------------------------------------------------------------------------------

def _texts(lang: str):
    return environment(lang).get_template("offline/texts.html").module


def long_date(day: datetime.date, lang: str) -> str:
    """"2 december 2026" (the month in the page's language)."""
    months = _texts(lang).months
    return f"{day.day} {months[day.month - 1]} {day.year}"


def size_text(size: int, lang: str) -> str:
    """The archive's size as a reader reads it: "4,2 MB" (sv), "4.2 MB" (en), "850 kB" under 1 MB."""
    if size < 1_000_000:
        number = f"{max(1, round(size / 1000))} kB"
    else:
        number = f"{size / 1_000_000:.1f} MB"
    return number.replace(".", ",") if lang == "sv" else number


# Links ------------------------------------------------------------------------------------------

_TAG = re.compile(r"<(a|link|script|img|source|area|form)\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")', re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_JSON_SCRIPT = re.compile(r'(<script type="application/json"[^>]*>)(.*?)(</script>)', re.S)
_JSON_URL = re.compile(r'("(?:url|href)"\s*:\s*")([^"]*)(")')


@lru_cache(maxsize=4096)
def _relative(target: str, here: str) -> str:
    return posixpath.relpath(target, here)


class Site:
    """The files of a site copy: which paths are folders, and the published address (to make its own
    absolute links relative)."""

    def __init__(self, root: Path, published: str = "") -> None:
        self.root = root
        self.folders = {""}
        for folder, names, _files in os.walk(root):
            relative = Path(folder).relative_to(root).as_posix()
            for name in names:
                self.folders.add(posixpath.join(relative, name) if relative != "." else name)
        self.published = published.rstrip("/") + "/" if published else ""
        self._done: dict[tuple[str, str], str] = {}

    def link(self, value: str, page: str) -> str:
        """One link of the page at `page` (a path in the site such as "metoder/index.html") as the copy
        needs it: a folder's index.html named, a root-relative or published address made relative."""
        key = (value, posixpath.dirname(page))
        if key not in self._done:  # the menus' links are the same on every page of a folder
            self._done[key] = self._link(value, page)
        return self._done[key]

    def _link(self, value: str, page: str) -> str:
        raw = _html.unescape(value)
        if self.published and raw.startswith(self.published):
            raw = "/" + raw[len(self.published):]
        if not raw or raw.startswith("#") or raw.startswith("//") or _SCHEME.match(raw):
            return value
        match = re.match(r"([^?#]*)(.*)", raw, re.S)
        path, rest = match.group(1), match.group(2)
        if not path:
            return value            # "?q=1" or "#x": this page
        here = posixpath.dirname(page)
        target = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(here, path))
        if target == ".":
            target = ""
        if target.startswith("../") or target == "..":
            return value            # outside the copy: left as it is
        if path.endswith("/") or target in self.folders:
            target = posixpath.join(target, "index.html") if target else "index.html"
        elif not path.startswith("/") and path == posixpath.normpath(path) and raw == value:
            return value            # a file, already relative: unchanged
        new = _relative(target, here or ".")
        return _html.escape(new + rest, quote=True)

    def links(self, page_html: str, page: str) -> str:
        def tag(match: re.Match) -> str:
            text = match.group(0)
            if match.group(1).lower() == "link" and re.search(r'\srel="(?:canonical|alternate)"', text):
                return text         # the published page's address and its language versions: kept whole
            return _ATTRIBUTE.sub(lambda a: a.group(1) + self.link(a.group(2), page) + a.group(3), text)

        def data(match: re.Match) -> str:
            body = _JSON_URL.sub(lambda u: u.group(1) + self.link(u.group(2), page) + u.group(3), match.group(2))
            return match.group(1) + body + match.group(3)

        return _JSON_SCRIPT.sub(data, _TAG.sub(tag, page_html))


# The search index -------------------------------------------------------------------------------

_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_WORD = re.compile(r"\w+", re.U)
EXCERPT = 220   # characters of a page's text kept to show under its title


def fold(text: str) -> str:
    """Lower case without accents, as the offline search compares words (search.js folds the query so)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Text(HTMLParser):
    """The text of a page's article, without what the site search leaves out (search.EXCLUDED; the
    elements it marks data-pagefind-ignore are cut before), and its h1-h3 headings."""

    SKIP = tuple(name.lstrip(".") for name in search.EXCLUDED)
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.headings: list[str] = []
        self.title = ""
        self._skip = 0
        self._stack: list[bool] = []
        self._heading: list[str] | None = None
        self._level = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = any(name in classes for name in self.SKIP) or tag in ("script", "style", "template")
        self._stack.append(skipped)
        if skipped:
            self._skip += 1
        if tag in ("h1", "h2", "h3") and self._heading is None and not self._skip:
            self._heading, self._level = [], tag

    def handle_endtag(self, tag):
        if tag in self.VOID or not self._stack:
            return
        if self._stack.pop():
            self._skip -= 1
        if tag == self._level and self._heading is not None:
            text = " ".join("".join(self._heading).split())
            if text:
                if self._level == "h1" and not self.title:
                    self.title = text
                else:
                    self.headings.append(text)
            self._heading, self._level = None, ""

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


def page_entry(page_html: str, url: str) -> list | None:
    """[url, title, headings, excerpt, words] of one page, None when the site search leaves it out."""
    at = page_html.find(search._MARKED)
    start = page_html.rfind("<article", 0, at) if at >= 0 else -1
    end = page_html.find("</article>", at)
    if start < 0 or end < 0:
        return None
    parser = _Text()
    parser.feed(search.readable(search.without_ignored(page_html[start:end + len("</article>")])))
    parser.close()
    text = " ".join("".join(parser.parts).split())
    title = parser.title or _html.unescape((_TITLE.search(page_html) or [None, url])[1]).strip()
    if text.startswith(title):
        text = text[len(title):].lstrip(" ¶")
    excerpt = text[:EXCERPT].rsplit(" ", 1)[0] if len(text) > EXCERPT else text
    words = sorted({fold(word) for word in set(_WORD.findall(" ".join([title, " ".join(parser.headings), text]).lower()))})
    return [url, title, " · ".join(parser.headings[:12]), excerpt, " ".join(words)]


def index_script(entries: list[list], lang: str = "sv") -> str:
    """The offline index as a script that sets a global (a page read from a file may load a script,
    but not fetch a file), with the note the search shows under its count in the copy."""
    data = json.dumps({"note": str(_texts(lang).search_note),
                       "fields": ["url", "title", "headings", "excerpt", "words"], "pages": entries},
                      ensure_ascii=False, separators=(",", ":"))
    return f"window.viOfflineSearch = {data};\n"


def data_script(data: str) -> str:
    """A fetched JSON file as a script: the page's script reads it by the script's own address."""
    return ("(window.viOfflineData = window.viOfflineData || {})[document.currentScript.src] = "
            f"{data.strip()};\n")


# Pages ------------------------------------------------------------------------------------------

_ARTICLE = re.compile(r'<article class="md-content__inner[^>]*>')
_BODY = re.compile(r"<body[^>]*>", re.I)
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')
_DATA_SRC = re.compile(r'\sdata-src="([^"]*\.json)"')
# The head's language versions of a page are for search engines, which never read the copy.
_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def csp(page_html: str) -> str:
    """The site's policy (handbook.reading.csp) for a copy read from files: the `file:` scheme beside
    'self' (a browser that gives every file an origin of its own would refuse the copy's scripts and
    styles by 'self' alone), no WebAssembly (the copy's search is a plain script), no connections."""
    scripts = " ".join(["'self'", "file:"] + script_hashes(page_html))
    return ("default-src 'self' file:; "
            f"script-src {scripts}; "
            "style-src 'self' file: 'unsafe-inline'; img-src 'self' file: data:; font-src 'self' file: data:; "
            "connect-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'")


def with_csp(page_html: str) -> str:
    return reading.with_csp(page_html, csp)


def edition_of(page: str) -> str:
    first = page.split("/", 1)[0]
    return first if first in EDITIONS and first and "/" in page else ""


def offline_page(page_html: str, page: str, site: Site, day: datetime.date) -> str:
    """One page of the copy (its path in the site: "metoder/index.html")."""
    edition = edition_of(page)
    lang = EDITIONS[edition]
    texts = _texts(lang)
    current = _CANONICAL.search(page_html)
    line = str(texts.date_line(long_date(day, lang), _html.unescape(current.group(1)) if current else ""))
    page_html = site.links(page_html, page)
    page_html = _SLOT.sub("", page_html)
    article = _ARTICLE.search(page_html) or _BODY.search(page_html)
    if article is not None:
        page_html = page_html[:article.end()] + line + page_html[article.end():]
    page_html = _ALTERNATE.sub("", page_html)
    return with_csp(tight(page_html))


_BLOCK = ("html|head|body|div|p|ul|ol|li|nav|header|footer|main|section|article|aside|h[1-6]|table|thead|tbody|tr"
          "|td|th|form|fieldset|legend|details|summary|dl|dt|dd|select|option|meta|link|title")
_BLOCK_BREAK = re.compile(r"(?P<keep><(?P<tag>pre|textarea|script|style)\b.*?</(?P=tag)>)"
                          r"|(?P<block></?(?:" + _BLOCK + r")\b[^>]*>)\n(?=<)|>\n(?=</?(?:" + _BLOCK + r")\b)", re.S | re.I)


def tight(page_html: str) -> str:
    """The page without the line breaks beside the start or end of a block (or in the head), which no
    reader sees, so that the copy's pages, whose links are longer, stay as small as the site's (100 KB
    at most). Inside pre, textarea, script and style every character stays."""
    return _BLOCK_BREAK.sub(lambda m: m.group("keep") or m.group("block") or ">", page_html)


# The copy and the archive -----------------------------------------------------------------------

STYLE_TEXT = """/* The offline copy's date line (handbook/offline.py). */
.vi-offline-line { margin: 0 0 1em; padding: .4em .7em; border-left: .25em solid #3f51b5; background: #eef0fa;
  color: #1a1a1a; font-size: .8rem; }
.vi-offline-line a { color: #283593; text-decoration: underline; }
@media print { .vi-offline-line { border: 0; background: none; padding: 0; } }
"""


def say(message: str, out=None) -> None:
    print(message, file=out or sys.stdout, flush=True)


WORKERS = 2   # pages are rewritten in parallel on this many processes (the machine's cores, at most)
_WORKER: dict = {}


def _start_worker(site: Site, day: datetime.date) -> None:
    _WORKER.update(site=site, day=day)


def _rewrite_batch(batch: list[str]) -> list[tuple[str, str, list | None, list[str], bool]]:
    """Pages of the copy rewritten in place: (page, edition, its search entry or None, the data files it
    reads, whether it has the archive's placeholder)."""
    site, day = _WORKER["site"], _WORKER["day"]
    found = []
    for page in batch:
        path = site.root / page
        text = path.read_text(encoding="utf-8")
        edition = edition_of(page)
        entry = None
        if page != posixpath.join(edition, "404.html"):
            entry = page_entry(text, posixpath.relpath(page, edition or "."))
        sources = [posixpath.normpath(posixpath.join(posixpath.dirname(page), _html.unescape(src)))
                   for src in _DATA_SRC.findall(text)]
        path.write_text(offline_page(text, page, site, day), encoding="utf-8")
        found.append((page, edition, entry, sources, START in text))
    return found


def _gather(batch, indexes: dict, data_files: set, slots: list, done: int, total: int, out) -> int:
    for page, edition, entry, sources, slot in batch:
        if slot:
            slots.append(page)
        if entry is not None:
            indexes[edition].append(entry)
        data_files.update(sources)
        done += 1
        if done % 500 == 0:
            say(messages.message("cli.offline-progress", done=done, pages=total), out)
    return done


def make_copy(site_dir: Path, copy: Path, day: datetime.date, out=None) -> dict:
    """The offline copy of the built site in `site_dir`, written to `copy`; what it holds, counted."""
    site_dir = Path(site_dir)
    published = ""
    start = site_dir / "index.html"
    if start.exists():
        found = _CANONICAL.search(start.read_text(encoding="utf-8"))
        published = _html.unescape(found.group(1)) if found else ""

    def ignore(folder: str, names: list[str]) -> list[str]:
        """Left out: Pagefind's files, the archive itself, hidden files and the theme's source maps (a
        developer's tool, a sixth of the archive)."""
        relative = Path(folder).relative_to(site_dir)
        top = relative.parts in ((), ("en",))
        return [name for name in names if (top and name in LEFT_OUT) or name.startswith(".") or name.endswith(".map")]

    shutil.copytree(site_dir, copy, ignore=ignore)
    site = Site(copy, published)
    pages = sorted(path.relative_to(copy).as_posix() for path in copy.rglob("*.html"))
    say(messages.message("cli.offline-pages", pages=len(pages)), out)
    indexes: dict[str, list] = {edition: [] for edition in EDITIONS}
    data_files: set[str] = set()
    slots: list[str] = []
    workers = max(1, min(WORKERS, (os.cpu_count() or 1), len(pages) // 200))
    batches = [pages[at:at + 100] for at in range(0, len(pages), 100)]
    done = 0
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(site, day)) as pool:
            results = pool.map(_rewrite_batch, batches)
            for batch in results:
                done = _gather(batch, indexes, data_files, slots, done, len(pages), out)
    else:
        _start_worker(site, day)
        for batch in batches:
            done = _gather(_rewrite_batch(batch), indexes, data_files, slots, done, len(pages), out)
    for name in sorted(data_files):
        source = copy / name
        if source.is_file():
            source.with_suffix(".js").write_text(data_script(source.read_text(encoding="utf-8")), encoding="utf-8")
    for edition, entries in indexes.items():
        folder = copy / edition
        if not (folder / "index.html").exists():
            continue
        (folder / INDEX_SCRIPT).parent.mkdir(parents=True, exist_ok=True)
        (folder / INDEX_SCRIPT).write_text(index_script(entries, EDITIONS[edition]), encoding="utf-8")
        style = folder / STYLE  # the date line's style, in the style sheet every page has
        if style.is_file():
            style.write_text(style.read_text(encoding="utf-8") + "\n" + STYLE_TEXT, encoding="utf-8")
    return {"pages": len(pages), "indexed": {e: len(v) for e, v in indexes.items()}, "data": sorted(data_files),
            "slots": slots}


def write_zip(copy: Path, archive: Path) -> int:
    """The copy zipped (deflate) into one folder, FOLDER; the archive's size in bytes."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.{os.getpid()}")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for path in sorted(copy.rglob("*")):
            if path.is_file():
                out.write(path, f"{FOLDER}/{path.relative_to(copy).as_posix()}")
    os.replace(partial, archive)
    return archive.stat().st_size


def fill(site_dir: Path, size: int, day: datetime.date, pages: list[str] | None = None) -> list[str]:
    """The download link, with the archive's size and date, where the build left a placeholder (in
    `pages`, paths in the site: every page when None); the pages filled."""
    filled = []
    if pages is None:
        pages = [path.relative_to(site_dir).as_posix() for path in sorted(Path(site_dir).rglob("*.html"))]
    for page in pages:
        path = Path(site_dir) / page
        if page.split("/", 1)[0] in LEFT_OUT or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if START not in text:
            continue
        lang = EDITIONS[edition_of(page)]
        href = posixpath.relpath(ARCHIVE, posixpath.dirname(page) or ".")
        link = str(_texts(lang).download(href, size_text(size, lang), long_date(day, lang)))
        path.write_text(_SLOT.sub(lambda _m: START + link + END, text), encoding="utf-8")
        filled.append(page)
    return filled


def build(site_dir: Path, day: datetime.date | None = None, out=None) -> dict:
    """The archive of the built site in `site_dir`: copy, index, zip, then the links in the pages."""
    site_dir = Path(site_dir).resolve()
    day = day or history.today()
    began = time.monotonic()
    work = site_dir.with_name(f".{site_dir.name}-offline-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        say(messages.message("cli.offline-start", site=site_dir), out)
        counted = make_copy(site_dir, work / FOLDER, day, out)
        say(messages.message("cli.offline-index", sv=counted["indexed"].get("", 0), en=counted["indexed"].get("en", 0),
                             data=", ".join(counted["data"]) or "-"), out)
        say(messages.message("cli.offline-zip", archive=site_dir / ARCHIVE), out)
        size = write_zip(work / FOLDER, site_dir / ARCHIVE)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    filled = fill(site_dir, size, day, counted["slots"])
    seconds = time.monotonic() - began
    lang = messages.language()
    say(messages.message("cli.offline-done", date=long_date(day, lang), archive=site_dir / ARCHIVE, size=size_text(size, lang),
                         pages=", ".join(filled) or "-", seconds=f"{seconds:.1f}".replace(".", "," if lang == "sv" else ".")),
        out)
    return {**counted, "size": size, "filled": filled, "seconds": seconds, "archive": site_dir / ARCHIVE}
