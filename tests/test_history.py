"""When and who: last-changed dates from one git pass, and records past their review date."""
from __future__ import annotations

import datetime
import html
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_build
from handbook import history, links
from handbook.content import load_content

FIXTURES = Path(__file__).parent / "fixtures"
FIRST, SECOND = "2026-03-14T10:00:00+01:00", "2026-11-30T23:30:00+01:00"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    if date:
        env.update(GIT_COMMITTER_DATE=date, GIT_AUTHOR_DATE=date)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, date: str, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


# The git pass


def test_the_log_is_read_newest_first_so_a_path_gets_its_last_change():
    text = "\x002026-11-30T10:00:00+01:00\n\na.yml\nb.md\n\x002026-01-02T09:00:00+00:00\n\na.yml\nc.yml\n"
    assert history.parse_log(text) == {"a.yml": "2026-11-30", "b.md": "2026-11-30", "c.yml": "2026-01-02"}
    assert history.parse_log("") == {}


def test_dates_from_a_temporary_repository(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "data" / "a.yml").write_text("a: 1\n")
    (repo / "data" / "b.yml").write_text("b: 1\n")
    commit_all(repo, FIRST, "first")
    (repo / "data" / "a.yml").write_text("a: 2\n")
    commit_all(repo, SECOND, "second")
    (repo / "data" / "b.yml").write_text("b: uncommitted change\n")
    (repo / "data" / "new.yml").write_text("never committed\n")
    dates = history.last_changed(repo)
    # The committer's own calendar date: 23:30 at +01:00 is still the 30th.
    assert dates == {"data/a.yml": "2026-11-30", "data/b.yml": "2026-03-14"}
    # From a folder inside the checkout the paths are relative to that folder.
    assert history.last_changed(repo / "data") == {"a.yml": "2026-11-30", "b.yml": "2026-03-14"}


def test_outside_a_git_checkout_there_are_no_dates_and_no_failure(tmp_path):
    (tmp_path / "plain").mkdir()
    assert history.last_changed(tmp_path / "plain") == {}


def test_a_missing_git_program_gives_no_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert history.last_changed(ROOT) == {}


# The dates on the pages


@pytest.fixture(scope="module")
def dated_project(tmp_path_factory) -> Path:
    """The fixture site in a git repository: everything committed on FIRST, then one organisation and
    the start page changed on SECOND, and one file changed but not committed."""
    base = tmp_path_factory.mktemp("dated")
    project = make_project(base / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    git(project, "init", "-q")
    commit_all(project, FIRST, "first")
    org = project / "data" / "organisationer" / "riksforbundet.yml"
    org.write_text(org.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text(encoding="utf-8") + "\nMer text.\n",
                                               encoding="utf-8")
    commit_all(project, SECOND, "second")
    (project / "docs" / "ny.md").write_text("# Ny sida\n\nInte incheckad.\n", encoding="utf-8")
    return project


def _build(project: Path, name: str, env: dict | None = None) -> Path:
    site = project.parent / name
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        result = run_build(project, site)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def _changed(site: Path, path: str) -> str | None:
    page = (site / path / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<p class="vi-changed">Senast ändrad <time datetime="([0-9-]+)">([0-9-]+)</time></p>', page)
    assert len(found) <= 1
    if not found:
        return None
    assert found[0][0] == found[0][1]
    return found[0][0]


def test_every_page_shows_the_last_commit_of_the_file_it_is_built_from(dated_project):
    site = _build(dated_project, "site")
    dates = history.last_changed(dated_project)
    handbook = load_content(dated_project).handbook
    assert _changed(site, "organisationer/riksforbundet") == "2026-11-30"
    assert _changed(site, "organisationer/kyrkans-second-hand") == "2026-03-14"
    assert _changed(site, "") == "2026-11-30" and _changed(site, "listor") == "2026-03-14"
    assert _changed(site, "ny") is None, "a file never committed shows no date"
    assert _changed(site, "organisationer/lan") is None, "a page of many records has no single date"
    for county in handbook.counties():
        assert _changed(site, f"organisationer/lan/{county.code}") == dates[f"data/lan/{county.code}.yml"]
    for method in handbook.all("method"):
        assert _changed(site, f"metoder/{method.id}") == dates[method.path]


def test_stamped_pages_with_dates_are_the_pages_the_theme_renders_one_by_one(dated_project):
    stamped = _build(dated_project, "stamped")
    config = dated_project / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "extra:\n  stamp_pages: false\n", encoding="utf-8")
    try:
        one_by_one = _build(dated_project, "one-by-one")
    finally:
        config.write_text(original, encoding="utf-8")
    files = sorted(p.relative_to(stamped).as_posix() for p in stamped.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(one_by_one).as_posix() for p in one_by_one.rglob("*") if p.is_file())
    assert [f for f in files if (stamped / f).read_bytes() != (one_by_one / f).read_bytes()] == []
    assert _changed(stamped, "organisationer/riksforbundet") == "2026-11-30"


def test_one_build_runs_git_once(dated_project, tmp_path):
    real_git = shutil.which("git")
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\nexec "{real_git}" "$@"\n', encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    site = _build(dated_project, "counted", {"PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"})
    assert _changed(site, "organisationer/riksforbundet") == "2026-11-30", "the dates came through the counted git"
    lines = calls.read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if "--name-only" in line]) == 1, lines
    # mkdocs-macros asks git a few fixed questions for its `git` variable; nothing asks about one file.
    assert not [line for line in lines if re.search(r"\.(yml|md)\b", line)], lines


