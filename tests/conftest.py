"""Shared fixtures: the project root, real site builds, a local web server and a browser."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

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
