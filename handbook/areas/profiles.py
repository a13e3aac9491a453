"""Quality profiles: an organisation's assessment against the quality model on one day.

One file per organisation and assessment, data/kvalitetsprofiler/<organisation>-<YYYY-MM-DD>.yml,
with who assessed (self, peer or external) and a level 1-4 or "ej relevant" per criterion. A
criterion left out is "not assessed": an old profile stays valid when the model gains a criterion,
and its page says what it does not cover.

This module keeps the checks, the named queries (profiles_of, latest, area_levels) and the
aggregates of the national picture. Every grouping is computed once per content (per Handbook
object, see `_index`), never once per page: the directory renders 1500 organisation pages per
language. Which profile is current depends on the build day (`history.today`, HANDBOOK_TODAY in
tests), so that part is worked out on each call, from the cached index.
"""
from __future__ import annotations

import datetime
import weakref
from dataclasses import dataclass

from markupsafe import Markup

from .. import check, messages, registry
from ..history import today
from ..load import Loaded, field_path
from ..model import Handbook, Record
from ..problems import problem
from ..render import esc

FOLDER = "data/kvalitetsprofiler"
NOT_RELEVANT = "ej relevant"
LEVELS = (1, 2, 3, 4)
KINDS = ("self", "peer", "external")  # assessed_by: självskattning, kollegial granskning, extern bedömning
NEEDS_ASSESSOR = {"peer": "profile.kind.peer", "external": "profile.kind.external"}  # kind -> its name in a message
PERIOD_MONTHS = 12  # a profile older than this is shown as out of date
NOTE_MAX = 500


# Reading a profile. The rules see records that may not have passed their schema, so every reader
# skips what is not of the expected type instead of failing.


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def profile_date(record: Record) -> datetime.date | None:
    return as_date(record.get("date"))


def is_level(value) -> bool:
    """1-4 (never True or False, which Python counts as 1 and 0) or "ej relevant"."""
    return value == NOT_RELEVANT or (isinstance(value, int) and not isinstance(value, bool) and value in LEVELS)


def ratings(record: Record) -> dict[str, int | str]:
    """Criterion id -> its level (1-4) or "ej relevant", for every entry that has a readable level."""
    criteria = record.get("criteria")
    if not hasattr(criteria, "items"):
        return {}
    found = {}
    for criterion_id, entry in criteria.items():
        level = entry.get("level") if hasattr(entry, "get") else None
        if isinstance(criterion_id, str) and is_level(level):
            found[criterion_id] = level
    return found


def cutoff(on: datetime.date | None = None) -> datetime.date:
    """The oldest date a current profile can have: the same day twelve months before `on`."""
    on = on or today()
    year, month = divmod(on.year * 12 + on.month - 1 - PERIOD_MONTHS, 12)
    month += 1
    day = on.day
    while True:
        try:
            return datetime.date(year, month, day)
        except ValueError:  # 29-31 in a shorter month: its last day
            day -= 1


def is_current(record: Record, on: datetime.date | None = None) -> bool:
    date = profile_date(record)
    return date is not None and date >= cutoff(on)


# The model as the profiles see it, and the profiles by organisation: once per content.


@dataclass(frozen=True)
class Model:
    areas: tuple[Record, ...]
    criteria: dict  # area id -> tuple of criterion records, in reading order
    area_of: dict   # criterion id -> area id
    order: tuple[str, ...]  # every criterion id in reading order


@dataclass(frozen=True)
class _Index:
    model: Model
    by_organisation: dict  # organisation id -> its profiles, newest first
    rated: dict            # profile id -> its ratings, filled as they are asked for (see _rated)


_INDEX: "weakref.WeakKeyDictionary[Handbook, _Index]" = weakref.WeakKeyDictionary()


def _index(handbook: Handbook) -> _Index:
    found = _INDEX.get(handbook)
    if found is None:
        areas = tuple(handbook.all("area"))
        criteria = {a.id: tuple(c for c in handbook.all("criterion") if c.get("area") == a.id) for a in areas}
        area_of = {c.id: a for a, items in criteria.items() for c in items}
        model = Model(areas, criteria, area_of, tuple(c.id for a in areas for c in criteria[a.id]))
        by_organisation: dict[str, list[Record]] = {}
        for record in handbook.all("profile"):
            if isinstance(record.get("organisation"), str) and profile_date(record):
                by_organisation.setdefault(record.get("organisation"), []).append(record)
        for items in by_organisation.values():
            items.sort(key=lambda r: (profile_date(r), r.id), reverse=True)
        found = _INDEX[handbook] = _Index(model, {k: tuple(v) for k, v in by_organisation.items()}, {})
    return found


