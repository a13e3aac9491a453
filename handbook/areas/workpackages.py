"""Work packages, timeline and budget: projects, their packages and activities.

A project (a pre-study or a later implementation project) has packages and
activities; an activity's cost is its line items, transcribed as the source
prints them. Every total here is computed from the line items. A total that a
source states is kept as stated and compared, never replaced: a mismatch is a
warning in `make validate` and is shown on the budget page.

Nothing here knows about one particular project: every page loops over the
projects, and each project names its own development group (`group`).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from .. import messages, registry
from ..check import rule
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import Problem, describe, problem, warning
from ..exports import safe_cell
from ..render import block, esc, front_matter, markdown, md_text, relative_url, sources, text

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
PHASES = {"forstudie": "Förstudie", "genomforande": "Genomförandeprojekt"}
STATUS = {"planerad": "Planerad", "pagar": "Pågår", "klar": "Klar"}
KINDS = {
    "mote-telefon": "Möte per telefon",
    "mote-fysiskt": "Fysiskt möte",
    "rapport": "Rapporter",
    "avstamning": "Avstämning",
    "skrivande": "Skrivande",
    "teknikstod": "Teknikstöd",
    "granskning": "Granskning",
}
WHOLE_GROUP = "Hela arbetsgruppen"
WHOLE_GROUP_NOTE = "aktiviteter som inte hör till ett paket"
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


def period_label(months: list[str] | tuple) -> str:
    """`mars`, `maj–juni` (one period), or `mars, maj` when the months are not in a row."""
    months = sorted(months, key=MONTHS.index)
    if len(months) <= 1:
        return "".join(months)
    indexes = [MONTHS.index(m) for m in months]
    if indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{months[0]}–{months[-1]}"
    return ", ".join(months)


def periods(handbook: Handbook, project: Record) -> list[tuple[str, ...]]:
    """Each month of the project, and each span of months an activity covers (such as maj–juni), in calendar order.

    An activity over several months is kept whole: the source gives one cost for the span, not one per month.
    """
    found = {(m,) for m in months_of(project)}
    found |= {tuple(months_of(a)) for a in activities_of(handbook, project.id) if months_of(a)}
    return sorted(found, key=lambda p: (MONTHS.index(p[0]), len(p)))


def package_label(package: Record) -> str:
    return f"Paket {package.get('number')}: {package.text('title')}"


def group_members(handbook: Handbook, group: str | None) -> list[tuple[Record, object]]:
    """(organisation, its role) for every organisation with a membership in `group`, in Swedish alphabetical order."""
    if not group:
        return []
    found = []
    for organisation in handbook.all("organisation"):
        for membership in organisation.get("memberships", ()):
            if hasattr(membership, "get") and membership.get("group") == group:
                found.append((organisation, membership.get("role")))
                break
    return sorted(found, key=lambda pair: swedish_key(pair[0].get("name", pair[0].id)))


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


def kronor(amount: int) -> str:
    """12500 -> "12 500 kr", with no-break spaces so a figure never wraps."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


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


# ---------------------------------------------------------------- HTML helpers


def _grid(caption: str, headers: list[str], rows: list[list[str]], foot: list[list[str]] = (), css: str = "",
          numeric: tuple[int, ...] = ()) -> str:
    """A real table whose first column names each row (th scope="row"); cells are HTML escaped by the caller."""
    def cells(row: list[str]) -> str:
        out = f'<th scope="row">{row[0]}</th>'
        for index, cell in enumerate(row[1:], start=1):
            out += f'<td class="vi-num">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
        return f"<tr>{out}</tr>"

    num = ' class="vi-num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    body = "".join(cells(r) for r in rows)
    tfoot = f"<tfoot>{''.join(cells(r) for r in foot)}</tfoot>" if foot else ""
    label = esc(re.sub(r"<[^>]+>", "", caption).replace("&amp;", "&"))
    klass = f' class="{esc(css)}"' if css else ""
    return (f'<div class="vi-scroll vi-region" role="region" aria-label="{label}" tabindex="0"><table{klass}>'
            f"<caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody>{tfoot}</table></div>")


def _a(from_page: str, to_page: str, label_html: str, fragment: str = "") -> str:
    href = relative_url(from_page, to_page) + (f"#{fragment}" if fragment else "")
    return f'<a href="{esc(href)}">{label_html}</a>'


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}\u00a0%" if whole else "–"


