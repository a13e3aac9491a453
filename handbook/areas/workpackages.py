"""Work packages, timeline and budget: projects, their packages and activities.

A project (a pre-study or a later implementation project) has packages and
activities; an activity's cost is its line items, transcribed as the source
prints them. Every total here is computed from the line items. A total that a
source states is kept as stated and compared, never replaced: a mismatch is a
warning in `make validate` and is shown on the budget page.

Nothing here knows about one particular project: every page loops over the
projects, and each project names its own development group (`group`).

The pages' markup is in handbook/templates/workpackages/ and their interface text in the site
catalogues; this module holds the checks, the queries and the data the templates are given.
"""
from __future__ import annotations

import csv
import io
import re
import weakref
from collections.abc import Iterator

from .. import messages, registry
from ..check import rule
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import Problem, describe, problem, warning
from ..exports import safe_cell
from ..templating import environment, render_template

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


def _texts(lang: str = "sv"):
    """The interface words Python needs too (labels, amounts, the CSV's columns), from the template that holds them."""
    return environment(lang).get_template("workpackages/_texts.html").module


# The Swedish labels by id (the texts, and their translations, are in workpackages/_texts.html).
PHASES = {key: str(label) for key, label in _texts().phases.items()}
STATUS = {key: str(label) for key, label in _texts().statuses.items()}
KINDS = {key: str(label) for key, label in _texts().kinds.items()}
WHOLE_GROUP = str(_texts().whole_group)
WHOLE_GROUP_NOTE = str(_texts().whole_group_note)
SECTION = "arbetspaket"
# Hand-written pages in the section: a package with one of these ids would take their address.
RESERVED = {"tidsplan": "page.timeline", "budget": "page.budget"}  # id -> the page it is (a catalogue entry)
INDEX_PAGE = f"{SECTION}/"
TIMELINE_PAGE = f"{SECTION}/tidsplan/"
BUDGET_PAGE = f"{SECTION}/budget/"




# ---------------------------------------------------------------- queries


def projects(handbook: Handbook) -> list[Record]:
    """Every project: pre-studies first, then implementation projects."""
    phase_order = list(PHASES)
    return sorted(handbook.all("project"),
                  key=lambda p: (phase_order.index(p.get("phase")) if p.get("phase") in phase_order else 99, p.id))


def packages_of(handbook: Handbook, project_id: str) -> list[Record]:
    return sorted((p for p in handbook.all("package") if p.get("project") == project_id),
                  key=lambda p: (p.get("number") or 0, p.id))


_ANY = object()


def activities_of(handbook: Handbook, project_id: str, package=_ANY) -> list[Record]:
    """Activities of a project in reading order; `package=None` gives those of the whole working group."""
    return [a for a in handbook.all("activity") if a.get("project") == project_id
            and (package is _ANY or a.get("package") == package)]


def line_items(activity: Record) -> list:
    return [item for item in activity.get("line_items", ()) if hasattr(item, "get")]


def cost(activity: Record) -> int:
    """An activity's cost: the sum of its line items."""
    return sum(amount for item in line_items(activity) if _is_amount(amount := item.get("amount")))


def total(activities: list[Record]) -> int:
    return sum(cost(a) for a in activities)


def computed_total(handbook: Handbook, project_id: str) -> int:
    return total(activities_of(handbook, project_id))


def months_of(record: Record) -> list[str]:
    """The record's months in calendar order."""
    return sorted((m for m in record.get("months", ()) if m in MONTHS), key=MONTHS.index)


def month_name(month: str, lang: str = "sv") -> str:
    return str(_texts(lang).months[month])


def period_label(months: list[str] | tuple, lang: str = "sv") -> str:
    """`mars`, `maj–juni` (one period), or `mars, maj` when the months are not in a row."""
    months = sorted(months, key=MONTHS.index)
    names = [month_name(m, lang) for m in months]
    if len(months) <= 1:
        return "".join(names)
    indexes = [MONTHS.index(m) for m in months]
    if indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


