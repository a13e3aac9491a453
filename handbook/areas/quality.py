"""The quality model: areas, their criteria, the self-assessment and the model as open data.

Pages: /kvalitetsmodell/<area-id>/ (generated, one anchor per criterion) and two hand-written
pages that call the macros here: the overview and the self-assessment. Their markup and interface
text are in handbook/templates/quality/; this module keeps the checks, the queries and the data
the templates get.
"""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from markupsafe import Markup

from .. import links, messages, registry
from ..check import rule
from ..exports import safe_cell, as_dicts
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import problem
from ..urls import area_url, criterion_url
from ..render import cite_text, relative_url
from ..templating import LANGUAGES, environment, render_template


def words(lang: str = "sv"):
    """The area's interface words that Python needs (level names, what helps, the dataset's title), in `lang`.

    They are catalogue texts kept in the template quality/words.html, so the catalogue script
    finds them there; templates import them from it and Python reads them here."""
    return environment(lang).get_template("quality/words.html").module


# The model's four maturity levels; a criterion describes each in its own `levels`.
LEVELS = tuple((n, {lang: str(words(lang).levels[n]) for lang in LANGUAGES}) for n in (1, 2, 3, 4))

INDEX_URL = "kvalitetsmodell/"
SELF_ASSESSMENT_URL = "kvalitetsmodell/sjalvskattning/"
RESERVED_IDS = {"sjalvskattning", "index"}  # hand-written pages beside the area pages
YAML_LIBRARY = "assets/js-yaml.min.js"  # vendored (README.md); quality.js loads it on the page only
PROFILE_FORM = "kvalitetsprofil.yml"  # the issue form for quality profiles (handbook/forms.py)



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


def helpers(handbook: Handbook, criterion: Record, lang: str = "sv") -> list[tuple[str, str, str]]:
    """(what, title, site URL) of every curriculum module and method that helps meet the criterion."""
    found = []
    kinds = words(lang).helper_kinds
    helped = criterion.get("helped_by") or {}
    for module_id in helped.get("modules", ()):
        record = handbook.get("module", module_id)
        found.append((str(kinds["module"]), record.text("title", lang) if record else module_id,
                      f"handledarutbildning/{module_id}/"))
    for method_id in helped.get("methods", ()):
        record = handbook.get("method", method_id)
        found.append((str(kinds["method"]), record.text("title", lang) if record else method_id, f"metoder/{method_id}/"))
    return found


def level_name(level: int, lang: str = "sv") -> str:
    return str(words(lang).levels[level])


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


@registry.apart_from_directory  # the same pages whatever the organisations and profiles (tests/test_live.py)
@registry.pages
def area_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    return [(f"kvalitetsmodell/{area.id}.md", area_page(handbook, area, lang)) for area in areas(handbook)]


def _term_labels(handbook: Handbook, taxonomy: str, ids) -> list:
    """The localised label of each term, or its id when the list does not have it (templates show either)."""
    labels = {t.id: t for t in handbook.terms(taxonomy)} if handbook.get("taxonomy", taxonomy) else {}
    return [labels[i].label if i in labels else i for i in ids]


FRAMEWORK_TAXONOMIES = (("equass", "equass-principer"), ("euse", "euse-steg"), ("ips", "ips-principer"))


def _criterion(handbook: Handbook, criterion: Record, here: str, lang: str = "sv") -> dict:
    """What the templates show of one criterion on the page at `here`."""
    frameworks = criterion.get("frameworks") or {}
    return {
        "record": criterion, "number": number(handbook, criterion), "title": criterion.text("title", lang),
        "url": criterion_url(criterion.get("area"), criterion.id), "here": here,
        "roles": _term_labels(handbook, "roller", criterion.get("roles")),
        "target_groups": _term_labels(handbook, "malgrupper", criterion.get("target_groups") or ()),
        "frameworks": [(key, _term_labels(handbook, taxonomy, frameworks[key]))
                       for key, taxonomy in FRAMEWORK_TAXONOMIES if frameworks.get(key)],
        "helpers": helpers(handbook, criterion, lang),
    }


def criterion_body(handbook: Handbook, criterion: Record, here: str, lang: str = "sv") -> str:
    """Everything about one criterion, as an HTML fragment for the page at `here`."""
    return str(environment(lang).get_template("quality/_criterion.html").module.criterion_body(
        _criterion(handbook, criterion, here, lang)))


def _neighbours(handbook: Handbook, area: Record, lang: str = "sv") -> dict:
    """The areas before and after this one (None at either end), for the pager."""
    ordered = areas(handbook)
    at = [a.id for a in ordered].index(area.id)
    found = {}
    for key, index in (("previous", at - 1), ("next", at + 1)):
        other = ordered[index] if 0 <= index < len(ordered) else None
        found[key] = {"url": area_url(other.id), "name": f"{other.get('order')}. {other.text('title', lang)}"} if other else None
    return found


