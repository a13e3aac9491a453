"""The supervisor curriculum (handledarutbildning): checks, queries, pages and the course planner.

Modules live in data/handledarutbildning/. Which quality criteria a module helps with is
said once, by the criteria (`helped_by.modules`); the coverage matrix is derived from that.

The pages' markup is in handbook/templates/curriculum/ and their interface text in the site
catalogues; this module holds the checks, the queries and the data the templates are given.
"""
from __future__ import annotations

import heapq
import json
import re
from collections import deque

from markupsafe import Markup

from .. import registry
from ..check import did_you_mean, rule
from ..kinds import ID_PATTERN
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import problem
from ..urls import criterion_url, method_url, module_url  # noqa: F401  (shared URLs)
from ..render import relative_url
from ..templating import environment, render_template


SECTION = "handledarutbildning/"
PLANNER = SECTION + "kursplanerare/"
# Hand-written pages in docs/handledarutbildning/ whose address a module would take.
TAKEN_IDS = {"kursplanerare", "index", "material"}
MATERIALS = SECTION + "material/"
MATERIAL_FOLDER = "data/handledarutbildning/material/"
PARTS = {"undervisning": "teaching", "ovning": "exercise"}


# URLs shared by all areas (site paths without a leading slash)

def handout_url(module_id: str) -> str:
    return f"{SECTION}{module_id}/deltagarblad/"


def material_url(material_id: str) -> str:
    return f"{MATERIALS}{material_id}/"



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


@rule("module")
def materials_exist(handbook, record, loaded: Loaded):
    """A module lists only materials that have a file of their own (a malformed id is the schema's)."""
    items = record.get("materials")
    if not isinstance(items, tuple):
        return
    known = sorted(m.id for m in handbook.all("material"))
    for index, item in enumerate(items):
        if isinstance(item, str) and re.search(ID_PATTERN, item) and handbook.get("material", item) is None:
            line, column = loaded.place(("materials", index))
            yield problem(loaded.path, line, column, field_path(("materials", index)), "material-missing",
                          found=item, mean=did_you_mean(item, known), folder=MATERIAL_FOLDER)


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


def materials_of(handbook: Handbook, module: Record) -> list[Record]:
    """The materials a module lists, in its order (unknown ids are a check error and left out)."""
    return [m for i in module.get("materials") or () if isinstance(i, str) and (m := handbook.get("material", i))]


def modules_using(handbook: Handbook, material: Record) -> list[Record]:
    """The modules that list a material, in course order."""
    return [m for m in course_order(handbook) if material.id in (m.get("materials") or ())]


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

def _texts(lang: str = "sv"):
    """The curriculum's interface words that Python needs too, from the template that holds them."""
    return environment(lang).get_template("curriculum/_texts.html").module


# The Swedish labels of the activities' parts and forms, by id (the texts are in curriculum/_texts.html).
PART_LABELS = {key: str(label) for key, label in _texts().parts.items()}
FORM_LABELS = {key: str(label) for key, label in _texts().forms.items()}


def duration_text(total: int, lang: str = "sv") -> str:
    """90 -> "1 tim 30 min"; 120 -> "2 tim"; 45 -> "45 min"."""
    return str(_texts(lang).duration(total))


def _shift_headings(source: str, top: int) -> str:
    """Move Markdown headings down so the highest one is level `top` (a handout sits inside a page)."""
    levels = [len(m) for m in re.findall(r"^(#{1,6}) ", source, flags=re.M)]
    if not levels:
        return source
    shift = max(0, top - min(levels))
    return re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", source, flags=re.M)


def _handout(module: Record, top: int) -> dict:
    """The handout in every language, its headings moved down to level `top`."""
    return {lang: _shift_headings(source, top) for lang, source in module.get("handout").items()}


def _render(name: str, lang: str, **context) -> str:
    """A curriculum template, with the link helpers its macros use."""
    return render_template(name, lang, href=href, module_url=module_url, handout_url=handout_url, material_url=material_url,
                           criterion_url=criterion_url, method_url=method_url, minutes=minutes, **context)


# Per-module pages

def session_plan(module: Record) -> list[dict]:
    """Each activity with its number and its minutes from the start (begin, end)."""
    rows, elapsed = [], 0
    for number, activity in enumerate(module.get("session_plan"), start=1):
        begin, elapsed = elapsed, elapsed + activity["minutes"]
        rows.append({"number": number, "activity": activity, "begin": begin, "end": elapsed})
    return rows


def _session_plan_context(module: Record) -> dict:
    plan = session_plan(module)
    return {"plan": plan, "elapsed": plan[-1]["end"] if plan else 0}


def session_plan_table(module: Record, lang: str = "sv") -> str:
    """The session plan with minutes and running totals from the start (no clock times)."""
    return _render("curriculum/session_plan.html", lang, module=module, **_session_plan_context(module))


def module_page(handbook: Handbook, module: Record, lang: str = "sv") -> str:
    return _render("curriculum/module.md", lang, module=module, here=module_url(module.id), title=module.text("title", lang),
                   total=minutes(module), before=prerequisites_of(handbook, module), after=followers_of(handbook, module),
                   helped=criteria_of(handbook, module), planner=PLANNER,
                   methods=[(m, handbook.get("method", m)) for m in module.get("methods") or ()],
                   materials=materials_of(handbook, module), in_the_room=module.get("in_the_room") or (),
                   handout=_handout(module, 4), **_session_plan_context(module))


