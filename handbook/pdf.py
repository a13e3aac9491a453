"""`make pdf`: PDFs of the built site, printed by headless Chromium, and the download links to them.

Three levels, in each edition (`site/` and `site/en/`), written into the edition's `pdf/` folder:

- a page on its own: every method card (`pdf/metoder/<id>/kort.pdf`) and every module's handout
  (`pdf/handledarutbildning/<id>/deltagarblad.pdf`), printed from the page itself with the site's
  print styles (`docs/assets/print.css` and the areas' own print rules);
- a section (`pdf/kvalitetsmodell.pdf`, `handledarutbildning.pdf`, `metoder.pdf`, `arbetspaket.pdf`)
  and the whole handbook (`pdf/vagar-in.pdf`): one document assembled from the built pages' articles,
  in the order their start pages link them, each page on a new sheet, behind a title and a table of
  contents. Every id is given its page's prefix, so a link from one page to another in the document
  becomes a link inside the PDF; a link to a page that is not in it keeps only its text (or, with a
  site address, leads to the site). The document is printed twice: the first print tells on which
  sheet each page starts, and the second writes those numbers into the table of contents.

Every sheet has the handbook's name, the address, the date and "page n of m" in its footer.
Two browsers print at once (one per core), each in its own process, from a small local web server
that serves the built site. Then each page's empty `vi-pdf` element (the `pdf_slot` macro of
`handbook/templates/_macros.html`) becomes a link to its PDF with the file's size, or stays empty and
hidden when there is no such PDF. The build itself is not touched and does not get slower.

The package never imports MkDocs; this module needs Playwright and a Chromium (Debian's by default).
"""
from __future__ import annotations