def _bars(caption: str, items: list[tuple[str, int]]) -> str:
    """A bar chart in HTML and CSS: every bar has its label and figure as text; the table beside it holds the same figures."""
    largest = max((amount for _, amount in items), default=0)
    rows = []
    for label, amount in items:
        width = 0 if not largest or not amount else max(0.5, 100 * amount / largest)
        rows.append(f'<li><span class="vi-wp-bar-label">{label}</span><span class="vi-wp-bar-track" aria-hidden="true">'
                    f'<span class="vi-wp-bar" style="width: {width:.1f}%"></span></span>'
                    f'<span class="vi-wp-bar-value">{esc(kronor(amount))}</span></li>')
    return f'<figure class="vi-wp-bars"><figcaption>{caption}</figcaption><ul>{"".join(rows)}</ul></figure>'


def _months_range(project: Record) -> str:
    months = months_of(project)
    return f"{months[0]}–{months[-1]}" if len(months) > 1 else "".join(months)


def _anchor(project: Record, part: str = "") -> str:
    return f"{project.id}-{part}" if part else project.id


# ---------------------------------------------------------------- /arbetspaket/


@registry.macro
def workpackage_projects(handbook: Handbook, page: str = INDEX_PAGE) -> str:
    """Every project: purpose, target groups, horizontal principles, packages and development group."""
    return "\n".join(_project_section(handbook, project, page) for project in projects(handbook))


def _project_section(handbook: Handbook, project: Record, page: str) -> str:
    packages = packages_of(handbook, project.id)
    activities = activities_of(handbook, project.id)
    computed = total(activities)
    stated = project.get("stated_total")
    title = project.text("title")
    facts = [
        ("Fas", esc(PHASES.get(project.get("phase"), project.get("phase")))),
        ("Tid", esc(_months_range(project))),
        ("Arbetspaket", esc(len(packages))),
        ("Aktiviteter", esc(len(activities))),
        ("Kostnad, summan av posterna", esc(kronor(computed))),
    ]
    if _is_amount(stated):
        facts.append(("Total kostnad enligt underlaget", esc(kronor(stated))
                      + ("" if stated == computed else " – "
                         + _a(page, BUDGET_PAGE, "stämmer inte med posterna", _anchor(project, "jamforelse")))))
    facts_html = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    more = (f'<p class="vi-more">{_a(page, TIMELINE_PAGE, "Tidsplan", project.id)} · '
            f'{_a(page, BUDGET_PAGE, "Budget", project.id)}</p>')
    out = [f"## {md_text(title)} {{#{project.id}}}\n",
           block(f'<p class="vi-lead">{text(project.get("summary"))}</p><dl class="vi-facts">{facts_html}</dl>{more}'),
           f"### Syfte och mål {{#{_anchor(project, 'syfte')}}}\n", block(markdown(project.get("purpose")))]
    groups = project.get("target_groups") or ()
    if groups:
        items = "".join(f"<li>{text(handbook.term('malgrupper', g).label)}</li>" for g in groups)
        out += [f"### Målgrupper {{#{_anchor(project, 'malgrupper')}}}\n", block(f"<ul>{items}</ul>")]
    if project.get("horizontal_principles"):
        out += [f"### Horisontella principer {{#{_anchor(project, 'horisontella-principer')}}}\n",
                block(markdown(project.get("horizontal_principles")))]
    out += [f"### Arbetspaketen {{#{_anchor(project, 'paket')}}}\n", block(_package_table(handbook, project, page))]
    out += [f"### Utvecklingsgruppen {{#{_anchor(project, 'utvecklingsgruppen')}}}\n",
            block(_development_group(handbook, project, page))]
    if project.get("sources"):
        out.append(block(sources(project.get("sources")).replace("<h2>", "<h3>").replace("</h2>", "</h3>")))
    return "\n".join(out)


