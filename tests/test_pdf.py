"""`make pdf` (handbook/pdf.py): the PDFs' text, their sheets, their links, and the download links.

The real site is built once for the session (conftest's real_site); this module prints a copy of it,
so the shared site stays as the build left it. It prints a few of the PDFs, not all 56 (a method
card, a module handout, the work packages section, each in both languages, and the whole Swedish
handbook: about a minute on two cores); `make pdf` prints the rest the same way.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from handbook import pdf

CARD = "metoder/{id}/kort/"
HANDOUT = "handledarutbildning/{id}/deltagarblad/"


def _first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern + "/index.html"))
    assert found, f"the built site has no {pattern}"
    return found[0].parent.parent.name


@pytest.fixture(scope="module")
def printed(real_site, tmp_path_factory):
    """A copy of the real site with some of its PDFs printed and its download links filled."""
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(real_site, site, ignore=shutil.ignore_patterns("pagefind"))
    method, module = _first(site, "metoder/*/kort"), _first(site, "handledarutbildning/*/deltagarblad")
    wanted = {f"pdf/metoder/{method}/kort.pdf", f"pdf/handledarutbildning/{module}/deltagarblad.pdf", "pdf/arbetspaket.pdf"}
    out = io.StringIO()
    done = pdf.make(site, 2, out=out, only=lambda job: job.output in wanted or (job.lang == "sv" and job.output == "pdf/vagar-in.pdf"))
    return {"site": site, "method": method, "module": module, "done": done, "log": out.getvalue(),
            "jobs": {(job.lang, job.output): job for job in pdf.jobs(site)}}


def reader(site: Path, lang: str, output: str) -> PdfReader:
    return PdfReader(site / ("" if lang == "sv" else f"{lang}/") / output)


def own_text(sheet) -> str:
    """A sheet's text without the lines every sheet has: the footer and the page's address line."""
    lines = (sheet.extract_text() or "").splitlines()
    return "\n".join(line for line in lines if not line.strip().startswith("Vägar in · ")
                     and not re.fullmatch(r"\s*(Sida|Page) \d+ (av|of) \d+\s*", line))


def squashed(text: str) -> str:
    """Text with its spaces and line breaks as single spaces and its ligatures (ﬁ) as letters."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def heading(site: Path, lang: str, url: str) -> str:
    """A page's h1 as the built page has it."""
    html = (site / ("" if lang == "sv" else f"{lang}/") / url / "index.html").read_text(encoding="utf-8")
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return squashed(unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("¶", ""))


def test_make_pdf_prints_a_line_for_each_pdf(printed):
    lines = printed["log"].splitlines()
    assert len(lines) == len(printed["done"]) == 7
    assert all(re.fullmatch(r"\[\s*\d+/7\] .+\.pdf: \d+ p\., [\d.,]+ [kM]B, [\d.]+ s", line) for line in lines), lines


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_method_card_is_one_sheet_with_its_heading(printed, lang):
    site, method = printed["site"], printed["method"]
    document = reader(site, lang, f"pdf/metoder/{method}/kort.pdf")
    assert len(document.pages) == 1
    assert heading(site, lang, CARD.format(id=method)) in squashed(document.pages[0].extract_text())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_handout_has_its_heading_and_no_sheet_without_text(printed, lang):
    site, module = printed["site"], printed["module"]
    document = reader(site, lang, f"pdf/handledarutbildning/{module}/deltagarblad.pdf")
    assert 1 <= len(document.pages) <= 2
    assert heading(site, lang, HANDOUT.format(id=module)) in squashed(document.pages[0].extract_text())
    assert [n for n, sheet in enumerate(document.pages, 1) if not own_text(sheet).strip()] == []


