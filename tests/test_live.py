"""`make serve` at work: an edit to the content redoes only what it changed (handbook/live.py), and the
site it serves is then the same, byte for byte, as a clean build of the same files.

The project is the real one with a few dozen synthetic organisations and quality profiles beside the
real records (scripts/bench.py makes them, as it does for the benchmark), in both languages.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from server_helpers import free_port, get, running_server, serve_env, wait_for

sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402

INDEXED = "Sökningen är uppdaterad"
WHOLE = "whole build:"
EDIT = "edit:"


@pytest.fixture
def project(tmp_path) -> Path:
    return bench.copy_project(tmp_path / "project", 40)


def _log(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


def _settled(log: Path, count: int, seconds: float = 120) -> None:
    """Wait until the server has said `count` times that the search is up to date: every page, download
    and search index of that build is written."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _log(log).count(INDEXED) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"the server did not settle ({count} builds):\n{_log(log)[-3000:]}")


def _served(temporary: Path) -> Path:
    """The folder the server serves: its one temporary site in TMPDIR (the English one, "-en", beside it)."""
    found = [path for path in temporary.glob("vagar-in-serve-*") if path.is_dir() and not path.name.endswith("-en")]
    assert len(found) == 1, found
    return found[0]


def _snapshot(site: Path, target: Path) -> Path:
    shutil.copytree(site, target, symlinks=False)  # the English edition is served from its own folder by a link
    return target


