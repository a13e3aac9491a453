"""The methods library: /metoder/, one page and one printable card per method,
the framework crosswalk /metoder/jamforelse/ and the socio-economic calculator.

Related modules and quality criteria are derived by reverse lookup (modules list
`methods`, criteria list `helped_by.methods`): a method record never repeats them.
Markup and interface text are in handbook/templates/methods/; this module keeps the
checks, the queries and the data the templates get.
"""
from __future__ import annotations

import json

from markupsafe import Markup

from .. import registry
from ..check import rule
from ..load import Loaded, field_path
from ..model import Handbook, Record
from ..problems import problem
from ..render import relative_url
from ..urls import area_url, criterion_url, method_url, module_url
from ..templating import environment, render_template


def words(lang: str = "sv"):
    """The area's interface words that Python needs (kinds, framework headings, the calculator's
    cost categories and actors), in `lang`. They are catalogue texts kept in the template
    methods/words.html, where the catalogue script finds them."""
    return environment(lang).get_template("methods/words.html").module


SECTION = "metoder"
CROSSWALK = "jamforelse"
RESERVED_IDS = (CROSSWALK,)
KINDS = ("metod", "verktyg", "princip")
KIND_LABELS = {kind: str(words().kinds[kind]) for kind in KINDS}  # in Swedish; kind_labels(lang) for others
FRAMEWORK_TAXONOMIES = (("euse", "euse-steg"), ("ips", "ips-principer"), ("equass", "equass-principer"))
FRAMEWORKS = tuple(  # (key in `frameworks`, taxonomy, heading on the crosswalk, in Swedish)
    (key, taxonomy, str(words().framework_headings[key])) for key, taxonomy in FRAMEWORK_TAXONOMIES)
FRAMEWORK_NAMES = {"euse": "EUSE", "ips": "IPS", "equass": "EQUASS"}  # names, the same in every language

# The calculator on the socio-economic accounting page. The categories are those of
# Nilsson & Wadeskog's method (NUTEK R 2006:26, foreword; vikanmittsverige.se); the reader
# supplies every figure: nothing here is a default amount.
CALCULATOR_METHOD = "socioekonomiskt-bokslut"
COST_CATEGORY_IDS = ("produktionsbortfall", "ersattningar", "vard", "rehabilitering", "rattsvasende", "skatteintakter")
COST_ACTOR_IDS = ("staten", "regionen", "kommunen", "individen")


def cost_categories(lang: str = "sv") -> tuple:
    """(id, name, what it covers) of each cost category, in `lang`."""
    found = words(lang).cost_categories
    return tuple((c, str(found[c][0]), str(found[c][1])) for c in COST_CATEGORY_IDS)


def cost_actors(lang: str = "sv") -> tuple:
    """(id, name) of each actor that bears costs, in `lang`."""
    return tuple((a, str(words(lang).cost_actors[a])) for a in COST_ACTOR_IDS)


def script_texts(lang: str = "sv") -> dict[str, str]:
    """What methods.js shows (the filter's count, the calculator's sums and messages), in `lang`;
    {name} is a placeholder the script fills. Catalogue texts kept in methods/script_texts.html."""
    return {key: str(text) for key, text in environment(lang).get_template("methods/script_texts.html").module.texts.items()}