@pytest.mark.parametrize("lang, output", [("sv", "pdf/arbetspaket.pdf"), ("en", "pdf/arbetspaket.pdf"), ("sv", "pdf/vagar-in.pdf")])
def test_every_page_starts_on_the_sheet_its_table_of_contents_names(printed, lang, output):
    """Each page of the document is found, with its heading, on the sheet its entry leads to, and the
    table of contents prints that sheet's number; no sheet is without text of its own."""
    site, job = printed["site"], printed["jobs"][(lang, output)]
    document = reader(site, lang, output)
    starts = {str(name).lstrip("/"): document.get_destination_page_number(dest)
              for name, dest in document.named_destinations.items()}
    contents = squashed(" ".join(document.pages[n].extract_text() for n in range(starts[pdf.page_id(0)])))
    for i, url in enumerate(job.pages):
        sheet = starts[pdf.page_id(i)]
        title = heading(site, lang, url)
        assert title in squashed(document.pages[sheet].extract_text()), (url, sheet + 1)
        assert re.search(re.escape(title) + rf"\s*{sheet + 1}\b", contents), (url, sheet + 1)
    assert [n for n, sheet in enumerate(document.pages, 1) if not own_text(sheet).strip()] == []
    assert len(document.pages) >= len(job.pages) + 1


def test_the_whole_handbook_holds_the_sections_and_its_links_stay_inside(printed):
    site, job = printed["site"], printed["jobs"][("sv", "pdf/vagar-in.pdf")]
    for section in ("kvalitetsmodell/", "handledarutbildning/", "metoder/", "arbetspaket/", "om/"):
        assert section in job.pages
    assert f"metoder/{printed['method']}/" in job.pages and HANDOUT.format(id=printed["module"]) in job.pages
    document = reader(site, "sv", "pdf/vagar-in.pdf")
    names = {str(name) for name in document.named_destinations}
    pages = {page.indirect_reference.idnum for page in document.pages}
    internal = outside = 0
    for page in document.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            if "/Dest" in link:
                internal += 1
                dest = link["/Dest"]
                if isinstance(dest, str):
                    assert dest in names, dest
                    assert document.named_destinations[dest].page.idnum in pages
                else:
                    assert dest[0].idnum in pages
            else:
                outside += 1
                uri = link["/A"].get("/URI", "")
                assert re.match(r"^(https?|mailto):", uri), uri  # never a link to a file beside the PDF
    # the contents, and the links between pages in the text (a criterion's methods, a module's criteria)
    assert internal > 2 * len(job.pages)


def test_the_pages_offer_the_pdfs_made_with_their_sizes(printed):
    site, method, module = printed["site"], printed["method"], printed["module"]
    offered = {}
    for path in [site / "metoder" / method / "index.html", site / "handledarutbildning" / module / "index.html",
                 site / "arbetspaket" / "index.html", site / "om" / "index.html",
                 site / "en" / "metoder" / method / "index.html", site / "en" / "arbetspaket" / "index.html"]:
        html = path.read_text(encoding="utf-8")
        links = re.findall(r'class="vi-pdf"[^>]*><a href="([^"]+)"[^>]*>[^<]+</a> \(PDF, ([\d,.]+) (kB|MB)\)', html)
        assert len(links) == 1, path
        href, number, unit = links[0]
        target = (path.parent / href).resolve()
        assert target.is_file(), href
        shown = float(number.replace(",", ".")) * (1000 if unit == "kB" else 1_000_000)
        assert abs(shown - target.stat().st_size) <= (600 if unit == "kB" else 60_000), (href, number, unit)
        offered[path] = href
        assert len(html.encode("utf-8")) <= 100_000, path
    assert any("vagar-in.pdf" in href for href in offered.values())


def test_a_pdf_that_was_not_made_is_not_offered(printed):
    """Only some PDFs were made: the other pages' places stay empty and hidden, with no link."""
    site = printed["site"]
    html = (site / "kvalitetsmodell" / "index.html").read_text(encoding="utf-8")
    slots = re.findall(r'<p class="vi-pdf"[^>]*>.*?</p>', html, re.S)
    assert slots and all(" hidden>" in slot and "<a " not in slot for slot in slots)
    assert not (site / "pdf" / "kvalitetsmodell.pdf").exists()