def _rated(handbook: Handbook, record: Record) -> dict:
    """`ratings(record)`, read once per profile of the content (pages and the picture ask many times)."""
    index = _index(handbook)
    if handbook.get("profile", record.id) is not record:
        return ratings(record)
    found = index.rated.get(record.id)
    if found is None:
        # A profile that did not change since the last content (the live server's) is the same object:
        # its ratings are kept with it. They depend on the profile alone.
        kept = _RATINGS.get(record.id)
        found = index.rated[record.id] = kept[1] if kept is not None and kept[0] is record else ratings(record)
        _RATINGS[record.id] = (record, found)
    return found


_RATINGS: dict[str, tuple[Record, dict]] = {}


def model(handbook: Handbook) -> Model:
    return _index(handbook).model


def area_ids(handbook: Handbook) -> list[str]:
    """The model's areas in reading order: the order of `levels` in katalog.json."""
    return [a.id for a in model(handbook).areas]


# Named queries


def profiles_of(handbook: Handbook, organisation_id: str) -> tuple[Record, ...]:
    """The organisation's profiles, newest first (none: an empty tuple)."""
    return _index(handbook).by_organisation.get(organisation_id, ())


def latest(handbook: Handbook, organisation_id: str) -> Record | None:
    found = profiles_of(handbook, organisation_id)
    return found[0] if found else None


def latest_current(handbook: Handbook, organisation_id: str, on: datetime.date | None = None) -> Record | None:
    """The organisation's latest profile when it is current; an out-of-date latest profile counts for nothing."""
    record = latest(handbook, organisation_id)
    return record if record is not None and is_current(record, on) else None


def with_profiles(handbook: Handbook) -> list[str]:
    """Every organisation id that has published a profile."""
    return sorted(_index(handbook).by_organisation)


def area_levels(handbook: Handbook, record: Record) -> list[tuple[Record, int | None]]:
    """(area, level reached) for every area of today's model: the LOWEST level among the area's
    criteria that the profile rates 1-4; None when it rates none of them (all "ej relevant" or left out)."""
    rated = _rated(handbook, record)
    found = []
    for area in model(handbook).areas:
        levels = [rated[c.id] for c in model(handbook).criteria[area.id] if isinstance(rated.get(c.id), int)]
        found.append((area, min(levels) if levels else None))
    return found


def level_vector(handbook: Handbook, record: Record) -> list[int]:
    """The level reached per area in the model's order, 0 for no level (katalog.json's `profile`)."""
    return [level or 0 for _area, level in area_levels(handbook, record)]


@dataclass(frozen=True)
class AreaSummary:
    area: Record
    level: int | None  # level reached, None: no level
    rated: int         # criteria rated 1-4
    not_relevant: int  # criteria marked "ej relevant"
    not_assessed: int  # criteria of today's model that the profile leaves out


def summary(handbook: Handbook, record: Record) -> list[AreaSummary]:
    """Per area of today's model: the level reached and how many criteria were rated, not relevant, left out."""
    rated = _rated(handbook, record)
    found = []
    for area, level in area_levels(handbook, record):
        items = model(handbook).criteria[area.id]
        n_rated = sum(1 for c in items if isinstance(rated.get(c.id), int))
        n_not = sum(1 for c in items if rated.get(c.id) == NOT_RELEVANT)
        found.append(AreaSummary(area, level, n_rated, n_not, len(items) - n_rated - n_not))
    return found


def not_covered(handbook: Handbook, record: Record) -> list[Record]:
    """The criteria of today's model that the profile does not assess, in reading order."""
    rated = _rated(handbook, record)
    return [c for a in model(handbook).areas for c in model(handbook).criteria[a.id] if c.id not in rated]


def catalogue_entry(handbook: Handbook, organisation_id: str, on: datetime.date | None = None):
    """katalog.json's `profile` cell: None (no profile) or [current 1/0, [level reached per area, 0 = none]]."""
    record = latest(handbook, organisation_id)
    if record is None:
        return None
    return [1 if is_current(record, on) else 0, level_vector(handbook, record)]