import datetime
import functools
import http.server
import multiprocessing
import os
import posixpath
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from html import escape, unescape
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from . import messages
from .pages import PDF_HANDBOOK, PDF_SECTIONS
from .templating import render_template

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
NAME = "Vägar in"
FOOTER_MARGIN = {"top": "12mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# Pages that are tools to use on screen, not text to print in a section (their print is their own).
TOOLS = {"kvalitetsmodell/sjalvskattning/", "handledarutbildning/kursplanerare/"}


# ---- What to print -------------------------------------------------------------------------------

@dataclass
class Job:
    """One PDF: `pages` (addresses under the edition's root, such as "metoder/x/"); `single`: printed
    from the page itself; otherwise assembled, with `depths` (0: a section's start page)."""
    lang: str
    edition: str          # "" or "en/": the edition's folder under site/
    output: str           # the PDF's path under the edition's root
    title: str
    pages: list[str]
    single: bool = False
    depths: list[int] = field(default_factory=list)
    address: str = ""     # the address shown in the footer


def _article(html: str) -> str:
    """The page's own article (overrides/main.html), inner HTML, or "" when there is none."""
    start = re.search(r'<article class="md-content__inner md-typeset"[^>]*>', html)
    if not start:
        return ""
    depth, i = 1, start.end()
    for tag in re.finditer(r"<(/?)article\b[^>]*>", html[i:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[i:i + tag.start()]
    return html[i:]


def _title(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", _article(html), re.S)
    text = re.sub(r"<[^>]+>", "", found.group(1)) if found else ""
    return unescape(text).replace("¶", "").strip()


class Edition:
    """One built edition: its folder, its pages and where they link."""

    def __init__(self, site: Path, lang: str):
        self.lang, self.edition = lang, ("" if lang == "sv" else f"{lang}/")
        self.root = site / self.edition if self.edition else site
        self._html: dict[str, str] = {}

    def exists(self, url: str) -> bool:
        return (self.root / url / "index.html").is_file()

    def html(self, url: str) -> str:
        if url not in self._html:
            self._html[url] = (self.root / url / "index.html").read_text(encoding="utf-8")
        return self._html[url]

    def title(self, url: str) -> str:
        return _title(self.html(url))

    def links(self, url: str, prefix: str) -> list[str]:
        """The pages under `prefix` that the page's article links to, in order, once each."""
        found: list[str] = []
        for href in re.findall(r'href="([^"#]*)(?:#[^"]*)?"', _article(self.html(url))):
            target = self.resolve(url, unescape(href))
            if target and target.startswith(prefix) and target != url and target not in found and self.exists(target):
                found.append(target)
        return found

    def resolve(self, url: str, href: str) -> str | None:
        """The page address (under the edition's root) an href on page `url` leads to, or None."""
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//"):
            return None
        path = urlsplit(urljoin("/" + url, href)).path
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if not path.endswith("/"):
            return None  # a file: a download, not a page
        path = posixpath.normpath(path).lstrip("/")
        path = "" if path == "." else path + "/"
        return path

    def glob(self, pattern: str) -> list[str]:
        return sorted(str(p.parent.relative_to(self.root)) + "/" for p in self.root.glob(pattern + "/index.html"))


def _section_pages(ed: Edition, section: str) -> list[tuple[str, int]]:
    """A section's pages, (address, depth), in the order its start page links them."""
    start = f"{section}/"
    if not ed.exists(start):
        return []
    pages = [(start, 0)]
    linked = [u for u in ed.links(start, start) if u not in TOOLS]
    if section == "handledarutbildning":
        material = f"{start}material/"
        for url in linked:
            if url.startswith(material):
                continue
            pages.append((url, 1))
            if ed.exists(f"{url}deltagarblad/"):
                pages.append((f"{url}deltagarblad/", 2))
        if ed.exists(material):
            pages.append((material, 1))
            pages += [(u, 2) for u in ed.links(material, material)]
    elif section == "metoder":
        pages += [(u, 1) for u in linked if not u.endswith("/kort/")]
    else:
        pages += [(u, 1) for u in linked]
    # Pages the start page does not link (a method only the filter lists): at the end, not lost.
    seen = {u for u, _ in pages}
    more = [u for u in ed.glob(f"{section}/*") if u not in seen and u not in TOOLS]
    if section == "metoder":
        more = [u for u in more if not u.endswith("/kort/")]
    return pages + [(u, 1) for u in more]


def _handbook_pages(ed: Edition) -> list[tuple[str, int]]:
    """The whole handbook: the start page, the pages in the theme's menu order, each section whole.
    The directory's organisation pages and the tools stay on the site."""
    pages: list[tuple[str, int]] = [("", 0)] if ed.exists("") else []
    for url in _menu(ed):
        section = url.split("/")[0]
        if section in PDF_SECTIONS and url == f"{section}/":
            pages += _section_pages(ed, section)
        elif url not in TOOLS and url.split("/")[0] not in PDF_SECTIONS and url not in {u for u, _ in pages}:
            pages.append((url, 0 if url.count("/") == 1 else 1))
    return pages


def _menu(ed: Edition) -> list[str]:
    """The pages of the theme's primary menu, in order (the start page's sidebar)."""
    html = ed.html("")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', html, re.S)
    found: list[str] = []
    for href in re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]*)"|href="([^"]*)"[^>]*class="md-nav__link',
                           nav.group(0) if nav else html):
        href = href[0] or href[1]
        target = ed.resolve("", unescape(href))
        if target and target not in found and ed.exists(target):
            found.append(target)
    return [u for u in found if u]


def jobs(site: Path) -> list[Job]:
    """Every PDF of the built site, the largest first (so both browsers end at about the same time)."""
    found: list[Job] = []
    for lang in ("sv", "en"):
        ed = Edition(site, lang)
        if not ed.exists(""):
            continue
        base = "/" + ed.edition
        for url in ed.glob("metoder/*/kort") + ed.glob("handledarutbildning/*/deltagarblad"):
            found.append(Job(lang, ed.edition, f"pdf/{url.strip('/')}.pdf", ed.title(url), [url], single=True,
                             address=base + url))
        for section in PDF_SECTIONS:
            pages = _section_pages(ed, section)
            if pages:
                found.append(Job(lang, ed.edition, f"pdf/{section}.pdf", ed.title(f"{section}/"), [u for u, _ in pages],
                                 depths=[d for _, d in pages], address=f"{base}{section}/"))
        pages = _handbook_pages(ed)
        found.append(Job(lang, ed.edition, f"pdf/{PDF_HANDBOOK}.pdf", "",
                         [u for u, _ in pages], depths=[d for _, d in pages], address=base))
    return sorted(found, key=lambda job: -len(job.pages))


# ---- One document of many pages ------------------------------------------------------------------

_ID_ATTRS = re.compile(r'\b(id|for|headers|aria-labelledby|aria-describedby|aria-controls|aria-owns|list|form)="([^"]*)"')
_HREF = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>')
_SRC = re.compile(r'\b(src|data-src)="([^"]*)"')


def page_id(index: int) -> str:
    return f"vi-p{index}"


def assemble(ed: Edition, job: Job, site_url: str = "", numbers: list[int] | None = None, date: str = "") -> str:
    """The job's pages as one HTML document (document.html), links between them made internal."""
    where = {url: page_id(i) for i, url in enumerate(job.pages)}
    articles = []
    for i, url in enumerate(job.pages):
        prefix = page_id(i)
        body = _article(ed.html(url))
        body = _ID_ATTRS.sub(lambda m: f'{m.group(1)}="' + " ".join(f"{prefix}-{t}" for t in m.group(2).split()) + '"', body)

        def link(m: re.Match, url=url, prefix=prefix) -> str:
            before, href, after = m.group(1), unescape(m.group(2)), m.group(3)
            if href.startswith("#"):
                return f'<a{before}href="#{prefix}-{escape(href[1:])}"{after}>' if len(href) > 1 else f"<a{before}{after}>"
            if re.match(r"^(https?|mailto):", href, re.I):
                return m.group(0)
            target = ed.resolve(url, href)
            fragment = urlsplit(href).fragment
            if target is not None and target in where:
                return f'<a{before}href="#{where[target]}' + (f"-{escape(fragment)}" if fragment else "") + f'"{after}>'
            if site_url:
                absolute = urljoin(site_url.rstrip("/") + "/" + url, href)
                return f'<a{before}href="{escape(absolute)}"{after}>'
            return f"<a{before}{after}>"  # a page or file that is not in the document: its text only

        body = _HREF.sub(link, body)
        body = _SRC.sub(lambda m, url=url: f'{m.group(1)}="{escape(urljoin("/" + ed.edition + url, unescape(m.group(2))))}"', body)
        depth = job.depths[i] if job.depths else 0
        articles.append(f'<article class="md-content__inner md-typeset vi-pdf-page vi-pdf-page--{depth}" id="{prefix}">{body}</article>')
    titles = [ed.title(url) for url in job.pages]
    pages = [(page_id(i), titles[i], job.depths[i] if job.depths else 0, (numbers or [None] * len(job.pages))[i])
             for i in range(len(job.pages))]
    stylesheets = _stylesheets(ed, job.pages)
    return render_template("pdf/document.html", ed.lang, title=job.title, stylesheets=stylesheets,
                           pages=pages, body=Markup("\n".join(articles)), handbook_name=NAME, whole=not job.title,
                           address=site_url or job.address, date=date)


def destinations(data: bytes) -> dict[str, int]:
    """The PDF's named destinations (Chromium names one after each id a link leads to): the sheet
    (1-based) each is on."""
    from pypdf import PdfReader
    reader = PdfReader(BytesIO(data))
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def _stylesheets(ed: Edition, urls: list[str]) -> list[str]:
    """Every stylesheet any of the pages loads (an area's loads only in its section), in their order."""
    found: list[str] = []
    for url in urls:
        sheets = [urljoin("/" + ed.edition + url, unescape(s)) for s in re.findall(r'<link rel="stylesheet" href="([^"]+)"', ed.html(url))]
        for n, sheet in enumerate(sheets):
            if sheet in found:
                continue
            later = [s for s in sheets[n + 1:] if s in found]
            found.insert(found.index(later[0]) if later else len(found), sheet)
    return found


def start_pages(data: bytes, count: int) -> list[int | None]:
    """On which sheet (1-based) each of the document's `count` pages starts (None: not found)."""
    found = destinations(data)
    return [found.get(page_id(i)) for i in range(count)]


# ---- Printing ------------------------------------------------------------------------------------

class _Site(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no line per request
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # two browsers ask for a page's files at once


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """The built site at http://127.0.0.1:<port>/, in a thread of this process."""
    handler = functools.partial(_Site, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


_browser = None


def _start_browser() -> None:
    """One browser per worker process (the pool's initializer)."""
    global _browser
    from playwright.sync_api import sync_playwright
    _browser = sync_playwright().start().chromium.launch(executable_path=CHROMIUM)


def _drawn(page) -> None:
    """Wait until the article is there and the fonts are loaded."""
    page.wait_for_function("document.querySelector('article h1') !== null && document.fonts.status === 'loaded'")
    page.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))")


def sheet_texts(data: bytes) -> list[str]:
    """Each sheet's text, without the lines every sheet has (the footer, the page's address line)."""
    from pypdf import PdfReader
    texts = []
    for sheet in PdfReader(BytesIO(data)).pages:
        lines = (sheet.extract_text() or "").splitlines()
        texts.append("\n".join(line for line in lines if not line.strip().startswith(f"{NAME} · ")
                               and not re.fullmatch(r"\s*(Sida|Page) \d+ (av|of) \d+\s*", line)))
    return texts


def blank_sheets(data: bytes) -> list[int]:
    """The sheets (1-based) with no text of their own."""
    return [n for n, text in enumerate(sheet_texts(data), 1) if not text.strip()]


def _footer(lang: str, address: str, date: str) -> str:
    return render_template("pdf/footer.html", lang, handbook_name=NAME, address=address, date=date)


# The pages' own foot on paper (overrides/main.html: @page margin boxes) gives way to the PDF's, which
# has the date and the number of sheets in words.
_NO_PAGE_FOOT = "@page { @bottom-left { content: none } @bottom-right { content: none } }"


def print_job(job: Job, site: str, base: str, site_url: str, date: str) -> tuple[str, int, int, float]:
    """Print one job into its file: (path, sheets, bytes, seconds)."""
    started = time.monotonic()
    from pypdf import PdfReader
    context = _browser.new_context()
    try:
        page = context.new_page()
        options = dict(format="A4", print_background=True, prefer_css_page_size=True, display_header_footer=True,
                       header_template="<span></span>", footer_template=_footer(job.lang, site_url or job.address, date),
                       margin=FOOTER_MARGIN, outline=True, tagged=True)
        if job.single:
            for attempt in range(3):  # a page printed before it was drawn comes out blank: once more
                page.goto(base + job.edition + job.pages[0], wait_until="networkidle")
                page.add_style_tag(content=_NO_PAGE_FOOT)
                _drawn(page)
                data = page.pdf(**options)
                if not blank_sheets(data):
                    break
        else:
            ed = Edition(Path(site), job.lang)
            address = f"{base}{job.edition}__pdf__/{job.output}.html"
            html = [assemble(ed, job, site_url, None, date)]
            page.route(address, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html[0]))
            page.goto(address, wait_until="networkidle")
            page.add_style_tag(content=_NO_PAGE_FOOT)
            _drawn(page)
            data = page.pdf(**options)
            numbers = start_pages(data, len(job.pages))
            html[0] = assemble(ed, job, site_url, numbers, date)
            page.goto(address, wait_until="networkidle")
            page.add_style_tag(content=_NO_PAGE_FOOT)
            _drawn(page)
            data = page.pdf(**options)
    finally:
        context.close()
    target = Path(site) / job.edition / job.output
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.part")
    partial.write_bytes(data)
    partial.replace(target)
    return str(target), len(PdfReader(BytesIO(data)).pages), len(data), time.monotonic() - started


def _print(work: tuple) -> tuple[str, int, int, float]:
    return print_job(*work)


# ---- The download links --------------------------------------------------------------------------

_SLOT = re.compile(r'<(p|li|span) class="vi-pdf" data-pdf="([^"]*)" data-label="([^"]*)" data-size="([^"]*)"[^>]*>.*?</\1>', re.S)


def size_text(size: int, lang: str) -> str:
    """212 kB, 1,4 MB (1.4 MB in English)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    text = f"{size / 1_000_000:.1f} MB"
    return text.replace(".", ",") if lang == "sv" else text


def fill_links(site: Path) -> int:
    """Every page's PDF places filled with a link and the size, or emptied: how many links there are."""
    count = 0
    for lang in ("sv", "en"):
        ed = Edition(site, lang)
        if not ed.exists(""):
            continue
        for path in ed.root.rglob("index.html"):
            if lang == "sv" and path.relative_to(site).parts[0] == "en":
                continue
            html = path.read_text(encoding="utf-8")
            if 'class="vi-pdf"' not in html:
                continue

            def fill(m: re.Match, path=path, lang=lang) -> str:
                nonlocal count
                tag, file, label, size_label = m.groups()
                pdf = ed.root / unescape(file)
                head = f'<{tag} class="vi-pdf" data-pdf="{file}" data-label="{label}" data-size="{size_label}"'
                if not pdf.is_file():
                    return f"{head} hidden></{tag}>"
                count += 1
                href = posixpath.relpath(str(pdf.relative_to(ed.root)), str(path.parent.relative_to(ed.root)))
                size = escape(unescape(size_label).replace("{size}", size_text(pdf.stat().st_size, lang)))
                return f'{head}><a href="{escape(href)}" type="application/pdf" download>{label}</a> ({size})</{tag}>'

            filled = _SLOT.sub(fill, html)
            if filled != html:
                path.write_text(filled, encoding="utf-8")
    return count


# ---- The command ---------------------------------------------------------------------------------

def make(site: Path, workers: int = 2, site_url: str = "", out=sys.stdout, only=None) -> list[tuple[str, int, int, float]]:
    """Every PDF of the built `site` (or those jobs `only(job)` keeps), `workers` at a time, a line for
    each; then the download links."""
    todo = [job for job in jobs(site) if only is None or only(job)]
    date = datetime.date.today().isoformat()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    done: list[tuple[str, int, int, float]] = []
    try:
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, initializer=_start_browser) as pool:
            work = [(job, str(site), base, site_url, date) for job in todo]
            for n, (path, sheets, size, seconds) in enumerate(pool.imap_unordered(_print, work), 1):
                done.append((path, sheets, size, seconds))
                shown = os.path.relpath(path)
                print(f"[{n:>{len(str(len(todo)))}}/{len(todo)}] {shown}: {sheets} p., {size_text(size, 'en')}, {seconds:.1f} s",
                      file=out, flush=True)
    finally:
        server.shutdown()
        server.server_close()
    fill_links(site)
    return done


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m handbook.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="site", help="the built site (default: site)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(messages.message("cli.pdf-no-site", site=site), file=sys.stderr)
        return 1
    started = time.monotonic()
    print(messages.message("cli.pdf-start", count=len(jobs(site)), site=site, workers=args.workers), flush=True)
    try:
        done = make(site, args.workers, os.environ.get("HANDBOOK_SITE_URL", "").strip())
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 (a reader sees a sentence, not a traceback)
        print(messages.message("cli.pdf-failed", error=str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__),
              file=sys.stderr)
        return 1
    total = sum(size for _, _, size, _ in done)
    print(messages.message("cli.pdf-done", count=len(done), size=size_text(total, messages.language()),
                           seconds=f"{time.monotonic() - started:.0f}"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