def _package_table(handbook: Handbook, project: Record, page: str) -> str:
    """Packages with status and cost; the summary sits under the name, so the table fits a phone."""
    rows = []
    for package in packages_of(handbook, project.id):
        name = (_a(page, f"{SECTION}/{package.id}/", esc(package_label(package)))
                + f' <span class="vi-summary">{text(package.get("summary"))}</span>')
        rows.append([name, esc(STATUS.get(package.get("status"), package.get("status"))),
                     esc(kronor(total(activities_of(handbook, project.id, package.id))))])
    shared = activities_of(handbook, project.id, None)
    if shared:
        rows.append([esc(WHOLE_GROUP) + f' <span class="vi-summary">Aktiviteter som inte hör till ett visst paket '
                     f"({len(shared)} st).</span>", "", esc(kronor(total(shared)))])
    foot = [["Totalt", "", esc(kronor(computed_total(handbook, project.id)))]]
    return _grid(f"Arbetspaketen i {esc(project.text('title'))}", ["Paket", "Status", "Kostnad"],
                 rows, foot, "vi-packages", numeric=(2,))


def _development_group(handbook: Handbook, project: Record, page: str) -> str:
    group = project.get("group")
    members = group_members(handbook, group)
    if not members:
        return "<p>Projektet har ingen utvecklingsgrupp angiven ännu.</p>"
    label = handbook.term("natverk", group).text()
    items = "".join(
        f'<li>{_a(page, f"organisationer/{o.id}/", esc(o.get("name", o.id)))}'
        + (f": {text(role)}" if role else "") + "</li>"
        for o, role in members)
    return (f"<p>{esc(label)} består av {len(members)} organisationer. Här står organisationerna och deras roll i "
            f"projektet. Handboken publicerar inga namn eller kontaktuppgifter till enskilda personer.</p>"
            f'<ul class="vi-members">{items}</ul>')


# ---------------------------------------------------------------- /arbetspaket/<package-id>/


@registry.pages
def package_pages(handbook: Handbook) -> list[tuple[str, str]]:
    return [(f"{SECTION}/{p.id}.md", package_page(handbook, p)) for p in handbook.all("package")
            if p.id not in RESERVED]


def package_page(handbook: Handbook, package: Record) -> str:
    page = f"{SECTION}/{package.id}/"
    project = handbook.get("project", package.get("project"))
    activities = activities_of(handbook, project.id, package.id)
    title = package_label(package)
    status = STATUS.get(package.get("status"), package.get("status"))
    # The theme prints meta values into <title> and <meta> without escaping them, so they are escaped here.
    out = [front_matter(title, description=package.text("summary")), f"# {md_text(title)}\n",
           block(f'<p class="vi-part-of">Del av {_a(page, INDEX_PAGE, text(project.get("title")), project.id)}. '
                 f"Status: {esc(status)}.</p>"
                 f'<p class="vi-lead">{text(package.get("summary"))}</p>'),
           "## Syfte\n", block(f"<p>{text(package.get('purpose'))}</p>")]
    questions = package.get("questions") or ()
    if questions:
        out += ["## Frågor som paketet ställer\n", block("<ul>" + "".join(f"<li>{text(q)}</li>" for q in questions) + "</ul>")]
    out += ["## Leveranser\n", block(_deliverables(package))]
    out += ["## Aktiviteter och kostnad\n", block(_package_activities(handbook, project, package, activities, page))]
    out += ["## Partner\n", block(_partners(handbook, project, package, page))]
    if package.get("note"):
        out += ["## Om underlaget\n", block(f"<p>{text(package.get('note'))}</p>")]
    if package.get("sources"):
        out.append(block(sources(package.get("sources"))))
    return "\n".join(out)


def _deliverables(package: Record) -> str:
    items = []
    for deliverable in package.get("deliverables") or ():
        topics = deliverable.get("topics") or ()
        inner = ("<p>Ämnen:</p><ul>" + "".join(f"<li>{text(t)}</li>" for t in topics) + "</ul>") if topics else ""
        items.append(f"<li><strong>{text(deliverable.get('title'))}</strong>{inner}</li>")
    if not items:
        return "<p>Underlaget anger inga rapporter eller andra leveranser för det här paketet.</p>"
    return f'<ul class="vi-deliverables">{"".join(items)}</ul>'


