"""The quality model: areas, their criteria, the self-assessment and the model as open data.

Pages: /kvalitetsmodell/<area-id>/ (generated, one anchor per criterion) and two hand-written
pages that call the macros here: the overview and the self-assessment.
"""
from __future__ import annotations

import csv
import io
import json

from .. import messages, registry
from ..check import rule
from ..exports import safe_cell, as_dicts
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import problem
from ..urls import area_url, criterion_url
from ..render import (block, esc, front_matter, markdown, md_text, relative_url, sources, table,
                      text)

# The model's four maturity levels; a criterion describes each in its own `levels`.
LEVELS = (
    (1, {"sv": "Påbörjad", "en": "Started"}),
    (2, {"sv": "Delvis på plats", "en": "Partly in place"}),
    (3, {"sv": "På plats", "en": "In place"}),
    (4, {"sv": "Utvecklas systematiskt", "en": "Developed systematically"}),
)
LEVEL_MEANING = {
    1: "Ni har börjat, men det hänger på enskilda personer och görs inte likadant varje gång.",
    2: "En del finns, men inte för alla deltagare eller inte hela tiden.",
    3: "Det finns för alla deltagare och fungerar i vardagen.",
    4: "Ni följer upp, lär av resultaten och förbättrar arbetet.",
}
NOT_APPLICABLE = "Inte aktuellt för oss"

INDEX_URL = "kvalitetsmodell/"
SELF_ASSESSMENT_URL = "kvalitetsmodell/sjalvskattning/"
RESERVED_IDS = {"sjalvskattning", "index"}  # hand-written pages beside the area pages



# Named queries


def areas(handbook: Handbook) -> list[Record]:
    return handbook.all("area")


def criteria_of(handbook: Handbook, area_id: str) -> list[Record]:
    return [c for c in handbook.all("criterion") if c.get("area") == area_id]


def number(handbook: Handbook, criterion: Record) -> str:
    """The criterion's number in reading order, such as "2.1" (area order, then place in the area)."""
    area = handbook.get("area", criterion.get("area"))
    place = [c.id for c in criteria_of(handbook, area.id)].index(criterion.id) + 1
    return f"{area.get('order')}.{place}"


def helpers(handbook: Handbook, criterion: Record) -> list[tuple[str, str, str]]:
    """(what, title, site URL) of every curriculum module and method that helps meet the criterion."""
    found = []
    helped = criterion.get("helped_by") or {}
    for module_id in helped.get("modules", ()):
        record = handbook.get("module", module_id)
        found.append(("Handledarutbildning", record.text("title") if record else module_id,
                      f"handledarutbildning/{module_id}/"))
    for method_id in helped.get("methods", ()):
        record = handbook.get("method", method_id)
        found.append(("Metod", record.text("title") if record else method_id, f"metoder/{method_id}/"))
    return found


def level_name(level: int, lang: str = "sv") -> str:
    return dict(LEVELS)[level][lang]


# Checks a schema cannot make


def _order_problems(handbook: Handbook, record: Record, loaded: Loaded, siblings: list[Record], what: str):
    order = record.get("order")
    earlier = [r for r in siblings if r.id < record.id and r.get("order") == order]
    if isinstance(order, int) and earlier:
        line, column = loaded.place(("order",))
        yield problem(loaded.path, line, column, field_path(("order",)), "duplicate-order", order=order,
                      other=f"`{earlier[0].path}`", what=what)


@rule("criterion")
def unique_order_in_area(handbook: Handbook, record: Record, loaded: Loaded):
    siblings = criteria_of(handbook, record.get("area"))
    yield from _order_problems(handbook, record, loaded, siblings, messages.message("what.criterion-in-area"))


@rule("area")
def unique_area_order(handbook: Handbook, record: Record, loaded: Loaded):
    yield from _order_problems(handbook, record, loaded, areas(handbook), messages.message("what.area"))


# Generated pages: one per area


@registry.pages
def area_pages(handbook: Handbook) -> list[tuple[str, str]]:
    return [(f"kvalitetsmodell/{area.id}.md", area_page(handbook, area)) for area in areas(handbook)]


