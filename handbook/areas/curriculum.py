"""The supervisor curriculum (handledarutbildning): checks, queries, pages and the course planner.

Modules live in data/handledarutbildning/. Which quality criteria a module helps with is
said once, by the criteria (`helped_by.modules`); the coverage matrix is derived from that.
"""
from __future__ import annotations

import heapq
import json
import re
from collections import deque

from .. import registry
from ..check import rule
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import problem
from ..urls import criterion_url, method_url, module_url  # noqa: F401  (shared URLs)
from ..render import block, esc, front_matter, markdown, md_text, relative_url, sources, text


SECTION = "handledarutbildning/"
PLANNER = SECTION + "kursplanerare/"
# Hand-written pages in docs/handledarutbildning/ whose address a module would take.
TAKEN_IDS = {"kursplanerare", "index"}
PARTS = {"undervisning": "teaching", "ovning": "exercise"}
PART_LABELS = {"undervisning": "Undervisning", "ovning": "Övning"}
FORM_LABELS = {"genomgang": "Genomgång", "diskussion": "Diskussion", "rollspel": "Rollspel", "fall": "Fall",
               "reflektion": "Reflektion"}


# URLs shared by all areas (site paths without a leading slash)

def handout_url(module_id: str) -> str:
    return f"{SECTION}{module_id}/deltagarblad/"



def href(here: str, target: str) -> str:
    """A relative link from page `here` to `target`, which may end in #fragment."""
    path, _, fragment = target.partition("#")
    return relative_url(here, path) + (f"#{fragment}" if fragment else "")


# Checks

def _is_minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@rule("module")
def session_plan_adds_up(handbook, record, loaded: Loaded):
    plan, duration = record.get("session_plan"), record.get("duration")
    if not isinstance(plan, tuple) or not hasattr(duration, "get"):
        return
    # A malformed activity is the schema's to report; a sum over it would only repeat that.
    if not all(hasattr(a, "get") and _is_minutes(a.get("minutes")) and a.get("part") in PARTS for a in plan):
        return
    for part, field in PARTS.items():
        stated = duration.get(field)
        planned = sum(a["minutes"] for a in plan if a["part"] == part)
        if _is_minutes(stated) and planned != stated:
            line, column = loaded.place(("duration", field))
            yield problem(loaded.path, line, column, f"duration.{field}", "session-plan-minutes",
                          part=part, planned=planned, name=field, stated=stated)


@rule("module")
def id_not_taken_by_a_page(handbook, record, loaded: Loaded):
    if record.id in TAKEN_IDS:
        yield problem(loaded.path, 1, 1, "", "module-id-taken", id=record.id)


@rule("module")
def not_its_own_prerequisite(handbook, record, loaded: Loaded):
    for index, prerequisite in enumerate(_prerequisite_list(record)):
        if prerequisite == record.id:
            line, column = loaded.place(("prerequisites", index))
            yield problem(loaded.path, line, column, field_path(("prerequisites", index)), "prerequisite-self",
                          id=record.id)


@rule("module")
def prerequisites_have_no_cycle(handbook, record, loaded: Loaded):
    """A cycle is reported once, by the module with the first id in it, at the link that starts it."""
    graph = _graph(handbook)
    group = _strongly_connected(graph).get(record.id, frozenset())
    if len(group) < 2 or record.id != min(group):
        return
    cycle = _shortest_cycle(graph, record.id, group)
    index = _prerequisite_list(record).index(cycle[1])
    line, column = loaded.place(("prerequisites", index))
    yield problem(loaded.path, line, column, field_path(("prerequisites", index)), "prerequisite-cycle",
                  cycle=" → ".join(cycle))


def _prerequisite_list(record: Record) -> list[str]:
    items = record.get("prerequisites")
    return [p if isinstance(p, str) else None for p in items] if isinstance(items, tuple) else []


def _graph(handbook: Handbook) -> dict[str, list[str]]:
    """Module id -> the ids of the modules it builds on (known ones, itself left out)."""
    ids = {m.id for m in handbook.all("module")}
    return {m.id: [p for p in _prerequisite_list(m) if p in ids and p != m.id] for m in handbook.all("module")}


def _strongly_connected(graph: dict[str, list[str]]) -> dict[str, frozenset]:
    """Each node's group of nodes that can all reach each other (small graphs: plain reachability)."""
    reach = {}
    for start in graph:
        seen, todo = {start}, list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        reach[start] = seen
    return {a: frozenset(b for b in graph if b in reach[a] and a in reach[b]) for a in graph}