def _package_activities(handbook, project, package, activities, page) -> str:
    if not activities:
        return "<p>Paketet har inga aktiviteter i tidsplanen ännu.</p>"
    parts = [f"<p>Paketet har {len(activities)} {'aktivitet' if len(activities) == 1 else 'aktiviteter'} och kostar "
             f"<strong>{esc(kronor(total(activities)))}</strong>, räknat från posterna nedan. Se också "
             f'{_a(page, TIMELINE_PAGE, "tidsplanen", project.id)} och {_a(page, BUDGET_PAGE, "budgeten", project.id)}.</p>']
    for activity in activities:
        parts.append(_activity(activity))
    return "".join(parts)


def _activity(activity: Record) -> str:
    when = period_label(months_of(activity))
    kind = KINDS.get(activity.get("kind"), activity.get("kind"))
    head = (f'<h3 id="{esc(activity.id)}">{esc(when.capitalize())}: {text(activity.get("title"))}</h3>'
            f'<p class="vi-kind">Typ: {esc(kind)}.')
    if activity.get("source_text"):
        head += f" I underlaget: <q>{esc(activity.get('source_text'))}</q>"
    head += "</p>"
    items = line_items(activity)
    if items:
        rows = [[text(i.get("text")), esc(i.get("amount_text", "")), esc(kronor(i.get("amount", 0)))] for i in items]
        body = _grid(f"Poster: {esc(activity.text('title'))}", ["Post", "I underlaget", "Kronor"], rows,
                     [["Summa", "", esc(kronor(cost(activity)))]], "vi-items", numeric=(1, 2))
    else:
        body = "<p>Underlaget anger ingen kostnad för den här aktiviteten.</p>"
    note = f'<p class="vi-note">{text(activity.get("note"))}</p>' if activity.get("note") else ""
    return f'<div class="vi-activity">{head}{body}{note}</div>'


def _partners(handbook, project, package, page) -> str:
    responsible = [handbook.get("organisation", r) for r in package.get("responsible") or ()]
    responsible = [o for o in responsible if o is not None]
    group_link = _a(page, INDEX_PAGE, "utvecklingsgruppen", _anchor(project, "utvecklingsgruppen"))
    if responsible:
        items = "".join(f'<li>{_a(page, f"organisationer/{o.id}/", esc(o.get("name", o.id)))}</li>' for o in responsible)
        lead = f"<p>Ansvariga partner:</p><ul>{items}</ul>"
    else:
        lead = "<p>Underlaget anger inte vilka partner som ansvarar för paketet.</p>"
    members = group_members(handbook, project.get("group"))
    if not members:
        return lead
    names = ", ".join(_a(page, f"organisationer/{o.id}/", esc(o.get("name", o.id))) for o, _ in members)
    return (lead + f"<p>Hela projektet drivs av {group_link}, {len(members)} organisationer: {names}. "
            "Deras roller står på sidan om projektet.</p>")


# ---------------------------------------------------------------- /arbetspaket/tidsplan/


@registry.macro
def workpackage_timeline(handbook: Handbook, page: str = TIMELINE_PAGE) -> str:
    """For every project: a table of months × packages, with a row for the whole working group."""
    return "\n".join(f"## {md_text(p.text('title'))} {{#{p.id}}}\n" + block(_timeline(handbook, p, page))
                     for p in projects(handbook))


def _timeline_rows(handbook: Handbook, project: Record) -> list[tuple[Record | None, list[Record]]]:
    rows: list = [(package, activities_of(handbook, project.id, package.id)) for package in packages_of(handbook, project.id)]
    shared = activities_of(handbook, project.id, None)
    if shared:
        rows.append((None, shared))
    return rows