def and_list(months: list[str], lang: str = "sv") -> str:
    """`mars och maj`: the months' names, with the language's "and" between them."""
    return f" {_texts(lang).and_word} ".join(month_name(m, lang) for m in months)


def capital(value: str) -> str:
    """The first letter in upper case, the rest as it is (`maj–juni` -> `Maj–juni`; `May–June` stays)."""
    return value[:1].upper() + value[1:]


def label(names: str, key, lang: str = "sv") -> str:
    """The label of an id in one of the lists of _texts.html (phases, statuses, kinds); an unknown id as it is."""
    value = getattr(_texts(lang), names).get(key, key)
    return "" if value is None else str(value)


def periods(handbook: Handbook, project: Record) -> list[tuple[str, ...]]:
    """Each month of the project, and each span of months an activity covers (such as maj–juni), in calendar order.

    An activity over several months is kept whole: the source gives one cost for the span, not one per month.
    """
    found = {(m,) for m in months_of(project)}
    found |= {tuple(months_of(a)) for a in activities_of(handbook, project.id) if months_of(a)}
    return sorted(found, key=lambda p: (MONTHS.index(p[0]), len(p)))


def package_label(package: Record, lang: str = "sv") -> str:
    """"Paket 2: Title", as plain text."""
    return _texts(lang).package_label(package).unescape()


def group_members(handbook: Handbook, group: str | None) -> list[tuple[Record, object]]:
    """(organisation, its role) for every organisation with a membership in `group`, in Swedish alphabetical order."""
    if not group:
        return []
    return list(_members(handbook).get(group, ()))


def _members(handbook: Handbook) -> dict[str, list[tuple[Record, object]]]:
    """Group -> (organisation, its role) in Swedish alphabetical order, worked out once per content."""
    found = _MEMBERS.get(handbook)
    if found is None:
        found = {}
        for organisation in handbook.all("organisation"):
            seen = set()
            for membership in organisation.get("memberships", ()):
                if hasattr(membership, "get") and membership.get("group") not in seen:
                    seen.add(membership.get("group"))
                    found.setdefault(membership.get("group"), []).append((organisation, membership.get("role")))
        for pairs in found.values():
            pairs.sort(key=lambda pair: swedish_key(pair[0].get("name", pair[0].id)))
        _MEMBERS[handbook] = found
    return found


_MEMBERS: "weakref.WeakKeyDictionary[Handbook, dict]" = weakref.WeakKeyDictionary()