def _shortest_cycle(graph: dict[str, list[str]], start: str, group: frozenset) -> list[str]:
    """[start, ..., start], the shortest way round, preferring earlier prerequisites."""
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in group:
                continue
            if nxt == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return list(reversed(path)) + [start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return [start, start]


# Queries

def modules(handbook: Handbook) -> list[Record]:
    return handbook.all("module")


def minutes(module: Record) -> int:
    duration = module.get("duration", {})
    return duration.get("teaching", 0) + duration.get("exercise", 0)


def course_order(handbook: Handbook, ids=None) -> list[Record]:
    """Modules so that each comes after the ones it builds on; ties go by `order`, then id.

    Only the modules in `ids` (default: all); prerequisites outside `ids` are ignored.
    """
    chosen = [m for m in modules(handbook) if ids is None or m.id in set(ids)]
    by_id = {m.id: m for m in chosen}
    waiting = {m.id: {p for p in _prerequisite_list(m) if p in by_id and p != m.id} for m in chosen}
    ready = [(m.order, m.id) for m in chosen if not waiting[m.id]]
    heapq.heapify(ready)
    result: list[Record] = []
    while ready:
        _, module_id = heapq.heappop(ready)
        result.append(by_id[module_id])
        for other, needs in waiting.items():
            if module_id in needs:
                needs.discard(module_id)
                if not needs:
                    heapq.heappush(ready, (by_id[other].order, other))
    # A cycle is a check error; should one slip through, its modules still appear, in reading order.
    placed = {m.id for m in result}
    return result + [m for m in chosen if m.id not in placed]


def prerequisites_of(handbook: Handbook, module: Record) -> list[Record]:
    return [m for p in _prerequisite_list(module) if (m := handbook.get("module", p)) is not None]


def followers_of(handbook: Handbook, module: Record) -> list[Record]:
    """The modules that build on this one."""
    return [m for m in modules(handbook) if module.id in _prerequisite_list(m)]


def criteria(handbook: Handbook) -> list[Record]:
    """Every criterion, grouped by its area's order, then in its own order."""
    def key(criterion):
        area = handbook.get("area", criterion.get("area"))
        return (area.order if area else (0, ""), criterion.order)
    return sorted(handbook.all("criterion"), key=key)


def modules_for(handbook: Handbook, criterion: Record) -> list[str]:
    helped = criterion.get("helped_by") or {}
    return [m for m in helped.get("modules", ()) if handbook.get("module", m)]


def criteria_of(handbook: Handbook, module: Record) -> list[Record]:
    """The quality criteria that name this module as a help (said by the criteria, derived here)."""
    return [c for c in criteria(handbook) if module.id in modules_for(handbook, c)]


def uncovered_criteria(handbook: Handbook) -> list[Record]:
    return [c for c in criteria(handbook) if not modules_for(handbook, c)]


# Formatting

def duration_text(total: int) -> str:
    """90 -> "1 tim 30 min"; 120 -> "2 tim"; 45 -> "45 min"."""
    hours, rest = divmod(total, 60)
    if hours and rest:
        return f"{hours} tim {rest} min"
    return f"{hours} tim" if hours else f"{rest} min"


def _split_text(module: Record) -> str:
    d = module.get("duration")
    return f"{duration_text(minutes(module))} ({d['teaching']} min undervisning, {d['exercise']} min övning)"


def _shift_headings(source: str, top: int) -> str:
    """Move Markdown headings down so the highest one is level `top` (a handout sits inside a page)."""
    levels = [len(m) for m in re.findall(r"^(#{1,6}) ", source, flags=re.M)]
    if not levels:
        return source
    shift = max(0, top - min(levels))
    return re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", source, flags=re.M)


def _handout_html(module: Record, top: int) -> str:
    value = module.get("handout")
    shifted = {lang: _shift_headings(source, top) for lang, source in value.items()}
    return markdown(shifted)


def _module_links(here: str, items: list[Record]) -> str:
    return ", ".join(f'<a href="{esc(href(here, module_url(m.id)))}">{text(m.get("title"))}</a>' for m in items)


def _criterion_link(handbook: Handbook, here: str, criterion: Record) -> str:
    url = href(here, criterion_url(criterion.get("area"), criterion.id))
    return f'<a href="{esc(url)}">{text(criterion.get("title"))}</a>'


def _method_link(handbook: Handbook, here: str, method_id: str) -> str:
    method = handbook.get("method", method_id)
    label = text(method.get("title")) if method else esc(method_id)
    return f'<a href="{esc(href(here, method_url(method_id)))}">{label}</a>'


def _list(items: list[str], css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<ul{klass}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _scroll_table(label: str, inner: str, css: str) -> str:
    return (f'<div class="vi-scroll" role="region" aria-label="{esc(label)}" tabindex="0">'
            f'<table class="{css}">{inner}</table></div>')


# Per-module pages

def session_plan_table(module: Record) -> str:
    """The session plan with minutes and running totals from the start (no clock times)."""
    rows, elapsed = [], 0
    for number, activity in enumerate(module.get("session_plan"), start=1):
        begin, elapsed = elapsed, elapsed + activity["minutes"]
        description = f'<br><span class="vi-activity-text">{text(activity["description"])}</span>' \
            if activity.get("description") else ""
        rows.append(
            f'<tr><td class="vi-num">{number}</td><th scope="row">{text(activity["title"])}{description}</th>'
            f'<td>{esc(FORM_LABELS[activity["form"]])}<br><span class="vi-part">{esc(PART_LABELS[activity["part"]].lower())}</span></td>'
            f'<td class="vi-num">{activity["minutes"]}</td><td class="vi-num">{begin}–{elapsed}</td></tr>')
    d = module.get("duration")
    head = ('<thead><tr><th scope="col">Nr</th><th scope="col">Aktivitet</th><th scope="col">Form och del</th>'
            '<th scope="col">Minuter</th><th scope="col">Minut från start</th></tr></thead>')
    foot = (f'<tfoot><tr><th scope="row" colspan="3">Summa: {d["teaching"]} min undervisning och '
            f'{d["exercise"]} min övning</th><td class="vi-num">{elapsed}</td><td class="vi-num">{esc(duration_text(elapsed))}</td></tr></tfoot>')
    caption = f"<caption>Tidsplan för {text(module.get('title'))}, {esc(duration_text(elapsed))} utan pauser</caption>"
    return _scroll_table(f"Tidsplan för {module.text('title')}", caption + head + "<tbody>" + "".join(rows) + "</tbody>" + foot,
                         "vi-session-plan")


def module_page(handbook: Handbook, module: Record) -> str:
    here = module_url(module.id)
    title = module.text("title")
    facts = [f"<dt>Tid</dt><dd>{esc(_split_text(module))}</dd>"]
    before = prerequisites_of(handbook, module)
    facts.append(f"<dt>Bygger på</dt><dd>{_module_links(here, before) if before else 'Inga andra moduler. Du kan börja här.'}</dd>")
    after = followers_of(handbook, module)
    if after:
        facts.append(f"<dt>Leder vidare till</dt><dd>{_module_links(here, after)}</dd>")
    helped = criteria_of(handbook, module)
    if helped:
        facts.append("<dt>Stödjer kvalitetskriterierna</dt><dd>"
                     + _list([_criterion_link(handbook, here, c) for c in helped], "vi-criteria") + "</dd>")
    if module.get("methods"):
        facts.append("<dt>Metoder</dt><dd>" + ", ".join(_method_link(handbook, here, m) for m in module.get("methods")) + "</dd>")
    intro = (f'<p class="vi-lead">{text(module.get("summary"))}</p><dl class="vi-facts">{"".join(facts)}</dl>'
             '<nav class="vi-module-nav" aria-label="På den här sidan"><ul>'
             '<li><a href="#deltagare">Deltagarvy</a></li><li><a href="#utbildare">Utbildarvy</a></li>'
             f'<li><a href="{esc(href(here, handout_url(module.id)))}">Deltagarblad att skriva ut</a></li>'
             f'<li><a href="{esc(href(here, PLANNER))}#moduler={esc(module.id)}">Planera en kurs med modulen</a></li>'
             '</ul></nav>')
    exercise = module.get("exercise")
    participant = (
        "<h3>Efter modulen kan du</h3>" + _list([text(o) for o in module.get("outcomes")])
        + f"<h3>Övning: {text(exercise['title'])}</h3>{markdown(exercise['instructions'])}"
        + f'<h3>Deltagarblad</h3><div class="vi-handout">{_handout_html(module, 4)}</div>'
    )
    materials = module.get("materials") or ()
    trainer = (
        "<h3>Tidsplan</h3>" + session_plan_table(module)
        + (("<h3>Material</h3>" + _list([text(m) for m in materials])) if materials else "")
        + f"<h3>Till övningen: {text(exercise['title'])}</h3>"
        + f'<div class="vi-trainer-notes">{markdown(exercise["trainer_notes"])}</div>'
        + "<h3>Så ser du att målen nås</h3>" + _list([text(a) for a in module.get("assessment")])
        + sources(module.get("sources")).replace("<h2>", "<h3>").replace("</h2>", "</h3>")
        + f'<p class="vi-file">Modulen finns i filen <code>{esc(module.path)}</code>.</p>'
    )
    return (front_matter(title) + f"# {md_text(title)}\n" + block(intro)
            + "\n## Deltagarvy {#deltagare}\n\nDet här är till för deltagarna i utbildningen: vad de ska kunna efteråt, "
              "övningen och deltagarbladet.\n" + block(participant)
            + "\n## Utbildarvy {#utbildare}\n\nDet här är till för dig som leder modulen: tidsplanen, materialet, "
              "dina anteckningar till övningen och hur du ser att målen nås.\n" + block(trainer))


def handout_page(handbook: Handbook, module: Record) -> str:
    here = handout_url(module.id)
    title = f"Deltagarblad: {module.text('title')}"
    exercise = module.get("exercise")
    body = (
        f'<p class="vi-lead">{text(module.get("summary"))}</p>'
        f'<p class="vi-noprint"><a href="{esc(href(here, module_url(module.id)))}">Tillbaka till modulen</a>. '
        "Skriv ut sidan med webbläsarens utskriftsfunktion; bara deltagarbladet kommer med. "
        '<button type="button" class="vi-print-button md-button" hidden>Skriv ut</button></p>'
        "<h2>Efter modulen kan du</h2>" + _list([text(o) for o in module.get("outcomes")])
        + f'<h2>Att läsa och spara</h2><div class="vi-handout">{_handout_html(module, 3)}</div>'
        + f"<h2>Övning: {text(exercise['title'])}</h2>{markdown(exercise['instructions'])}"
        + f'<p class="vi-print-footer">Vägar in · Handledarutbildning · {esc(module.text("title"))}</p>'
    )
    # The module page holds the same handout, so search lists the module once, not twice.
    return front_matter(title, search={"exclude": True}) + f"# {md_text(title)}\n" + block(f'<div class="vi-handout-page">{body}</div>')


@registry.pages
def curriculum_pages(handbook: Handbook) -> list[tuple[str, str]]:
    found = []
    for module in modules(handbook):
        found.append((f"{SECTION}{module.id}.md", module_page(handbook, module)))
        found.append((f"{SECTION}{module.id}/deltagarblad.md", handout_page(handbook, module)))
    return found


# Macros for the hand-written pages in docs/handledarutbildning/

@registry.macro
def curriculum_summary(handbook: Handbook) -> str:
    items = modules(handbook)
    teaching = sum(m.get("duration")["teaching"] for m in items)
    exercise = sum(m.get("duration")["exercise"] for m in items)
    return block(
        f'<p class="vi-curriculum-summary">Utbildningen har <strong>{len(items)} moduler</strong> på sammanlagt '
        f"<strong>{esc(duration_text(teaching + exercise))}</strong>: {esc(duration_text(teaching))} undervisning "
        f"och {esc(duration_text(exercise))} övningar. Pauser och lunch kommer till.</p>")


@registry.macro
def curriculum_order(handbook: Handbook) -> str:
    here = SECTION
    items = []
    for module in course_order(handbook):
        before = prerequisites_of(handbook, module)
        builds = f" Bygger på: {_module_links(here, before)}." if before else " Bygger inte på någon annan modul."
        items.append(
            f'<li><a href="{esc(href(here, module_url(module.id)))}"><strong>{text(module.get("title"))}</strong></a> '
            f'<span class="vi-duration">({esc(duration_text(minutes(module)))})</span><br>'
            f'{text(module.get("summary"))}<span class="vi-builds">{builds}</span></li>')
    return block(f'<ol class="vi-course-order">{"".join(items)}</ol>')


@registry.macro
def coverage_matrix(handbook: Handbook) -> str:
    """Criteria as rows (grouped by area), modules as columns in course order; derived from the criteria."""
    here = SECTION
    ordered = course_order(handbook)
    heads = "".join(
        f'<th scope="col"><a href="{esc(href(here, module_url(m.id)))}" title="{esc(m.text("title"))}">'
        f'<span aria-hidden="true">{n}</span><span class="vi-sr">{n}. {text(m.get("title"))}</span></a></th>'
        for n, m in enumerate(ordered, start=1))
    head = f'<thead><tr><th scope="col">Kriterium</th>{heads}<th scope="col">Antal moduler</th></tr></thead>'
    bodies, area_id, rows = [], object(), []
    counts = {m.id: 0 for m in ordered}
    for criterion in criteria(handbook):
        if criterion.get("area") != area_id:
            if rows:
                bodies.append("<tbody>" + "".join(rows) + "</tbody>")
            area_id, rows = criterion.get("area"), []
            area = handbook.get("area", area_id)
            rows.append(f'<tr class="vi-area-row"><th scope="rowgroup" colspan="{len(ordered) + 2}">'
                        f'<span class="vi-area-name">Område: {text(area.get("title")) if area else esc(area_id)}</span></th></tr>')
        helped = set(modules_for(handbook, criterion))
        cells = []
        for m in ordered:
            if m.id in helped:
                counts[m.id] += 1
                cells.append('<td class="vi-yes"><span aria-hidden="true">●</span><span class="vi-sr">Ja</span></td>')
            else:
                cells.append('<td class="vi-no"><span class="vi-sr">Nej</span></td>')
        total = f"{len(helped)}" if helped else '0 <strong class="vi-gap">Ingen modul ännu</strong>'
        rows.append(f'<tr id="tackning-{esc(criterion.id)}"><th scope="row">{_criterion_link(handbook, here, criterion)}</th>'
                    f'{"".join(cells)}<td class="vi-num">{total}</td></tr>')
    if rows:
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    foot = ('<tfoot><tr><th scope="row">Antal kriterier</th>'
            + "".join(f'<td class="vi-num">{counts[m.id]}</td>' for m in ordered) + "<td></td></tr></tfoot>")
    caption = f"<caption>{len(criteria(handbook))} kvalitetskriterier och de {len(ordered)} modulerna</caption>"
    legend = "".join(f'<li><a href="{esc(href(here, module_url(m.id)))}">{text(m.get("title"))}</a></li>' for m in ordered)
    return block(
        '<p>En rad är ett kriterium. En kolumn är en modul, numrerad efter kursordningen ovan. '
        '● betyder att modulen hjälper till med kriteriet.</p>'
        f'<ol class="vi-matrix-legend">{legend}</ol>'
        + _scroll_table("Täckning: moduler och kvalitetskriterier", caption + head + "".join(bodies) + foot, "vi-coverage"))


@registry.macro
def uncovered_criteria_list(handbook: Handbook) -> str:
    missing = uncovered_criteria(handbook)
    if not missing:
        return block(f"<p>Alla {len(criteria(handbook))} kriterier i kvalitetsmodellen har minst en modul som hjälper till.</p>")
    items = []
    for criterion in missing:
        area = handbook.get("area", criterion.get("area"))
        where = f" (område: {text(area.get('title'))})" if area else ""
        items.append(f"{_criterion_link(handbook, SECTION, criterion)}{where}")
    return block(f"<p>{len(missing)} av {len(criteria(handbook))} kriterier har ingen modul ännu:</p>"
                 + _list(items, "vi-uncovered"))


def _json_for_script(value) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def planner_data(handbook: Handbook) -> dict:
    here = PLANNER
    return {"modules": [{
        "id": m.id,
        "title": m.text("title"),
        "order": m.get("order"),
        "url": href(here, module_url(m.id)),
        "prerequisites": [p for p in _prerequisite_list(m) if handbook.get("module", p)],
        "activities": [{"title": localise(a["title"])[0], "minutes": a["minutes"], "form": FORM_LABELS[a["form"]]}
                       for a in m.get("session_plan")],
    } for m in modules(handbook)]}


@registry.macro
def planner_modules_table(handbook: Handbook) -> str:
    """What the page shows without JavaScript: every module, its length and what it builds on."""
    here = PLANNER
    rows = []
    for m in course_order(handbook):
        before = prerequisites_of(handbook, m)
        rows.append(f'<tr><th scope="row"><a href="{esc(href(here, module_url(m.id)))}">{text(m.get("title"))}</a></th>'
                    f'<td class="vi-num">{minutes(m)}</td><td>{esc(duration_text(minutes(m)))}</td>'
                    f'<td>{_module_links(here, before) if before else "–"}</td></tr>')
    total = sum(minutes(m) for m in modules(handbook))
    inner = ('<caption>Modulerna i kursordning, med tid utan pauser</caption><thead><tr><th scope="col">Modul</th>'
             '<th scope="col">Minuter</th><th scope="col">Tid</th><th scope="col">Bygger på</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row">Summa</th><td class="vi-num">{total}</td>'
             f'<td>{esc(duration_text(total))}</td><td></td></tr></tfoot>')
    return block(_scroll_table("Modulerna och deras tid", inner, "vi-planner-modules-table"))


@registry.macro
def planner_form(handbook: Handbook) -> str:
    """The planner's controls, from the data; hidden until the script starts them."""
    boxes = "".join(
        f'<li><input type="checkbox" id="vi-m-{esc(m.id)}" name="modul" value="{esc(m.id)}">'
        f'<label for="vi-m-{esc(m.id)}">{text(m.get("title"))} <span class="vi-duration">({esc(duration_text(minutes(m)))})</span></label></li>'
        for m in course_order(handbook))
    lengths = "".join(f'<option value="{n}"{" selected" if n == 420 else ""}>{esc(duration_text(n))}</option>'
                      for n in range(180, 661, 30))
    lunches = "".join(f'<option value="{n}"{" selected" if n == 60 else ""}>{n} min</option>' for n in (0, 30, 45, 60, 75, 90))
    pauses = "".join(f'<option value="{n}"{" selected" if n == 15 else ""}>{n} min</option>' for n in (0, 10, 15, 20, 30))
    form = f"""
<div id="vi-planner" class="vi-planner" hidden>
<form id="vi-planner-form" class="vi-planner-form" novalidate>
<fieldset class="vi-planner-modules"><legend>Moduler</legend>
<p class="vi-hint">Kryssa för de moduler som kursen ska ha. Planeraren sätter dem i en ordning där varje modul kommer efter dem den bygger på.</p>
<p class="vi-planner-buttons"><button type="button" class="md-button" data-select="all">Välj alla</button> <button type="button" class="md-button" data-select="none">Ta bort alla</button></p>
<ul class="vi-checklist">{boxes}</ul>
</fieldset>
<fieldset><legend>Dagar och tider</legend>
<p class="vi-field"><label for="vi-days">Antal dagar</label> <input class="vi-input" type="number" id="vi-days" name="dagar" min="1" max="20" step="1" value="2" inputmode="numeric"></p>
<p class="vi-field"><label for="vi-start">Dagen börjar klockan</label> <input class="vi-input" type="time" id="vi-start" name="start" value="09:00" step="300"></p>
<p class="vi-field"><label for="vi-length">Dagens längd, med pauser och lunch</label> <select class="vi-input" id="vi-length" name="langd">{lengths}</select></p>
<p class="vi-field"><label for="vi-lunch">Lunch</label> <select class="vi-input" id="vi-lunch" name="lunch">{lunches}</select></p>
<p class="vi-field"><label for="vi-pause">Paus</label> <select class="vi-input" id="vi-pause" name="paus">{pauses}</select></p>
</fieldset>
<fieldset><legend>Om en modul som behövs före saknas</legend>
<p class="vi-field"><input type="radio" id="vi-auto-add" name="forkunskap" value="lagg-till" checked> <label for="vi-auto-add">Lägg till den automatiskt</label></p>
<p class="vi-field"><input type="radio" id="vi-auto-warn" name="forkunskap" value="varna"> <label for="vi-auto-warn">Lägg inte till den, men varna</label></p>
</fieldset>
</form>
<section class="vi-plan" aria-labelledby="vi-plan-heading">
<h2 id="vi-plan-heading">Kursplanen</h2>
<div id="vi-plan-status" class="vi-plan-status" role="status" aria-live="polite"></div>
<div id="vi-plan-output" class="vi-plan-output"></div>
<div class="vi-plan-share">
<p class="vi-field"><label for="vi-plan-link">Länk till den här planen</label> <input class="vi-input" type="text" id="vi-plan-link" readonly></p>
<p class="vi-planner-buttons"><button type="button" class="md-button" id="vi-copy-link">Kopiera länken</button> <button type="button" class="md-button" id="vi-print-plan">Skriv ut planen</button></p>
<p id="vi-copy-status" class="vi-hint" role="status" aria-live="polite"></p>
<p class="vi-hint">Planen sparas bara i länken. Inget skickas någonstans: allt räknas ut i din webbläsare.</p>
</div>
</section>
</div>
<script type="application/json" id="vi-planner-data">{_json_for_script(planner_data(handbook))}</script>
"""
    return block(form)