def _timeline(handbook: Handbook, project: Record, page: str) -> str:
    months = months_of(project)
    spanning = [a for a in activities_of(handbook, project.id) if len(months_of(a)) > 1]
    rows = []
    for package, activities in _timeline_rows(handbook, project):
        name = (_a(page, f"{SECTION}/{package.id}/", esc(package_label(package))) if package
                else f"{esc(WHOLE_GROUP)} <small>({esc(WHOLE_GROUP_NOTE)})</small>")
        cells = [name]
        for month in months:
            here = [a for a in activities if month in months_of(a)]
            if not here:
                cells.append('<span aria-hidden="true">–</span><span class="vi-sr">Inget planerat</span>')
                continue
            items = []
            for activity in here:
                span = months_of(activity)
                marker = f' <span class="vi-span">({esc(period_label(span))})</span>' if len(span) > 1 else ""
                items.append(f'<li><span class="vi-kind-label">{esc(KINDS.get(activity.get("kind"), activity.get("kind")))}:</span> '
                             f"{text(activity.get('title'))}{marker}</li>")
            cells.append(f'<ul class="vi-cell-list">{"".join(items)}</ul>')
        cells.append(esc(kronor(total(activities))))
        rows.append(cells)
    headers = ["Paket"] + [esc(m.capitalize()) for m in months] + ["Kostnad"]
    caption = f"Tidsplan {esc(_months_range(project))}: vad som händer varje månad, per paket"
    explain = ('<p class="vi-timeline-intro">Tabellen visar vad som händer i varje paket månad för månad. Den sista raden gäller '
               f"{esc(WHOLE_GROUP.lower())}: möten och skrivande som inte hör till ett visst paket. "
               "Kolumnen Kostnad är summan av paketets poster.</p>")
    if spanning:
        names = ", ".join(f"{text(a.get('title'))} ({esc(period_label(months_of(a)))})" for a in spanning)
        explain_span = (f"<p>Några aktiviteter pågår i flera månader: {names}. De står i varje månad de pågår, "
                        f"med perioden inom parentes. Underlaget anger en kostnad för hela perioden, så handboken "
                        f"delar inte upp den per månad.</p>")
    else:
        explain_span = ""
    empty = [m for m in months if not any(m in months_of(a) for a in activities_of(handbook, project.id))]
    explain_empty = (f"<p>Ingen aktivitet är planerad i {esc(' och '.join(empty))}.</p>") if empty else ""
    more = f'<p class="vi-more">Kostnaderna i detalj: {_a(page, BUDGET_PAGE, "budget", project.id)}.</p>'
    return (f'<div class="vi-timeline">{explain}'
            + _grid(caption, headers, rows, css="vi-timeline-table", numeric=(len(headers) - 1,))
            + explain_span + explain_empty + more + "</div>")


# ---------------------------------------------------------------- /arbetspaket/budget/


@registry.macro
def workpackage_budget(handbook: Handbook, page: str = BUDGET_PAGE) -> str:
    """For every project: the totals compared, cost per package, per month and per kind, every line item, a CSV."""
    return "\n".join(_budget(handbook, p, page) for p in projects(handbook))


def comparison(stated, computed: int) -> str:
    """The stated total against the computed one, in words (plain text)."""
    if not _is_amount(stated):
        return f"Underlaget anger ingen total kostnad. Summan av posterna är {kronor(computed)}."
    if stated == computed:
        return f"Summan av posterna, {kronor(computed)}, stämmer med den totala kostnad som underlaget anger."
    difference = abs(stated - computed)
    more_or_less = "mer" if stated > computed else "mindre"
    return (f"Underlaget anger en total kostnad på {kronor(stated)}. Men posterna blir tillsammans {kronor(computed)}. "
            f"Underlaget anger alltså {kronor(difference)} {more_or_less} än summan av posterna, och det förklarar inte "
            f"skillnaden. Handboken visar båda siffrorna och räknar i tabellerna med posterna.")


def csv_path(project: Record) -> str:
    return f"{BUDGET_PAGE}{project.id}-poster.csv"