def area_page(handbook: Handbook, area: Record, lang: str = "sv") -> str:
    here = area_url(area.id)
    return render_template(
        "quality/area.md", lang, area=area, here=here, heading=f"{area.get('order')}. {area.text('title', lang)}",
        criteria=[_criterion(handbook, c, here, lang) for c in criteria_of(handbook, area.id)],
        assessment_url=SELF_ASSESSMENT_URL, index_url=INDEX_URL, **_neighbours(handbook, area, lang))


def _pager(handbook: Handbook, area: Record, lang: str = "sv") -> str:
    """Links to the areas before and after this one, so the model can be read from start to end."""
    return render_template("quality/pager.html", lang, here=area_url(area.id), **_neighbours(handbook, area, lang))


# Macros for the hand-written pages


@registry.macro
def quality_levels(handbook: Handbook, lang: str = "sv") -> str:
    return render_template("quality/levels.html", lang)


def _areas(handbook: Handbook, here: str, lang: str = "sv") -> list[dict]:
    """Every area with its criteria, as the overview and the self-assessment show them."""
    return [{"record": area, "title": area.text("title", lang), "url": area_url(area.id),
             "criteria": [_criterion(handbook, c, here, lang) for c in criteria_of(handbook, area.id)]}
            for area in areas(handbook)]


@registry.macro
def quality_model_overview(handbook: Handbook, lang: str = "sv") -> str:
    """Every area with its criteria, linked to their anchors; for /kvalitetsmodell/."""
    return render_template("quality/overview.html", lang, here=INDEX_URL, areas=_areas(handbook, INDEX_URL, lang))


@registry.macro
def quality_count(handbook: Handbook, lang: str = "sv") -> str:
    return render_template("quality/count.html", lang, areas=handbook.count("area"), criteria=handbook.count("criterion"))


def _json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">: no <, > or & survives as itself."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def assessment_data(handbook: Handbook, here: str = SELF_ASSESSMENT_URL, lang: str = "sv") -> dict:
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
        "levels": [{"level": n, "name": name[lang]} for n, name in LEVELS],
        "notApplicable": str(words(lang).not_applicable),
        "areas": [{
            "id": area.id,
            "order": area.get("order"),
            "title": area.text("title", lang),
            "url": relative_url(here, area_url(area.id)),
            # A criterion's number, title and link are in its fieldset; the script reads them there.
            "criteria": [{"id": c.id, "helps": [helper(*item) for item in helpers(handbook, c, lang)]}
                         for c in criteria_of(handbook, area.id)],
        } for area in areas(handbook)],
        "helpers": helpers_list,
    }


def script_texts(lang: str = "sv") -> dict[str, str]:
    """What quality.js shows, exports and says, in `lang` ({name}: a placeholder the script fills).

    Catalogue texts kept in the template quality/script_texts.html, where the catalogue script finds them."""
    return {key: str(text) for key, text in environment(lang).get_template("quality/script_texts.html").module.texts.items()}


@registry.macro
def self_assessment(handbook: Handbook, lang: str = "sv") -> str:
    """The whole checklist as a form; quality.js adds saving, the summary, export and import."""
    here = SELF_ASSESSMENT_URL
    # Built here, safely: _json_for_script leaves no <, > or & in the JSON.
    data = Markup(_json_for_script(assessment_data(handbook, here, lang)))
    texts = Markup(_json_for_script(script_texts(lang)))
    repo = links.repo_from(registry.SETTINGS)
    return render_template("quality/self_assessment.html", lang, here=here, areas=_areas(handbook, here, lang), data=data,
                           texts=texts, kinds=list(words(lang).assessed_by.items()),
                           yaml_src=relative_url(here, YAML_LIBRARY),
                           # The script adds ?filename=...&value=... (GitHub's "create new file" page).
                           new_file=f"{repo.base}/new/{quote(repo.branch, safe='')}" if repo else "",
                           issue_form=repo.issue_url(PROFILE_FORM))


# The model as one open dataset


def model_dict(handbook: Handbook) -> dict:
    criteria = {}
    for item in as_dicts(handbook.all("criterion")):
        criteria.setdefault(item.pop("area"), []).append(item)
    return {
        "title": {lang: str(words(lang).model_title) for lang in LANGUAGES},
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
                "sources": "; ".join(cite_text(s) for s in c.get("sources") or ()),
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
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in model_rows(handbook):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return [("data/kvalitetsmodell.json", as_json), ("data/kvalitetsmodell.csv", buffer.getvalue().encode("utf-8-sig"))]