def test_filling_the_links_again_changes_nothing(printed):
    site = printed["site"]
    page = site / "metoder" / printed["method"] / "index.html"
    before = page.read_text(encoding="utf-8")
    pdf.fill_links(site)
    assert page.read_text(encoding="utf-8") == before


def test_a_fresh_build_has_no_link_to_a_pdf(real_site):
    for path in [real_site / "metoder" / "index.html", real_site / "om" / "index.html", real_site / "en" / "om" / "index.html",
                 *sorted(real_site.glob("metoder/*/index.html"))[:2]]:
        slots = re.findall(r'<(p|li) class="vi-pdf"[^>]*>(.*?)</\1>', path.read_text(encoding="utf-8"), re.S)
        assert slots, path
        assert all(inner == "" for _, inner in slots), path


@pytest.mark.parametrize("size, lang, text", [(212_345, "sv", "212 kB"), (1_420_000, "sv", "1,4 MB"), (1_420_000, "en", "1.4 MB"),
                                             (300, "en", "1 kB")])
def test_sizes_are_written_as_a_reader_reads_them(size, lang, text):
    assert pdf.size_text(size, lang) == text


def test_without_a_site_make_pdf_says_so_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "handbook.pdf", "--site", str(tmp_path / "nowhere")], cwd=ROOT,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "HANDBOOK_LANG": "sv", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "make build" in done.stderr


def test_links_between_pages_become_links_inside_the_document(real_site):
    """assemble(): a link to a page in the document leads to its id; one to a page outside keeps its text."""
    edition = pdf.Edition(real_site, "sv")
    job = pdf.Job("sv", "", "pdf/x.pdf", "X", ["arbetspaket/", "arbetspaket/tidsplan/"], depths=[0, 1])
    html = pdf.assemble(edition, job)
    assert 'href="#vi-p1"' in html
    assert not re.search(r'href="(?!#|https?:|mailto:)', html.split("<body", 1)[1])
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target


HIDDEN_IN_PRINT = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".vi-search", ".md-footer",
                   ".md-content__button", "article button", ".vi-no-print", ".vi-noprint", ".headerlink", ".vi-page-links"]


@pytest.mark.parametrize("url", ["metoder/{method}/", "kvalitetsmodell/sjalvskattning/", "handledarutbildning/kursplanerare/",
                                 "arbetspaket/tidsplan/", "organisationer/", "en/om/"])
def test_print_styles_leave_out_what_is_for_the_screen(browser, base, real_site, url):
    """Printed (print media): no header, menu, search, buttons or edit links; the handbook's name and
    the page's address at the top, with the page's date."""
    from browser_helpers import open_page
    url = url.format(method=_first(real_site, "metoder/*/kort"))
    with open_page(browser, f"{base}/{url}") as page:
        assert not page.locator(".vi-print-line").is_visible()
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            shown = [n for n in range(page.locator(selector).count()) if page.locator(selector).nth(n).is_visible()]
            assert shown == [], selector
        line = page.locator(".vi-print-line")
        assert line.is_visible() and line.inner_text().startswith(f"Vägar in · /{url}")
        assert page.locator(".vi-page-facts .vi-changed").is_visible()


@pytest.mark.parametrize("url, changed", [("kvalitetsmodell/{area}/", "Senast ändrad"), ("organisationer/{organisation}/", "Senast ändrad"),
                                          ("en/metoder/{method}/", "Last changed")])
