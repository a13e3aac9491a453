"""Pages and fragments shared by the whole handbook: lists, counties, open data.

Generated pages are (path, markdown) pairs: the MkDocs hook turns them into
virtual files, and another engine could write them out before its build.
Fragments are HTML blocks for the macros of hand-written pages.
"""
from __future__ import annotations

from . import exports, registry
from .model import Handbook
from .render import block, esc, link, sources, table, text
from .templating import render_template


def record_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    """Every generated page of every area in one language, as (path under docs/, markdown)."""
    return registry.generated_pages(handbook, lang)


def site_files(handbook: Handbook, lang: str = "sv") -> list[tuple[str, bytes]]:
    """Every generated download: the open data of each kind, then what the areas add."""
    return exports.files(handbook, handbook.folders) + registry.generated_files(handbook, lang)


@registry.pages
def taxonomy_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    return [(f"bidra/listor/{record.id}.md", taxonomy_page(handbook, record.id, lang)) for record in handbook.taxonomies()]


def taxonomy_page(handbook: Handbook, taxonomy_id: str, lang: str = "sv") -> str:
    record = handbook.get("taxonomy", taxonomy_id)
    return render_template("pages/taxonomy.md", lang, record=record, terms=handbook.terms(taxonomy_id),
                           title=record.text("title", lang))


# Fragments for macros in hand-written pages


@registry.macro
def taxonomy_index(handbook: Handbook) -> str:
    items = "".join(
        f'<li><a href="{esc(r.id)}/">{text(r.get("title"))}</a> – {len(handbook.terms(r.id))} termer, '
        f"i <code>{esc(r.path)}</code></li>"
        for r in handbook.taxonomies()
    )
    return block(f'<ul class="vi-taxonomies">{items}</ul>')


@registry.macro
def county_table(handbook: Handbook) -> str:
    rows = [[f"<code>{esc(c.code)}</code>", esc(c.letter), text(c.name), text(c.name, "en")] for c in handbook.counties()]
    return block(table(f"Sveriges {len(rows)} län med länskod och bokstavskod",
                       ["Länskod", "Bokstav", "Län", "Engelska"], rows, "vi-counties"))


@registry.macro
def term_list(handbook: Handbook, taxonomy_id: str, with_descriptions: bool = True) -> str:
    items = []
    for term in handbook.terms(taxonomy_id):
        described = f": {text(term.description)}" if with_descriptions and term.description else ""
        items.append(f"<li><strong>{text(term.label)}</strong>{described}</li>")
    record = handbook.get("taxonomy", taxonomy_id)
    return block(f'<ul class="vi-term-list">{"".join(items)}</ul>' + sources(record.get("sources")).replace("<h2>", "<h3>").replace("</h2>", "</h3>"))


@registry.macro
def data_downloads(handbook: Handbook) -> str:
    rows = []
    for name, kind, records in exports.datasets(handbook, handbook.folders):
        rows.append([
            esc(name),
            esc(len(records)),
            f'<a href="{esc(name)}.json" download>{esc(name)}.json</a>',
            f'<a href="{esc(name)}.csv" download>{esc(name)}.csv</a>',
            f"<code>{esc(handbook.folders[kind])}/</code>",
        ])
    combined = sorted(path for path, _ in registry.generated_files(handbook)
                      if path.startswith("data/") and path.count("/") == 1)
    extra = ""
    if combined:
        items = "".join(f'<li><a href="{esc(path[5:])}" download>{esc(path[5:])}</a></li>' for path in combined)
        extra = ('<h2 id="sammanstallningar">Sammanställningar</h2><p>Några delar av handboken finns också som en '
                 f"samlad fil, där posterna hänger ihop som på webbplatsen:</p><ul>{items}</ul>")
    return block(table("Alla dataset i handboken", ["Dataset", "Poster", "JSON", "CSV", "Källmapp"], rows, "vi-datasets") + extra)


@registry.macro
def count(handbook: Handbook, kind: str) -> str:
    return esc(handbook.count(kind))