def _texts_json(lang: str) -> Markup:
    """The script's texts as JSON that is safe inside <script type="application/json">: no <, > or &."""
    return Markup(json.dumps(script_texts(lang), ensure_ascii=False, separators=(",", ":"))
                  .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


COST_CATEGORIES = cost_categories()  # in Swedish
COST_ACTORS = cost_actors()


# URLs (site paths without a leading slash; link between them with relative_url)

def card_url(method_id: str) -> str:
    return f"{SECTION}/{method_id}/kort/"


def crosswalk_url(anchor: str = "") -> str:
    return f"{SECTION}/{CROSSWALK}/" + (f"#{anchor}" if anchor else "")


def term_anchor(framework: str, term_id: str) -> str:
    return f"{framework}-{term_id}"


# Named queries

def methods(handbook: Handbook) -> list[Record]:
    """Every method, in reading order."""
    return handbook.all("method")


def modules_teaching(handbook: Handbook, method_id: str) -> list[Record]:
    """Curriculum modules that list the method under `methods`."""
    return [m for m in handbook.all("module") if method_id in (m.get("methods") or ())]


def criteria_helped_by(handbook: Handbook, method_id: str) -> list[Record]:
    """Quality criteria that list the method under `helped_by.methods`, by area, then order."""
    found = [c for c in handbook.all("criterion") if method_id in ((c.get("helped_by") or {}).get("methods") or ())]
    return sorted(found, key=lambda c: (_area_order(handbook, c.get("area")), c.order))


def _area_order(handbook: Handbook, area_id: str) -> tuple:
    area = handbook.get("area", area_id)
    return area.order if area else (0, area_id)


def steps_for_term(handbook: Handbook, framework: str, term_id: str) -> list[tuple[Record, int, object]]:
    """(method, step number from 1, step) for every method step that maps to a framework term."""
    return [(m, n, step) for m in methods(handbook) for n, step in enumerate(m.get("steps", ()), 1)
            if term_id in ((step.get("frameworks") or {}).get(framework) or ())]


def criteria_for_term(handbook: Handbook, framework: str, term_id: str) -> list[Record]:
    found = [c for c in handbook.all("criterion") if term_id in ((c.get("frameworks") or {}).get(framework) or ())]
    return sorted(found, key=lambda c: (_area_order(handbook, c.get("area")), c.order))


def criteria_in_area(handbook: Handbook, area_id: str) -> list[Record]:
    return [c for c in handbook.all("criterion") if c.get("area") == area_id]


def methods_for_area(handbook: Handbook, area_id: str) -> list[Record]:
    """Methods that help meet at least one criterion of the area, in reading order."""
    wanted = {m for c in criteria_in_area(handbook, area_id) for m in ((c.get("helped_by") or {}).get("methods") or ())}
    return [m for m in methods(handbook) if m.id in wanted]


def _terms(handbook: Handbook, taxonomy: str) -> list:
    return handbook.terms(taxonomy) if handbook.get("taxonomy", taxonomy) else []


def _term_label(handbook: Handbook, taxonomy: str, term_id: str, lang: str = "sv") -> str:
    for term in _terms(handbook, taxonomy):
        if term.id == term_id:
            return term.text(lang)
    return term_id


# Checks that the schema cannot say

@rule("method")
def evidence_sources_listed(handbook, record, loaded: Loaded):
    listed = {(s.get("title"), s.get("url")) for s in record.get("sources", ()) if hasattr(s, "get")}
    cited = [(("evidence", i, "source"), claim.get("source")) for i, claim in enumerate(record.get("evidence", ()))
             if hasattr(claim, "get")]
    fidelity = record.get("fidelity")
    if hasattr(fidelity, "get") and fidelity.get("source"):
        cited.append((("fidelity", "source"), fidelity.get("source")))
    for where, source in cited:
        if not hasattr(source, "get") or not source.get("title"):
            continue  # the schema reports a source without a title
        if (source.get("title"), source.get("url")) not in listed:
            line, column = loaded.place(where)
            shown = source.get("url") or source.get("note") or source.get("publisher") or ""
            yield problem(loaded.path, line, column, field_path(where), "evidence-source",
                          title=source.get("title"), url=shown)


@rule("method")
def not_related_to_itself(handbook, record, loaded: Loaded):
    for index, other in enumerate(record.get("related", ())):
        if other == record.id:
            line, column = loaded.place(("related", index))
            yield problem(loaded.path, line, column, field_path(("related", index)), "related-self", id=record.id)


@rule("method")
def id_not_reserved(handbook, record, loaded: Loaded):
    if record.id in RESERVED_IDS:
        yield problem(loaded.path, 1, 1, "", "reserved-method-id", id=record.id)


# What the templates get: records with their links and derived listings (plain values, no markup)

def _step(handbook: Handbook, page_url: str, step, lang: str) -> dict:
    frameworks = step.get("frameworks") or {}
    badges = [(relative_url(page_url, crosswalk_url(term_anchor(key, term_id))), FRAMEWORK_NAMES[key],
               _term_label(handbook, taxonomy, term_id, lang))
              for key, taxonomy in FRAMEWORK_TAXONOMIES for term_id in frameworks.get(key) or ()]
    return {"record": step, "badges": badges}


def _method(handbook: Handbook, method: Record, page_url: str, lang: str = "sv", related: bool = False) -> dict:
    """One method as its page, its card and the library show it; `page_url` is where it is shown."""
    kind = method.get("kind")
    found = {
        "record": method, "url": method_url(method.id),
        "kind": words(lang).kinds.get(kind, kind),
        "target_groups": [_term_label(handbook, "malgrupper", i, lang) for i in method.get("target_groups", ())],
        "actors": [_term_label(handbook, "aktorer", i, lang) for i in method.get("actors", ())],
        "steps": [_step(handbook, page_url, step, lang) for step in method.get("steps", ())],
    }
    if related:
        others = [handbook.get("method", i) for i in method.get("related", ())]
        found["url"] = page_url
        found["others"] = [{"record": o, "url": method_url(o.id)} if o else None for o in others]
        found["criteria"] = [{"record": c, "url": criterion_url(c.get("area"), c.id), "area": handbook.get("area", c.get("area"))}
                             for c in criteria_helped_by(handbook, method.id)]
        found["modules"] = [{"record": m, "url": module_url(m.id)} for m in modules_teaching(handbook, method.id)]
    return found


@registry.macro
def method_library(handbook: Handbook, lang: str = "sv") -> str:
    """The cards on /metoder/, with a filter that JavaScript switches on (without it: the plain list)."""
    all_methods = methods(handbook)
    kinds = words(lang).kinds
    used_kinds = [k for k in KINDS if any(m.get("kind") == k for m in all_methods)]
    here = SECTION + "/"
    return render_template(
        "methods/library.html", lang, here=here, methods=[_method(handbook, m, here, lang) for m in all_methods],
        target_groups=[(t.id, t.text(lang)) for t in _terms(handbook, "malgrupper")],
        kinds=[(k, kinds[k]) for k in used_kinds],
        actors=[(t.id, t.text(lang)) for t in _terms(handbook, "aktorer")], texts=_texts_json(lang))


@registry.macro
def method_count(handbook: Handbook, lang: str = "sv") -> str:
    return str(len(methods(handbook)))


def method_page(handbook: Handbook, method: Record, lang: str = "sv") -> str:
    url = method_url(method.id)
    with_calculator = method.id == CALCULATOR_METHOD
    return render_template(
        "methods/method.md", lang, m=_method(handbook, method, url, lang, related=True), title=method.text("title", lang),
        description=method.text("summary", lang), card_url=card_url(method.id), crosswalk_url=crosswalk_url(),
        with_calculator=with_calculator,
        **({"categories": cost_categories(lang), "actors": cost_actors(lang), "texts": _texts_json(lang)}
           if with_calculator else {}))


def card_page(handbook: Handbook, method: Record, lang: str = "sv") -> str:
    """A one-page method card for printing: the essentials, no framework badges or long texts."""
    url = card_url(method.id)
    return render_template("methods/card.md", lang, m=_method(handbook, method, url, lang), card_url=url,
                           title=method.text("title", lang), description=method.text("summary", lang))


def crosswalk_page(handbook: Handbook, lang: str = "sv") -> str:
    url = crosswalk_url()
    headings = words(lang).framework_headings

    def criteria(found):
        return [{"record": c, "url": criterion_url(c.get("area"), c.id)} for c in found]

    frameworks = []
    for key, taxonomy in FRAMEWORK_TAXONOMIES:
        rows = [{"term": term, "anchor": term_anchor(key, term.id),
                 "steps": [{"method": m, "method_url": method_url(m.id), "number": n, "step": step}
                           for m, n, step in steps_for_term(handbook, key, term.id)],
                 "criteria": criteria(criteria_for_term(handbook, key, term.id))}
                for term in _terms(handbook, taxonomy)]
        frameworks.append({"key": key, "heading": headings[key], "record": handbook.get("taxonomy", taxonomy), "rows": rows})
    areas = []
    for area in handbook.all("area"):
        in_area = sorted(criteria_in_area(handbook, area.id), key=lambda c: c.order)
        terms = []
        for key, taxonomy in FRAMEWORK_TAXONOMIES:
            ids = []
            for c in in_area:
                ids += [t for t in ((c.get("frameworks") or {}).get(key) or ()) if t not in ids]
            terms += [{"anchor": term_anchor(key, t), "name": FRAMEWORK_NAMES[key], "label": _term_label(handbook, taxonomy, t, lang)}
                      for t in ids]
        areas.append({"record": area, "url": area_url(area.id), "criteria": criteria(in_area), "terms": terms,
                      "methods": [{"record": m, "url": method_url(m.id)} for m in methods_for_area(handbook, area.id)]})
    return render_template("methods/crosswalk.md", lang, here=url, frameworks=frameworks, areas=areas)


def calculator(lang: str = "sv") -> str:
    """The socio-economic calculator: inputs per cost category and actor, sums in the browser only."""
    return render_template("methods/calculator.html", lang, categories=cost_categories(lang), actors=cost_actors(lang),
                           texts=_texts_json(lang))


# Generated pages

@registry.apart_from_directory  # the same pages whatever the organisations and profiles (tests/test_live.py)
@registry.pages
def method_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    found = []
    for method in methods(handbook):
        found.append((f"{SECTION}/{method.id}/index.md", method_page(handbook, method, lang)))
        found.append((f"{SECTION}/{method.id}/kort.md", card_page(handbook, method, lang)))
    if methods(handbook):
        found.append((f"{SECTION}/{CROSSWALK}.md", crosswalk_page(handbook, lang)))
    return found