def swedish_key(value: str) -> str:
    """Sort key in Swedish order: å, ä and ö come after z."""
    return value.lower().translate(str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"}))


# ---------------------------------------------------------------- amounts

_PRINTED = re.compile(r"\d+|\d{1,3}(?:([. \u00a0])\d{3})(?:\1\d{3})*")


def printed_amount(value) -> int | None:
    """An amount as a Swedish source prints it ("5.000", "10 000", "500") in whole kronor, or None."""
    if not isinstance(value, str) or not _PRINTED.fullmatch(value.strip()):
        return None
    return int(re.sub(r"\D", "", value))


def _is_amount(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def kronor(amount: int, lang: str = "sv") -> str:
    """12500 -> "12 500 kr", with no-break spaces so a figure never wraps."""
    return str(_texts(lang).kronor(_figure(amount)))


def _figure(amount: int) -> str:
    """12500 -> "12 500" (no-break space), for tables whose caption says the unit."""
    return f"{amount:,}".replace(",", "\u00a0")


# ---------------------------------------------------------------- checks


def _amount_problems(loaded: Loaded, at: tuple, text_key: str, number_key: str, data) -> Iterator[Problem]:
    printed, number = data.get(text_key), data.get(number_key)
    if printed is None or not isinstance(printed, str):
        return
    reads = printed_amount(printed)
    if reads is None:
        line, column = loaded.place(at + (text_key,))
        yield problem(loaded.path, line, column, field_path(at + (text_key,)), "amount-unreadable", found=describe(printed))
    elif _is_amount(number) and number != reads:
        line, column = loaded.place(at + (number_key,))
        yield problem(loaded.path, line, column, field_path(at + (number_key,)), "amount-text", text_field=text_key,
                      text=describe(printed), reads=reads, number_field=number_key, amount=number)


@rule("activity")
def amounts_match_as_printed(handbook, record, loaded: Loaded):
    for index, item in enumerate(record.get("line_items", ())):
        if hasattr(item, "get"):
            yield from _amount_problems(loaded, ("line_items", index), "amount_text", "amount", item)


@rule("project")
def stated_total_matches_as_printed(handbook, record, loaded: Loaded):
    yield from _amount_problems(loaded, (), "stated_total_text", "stated_total", record.data)


@rule("project")
def stated_total_is_compared(handbook, record, loaded: Loaded):
    """A stated total that differs from the computed one is a warning: shown, never replaced."""
    stated = record.get("stated_total")
    if not _is_amount(stated):
        return
    activities = activities_of(handbook, record.id)
    computed = total(activities)
    if computed != stated:
        line, column = loaded.place(("stated_total",))
        yield warning(loaded.path, line, column, "stated_total", messages.message(
            "stated-total", stated=stated, computed=computed, count=len(activities), difference=abs(stated - computed),
            direction=messages.message("direction.less" if computed < stated else "direction.more")))


@rule("activity")
def package_of_the_same_project(handbook, record, loaded: Loaded):
    package = handbook.get("package", record.get("package")) if isinstance(record.get("package"), str) else None
    if package is None or not isinstance(record.get("project"), str):
        return  # a missing package or project is reported as a reference
    if package.get("project") != record.get("project"):
        line, column = loaded.place(("package",))
        yield problem(loaded.path, line, column, "package", "package-project", package=package.id,
                      owner=package.get("project"), project=record.get("project"))


@rule("activity")
def months_within_the_project(handbook, record, loaded: Loaded):
    project = handbook.get("project", record.get("project")) if isinstance(record.get("project"), str) else None
    if project is None:
        return
    allowed = list(project.get("months", ()))
    for index, month in enumerate(record.get("months", ())):
        if month in MONTHS and month not in allowed:
            line, column = loaded.place(("months", index))
            yield problem(loaded.path, line, column, field_path(("months", index)), "month-outside-project",
                          month=month, project=project.id, months=", ".join(allowed), where=project.path)


@rule("package")
def id_is_not_a_page(handbook, record, loaded: Loaded):
    if record.id in RESERVED:
        project = record.get("project") if isinstance(record.get("project"), str) else "projekt"
        yield problem(loaded.path, 1, 1, "", "reserved-id", id=record.id, page=messages.message(RESERVED[record.id]),
                      suggest=f"{project}-{record.id}")


@rule("package")
def number_unique_in_project(handbook, record, loaded: Loaded):
    number = record.get("number")
    if not _is_amount(number):
        return
    for other in packages_of(handbook, record.get("project")):
        if other.get("number") == number and other.id != record.id:
            if other.id < record.id:  # report it once, on the later file
                line, column = loaded.place(("number",))
                yield problem(loaded.path, line, column, "number", "package-number", number=number, other=other.id,
                              project=record.get("project"))
            return


# ---------------------------------------------------------------- rendering


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}\u00a0%" if whole else "–"


def _widths(items: list[tuple[object, int]]) -> list[tuple[object, int, str]]:
    """Each bar's width in per cent of the largest (a bar with an amount is never narrower than 0.5 %)."""
    largest = max((amount for _, amount in items), default=0)
    return [(name, amount, f"{0 if not largest or not amount else max(0.5, 100 * amount / largest):.1f}")
            for name, amount in items]


def _months_range(project: Record, lang: str = "sv") -> str:
    months = [month_name(m, lang) for m in months_of(project)]
    return f"{months[0]}–{months[-1]}" if len(months) > 1 else "".join(months)


def _anchor(project: Record, part: str = "") -> str:
    return f"{project.id}-{part}" if part else project.id


def _render(name: str, lang: str, page: str, **context) -> str:
    """A work-package template, with the page's address and the helpers in the page's language."""
    return render_template(
        name, lang, page=page, section=SECTION, index_page=INDEX_PAGE, timeline_page=TIMELINE_PAGE,
        budget_page=BUDGET_PAGE, months_of=months_of, line_items=line_items, cost_of=cost, total=total,
        figure=_figure, share=_share, capital=capital,
        kronor=lambda amount: kronor(amount, lang), period=lambda months: period_label(months, lang),
        month_name=lambda month: month_name(month, lang), and_list=lambda months: and_list(months, lang),
        months_range=lambda project: _months_range(project, lang), label=lambda names, key: label(names, key, lang),
        **context)


# ---------------------------------------------------------------- /arbetspaket/


@registry.macro
def workpackage_projects(handbook: Handbook, page: str = INDEX_PAGE, lang: str = "sv") -> str:
    """Every project: purpose, target groups, horizontal principles, packages and development group."""
    return _render("workpackages/projects.md", lang, page, sections=[_project(handbook, p, lang) for p in projects(handbook)])


def _project(handbook: Handbook, project: Record, lang: str) -> dict:
    activities = activities_of(handbook, project.id)
    shared = activities_of(handbook, project.id, None)
    stated = project.get("stated_total")
    group = project.get("group")
    members = group_members(handbook, group)
    return {
        "project": project, "activities": activities, "computed": total(activities),
        "stated": stated if _is_amount(stated) else None,
        "packages": [(p, total(activities_of(handbook, project.id, p.id))) for p in packages_of(handbook, project.id)],
        "shared": shared, "shared_total": total(shared),
        "target_groups": [handbook.term("malgrupper", g) for g in project.get("target_groups") or ()],
        "members": members, "group_label": handbook.term("natverk", group).text(lang) if members else "",
    }


# ---------------------------------------------------------------- /arbetspaket/<package-id>/


@registry.pages
def package_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    return [(f"{SECTION}/{p.id}.md", package_page(handbook, p, lang)) for p in handbook.all("package")
            if p.id not in RESERVED]


def package_page(handbook: Handbook, package: Record, lang: str = "sv") -> str:
    project = handbook.get("project", package.get("project"))
    activities = activities_of(handbook, project.id, package.id)
    responsible = [handbook.get("organisation", r) for r in package.get("responsible") or ()]
    return _render("workpackages/package.md", lang, f"{SECTION}/{package.id}/", package=package, project=project,
                   title=package_label(package, lang), activities=activities, cost=total(activities),
                   responsible=[o for o in responsible if o is not None],
                   members=group_members(handbook, project.get("group")))


# ---------------------------------------------------------------- /arbetspaket/tidsplan/


@registry.macro
def workpackage_timeline(handbook: Handbook, page: str = TIMELINE_PAGE, lang: str = "sv") -> str:
    """For every project: a table of months × packages, with a row for the whole working group."""
    return _render("workpackages/timeline.md", lang, page, sections=[_timeline(handbook, p) for p in projects(handbook)])


def _timeline_rows(handbook: Handbook, project: Record) -> list[tuple[Record | None, list[Record]]]:
    rows: list = [(package, activities_of(handbook, project.id, package.id)) for package in packages_of(handbook, project.id)]
    shared = activities_of(handbook, project.id, None)
    if shared:
        rows.append((None, shared))
    return rows


def _timeline(handbook: Handbook, project: Record) -> dict:
    months = months_of(project)
    activities = activities_of(handbook, project.id)
    return {
        "project": project, "months": months,
        "rows": [{"package": package, "total": total(acts),
                  "cells": [[a for a in acts if month in months_of(a)] for month in months]}
                 for package, acts in _timeline_rows(handbook, project)],
        "spanning": [a for a in activities if len(months_of(a)) > 1],
        "empty": [m for m in months if not any(m in months_of(a) for a in activities)],
    }


# ---------------------------------------------------------------- /arbetspaket/budget/


@registry.macro
def workpackage_budget(handbook: Handbook, page: str = BUDGET_PAGE, lang: str = "sv") -> str:
    """For every project: the totals compared, cost per package, per month and per kind, every line item, a CSV."""
    return _render("workpackages/budget.md", lang, page, sections=[_budget(handbook, p, lang) for p in projects(handbook)])


def comparison(stated, computed: int, lang: str = "sv") -> str:
    """The stated total against the computed one, in words (plain text)."""
    if not _is_amount(stated):
        words = _texts(lang).comparison(None, kronor(computed, lang), None, False)
    else:
        words = _texts(lang).comparison(kronor(stated, lang), kronor(computed, lang),
                                        kronor(abs(stated - computed), lang) if stated != computed else None,
                                        stated > computed)
    return words.unescape()


def csv_path(project: Record) -> str:
    return f"{BUDGET_PAGE}{project.id}-poster.csv"


def _budget(handbook: Handbook, project: Record, lang: str) -> dict:
    activities = activities_of(handbook, project.id)
    computed = total(activities)
    stated = project.get("stated_total")
    texts = _texts(lang)
    by_package = [(p, acts, total(acts)) for p, acts in _timeline_rows(handbook, project)]
    # Per month: an activity over several months keeps its own row.
    by_period = [(span, [a for a in activities if tuple(months_of(a)) == span]) for span in periods(handbook, project)]
    kinds: dict = {}
    for activity in activities:
        kinds.setdefault(activity.get("kind"), []).append(activity)
    order = list(KINDS)
    return {
        "project": project, "activities": activities, "computed": computed,
        "stated": stated if _is_amount(stated) else None, "printed": project.get("stated_total_text"),
        "difference": abs(stated - computed) if _is_amount(stated) else None,
        "mismatch": _is_amount(stated) and stated != computed, "comparison": comparison(stated, computed, lang),
        "by_package": by_package,
        "package_bars": _widths([(texts.package_label(p) if p else texts.whole_group, amount) for p, _, amount in by_package]),
        "by_period": by_period,
        "period_bars": _widths([(capital(period_label(span, lang)), total(acts)) for span, acts in by_period]),
        "spanning": [(span, acts) for span, acts in by_period if len(span) > 1 and acts],
        "empty": [span[0] for span, acts in by_period if not acts],
        "matrix": [{"package": package, "total": total(acts),
                    "cells": [(total([a for a in acts if tuple(months_of(a)) == span]),
                               any(tuple(months_of(a)) == span for a in acts)) for span, _ in by_period]}
                   for package, acts in _timeline_rows(handbook, project)],
        "by_kind": sorted(kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99),
        "count": sum(len(line_items(a)) for a in activities), "csv_path": csv_path(project),
        "package_of": {a.id: handbook.get("package", a.get("package")) if a.get("package") else None for a in activities},
    }


# ---------------------------------------------------------------- CSV of the line items

# The columns by their Swedish names; the header row is in the page's language (workpackages/_texts.html).
CSV_COLUMNS = [str(column) for column in _texts().csv_columns]


def line_items_csv(handbook: Handbook, project: Record, lang: str = "sv") -> bytes:
    """One row per line item, in the source's order; an activity without a cost gets one row with an empty amount.

    The header row and the texts are in `lang`; ids (activity, package, kind, months) stay ids."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    columns = _texts(lang).csv_columns
    writer.writerow([str(columns[column]) for column in CSV_COLUMNS])
    for activity in activities_of(handbook, project.id):
        base = [project.id, activity.id, activity.get("order"),
                activity.get("month_text") or period_label(months_of(activity), lang),
                "; ".join(months_of(activity)), activity.get("package") or "", activity.get("kind"), activity.text("title", lang)]
        for item in line_items(activity) or [None]:
            extra = ([localise(item.get("text"), lang)[0], item.get("amount"), item.get("amount_text", "")]
                     if item else ["", "", ""])
            writer.writerow([safe_cell(v) for v in base + extra])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


@registry.files
def budget_files(handbook: Handbook) -> list[tuple[str, bytes]]:
    return [(csv_path(p), line_items_csv(handbook, p)) for p in projects(handbook)]