def handout_page(handbook: Handbook, module: Record, lang: str = "sv") -> str:
    return _render("curriculum/handout.md", lang, module=module, here=handout_url(module.id), handout=_handout(module, 3))


def material_page(handbook: Handbook, material: Record, lang: str = "sv") -> str:
    """A material's own page: what it is for, the modules that use it and the handout, to print."""
    return _render("curriculum/material.md", lang, material=material, here=material_url(material.id), materials_index=MATERIALS,
                   title=material.text("title", lang), used_by=modules_using(handbook, material),
                   content={k: _shift_headings(v, 3) for k, v in material.get("content").items()})


def materials_index_page(handbook: Handbook, lang: str = "sv") -> str:
    """Every material, with the modules that use it."""
    items = sorted(handbook.all("material"), key=lambda m: m.text("title", lang))
    return _render("curriculum/materials.md", lang, here=MATERIALS,
                   items=[(m, modules_using(handbook, m)) for m in items])


@registry.apart_from_directory  # the same pages whatever the organisations and profiles (tests/test_live.py)
@registry.pages
def curriculum_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    found = []
    for module in modules(handbook):
        found.append((f"{SECTION}{module.id}.md", module_page(handbook, module, lang)))
        found.append((f"{SECTION}{module.id}/deltagarblad.md", handout_page(handbook, module, lang)))
    if handbook.all("material"):
        found.append((f"{MATERIALS}index.md", materials_index_page(handbook, lang)))
    for material in handbook.all("material"):
        found.append((f"{MATERIALS}{material.id}.md", material_page(handbook, material, lang)))
    return found


# Macros for the hand-written pages in docs/handledarutbildning/

@registry.macro
def curriculum_summary(handbook: Handbook, lang: str = "sv") -> str:
    items = modules(handbook)
    return _render("curriculum/summary.html", lang, count=len(items),
                   teaching=sum(m.get("duration")["teaching"] for m in items),
                   exercise=sum(m.get("duration")["exercise"] for m in items))


@registry.macro
def curriculum_order(handbook: Handbook, lang: str = "sv") -> str:
    return _render("curriculum/order.html", lang, here=SECTION,
                   items=[(m, prerequisites_of(handbook, m)) for m in course_order(handbook)])


def coverage_groups(handbook: Handbook) -> list[dict]:
    """The criteria in runs of the same area: [{"area_id", "area", "rows": [{"criterion", "helped"}]}]."""
    groups = []
    for criterion in criteria(handbook):
        if not groups or groups[-1]["area_id"] != criterion.get("area"):
            groups.append({"area_id": criterion.get("area"), "area": handbook.get("area", criterion.get("area")), "rows": []})
        groups[-1]["rows"].append({"criterion": criterion, "helped": set(modules_for(handbook, criterion))})
    return groups


@registry.macro
def coverage_matrix(handbook: Handbook, lang: str = "sv") -> str:
    """Criteria as rows (grouped by area), modules as columns in course order; derived from the criteria."""
    ordered = course_order(handbook)
    groups = coverage_groups(handbook)
    counts = {m.id: sum(m.id in row["helped"] for group in groups for row in group["rows"]) for m in ordered}
    return _render("curriculum/coverage.html", lang, here=SECTION, ordered=ordered, groups=groups, counts=counts,
                   criteria_count=len(criteria(handbook)))


@registry.macro
def uncovered_criteria_list(handbook: Handbook, lang: str = "sv") -> str:
    missing = [(c, handbook.get("area", c.get("area"))) for c in uncovered_criteria(handbook)]
    return _render("curriculum/uncovered.html", lang, here=SECTION, missing=missing, criteria_count=len(criteria(handbook)))


def _json_for_script(value) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def planner_data(handbook: Handbook, lang: str = "sv") -> dict:
    here = PLANNER
    forms = _texts(lang).forms
    return {"modules": [{
        "id": m.id,
        "title": m.text("title", lang),
        "order": m.get("order"),
        "url": href(here, module_url(m.id)),
        "prerequisites": [p for p in _prerequisite_list(m) if handbook.get("module", p)],
        "activities": [{"title": localise(a["title"], lang)[0], "minutes": a["minutes"], "form": str(forms[a["form"]])}
                       for a in m.get("session_plan")],
    } for m in modules(handbook)]}


@registry.macro
def planner_modules_table(handbook: Handbook, lang: str = "sv") -> str:
    """What the page shows without JavaScript: every module, its length and what it builds on."""
    return _render("curriculum/planner_table.html", lang, here=PLANNER,
                   items=[(m, prerequisites_of(handbook, m)) for m in course_order(handbook)],
                   total=sum(minutes(m) for m in modules(handbook)))


def script_texts(lang: str = "sv") -> dict[str, str]:
    """What curriculum.js shows (the plan, its times and messages), in `lang`; {name} is a placeholder
    the script fills. Catalogue texts kept in curriculum/script_texts.html."""
    return {key: str(text) for key, text in environment(lang).get_template("curriculum/script_texts.html").module.texts.items()}


@registry.macro
def planner_form(handbook: Handbook, lang: str = "sv") -> str:
    """The planner's controls, from the data; hidden until the script starts them."""
    # The JSON is built here and made safe for a script element, so the template takes it as markup.
    return _render("curriculum/planner_form.html", lang, ordered=course_order(handbook),
                   planner_json=Markup(_json_for_script(planner_data(handbook, lang))),
                   script_texts=Markup(_json_for_script(script_texts(lang))))