# Checks a schema cannot make. Each skips what is not of the expected type: the schema reports it.


def _entries(record: Record):
    criteria = record.get("criteria")
    if not hasattr(criteria, "items"):
        return
    for criterion_id, entry in criteria.items():
        yield criterion_id, entry


@check.rule("profile")
def known_criteria(handbook: Handbook, record: Record, loaded: Loaded):
    known = {c.id for c in handbook.all("criterion")}
    for criterion_id, _entry in _entries(record):
        if isinstance(criterion_id, str) and criterion_id not in known:
            at = ("criteria", criterion_id)
            line, column = loaded.place(at, key=True)
            yield problem(loaded.path, line, column, field_path(at), "profile-criterion", found=criterion_id,
                          mean=check.did_you_mean(criterion_id, sorted(known)))


@check.rule("profile")
def allowed_levels(handbook: Handbook, record: Record, loaded: Loaded):
    for criterion_id, entry in _entries(record):
        if not hasattr(entry, "get") or "level" not in entry or is_level(entry.get("level")):
            continue
        at = ("criteria", criterion_id, "level")
        if at in loaded.reported:
            continue
        level = entry.get("level")
        hint = ""
        if isinstance(level, str) and level.strip() in ("1", "2", "3", "4"):
            hint = messages.message("hint.no-quotes")
        elif isinstance(level, str):
            hint = check.did_you_mean(level.strip().lower(), [NOT_RELEVANT])
        line, column = loaded.place(at)
        yield problem(loaded.path, line, column, field_path(at), "profile-level",
                      found=_describe(level), hint=hint)


def _describe(value) -> str:
    from ..problems import describe

    return describe(value)


@check.rule("profile")
def date_not_in_the_future(handbook: Handbook, record: Record, loaded: Loaded):
    date, now = profile_date(record), today()
    if date is not None and date > now:
        line, column = loaded.place(("date",))
        yield problem(loaded.path, line, column, "date", "profile-date-future", date=date.isoformat())


def _expected_id(record: Record) -> str | None:
    organisation, date = record.get("organisation"), profile_date(record)
    if not isinstance(organisation, str) or date is None:
        return None
    return f"{organisation}-{date.isoformat()}"


@check.rule("profile")
def file_name_and_one_per_day(handbook: Handbook, record: Record, loaded: Loaded):
    """The file is named <organisation>-<date>; a second file for the same organisation and day is
    reported as that (the file that has the right name is the first), not as a wrongly named file."""
    expected = _expected_id(record)
    if expected is None or expected == record.id:
        return
    first = handbook.get("profile", expected)
    if first is not None and _expected_id(first) == expected:
        line, column = loaded.place(("date",))
        yield problem(loaded.path, line, column, "date", "profile-duplicate", organisation=record.get("organisation"),
                      date=profile_date(record).isoformat(), other=f"`{first.path}`")
    else:
        yield problem(loaded.path, 1, 1, "", "profile-file-name", name=record.id, expected=expected)


@check.rule("profile")
def assessor_named(handbook: Handbook, record: Record, loaded: Loaded):
    kind = record.get("assessed_by")
    if kind in NEEDS_ASSESSOR and not record.get("assessor"):
        if "assessor" in record.data:
            return  # written but empty: the schema says so
        line, column = loaded.place(("assessed_by",))
        yield problem(loaded.path, line, column, "assessor", "profile-assessor",
                      kind=messages.message(NEEDS_ASSESSOR[kind]), value=kind)


@check.rule("profile")
def note_length(handbook: Handbook, record: Record, loaded: Loaded):
    for criterion_id, entry in _entries(record):
        note = entry.get("note") if hasattr(entry, "get") else None
        if isinstance(note, str) and len(note) > NOTE_MAX:
            at = ("criteria", criterion_id, "note")
            line, column = loaded.place(at)
            yield problem(loaded.path, line, column, field_path(at), "profile-note-length", count=len(note), n=NOTE_MAX)


# What the pages show


def words(lang: str = "sv"):
    """The profiles' interface words that Python needs (who assessed), in `lang` (profiles/words.html)."""
    from ..templating import environment

    return environment(lang).get_template("profiles/words.html").module