def _budget(handbook: Handbook, project: Record, page: str) -> str:
    activities = activities_of(handbook, project.id)
    computed = total(activities)
    stated = project.get("stated_total")
    title = project.text("title")
    out = [f"## {md_text(title)} {{#{project.id}}}\n"]

    # The totals, compared
    rows = [["Summan av alla poster", esc(kronor(computed))]]
    if _is_amount(stated):
        printed = project.get("stated_total_text")
        rows.append(["Total kostnad enligt underlaget"
                     + (f" <small>(tryckt som {esc(printed)})</small>" if printed else ""), esc(kronor(stated))])
        rows.append(["Skillnad", esc(kronor(abs(stated - computed)))])
    mismatch = _is_amount(stated) and stated != computed
    notice = (f'<div class="vi-mismatch" role="note"><p><strong>Obs! Summorna stämmer inte.</strong> '
              f"{esc(comparison(stated, computed))}</p></div>" if mismatch
              else f"<p>{esc(comparison(stated, computed))}</p>")
    out += [f"### Total kostnad {{#{_anchor(project, 'jamforelse')}}}\n",
            block(notice + _grid("Total kostnad: räknad och angiven", ["Summa", "Kronor"], rows, css="vi-totals", numeric=(1,)))]

    # Per package
    by_package = [(esc(package_label(p)) if p else esc(WHOLE_GROUP), len(acts), total(acts), p)
                  for p, acts in _timeline_rows(handbook, project)]
    rows = [[_a(page, f"{SECTION}/{p.id}/", label) if p else label, esc(n), esc(kronor(amount)), esc(_share(amount, computed))]
            for label, n, amount, p in by_package]
    out += [f"### Kostnad per paket {{#{_anchor(project, 'per-paket')}}}\n",
            block(_grid("Kostnad per paket", ["Paket", "Aktiviteter", "Kostnad", "Andel"], rows,
                        [["Totalt", esc(len(activities)), esc(kronor(computed)), esc(_share(computed, computed))]],
                        "vi-budget", numeric=(1, 2, 3))
                  + _bars("Diagram: kostnad per paket. Samma siffror står i tabellen ovan.",
                          [(label, amount) for label, _, amount, _ in by_package]))]

    # Per month (an activity over several months keeps its own row)
    by_period = []
    for span in periods(handbook, project):
        acts = [a for a in activities if tuple(months_of(a)) == span]
        by_period.append((span, acts))
    rows = [[esc(period_label(span).capitalize()), esc(len(acts)) if acts else "0", esc(kronor(total(acts)))]
            for span, acts in by_period]
    spanning = [(span, acts) for span, acts in by_period if len(span) > 1 and acts]
    span_text = ""
    if spanning:
        listed = "; ".join(f"{esc(period_label(span))}: " + ", ".join(text(a.get("title")) for a in acts)
                           for span, acts in spanning)
        span_text = (f"<p>Några aktiviteter pågår i mer än en månad ({listed}). Underlaget anger en kostnad för hela "
                     f"perioden och säger inte hur den fördelas per månad. Därför har perioden en egen rad, i stället "
                     f"för att handboken gissar en fördelning.</p>")
    empty = [span[0] for span, acts in by_period if not acts]
    empty_text = f"<p>Ingen aktivitet är planerad i {esc(' och '.join(empty))}.</p>" if empty else ""
    out += [f"### Kostnad per månad {{#{_anchor(project, 'per-manad')}}}\n",
            block(span_text + _grid("Kostnad per månad", ["Månad", "Aktiviteter", "Kostnad"], rows,
                                    [["Totalt", esc(len(activities)), esc(kronor(computed))]], "vi-budget", numeric=(1, 2))
                  + empty_text
                  + _bars("Diagram: kostnad per månad. Samma siffror står i tabellen ovan.",
                          [(esc(period_label(span).capitalize()), total(acts)) for span, acts in by_period]))]

    # Per package and month: figures without "kr" (the caption says kronor), so the wide table fits.
    spans = [span for span, _ in by_period]
    rows = []
    for package, acts in _timeline_rows(handbook, project):
        label = esc(f"Paket {package.get('number')}") if package else esc(WHOLE_GROUP)
        row = [label] + [_amount_or_dash(total([a for a in acts if tuple(months_of(a)) == s]),
                                         any(tuple(months_of(a)) == s for a in acts)) for s in spans]
        rows.append(row + [esc(_figure(total(acts)))])
    foot = [["Totalt"] + [esc(_figure(total(acts))) for _, acts in by_period] + [esc(_figure(computed))]]
    out += [f"### Kostnad per paket och månad {{#{_anchor(project, 'paket-och-manad')}}}\n",
            block(_grid("Kostnad per paket och månad, i kronor",
                        ["Paket"] + [esc(period_label(s).capitalize()) for s in spans] + ["Totalt"], rows, foot,
                        "vi-budget vi-matrix", numeric=tuple(range(1, len(spans) + 2))))]

    # Per kind
    kinds = {}
    for activity in activities:
        kinds.setdefault(activity.get("kind"), []).append(activity)
    order = list(KINDS)
    rows = [[esc(KINDS.get(k, k)), esc(len(acts)), esc(kronor(total(acts))), esc(_share(total(acts), computed))]
            for k, acts in sorted(kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
    out += [f"### Kostnad per typ av aktivitet {{#{_anchor(project, 'per-typ')}}}\n",
            block(_grid("Kostnad per typ av aktivitet", ["Typ", "Aktiviteter", "Kostnad", "Andel"], rows,
                        [["Totalt", esc(len(activities)), esc(kronor(computed)), esc(_share(computed, computed))]],
                        "vi-budget", numeric=(1, 2, 3)))]

    # Every line item, and the CSV
    count = sum(len(line_items(a)) for a in activities)
    download = (f'<p class="vi-download"><a href="{esc(relative_url(page, csv_path(project)))}" download>'
                f"Ladda ner alla poster som CSV</a> (för kalkylprogram, {count} poster).</p>")
    out += [f"### Alla poster {{#{_anchor(project, 'poster')}}}\n",
            block(download + _line_item_table(handbook, project, activities, computed, count))]
    return "\n".join(out)


def _line_item_table(handbook: Handbook, project: Record, activities: list[Record], computed: int, count: int) -> str:
    """Every line item, grouped by activity: each activity is a row group whose header says when, where and what."""
    groups = []
    for activity in activities:
        package = handbook.get("package", activity.get("package")) if activity.get("package") else None
        where = f"Paket {package.get('number')}" if package else WHOLE_GROUP
        head = (f'<tr class="vi-group"><th scope="rowgroup" colspan="3">{esc(period_label(months_of(activity)).capitalize())}'
                f" · {esc(where)} · {text(activity.get('title'))}</th></tr>")
        rows = [f'<tr><th scope="row">{text(i.get("text"))}</th><td class="vi-num">{esc(i.get("amount_text", ""))}</td>'
                f'<td class="vi-num">{esc(kronor(i.get("amount", 0)))}</td></tr>' for i in line_items(activity)]
        if not rows:
            rows = ['<tr><th scope="row"><em>Ingen kostnad angiven i underlaget</em></th><td class="vi-num">'
                    f'<span aria-hidden="true">–</span><span class="vi-sr">Inget</span></td><td class="vi-num">{esc(kronor(0))}</td></tr>']
        groups.append(f"<tbody>{head}{''.join(rows)}</tbody>")
    caption = f"Alla {count} poster, i samma ordning som i underlaget"
    return (f'<div class="vi-scroll vi-region" role="region" aria-label="{esc(caption)}" tabindex="0"><table class="vi-budget vi-items">'
            f'<caption>{esc(caption)}</caption><thead><tr><th scope="col">Post</th><th scope="col" class="vi-num">'
            f'I underlaget</th><th scope="col" class="vi-num">Kronor</th></tr></thead>{"".join(groups)}'
            f'<tfoot><tr><th scope="row">Totalt</th><td></td><td class="vi-num">{esc(kronor(computed))}</td></tr></tfoot>'
            "</table></div>")


def _figure(amount: int) -> str:
    """12500 -> "12 500" (no-break space), for tables whose caption says the unit."""
    return f"{amount:,}".replace(",", "\u00a0")


def _amount_or_dash(amount: int, present: bool) -> str:
    return esc(_figure(amount)) if present else '<span aria-hidden="true">–</span><span class="vi-sr">Inget</span>'


# ---------------------------------------------------------------- CSV of the line items

CSV_COLUMNS = ["projekt", "aktivitet", "ordning", "tid", "manader", "paket", "typ", "aktivitet_titel", "post",
               "belopp_kr", "belopp_i_underlaget"]


def line_items_csv(handbook: Handbook, project: Record) -> bytes:
    """One row per line item, in the source's order; an activity without a cost gets one row with an empty amount."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for activity in activities_of(handbook, project.id):
        base = [project.id, activity.id, activity.get("order"), activity.get("month_text") or period_label(months_of(activity)),
                "; ".join(months_of(activity)), activity.get("package") or "", activity.get("kind"), activity.text("title")]
        for item in line_items(activity) or [None]:
            extra = ([localise(item.get("text"))[0], item.get("amount"), item.get("amount_text", "")]
                     if item else ["", "", ""])
            writer.writerow([safe_cell(v) for v in base + extra])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


@registry.files
def budget_files(handbook: Handbook) -> list[tuple[str, bytes]]:
    return [(csv_path(p), line_items_csv(handbook, p)) for p in projects(handbook)]