def _terms(handbook: Handbook, taxonomy: str, ids) -> str:
    labels = {t.id: t for t in handbook.terms(taxonomy)} if handbook.get("taxonomy", taxonomy) else {}
    return ", ".join(text(labels[i].label) if i in labels else esc(i) for i in ids)


def _items(values) -> str:
    return "<ul>" + "".join(f"<li>{text(v)}</li>" for v in values) + "</ul>"


def criterion_body(handbook: Handbook, criterion: Record, here: str) -> str:
    """Everything about one criterion, as an HTML fragment for the page at `here`."""
    title = criterion.text("title")
    rows = [[f"<strong>{n} {esc(level_name(n))}</strong>", text(description)]
            for (n, _), description in zip(LEVELS, criterion.get("levels"))]
    parts = [
        f'<p class="vi-criterion-summary">{text(criterion.get("summary"))}</p>',
        f'<h3>Det här krävs av er</h3><p>{text(criterion.get("requirement"))}</p>',
        f'<h3>Det här får ni tillbaka</h3><p>{text(criterion.get("in_return"))}</p>',
        f"<h3>Så märks det att kriteriet är uppfyllt</h3>{_items(criterion.get('indicators'))}",
        f"<h3>Belägg ni kan visa upp</h3>{_items(criterion.get('evidence'))}",
        "<h3>Fyra nivåer</h3>" + table(f"Nivåerna för kriteriet {criterion_number_text(handbook, criterion)} {esc(title)}",
                                       ["Nivå", "Så ser det ut"], rows, "vi-levels"),
    ]
    groups = criterion.get("target_groups") or ()
    facts = [
        ("Gäller", _terms(handbook, "roller", criterion.get("roles"))),
        ("Målgrupper", _terms(handbook, "malgrupper", groups) if groups else "Alla målgrupper"),
    ]
    frameworks = criterion.get("frameworks") or {}
    for key, taxonomy, label in (("equass", "equass-principer", "EQUASS-principer"),
                                 ("euse", "euse-steg", "Steg i Supported Employment (EUSE)"),
                                 ("ips", "ips-principer", "IPS-principer")):
        if frameworks.get(key):
            facts.append((label, _terms(handbook, taxonomy, frameworks[key])))
    parts.append('<dl class="vi-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    helps = helpers(handbook, criterion)
    if helps:
        items = "".join(f"<li>{esc(what)}: {_local_link(here, url, title_)}</li>" for what, title_, url in helps)
        parts.append(f"<h3>Det här hjälper er</h3><ul>{items}</ul>")
    if criterion.get("sources"):
        parts.append(sources(criterion.get("sources")).replace("<h2>", "<h3>").replace("</h2>", "</h3>"))
    return "".join(parts)


def criterion_number_text(handbook: Handbook, criterion: Record) -> str:
    return esc(number(handbook, criterion))


def _local_link(here: str, target: str, label: str) -> str:
    return f'<a href="{esc(relative_url(here, target))}">{esc(label)}</a>'


def area_page(handbook: Handbook, area: Record) -> str:
    here = area_url(area.id)
    title = area.text("title")
    heading = f"{area.get('order')}. {title}"
    criteria = criteria_of(handbook, area.id)
    contents = "".join(f'<li><a href="#{esc(c.id)}">{esc(number(handbook, c))} {text(c.get("title"))}</a></li>'
                       for c in criteria)
    top = (f'<p class="vi-lead">{text(area.get("summary"))}</p>'
           + markdown(area.get("intro"))
           + f'<h2 id="kriterier-i-omradet">Kriterier i området</h2><ol class="vi-criteria-toc">{contents}</ol>'
           + f'<p>Vill du se var ni står? {_local_link(here, SELF_ASSESSMENT_URL, "Gör självskattningen")}, '
           + f'eller gå tillbaka till {_local_link(here, INDEX_URL, "alla områden i kvalitetsmodellen")}.</p>')
    # The theme prints front-matter values into <title>, the header and <meta> without escaping them.
    out = [front_matter(heading, description=area.text("summary")), f"# {md_text(heading)}\n", block(top)]
    for criterion in criteria:
        out.append(f"\n## {md_text(number(handbook, criterion) + ' ' + criterion.text('title'))} {{#{criterion.id}}}\n")
        out.append(block(f'<div class="vi-criterion">{criterion_body(handbook, criterion, here)}</div>'))
    if area.get("sources"):
        out.append(block(sources(area.get("sources"))))
    out.append(block(_pager(handbook, area)))
    return "\n".join(out)


def _pager(handbook: Handbook, area: Record) -> str:
    """Links to the areas before and after this one, so the model can be read from start to end."""
    ordered = areas(handbook)
    at = [a.id for a in ordered].index(area.id)
    here = area_url(area.id)
    links = []
    for label, index in (("Föregående område", at - 1), ("Nästa område", at + 1)):
        if 0 <= index < len(ordered):
            other = ordered[index]
            name = f"{other.get('order')}. {other.text('title')}"
            links.append(f"<p>{label}: {_local_link(here, area_url(other.id), name)}</p>")
    return f'<nav class="vi-area-pager" aria-label="Områden i kvalitetsmodellen">{"".join(links)}</nav>'


# Macros for the hand-written pages


@registry.macro
def quality_levels(handbook: Handbook) -> str:
    items = "".join(f"<li><strong>{esc(name['sv'])}.</strong> {esc(LEVEL_MEANING[n])}</li>" for n, name in LEVELS)
    return block(f'<ol class="vi-level-names">{items}</ol>')


@registry.macro
def quality_model_overview(handbook: Handbook) -> str:
    """Every area with its criteria, linked to their anchors; for /kvalitetsmodell/."""
    parts = []
    for area in areas(handbook):
        criteria = criteria_of(handbook, area.id)
        items = "".join(f'<li>{_local_link(INDEX_URL, criterion_url(c.get("area"), c.id), number(handbook, c) + " " + c.text("title"))}'
                        f' – {text(c.get("summary"))}</li>' for c in criteria)
        parts.append(f'<section class="vi-area" aria-labelledby="omrade-{esc(area.id)}">'
                     f'<h3 id="omrade-{esc(area.id)}">'
                     f'{_local_link(INDEX_URL, area_url(area.id), str(area.get("order")) + ". " + area.text("title"))}</h3>'
                     f'<p>{text(area.get("summary"))} <span class="vi-count">({len(criteria)} kriterier)</span></p>'
                     f'<ul class="vi-criteria">{items}</ul></section>')
    return block("".join(parts))


@registry.macro
def quality_count(handbook: Handbook) -> str:
    return f"{handbook.count('area')} områden och {handbook.count('criterion')} kriterier"


def _json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">: no <, > or & survives as itself."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def assessment_data(handbook: Handbook, here: str = SELF_ASSESSMENT_URL) -> dict:
    """What the self-assessment script needs: the model, with links relative to the page at `here`.

    The page must stay light, so nothing is said twice: a criterion's number, title and link are in
    its fieldset only, and what helps with it (a module, a method) is listed once in `helpers`,
    with `helps` giving places in that list (many criteria share a helper)."""
    helpers_list: list[dict] = []
    place: dict[tuple, int] = {}

    def helper(what: str, title: str, url: str) -> int:
        key = (what, title, url)
        if key not in place:
            place[key] = len(helpers_list)
            helpers_list.append({"what": what, "title": title, "url": relative_url(here, url)})
        return place[key]

    return {
        "levels": [{"level": n, "name": name["sv"]} for n, name in LEVELS],
        "notApplicable": NOT_APPLICABLE,
        "areas": [{
            "id": area.id,
            "order": area.get("order"),
            "title": area.text("title"),
            "url": relative_url(here, area_url(area.id)),
            # A criterion's number, title and link are in its fieldset; the script reads them there.
            "criteria": [{"id": c.id, "helps": [helper(*item) for item in helpers(handbook, c)]}
                         for c in criteria_of(handbook, area.id)],
        } for area in areas(handbook)],
        "helpers": helpers_list,
    }


def _criterion_fieldset(handbook: Handbook, criterion: Record, here: str) -> str:
    """One criterion: its requirement, a radio button per level and a note, each inside its label.

    The page has 39 of these and must stay under 100 KB, so the markup says nothing twice: no ids
    and for-attributes to pair labels with fields, no classes where the structure is enough."""
    cid = esc(criterion.id)
    options = [f'<label><input type="radio" name="niva-{cid}" value="{n}"> <strong>{n} {esc(name["sv"])}:</strong> '
               f"{text(description)}</label>" for (n, name), description in zip(LEVELS, criterion.get("levels"))]
    options.append(f'<label class="vi-sa-na"><input type="radio" name="niva-{cid}" value="na"> '
                   f"<strong>{esc(NOT_APPLICABLE)}</strong></label>")
    return (
        f'<fieldset id="skatta-{cid}">'
        f'<legend>{esc(number(handbook, criterion))} {text(criterion.get("title"))}</legend>'
        f'<p>{text(criterion.get("requirement"))} '
        f'{_local_link(here, criterion_url(criterion.get("area"), criterion.id), "Läs mer om kriteriet")}</p>'
        f'<div class="vi-sa-options">{"".join(options)}</div>'
        f'<label class="vi-sa-note">Belägg och anteckningar<textarea class="vi-input" id="belagg-{cid}" name="belagg-{cid}" rows="2">'
        f"</textarea></label></fieldset>")


@registry.macro
def self_assessment(handbook: Handbook) -> str:
    """The whole checklist as a form; quality.js adds saving, the summary, export and import."""
    here = SELF_ASSESSMENT_URL
    sections = []
    for area in areas(handbook):
        fieldsets = "".join(_criterion_fieldset(handbook, c, here) for c in criteria_of(handbook, area.id))
        sections.append(
            f'<section class="vi-sa-area" aria-labelledby="skatta-omrade-{esc(area.id)}">'
            f'<h2 id="skatta-omrade-{esc(area.id)}">{esc(area.get("order"))}. {text(area.get("title"))}</h2>'
            f'<p>{text(area.get("summary"))}</p>{fieldsets}'
            '<p class="vi-sa-jump" hidden><a href="#sammanfattning">Till sammanfattningen</a></p></section>')
    levels = "".join(f'<th scope="col">Nivå {n}</th>' for n, _ in LEVELS)
    summary = (
        '<section class="vi-sa-summary" id="sammanfattning" aria-labelledby="sammanfattning-rubrik" hidden>'
        '<h2 id="sammanfattning-rubrik">Sammanfattning</h2>'
        '<p class="vi-sa-progress" id="vi-sa-progress"></p>'
        '<figure class="vi-sa-chart"><figcaption id="vi-sa-chart-caption">Medelnivå per område, från 1 till 4. '
        'Samma siffror finns i tabellen under diagrammet.</figcaption>'
        '<ul class="vi-sa-bars" id="vi-sa-bars"></ul></figure>'
        '<p>Tabellen visar hur många kriterier ni har skattat i varje område, medelnivån och hur många '
        'kriterier som ligger på varje nivå.</p>'
        '<div class="vi-scroll" role="region" aria-label="Sammanfattning per område" tabindex="0">'
        '<table class="vi-sa-table"><caption>Sammanfattning per område</caption><thead><tr>'
        '<th scope="col">Område</th><th scope="col">Skattade</th><th scope="col">Inte aktuella</th>'
        f'<th scope="col">Medelnivå</th>{levels}</tr></thead><tbody id="vi-sa-table-body"></tbody></table></div>'
        '<h3 id="svagast">Att arbeta med först</h3>'
        '<p>De kriterier ni har skattat lägst, med det som kan hjälpa er vidare.</p>'
        '<ol class="vi-sa-weakest" id="vi-sa-weakest"></ol>'
        "</section>")
    tools = (
        '<div class="vi-sa-tools" id="vi-sa-tools" hidden>'
        '<h2 id="spara-rubrik">Spara, dela och skriv ut</h2>'
        '<p>Det du fyller i sparas bara i den här webbläsaren, på den här enheten. Inget skickas till oss '
        'eller någon annan. Ladda ner en fil om du vill spara skattningen på annat ställe eller dela den.</p>'
        '<div class="vi-sa-buttons">'
        '<button type="button" class="md-button" data-action="csv">Ladda ner CSV (kalkylark)</button>'
        '<button type="button" class="md-button" data-action="json">Ladda ner JSON</button>'
        '<button type="button" class="md-button" data-action="print">Skriv ut rapporten</button>'
        '<button type="button" class="md-button" data-action="clear">Rensa allt</button>'
        "</div>"
        '<div class="vi-sa-import"><label for="vi-sa-import">Hämta in en sparad JSON-fil</label>'
        '<input type="file" id="vi-sa-import" accept=".json,application/json"></div>'
        '<p class="vi-sa-status" id="vi-sa-status" role="status" aria-live="polite"></p>'
        "</div>")
    head = (
        '<div class="vi-sa-head">'
        '<div class="vi-sa-field"><label for="vi-sa-org">Organisationens namn</label>'
        '<input class="vi-input" type="text" id="vi-sa-org" name="organisation" autocomplete="organization"></div>'
        '<div class="vi-sa-field"><label for="vi-sa-date">Datum för skattningen</label>'
        '<input class="vi-input" type="date" id="vi-sa-date" name="datum"></div>'
        "</div>")
    data = f'<script type="application/json" id="vi-sa-data">{_json_for_script(assessment_data(handbook, here))}</script>'
    return block(f'<form class="vi-sa" id="vi-sa" action="#" autocomplete="off">{head}{tools}{summary}'
                 f'<div class="vi-sa-areas">{"".join(sections)}</div></form>{data}')


# The model as one open dataset


def model_dict(handbook: Handbook) -> dict:
    criteria = {}
    for item in as_dicts(handbook.all("criterion")):
        criteria.setdefault(item.pop("area"), []).append(item)
    return {
        "title": {"sv": "Vägar in: kvalitetsmodell", "en": "Vägar in: quality model"},
        "levels": [{"level": n, "name": name} for n, name in LEVELS],
        "areas": [{**area, "criteria": criteria.get(area["id"], [])} for area in as_dicts(areas(handbook))],
    }


CSV_COLUMNS = ["area_id", "area_order", "area_title", "criterion_id", "number", "criterion_order", "title",
               "title_en", "summary", "requirement", "in_return", "indicators", "evidence",
               "level_1", "level_2", "level_3", "level_4", "roles", "target_groups", "modules", "methods",
               "equass", "euse", "ips", "sources", "review_by"]


def _sv(value) -> str:
    return localise(value, "sv")[0]


def model_rows(handbook: Handbook) -> list[dict]:
    rows = []
    for area in areas(handbook):
        for c in criteria_of(handbook, area.id):
            helped, frameworks = c.get("helped_by") or {}, c.get("frameworks") or {}
            title_en, fell_back = localise(c.get("title"), "en")
            row = {
                "area_id": area.id, "area_order": area.get("order"), "area_title": area.text("title"),
                "criterion_id": c.id, "number": number(handbook, c), "criterion_order": c.get("order"),
                "title": c.text("title"), "title_en": "" if fell_back else title_en,
                "summary": c.text("summary"), "requirement": c.text("requirement"), "in_return": c.text("in_return"),
                "indicators": "; ".join(_sv(v) for v in c.get("indicators")),
                "evidence": "; ".join(_sv(v) for v in c.get("evidence")),
                "roles": "; ".join(c.get("roles")), "target_groups": "; ".join(c.get("target_groups") or ()),
                "modules": "; ".join(helped.get("modules", ())), "methods": "; ".join(helped.get("methods", ())),
                "equass": "; ".join(frameworks.get("equass", ())), "euse": "; ".join(frameworks.get("euse", ())),
                "ips": "; ".join(frameworks.get("ips", ())),
                "sources": "; ".join(f"{s['title']} <{s['url']}>" for s in c.get("sources") or ()),
                "review_by": str(c.get("review_by")),
            }
            for n, description in enumerate(c.get("levels"), 1):
                row[f"level_{n}"] = _sv(description)
            rows.append(row)
    return rows


@registry.files
def model_files(handbook: Handbook) -> list[tuple[str, bytes]]:
    if not handbook.count("area"):
        return []
    as_json = json.dumps(model_dict(handbook), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in model_rows(handbook):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return [("data/kvalitetsmodell.json", as_json), ("data/kvalitetsmodell.csv", buffer.getvalue().encode("utf-8-sig"))]