def test_every_printed_sheet_names_the_handbook_the_address_and_the_date(browser, base, real_site, url, changed):
    """A page printed from the browser (no make pdf) has the handbook's name, its address, its date and
    its sheet's number at the foot of every sheet (@page margin boxes), a stamped organisation page too."""
    from browser_helpers import open_page
    def first(folder: str, but: str) -> str:
        return sorted(p.parent.name for p in (real_site / folder).glob("*/index.html") if p.parent.name != but)[0]

    url = url.format(area=first("kvalitetsmodell", "sjalvskattning"), organisation=first("organisationer", "lan"),
                     method=_first(real_site, "metoder/*/kort"))
    date = re.search(r'<p class="vi-changed">[^<]*<time datetime="([0-9-]+)"',
                     (real_site / url / "index.html").read_text(encoding="utf-8")).group(1)
    with open_page(browser, f"{base}/{url}") as page:
        sheets = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert len(sheets) >= (1 if "organisationer" in url else 2)
    for number, sheet in enumerate(sheets, 1):
        text = squashed(sheet.extract_text() or "")
        assert squashed(f"Vägar in · /{url} · {changed} {date}") in text, (number, text[-300:])
        assert f"{number} / {len(sheets)}" in text, number


def test_printed_links_show_their_address_where_it_matters(browser, base, real_site):
    """An external link (a source) is followed by its address on paper; an in-page link is not."""
    from browser_helpers import open_page
    method = _first(real_site, "metoder/*/kort")
    with open_page(browser, f"{base}/metoder/{method}/") as page:
        page.emulate_media(media="print")
        after = page.evaluate("""() => [...document.querySelectorAll('article a[href]')].map(a => [a.getAttribute('href'),
            getComputedStyle(a, '::after').content])""")
        external = [(href, content) for href, content in after if href.startswith("http")]
        assert external and all(href in content for href, content in external)
        assert all(href not in content for href, content in after if not href.startswith("http"))


@pytest.mark.parametrize("url", ["metoder/jamforelse/", "data/", "arbetspaket/budget/", "bidra/"])
def test_nothing_printed_is_wider_than_the_sheet(browser, base, url):
    """Chromium shrinks every sheet of a document to fit its widest element: on A4 paper (182 mm
    between the margins, 688 px) no table, code or link runs past the page's width (by more than the
    padding of a piece of code that ends a line: a shrink of 1 %, not the half of a wide table)."""
    from browser_helpers import open_page
    with open_page(browser, f"{base}/{url}", viewport={"width": 688, "height": 1000}) as page:
        page.emulate_media(media="print")
        wide = page.evaluate("""() => [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 8)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert wide == []


def test_make_pdf_makes_a_pdf_of_every_card_handout_and_section_in_both_languages(real_site):
    made = {(job.lang, job.output): job for job in pdf.jobs(real_site)}
    for lang, root in (("sv", real_site), ("en", real_site / "en")):
        cards = sorted(p.parent.parent.name for p in root.glob("metoder/*/kort/index.html"))
        handouts = sorted(p.parent.parent.name for p in root.glob("handledarutbildning/*/deltagarblad/index.html"))
        assert cards and handouts
        for method in cards:
            assert made[(lang, f"pdf/metoder/{method}/kort.pdf")].pages == [CARD.format(id=method)]
        for module in handouts:
            assert made[(lang, f"pdf/handledarutbildning/{module}/deltagarblad.pdf")].single
        for section in ("kvalitetsmodell", "handledarutbildning", "metoder", "arbetspaket"):
            job = made[(lang, f"pdf/{section}.pdf")]
            assert job.pages[0] == f"{section}/" and all(url.startswith(f"{section}/") for url in job.pages)
            assert len(job.pages) == len(set(job.pages))
        whole = made[(lang, "pdf/vagar-in.pdf")].pages
        assert len(whole) == len(set(whole))
        assert "kvalitetsmodell/sjalvskattning/" not in whole and "handledarutbildning/kursplanerare/" not in whole
        assert all(f"metoder/{method}/" in whole for method in cards)
        assert all(HANDOUT.format(id=module) in whole for module in handouts)
        assert len(made[(lang, "pdf/arbetspaket.pdf")].pages) == 1 + len(list(root.glob("arbetspaket/*/index.html")))
    assert len(made) == 2 * (len(cards) + len(handouts) + 5)
