"""Shared fixtures: the project root, real site builds, a local web server and a browser."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The exact-message tests expect the partners' language, whatever a maintainer has set (subprocesses inherit it).
os.environ["HANDBOOK_LANG"] = "sv"
sys.path.insert(0, str(Path(__file__).parent))
# Run from a background job (`make test &` in a script, nohup), the tests inherit SIGINT ignored, and so
# would every server and make they start: the Ctrl-C tests would then see nothing stop. A handled signal
# goes back to its default in a started program, an ignored one stays ignored; so handle it here.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def run_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`python -m handbook build` on a project folder, the way `make build` runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "build", "--site-dir", str(site_dir)],
                          cwd=project, env=env, capture_output=True, text=True)


def make_project(target: Path, content: Path, docs: Path, config: Path) -> Path:
    """A project folder: the real code and schemas, with the given content, docs and mkdocs.yml."""
    target.mkdir(parents=True)
    for name in ("schemas", "hooks", "overrides"):  # overrides: the theme's custom_dir in the real mkdocs.yml
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "macros.py", target / "macros.py")
    for item in content.iterdir():
        shutil.copytree(item, target / item.name)
    shutil.copytree(docs, target / "docs")
    shutil.copy(config, target / "mkdocs.yml")
    (target / "methods").mkdir(exist_ok=True)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real handbook, built strictly once for the whole session."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = run_build(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """A tiny site: the valid fixture content and a fixture docs folder."""
    fixtures = Path(__file__).parent / "fixtures"
    project = make_project(tmp_path_factory.mktemp("fixture") / "project", fixtures / "valid",
                           fixtures / "site" / "docs", fixtures / "site" / "mkdocs.yml")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(site_dir) -> base URL of a server on 127.0.0.1 for that folder."""
    servers = []

    def start(site: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def base(real_site, serve) -> str:
    """The address of the real site, served once for every browser test."""
    return serve(real_site)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# No process left behind: every server a test starts is stopped, even when the test fails.

def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process this user can see (Linux /proc)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except (OSError, ValueError, IndexError):
            continue  # it ended while we looked
        found[int(entry.name)] = (ppid, command)
    return found


def descendants(pid: int, table: dict | None = None) -> set[int]:
    """Every process started by `pid`, and by those, and so on."""
    table = processes() if table is None else table
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _command) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def listening_ports(pids: set[int]) -> dict[int, set[int]]:
    """pid -> the TCP ports it listens on, for the given processes."""
    inodes = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name, encoding="ascii") as table:
                for row in table.readlines()[1:]:
                    fields = row.split()
                    if fields[3] == "0A":  # LISTEN
                        inodes[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
        except OSError:
            continue
    found: dict[int, set[int]] = {}
    for pid in pids:
        try:
            for fd in os.scandir(f"/proc/{pid}/fd"):
                target = os.readlink(fd.path)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    found.setdefault(pid, set()).add(inodes[target[8:-1]])
        except OSError:
            continue
    return found


def is_server(command: str) -> bool:
    return "mkdocs" in command or ("handbook" in command and " serve" in command)


def leftover_servers(known: set[int], basetemp: str) -> dict[int, str]:
    """Server processes that were not there at the start: children (and their children) of this
    test run that serve or listen on a port, and any process at all that serves a project in this
    run's temporary folders (an orphan, such as a `mkdocs serve` whose parent was killed)."""
    table = processes()
    mine = descendants(os.getpid(), table) - known
    ports = listening_ports(mine)
    found = {pid: table[pid][1] for pid in mine if is_server(table[pid][1]) or pid in ports}
    found.update({pid: command for pid, (_ppid, command) in table.items()
                  if pid != os.getpid() and basetemp in command and is_server(command)})
    return {pid: command + (f" (listening on {sorted(ports[pid])})" if pid in ports else "") for pid, command in found.items()}


@pytest.fixture(scope="session", autouse=True)
def no_server_left_behind(tmp_path_factory):
    """Fails the run when a test left a server running (and stops it, so it does not linger)."""
    if not os.path.isdir("/proc/self"):
        yield
        return
    basetemp = str(tmp_path_factory.getbasetemp())
    known = descendants(os.getpid())
    yield
    left = leftover_servers(known, basetemp)
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for pid in left:
            try:
                os.kill(pid, signum)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in left):
            time.sleep(0.1)
    if left:
        pytest.fail("servers left running after the tests (now stopped):\n"
                    + "\n".join(f"  {pid}: {command}" for pid, command in sorted(left.items())), pytrace=False)