def kind_label(kind, lang: str = "sv") -> str:
    said = words(lang).kinds
    return str(said[kind]) if kind in said else str(kind)


_HOLE = "\x00"


class _Stencils:
    """The parts of profiles/organisation.html, each rendered once per build and language for the
    values it does not vary in, with placeholders for an organisation's own values (see the template)."""

    def __init__(self, lang: str):
        from ..templating import environment

        self.parts = environment(lang).get_template("profiles/organisation.html").module
        self.cache: dict = {}

    def __call__(self, name: str, *args, **values) -> str:
        """The part `name` with `args` fixed (hashable: the part is rendered once for each) and `values`
        (escaped text or finished HTML) in its placeholders."""
        key = (name, args, tuple(values))
        pieces = self.cache.get(key)
        if pieces is None:
            holes = {value_name: Markup(f"{_HOLE}{value_name}{_HOLE}") for value_name in values}
            pieces = self.cache[key] = str(getattr(self.parts, name)(*args, **holes)).split(_HOLE)
        if len(pieces) == 1:
            return pieces[0]
        return "".join(values[piece] if index % 2 else piece for index, piece in enumerate(pieces))


def page_context(handbook: Handbook, lang: str, link) -> dict:
    """What every organisation page's profile section shares, worked out once per build and language:
    the areas and criteria with their titles and addresses (`link(site path)` makes a page's link)."""
    from ..urls import area_url, criterion_url

    m = model(handbook)
    return {
        "areas": [(f"{a.get('order')}. {a.text('title', lang)}", link(area_url(a.id))) for a in m.areas],
        "criteria": {c.id: (c.text("title", lang), link(criterion_url(area_id, c.id)))
                     for area_id, items in m.criteria.items() for c in items},
        "kinds": {k: kind_label(k, lang) for k in KINDS},
        "assessment_href": link("kvalitetsmodell/sjalvskattning/"),
        "parts": _Stencils(lang),
    }


def organisation_section(handbook: Handbook, organisation_id: str, shared: dict, lang: str = "sv",
                         on: datetime.date | None = None) -> str:
    """The profile section of an organisation's page, as HTML: the latest profile per area (chart and
    table), what it does not cover, and the earlier profiles. (Each criterion's level and note are in
    the open data: a thousand pages of them would cost the site a tenth of its size.)"""
    part = shared["parts"]
    found = profiles_of(handbook, organisation_id)
    if not found:
        return part("heading") + part("none_published", shared["assessment_href"])
    record = found[0]
    kind = record.get("assessed_by")
    who = record.get("assessor") if isinstance(record.get("assessor"), str) else ""
    out = [part("heading"), part("lead", shared["kinds"].get(kind, ""), kind, is_current(record, on), bool(who),
                                  date=profile_date(record).isoformat(), who=esc(who))]
    rows = summary(handbook, record)
    out.append(part("chart", bars="".join(part("bar", title, s.level) for (title, _href), s in zip(shared["areas"], rows))))
    out.append(part("areas_table", rows="".join(
        part("area_row", title, href, s.level, rated=str(s.rated), not_relevant=str(s.not_relevant),
             not_assessed=str(s.not_assessed)) for (title, href), s in zip(shared["areas"], rows))))
    missing = not_covered(handbook, record)
    out.append(part("missing", items="".join(part("missing_item", *shared["criteria"][c.id]) for c in missing))
               if missing else part("all_covered"))
    if len(found) > 1:
        history = [part("history_row", kind=esc(shared["kinds"].get(r.get("assessed_by"), "")),
                        date=profile_date(r).isoformat(),
                        levels="".join(part("level_cell", level) for level in level_vector(handbook, r)))
                   for r in found[1:]]
        out.append(part("history", tuple(title for title, _href in shared["areas"]), rows="".join(history)))
    return "".join(out)


# The national picture: from each organisation's latest current profile, how many organisations stand
# at each level. Organisations without a current profile count for nothing and are never named.


