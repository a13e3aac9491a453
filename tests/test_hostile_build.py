"""The swap of site/ is one step (issue 14, item 7): killed at any moment, a build leaves site/ as the whole
old site or the whole new one, and the next build removes what the killed one left beside it."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT, make_project

from handbook.__main__ import _exchange, clean_stale, swap

FIXTURES = Path(__file__).parent / "fixtures"


def _site(folder: Path, marker: str) -> Path:
    (folder / "en").mkdir(parents=True)
    for name in ("index.html", "en/index.html", "sitemap.xml"):
        (folder / name).write_text(marker, encoding="utf-8")
    return folder


def test_site_is_never_missing_while_it_is_swapped(tmp_path):
    site, new = _site(tmp_path / "site", "old"), _site(tmp_path / ".site-building-1", "new")
    seen: list[str] = []
    stop = threading.Event()

    def read(folder: int, name: str) -> str:
        handle = os.open(name, os.O_RDONLY, dir_fd=folder)
        try:
            return os.read(handle, 100).decode("utf-8")
        finally:
            os.close(handle)

    def watch():  # one look: the folder site/ names at that instant, and two of its files
        while not stop.is_set():
            try:
                folder = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                seen.append("missing")
                continue
            try:
                seen.append(read(folder, "index.html") + read(folder, "en/index.html"))
            except OSError:
                seen.append("incomplete")
            finally:
                os.close(folder)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(300):
            swap(new, site)
    finally:
        stop.set()
        watcher.join()
    assert len(seen) > 100
    assert set(seen) <= {"oldold", "newnew"}, {s for s in seen if s not in ("oldold", "newnew")}
    assert (site / "index.html").read_text(encoding="utf-8") == "old"  # an even number of exchanges
    assert (new / "index.html").read_text(encoding="utf-8") == "new"


def test_the_exchange_is_one_system_call_on_linux(tmp_path):
    if not sys.platform.startswith("linux"):
        return
    first, second = _site(tmp_path / "a", "a"), _site(tmp_path / "b", "b")
    assert _exchange(first, second)
    assert (first / "index.html").read_text(encoding="utf-8") == "b"
    assert (second / "index.html").read_text(encoding="utf-8") == "a"


def test_a_first_build_moves_the_new_site_in(tmp_path):
    new = _site(tmp_path / ".site-building-1", "new")
    swap(new, tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "new"
    assert not new.exists()


def test_stale_staging_folders_are_removed_and_a_running_build_is_left_alone(tmp_path):
    dead = 2 ** 22 + 12345  # above the kernel's largest process number: never running
    while True:
        try:
            os.kill(dead, 0)
            dead += 1
        except ProcessLookupError:
            break
        except PermissionError:
            dead += 1
    running = os.getppid()
    names = [f".site-building-{dead}", f".site-building-{dead}-en", f".site-old-{dead}", f".site-building-{running}",
             ".site-notes", "site"]
    for name in names:
        (tmp_path / name).mkdir()
    clean_stale(tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f".site-building-{running}", ".site-notes", "site"])


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    project = make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    site = project / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "handbook", "--root", str(project), "build", "--site-dir", str(site)]
    started = time.monotonic()
    first = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    duration = time.monotonic() - started
    complete = _files(site)
    assert {"index.html", "sitemap.xml", "data/organisationer.csv"} <= complete
    chance = random.Random(14)  # the same delays on every run
    kills = 0
    for _ in range(20):
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)  # its own group: the forked processes are killed with it
        time.sleep(chance.uniform(0.2, duration * 1.1))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        assert site.is_dir()
        assert _files(site) == complete
    assert kills >= 10
    last = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, last.stdout + last.stderr
    assert _files(site) == complete
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