def _differences(one: Path, other: Path) -> list[str]:
    found = []

    def walk(compared: filecmp.dircmp, at: str) -> None:
        found.extend(f"only in the live site: {at}{name}" for name in compared.left_only)
        found.extend(f"only in the clean build: {at}{name}" for name in compared.right_only)
        for name in compared.common_files:
            if (Path(compared.left) / name).read_bytes() != (Path(compared.right) / name).read_bytes():
                found.append(f"differs: {at}{name}")
        for name, sub in compared.subdirs.items():
            walk(sub, f"{at}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return found


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_removals_and_additions_under_the_live_server_equal_a_clean_build(project, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = serve_env(HANDBOOK_LIVE_DEBUG="1", TMPDIR=str(temporary))
    log = tmp_path / "serve.log"
    port = free_port()  # the same address for both: the pages hold it
    organisations = project / "data" / "organisationer"
    synthetic = sorted(organisations.glob("syntetisk-*.yml"))
    profiles = sorted((project / "data" / "kvalitetsprofiler").glob("syntetisk-*.yml"))
    with running_server(project, log, env=env, port=port) as (server, base):
        _settled(log, 1)
        builds = 1
        # 1. An organisation's name: its page, its county's page, the directory's data, the open data.
        first = synthetic[3]
        name = re.search(r"^name: (.*)$", first.read_text(encoding="utf-8"), re.M).group(1)
        _edit(first, f"name: {name}", f"name: {name} Ändrad")
        wait_for(f"{base}/organisationer/{first.stem}/", f"{name} Ändrad", process=server)
        wait_for(f"{base}/en/organisationer/{first.stem}/", f"{name} Ändrad", process=server)
        builds += 1
        _settled(log, builds)
        # 2. A quality profile's level: the organisation's page, the national picture.
        profile = profiles[0]
        text = profile.read_text(encoding="utf-8")
        level = re.search(r"level: (\d)", text)
        _edit(profile, level.group(0), f"level: {1 + int(level.group(1)) % 4}")
        builds += 1
        _settled(log, builds)
        # 3. A new name that sorts first: the county's list and the sitemap change their order.
        third = synthetic[-1]
        _edit(third, "name: ", "name: Aaa först ")
        wait_for(f"{base}/organisationer/{third.stem}/", "Aaa först", process=server)
        builds += 1
        _settled(log, builds)
        assert _log(log).count(WHOLE) == 2, _log(log)  # the two first builds (one per language), no other
        assert _log(log).count(EDIT) == 6, _log(log)
        # 4. A broken file shows its problem, and the site comes back when it is fixed.
        second = synthetic[5]
        good = second.read_text(encoding="utf-8")
        second.write_text(good + "scope: [\n", encoding="utf-8")
        wait_for(f"{base}/", str(second.relative_to(project)), process=server, status=503)
        second.write_text(good.replace("name: ", "name: Lagad ", 1), encoding="utf-8")
        wait_for(f"{base}/organisationer/{second.stem}/", "Lagad ", process=server, status=200)
        builds += 1
        _settled(log, builds)
        # 5. An organisation removed (with its profiles), and one added.
        gone = next(path for path in synthetic[10:] if not any(p.stem.startswith(path.stem + "-") for p in profiles))
        gone.unlink()
        builds += 1
        _settled(log, builds)
        added = organisations / "syntetisk-ny.yml"
        added.write_text(synthetic[1].read_text(encoding="utf-8").replace("name: ", "name: Alldeles ny ", 1), encoding="utf-8")
        wait_for(f"{base}/organisationer/syntetisk-ny/", "Alldeles ny", process=server)
        builds += 1
        _settled(log, builds)
        assert get(f"{base}/organisationer/{gone.stem}/")[0] == 404
        live = _snapshot(_served(temporary), tmp_path / "live")
    with running_server(project, tmp_path / "again.log", env=env, port=port) as (server, base):
        _settled(tmp_path / "again.log", 1)
        clean = _snapshot(_served(temporary), tmp_path / "clean")
    assert len(list(live.rglob("*.html"))) > 100
    assert _differences(live, clean) == []


def _without_directory(handbook):
    from handbook.model import Handbook

    return Handbook({kind: ({} if kind in ("organisation", "profile") else dict(records))
                     for kind, records in handbook._records.items()}, handbook.folders)


def _pages_of(source, handbook, lang: str) -> list:
    from handbook import registry, render

    registry.BODIES.clear()
    made = list(registry.call(source, handbook, lang=lang))
    return [(path, render.fill_blocks(markdown), render.fill_blocks(registry.BODIES.get(path, ""))) for path, markdown in made]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_sources_kept_across_organisation_edits_read_no_organisation_and_no_profile(project, lang):
    """A page source marked `apart_from_directory` is not asked again after an edit to an organisation or a
    profile; so its pages must be the same with every organisation and profile gone."""
    from handbook import registry
    from handbook.content import load_content

    handbook = load_content(project, addresses=False).handbook
    assert handbook.count("organisation") > 40 and handbook.count("profile") > 10
    bare = _without_directory(handbook)
    assert registry.APART_FROM_DIRECTORY, "no source is kept"
    for source in registry.APART_FROM_DIRECTORY:
        assert _pages_of(source, handbook, lang) == _pages_of(source, bare, lang), source.__name__
    # ... and a source that does read them is told apart by the same comparison
    from handbook.areas import directory
    assert _pages_of(directory.directory_pages, handbook, lang) != _pages_of(directory.directory_pages, bare, lang)


def test_kept_pages_are_asked_again_only_when_another_record_changes(project, monkeypatch):
    from handbook import registry, render
    from handbook.content import load_content
    from handbook.model import Handbook, Record

    handbook = load_content(project, addresses=False).handbook
    asked: list[str] = []
    kept: set[str] = set()  # the paths of the kept sources' pages
    swapped = []
    for source in list(registry.APART_FROM_DIRECTORY):
        def counted(*args, _source=source, **kwargs):
            asked.append(_source.__name__)
            made = list(_source(*args, **kwargs))
            kept.update(path for path, _markdown in made)
            return made
        swapped.append((source, counted))
    monkeypatch.setattr(registry, "PAGE_SOURCES", [dict(swapped).get(s, s) for s in registry.PAGE_SOURCES])
    monkeypatch.setattr(registry, "APART_FROM_DIRECTORY", {counted for _source, counted in swapped})

    def restore():
        registry._KEPT.clear()
    try:
        render.stash_blocks()
        first = [(p, render.fill_blocks(m)) for p, m in registry.generated_pages(handbook, "sv")]
        sources = len(asked)
        assert sources == len(registry.APART_FROM_DIRECTORY)
        # Another organisation: the kept pages come back without asking their sources, the same as before.
        records = {kind: dict(items) for kind, items in handbook._records.items()}
        some = next(iter(records["organisation"].values()))
        records["organisation"][some.id] = Record.of("organisation", some.id, some.path, {**some.data, "name": "Annat namn"})
        edited = Handbook(records, handbook.folders)
        again = [(p, render.fill_blocks(m)) for p, m in registry.generated_pages(edited, "sv")]
        assert len(asked) == sources
        assert len(kept) > 50
        assert [item for item in again if item[0] in kept] == [item for item in first if item[0] in kept]
        # A method changed: they are asked again.
        method = next(iter(records["method"].values()))
        records["method"][method.id] = Record.of("method", method.id, method.path, dict(method.data))
        registry.generated_pages(Handbook(records, handbook.folders), "sv")
        assert len(asked) == 2 * sources
    finally:
        render.stash_blocks(False)
        restore()


def test_ctrl_c_in_a_terminal_stops_the_server_and_its_editions_without_a_traceback(tmp_path):
    """A terminal's Ctrl-C reaches the whole process group, the editions' processes too."""
    import signal
    import subprocess

    from conftest import make_project, processes
    from server_helpers import stop

    fixtures = Path(__file__).parent / "fixtures"
    project = make_project(tmp_path / "project", fixtures / "valid", fixtures / "site" / "docs", fixtures / "site" / "mkdocs.yml")
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "handbook", "--root", str(project), "serve", "--port", str(port)],
                                  cwd=project, env=serve_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/", "Fixture", process=server)
        editions = {pid for pid, (parent, _command) in processes().items() if parent == server.pid}
        assert editions
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        deadline = time.monotonic() + 20
        while editions & set(processes()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not editions & set(processes())
    finally:
        stop(server)
    said = _log(log)
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
    assert said.rstrip().endswith("Servern är stoppad."), said


def test_in_the_browser_an_edited_organisation_shows_by_itself_and_the_search_finds_its_new_name(tmp_path, browser):
    from search_helpers import search

    project = bench.copy_project(tmp_path / "project", 12)
    record = sorted((project / "data" / "organisationer").glob("syntetisk-*.yml"))[2]
    text = record.read_text(encoding="utf-8")
    county = re.search(r"^county: '?(\d\d)'?$", text, re.M).group(1)
    log = tmp_path / "serve.log"
    with running_server(project, log) as (server, base):
        _settled(log, 1)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{base}/organisationer/{record.stem}/", wait_until="load")
            record.write_text(text.replace("name: ", "name: Zebrafinken ", 1), encoding="utf-8")
            # the open page reloads by itself with the new name (the live-reload script runs under the pages' policy)
            deadline = time.monotonic() + 30
            while not page.title().startswith("Zebrafinken") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert page.title().startswith("Zebrafinken"), page.title()
            assert page.locator("h1").inner_text().startswith("Zebrafinken")
            _settled(log, 2)
            found = search(page, "Zebrafinken")
            assert f"/organisationer/lan/{county}/" in [hit["href"] for hit in found], found
        finally:
            context.close()
