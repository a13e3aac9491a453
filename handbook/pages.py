"""Pages and fragments shared by the whole handbook: lists, counties, open data.

Generated pages are (path, markdown) pairs: the MkDocs hook turns them into
virtual files, and another engine could write them out before its build.
Fragments are HTML blocks for the macros of hand-written pages.
"""
from __future__ import annotations

from . import exports, registry
from .model import Handbook
from .templating import render_template


def record_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    """Every generated page of every area in one language, as (path under docs/, markdown)."""
    return registry.generated_pages(handbook, lang)


# True in a build whose open data another edition's build writes (handbook/__main__.py links them in
# afterwards): it writes empty files at their addresses and spends no time on them.
OPEN_DATA_ELSEWHERE = False


def site_files(handbook: Handbook, lang: str = "sv") -> list[tuple[str, bytes]]:
    """Every generated download: the open data of each kind, then what the areas add."""
    return exports.files(handbook, handbook.folders, contents=not OPEN_DATA_ELSEWHERE) + registry.generated_files(handbook)


@registry.apart_from_directory  # the same pages whatever the organisations and profiles (tests/test_live.py)
@registry.pages
def taxonomy_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    return [(f"bidra/listor/{record.id}.md", taxonomy_page(handbook, record.id, lang)) for record in handbook.taxonomies()]


def taxonomy_page(handbook: Handbook, taxonomy_id: str, lang: str = "sv") -> str:
    record = handbook.get("taxonomy", taxonomy_id)
    return render_template("pages/taxonomy.md", lang, record=record, terms=handbook.terms(taxonomy_id),
                           title=record.text("title", lang))


# Fragments for macros in hand-written pages


@registry.macro
def taxonomy_index(handbook: Handbook, lang: str = "sv") -> str:
    return render_template("pages/taxonomy_index.html", lang,
                           taxonomies=[(r, len(handbook.terms(r.id))) for r in handbook.taxonomies()])


@registry.macro
def county_table(handbook: Handbook, lang: str = "sv") -> str:
    return render_template("pages/county_table.html", lang, counties=list(handbook.counties()))


@registry.macro
def term_list(handbook: Handbook, taxonomy_id: str, with_descriptions: bool = True, lang: str = "sv") -> str:
    return render_template("pages/term_list.html", lang, terms=handbook.terms(taxonomy_id),
                           record=handbook.get("taxonomy", taxonomy_id), with_descriptions=with_descriptions)


@registry.macro
def data_downloads(handbook: Handbook, lang: str = "sv") -> str:
    datasets = [(name, len(records), handbook.folders[kind])
                for name, kind, records in exports.datasets(handbook, handbook.folders)]
    combined = sorted(path[5:] for path, _ in registry.generated_files(handbook)
                      if path.startswith("data/") and path.count("/") == 1)
    return render_template("pages/data_downloads.html", lang, datasets=datasets, combined=combined)


@registry.macro
def count(handbook: Handbook, kind: str, lang: str = "sv") -> str:
    return str(handbook.count(kind))


# The PDFs `make pdf` makes of whole sections (handbook/pdf.py), each offered on its start page.
PDF_SECTIONS = ("kvalitetsmodell", "handledarutbildning", "metoder", "arbetspaket")
PDF_HANDBOOK = "vagar-in"


@registry.macro
def pdf_download(handbook: Handbook, which: str, lang: str = "sv") -> str:
    """An empty place for the PDF of a section (its folder's name) or of the whole handbook ("handbook")."""
    if which != "handbook" and which not in PDF_SECTIONS:
        raise ValueError(f"no PDF is made of {which!r}: one of {', '.join(PDF_SECTIONS)} or 'handbook'")
    name = PDF_HANDBOOK if which == "handbook" else which
    return render_template("pages/pdf_download.html", lang, file=f"pdf/{name}.pdf", whole=which == "handbook")
