"""When each file was last changed (from git), and which records are past their review date.

Git dates come from ONE `git log` per build, parsed once: a call per file costs a process each, and
the directory alone has 1500 files at national scale. Outside a git checkout, or for a file that was
never committed, there is no date and the page shows none (never the file system's date: a fresh
checkout would make every page look changed today). A file with uncommitted changes shows the date
of its last commit. Deploy from a full clone (`fetch-depth: 0`): a shallow clone knows one commit,
and every page would show its date.

Today's date comes from HANDBOOK_TODAY (YYYY-MM-DD) when it is set, so tests can fix it.
"""
from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from . import check
from .load import Loaded
from .messages import template
from .model import Handbook, Record
from .problems import Problem

GIT_LOG = ["git", "-c", "core.quotePath=false", "log", "--relative", "--no-renames", "--format=%x00%cI", "--name-only",
           "--", "."]


def last_changed(root: Path) -> dict[str, str]:
    """Path relative to `root` -> the date (YYYY-MM-DD) of the last commit that changed it; {} outside git."""
    try:
        done = subprocess.run(GIT_LOG, cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=120, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_log(done.stdout) if done.returncode == 0 else {}


def parse_log(text: str) -> dict[str, str]:
    """Parse `git log --format=%x00%cI --name-only`: newest commit first, so a path's first date is its last change."""
    dates: dict[str, str] = {}
    for chunk in text.split("\0")[1:]:
        lines = chunk.split("\n")
        date = lines[0].strip()[:10]
        for name in lines[1:]:
            if name and name not in dates:
                dates[name] = date
    return dates


def today() -> datetime.date:
    """Today, or the date in HANDBOOK_TODAY (YYYY-MM-DD) for tests and previews."""
    given = os.environ.get("HANDBOOK_TODAY", "").strip()
    if given:
        try:
            return datetime.date.fromisoformat(given)
        except ValueError:
            pass  # a wrong value never stops a build; the real date is used
    return datetime.date.today()


def review_date(record: Record) -> datetime.date | None:
    value = record.get("review_by")
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # the schema reports a date it cannot read


def overdue(handbook: Handbook, on: datetime.date | None = None) -> list[Record]:
    """Records past their `review_by` date, the oldest date first."""
    on = on or today()
    found = [r for kind in handbook.kinds() for r in handbook.all(kind) if (review_date(r) or on) < on]
    return sorted(found, key=lambda r: (review_date(r), r.path))


@check.rule("*")
def review_by_passed(handbook, record, loaded: Loaded):
    """A record past its review date is a warning: the build goes on, and /bidra/ lists it."""
    date = review_date(record)
    if date is None or date >= today():
        return
    line, column = loaded.place(("review_by",))
    yield Problem(loaded.path, line, column, "review_by", "review-overdue",
                  template("review-overdue").format(date=date.isoformat()), warning=True)