@dataclass(frozen=True)
class Picture:
    organisations: int      # organisations counted: their latest profile is current
    kinds: dict             # assessed_by -> how many of those profiles
    areas: list             # (area, {1: n, 2: n, 3: n, 4: n, 0: n with no level}) in the model's order
    criteria: list          # (criterion, {1..4: n, NOT_RELEVANT: n, None: n not assessed}) in reading order

    def needs_support(self, most: int = 5) -> list[tuple[Record, int]]:
        """The criteria with the most organisations at level 1 or 2, most first (model order among equals)."""
        low = [(c, counts[1] + counts[2]) for c, counts in self.criteria if counts[1] + counts[2]]
        return sorted(low, key=lambda item: -item[1])[:most]


def picture(handbook: Handbook, organisation_ids=None, on: datetime.date | None = None) -> Picture:
    """The picture of the organisations given (every organisation when None).

    Kept for the next content in the same process (the live server's) while the profiles, the quality
    model and the day are the same objects and values: an edit to an organisation does not count again."""
    on = on or today()
    ids = None if organisation_ids is None else tuple(organisation_ids)
    profiles_now = tuple(handbook.all("profile"))
    model_now = tuple(handbook.all("area")) + tuple(handbook.all("criterion"))
    key = (ids, on)
    hit = _PICTURES.get(key)
    if hit is not None and registry.same_objects(hit[0], profiles_now) and registry.same_objects(hit[1], model_now):
        return hit[2]
    made = _picture(handbook, ids, on)
    if len(_PICTURES) > 64:
        _PICTURES.clear()
    _PICTURES[key] = (profiles_now, model_now, made)
    return made


_PICTURES: dict = {}


def _picture(handbook: Handbook, organisation_ids, on: datetime.date) -> Picture:
    m = model(handbook)
    ids = with_profiles(handbook) if organisation_ids is None else organisation_ids
    counted = [r for r in (latest_current(handbook, i, on) for i in ids) if r is not None]
    area_counts = {a.id: dict.fromkeys((1, 2, 3, 4, 0), 0) for a in m.areas}
    criterion_counts = {cid: dict.fromkeys((1, 2, 3, 4, NOT_RELEVANT, None), 0) for cid in m.order}
    kinds = dict.fromkeys(KINDS, 0)
    for record in counted:
        if record.get("assessed_by") in kinds:
            kinds[record.get("assessed_by")] += 1
        for area, level in area_levels(handbook, record):
            area_counts[area.id][level or 0] += 1
        rated = _rated(handbook, record)
        for cid in m.order:
            criterion_counts[cid][rated.get(cid)] += 1
    criteria = [(c, criterion_counts[c.id]) for a in m.areas for c in m.criteria[a.id]]
    return Picture(len(counted), kinds, [(a, area_counts[a.id]) for a in m.areas], criteria)


def picture_section(handbook: Handbook, here: str, organisation_ids=None, lang: str = "sv", heading: int = 3,
                    anchor: str = "profiler") -> str:
    """The national (or a county's) picture as HTML for the page at `here`: a chart and a table per
    area, a table per criterion, and the criteria where most need support with what helps."""
    from ..render import relative_url
    from ..templating import render_template
    from ..urls import area_url, criterion_url
    from .quality import helpers, level_name

    seen = picture(handbook, organisation_ids)
    link = lambda url: relative_url(here, url)  # noqa: E731
    areas = [{"title": f"{a.get('order')}. {a.text('title', lang)}", "href": link(area_url(a.id)), "counts": counts}
             for a, counts in seen.areas]
    criteria = [{"title": c.text("title", lang), "href": link(criterion_url(c.get("area"), c.id)), "counts": counts}
                for c, counts in seen.criteria]
    support = [{"title": c.text("title", lang), "href": link(criterion_url(c.get("area"), c.id)), "low": n,
                "helpers": [(what, title, link(url)) for what, title, url in helpers(handbook, c, lang)]}
               for c, n in seen.needs_support()]
    return render_template("profiles/picture.html", lang, seen=seen, areas=areas, criteria=criteria, support=support,
                           kinds=[(kind_label(k, lang), seen.kinds[k]) for k in KINDS],
                           level_names={n: level_name(n, lang) for n in LEVELS}, h=heading, anchor=anchor)


@registry.macro
def profile_picture(handbook: Handbook, lang: str = "sv") -> str:
    """Where the organisations stand, from their latest current profiles; for /kvalitetsmodell/."""
    return picture_section(handbook, "kvalitetsmodell/", None, lang)
