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

from .. import check, messages
from ..history import today
from ..load import Loaded, field_path
from ..model import Handbook, Record
from ..problems import problem

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
        found = _INDEX[handbook] = _Index(model, {k: tuple(v) for k, v in by_organisation.items()})
    return found


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
    rated = ratings(record)
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
    rated = ratings(record)
    found = []
    for area, level in area_levels(handbook, record):
        items = model(handbook).criteria[area.id]
        n_rated = sum(1 for c in items if isinstance(rated.get(c.id), int))
        n_not = sum(1 for c in items if rated.get(c.id) == NOT_RELEVANT)
        found.append(AreaSummary(area, level, n_rated, n_not, len(items) - n_rated - n_not))
    return found


def not_covered(handbook: Handbook, record: Record) -> list[Record]:
    """The criteria of today's model that the profile does not assess, in reading order."""
    rated = ratings(record)
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