# Review dates


def test_today_can_be_fixed_for_tests(monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", "2030-01-02")
    assert history.today() == datetime.date(2030, 1, 2)
    monkeypatch.setenv("HANDBOOK_TODAY", "not a date")
    assert history.today() == datetime.date.today()


def test_overdue_records_are_those_past_their_date_oldest_first(monkeypatch, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "valid", root)
    org = root / "data" / "organisationer" / "riksforbundet.yml"
    org.write_text(re.sub(r"review_by: .*", "review_by: 2026-05-01", org.read_text(encoding="utf-8")), encoding="utf-8")
    handbook = load_content(root).handbook
    every = [r for kind in handbook.kinds() for r in handbook.all(kind)]
    assert [r.id for r in history.overdue(handbook, datetime.date(2026, 5, 1))] == []
    assert [r.path for r in history.overdue(handbook, datetime.date(2026, 5, 2))] == ["data/organisationer/riksforbundet.yml"]
    later = history.overdue(handbook, datetime.date(2030, 1, 1))
    assert len(later) == len([r for r in every if r.get("review_by")])
    assert later[0].id == "riksforbundet"


def test_validate_warns_about_each_overdue_record_and_still_succeeds(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_TODAY": "2027-12-01", "HANDBOOK_LANG": "sv"}
    done = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "validate"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    handbook = load_content(project).handbook
    expected = len(history.overdue(handbook, datetime.date(2027, 12, 1)))
    assert expected > 0
    warned = [line for line in done.stdout.splitlines() if ": review_by: varning: posten skulle ha setts över senast " in line]
    assert len(warned) == expected
    env["HANDBOOK_TODAY"] = "2027-11-30"
    done = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "validate"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert "review_by" not in done.stdout, "on the date itself the record is not yet overdue"


def test_the_contributor_guide_lists_every_overdue_record_with_its_file_and_link(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    (project / "docs" / "bidra").mkdir()
    (project / "docs" / "bidra" / "index.md").write_text("---\nrender_macros: true\n---\n\n# Bidra\n\n{{ overdue_reviews() }}\n",
                                                         encoding="utf-8")
    site = _build(project, "site", {"HANDBOOK_TODAY": "2028-01-01"})
    page = (site / "bidra" / "index.html").read_text(encoding="utf-8")
    handbook = load_content(project).handbook
    overdue = history.overdue(handbook, datetime.date(2028, 1, 1))
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td><td>(.*?)</td><td><time datetime=\"([0-9-]+)\">", page)
    assert [(path, date) for _kind, _title, path, date in rows] == [
        (f"<code>{r.path}</code>", history.review_date(r).isoformat()) for r in overdue]
    for (_kind, title, _path, _date), record in zip(rows, overdue):
        url = links.record_url(handbook, record)
        href = re.search(r'href="([^"]+)"', title)
        assert bool(href) == bool(url)
        if href:
            assert (site / "bidra" / href.group(1).split("#")[0] / "index.html").resolve().is_file(), href.group(1)
        assert html.escape(links.record_title(record)) in title  # a hostile title stays text
    site = _build(project, "site-early", {"HANDBOOK_TODAY": "2026-11-01"})  # after every consent date, before every review date
    assert "Inga poster har passerat sitt datum" in (site / "bidra" / "index.html").read_text(encoding="utf-8")
