"""`make serve`: one process that stops when asked, quiet logs, a port of one's choice, and a page in
the browser that explains a broken file and goes away by itself when the file is fixed."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from browser_helpers import axe_violations, offsite_requests
from conftest import ROOT, make_project, processes, run_build
from server_helpers import free_port, get, port_is_free, running_server, serve_env, stop, wait_for

FIXTURES = Path(__file__).parent / "fixtures"
BUILT = r"Webbplatsen är byggd \(\d+,\d s\)"
SERVING = r"Webbplatsen visas på http://127\.0\.0\.1:\d+/ och byggs om när du sparar en fil\. Stoppa med Ctrl-C\."
STOPPED = "Servern är stoppad."
INDEXED = r"Sökningen är uppdaterad \(\d+,\d s\)"
ERROR_TITLE = "Webbplatsen kan inte visas just nu"


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")


def lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines()


def servers_of(project: Path) -> list[str]:
    """Every process, anywhere, that still serves this project."""
    return [command for pid, (_ppid, command) in processes().items()
            if pid != os.getpid() and str(project) in command and " serve" in command]


def wait_until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


# One process, stopped by kill, Ctrl-C, terminate() or the end of its parent

@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_kill_and_ctrl_c_stop_the_one_server_process_and_free_the_port(project, tmp_path, how):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    with running_server(project, log, port=port, env=serve_env(TMPDIR=str(temporary))) as (server, base):
        wait_for(f"{base}/", "Fixture", process=server)
        commands = processes()
        editions = {pid for pid, (parent, _command) in commands.items() if parent == server.pid}
        # One process serves; each language is built in one process of its own (handbook/live.py), which keeps
        # its last build for the next edit (the fixture has one language; the first forks the others).
        assert len(editions) == 1 and all("handbook.live" in commands[pid][1] for pid in editions), commands
        assert len(list(temporary.iterdir())) == 1, "the server builds into one temporary folder"
        server.send_signal(how)
        assert server.wait(timeout=20) == 0
        assert wait_until(lambda: not editions & set(processes())), "the edition's process stops with the server"
    assert port_is_free(port)
    assert servers_of(project) == []
    assert list(temporary.iterdir()) == [], "the temporary site folder is removed"
    assert lines(log)[-1] == STOPPED


def test_the_server_stops_when_the_process_that_started_it_dies(project, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    python = f"{sys.executable} -m handbook --root {project} serve --port {port}"
    parent = subprocess.Popen(["bash", "-c", f"{python} > {log} 2>&1 & wait"], env=serve_env(), cwd=project)
    try:
        wait_for(f"http://127.0.0.1:{port}/", "Fixture", process=parent)
        assert servers_of(project), "the server runs"
        parent.kill()  # SIGKILL: the parent cannot pass anything on
        parent.wait(timeout=10)
        assert wait_until(lambda: servers_of(project) == [] and port_is_free(port)), servers_of(project)
    finally:
        stop(parent)
        for pid, (_ppid, command) in processes().items():
            if str(project) in command and " serve" in command:
                os.kill(pid, signal.SIGKILL)


def test_make_serve_takes_port_and_host_is_quiet_and_stops_with_make(tmp_path):
    """The real handbook, as a partner starts it: `make serve PORT=... HOST=...`, stopped with `kill`."""
    port = free_port()
    log = tmp_path / "make.log"
    command = ["make", "--no-print-directory", "serve", f"PORT={port}", "HOST=127.0.0.1"]
    with running_server(ROOT, log, command=command, port=port) as (make, base):
        wait_for(f"{base}/", "Vägar in", process=make, seconds=120)
        make.terminate()
        make.wait(timeout=30)
    def still_serving():
        return [c for c in processes().values() if re.search(rf'serve .*--port "?{port}\b', c[1])]

    assert wait_until(lambda: port_is_free(port) and not still_serving()), still_serving()
    # make says it was terminated ("make[1]: ..." when the tests themselves run under make)
    shown = [line for line in lines(log) if not re.match(r"make(\[\d+\])?: ", line)]
    # Nothing but the content's own problems and warnings, as `make validate` prints them, one line
    # for the build, where to look, and the last line.
    from handbook import messages
    from handbook.content import load_content
    from handbook.problems import report

    before = messages.language()
    messages.set_language("sv")
    try:
        content = report(load_content(ROOT).problems).splitlines()
    finally:
        messages.set_language(before)
    indexed = [line for line in shown if re.fullmatch(INDEXED, line)]  # when the page showed before the search was done
    assert len(indexed) <= 1, shown
    shown = [line for line in shown if line not in indexed]
    assert len(shown) == len(content) + 3, shown
    assert shown[:len(content)] == content
    assert re.fullmatch(BUILT, shown[-3]) and re.fullmatch(SERVING, shown[-2]) and shown[-1] == STOPPED, shown
    assert f"http://127.0.0.1:{port}/" in shown[-2]


# A taken port, a wrong address

def test_a_taken_port_gets_one_swedish_sentence_with_the_way_out_and_no_traceback(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "serve", "--port", str(port)],
                                cwd=project, env=serve_env(), capture_output=True, text=True, timeout=60)
        took = time.monotonic() - started
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Porten {port} används redan av ett annat program; stoppa det programmet, "
        f"eller välj en annan port, till exempel make serve PORT={port + 1}"]
    assert took < 30, "the port is tried before anything is built"


def test_make_serve_with_a_taken_port_names_it_and_the_make_variable(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=ROOT, env=serve_env(),
                                capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert f"Porten {port} används redan" in result.stderr and f"make serve PORT={port + 1}" in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("make")] == [], "no make noise after it"


@pytest.mark.parametrize("args, said", [
    (["--host", "192.0.2.1", "--port", "8000"], "Adressen 192.0.2.1 finns inte på den här datorn"),  # TEST-NET: no one's
    (["--port", "åtta"], "åtta är inget portnummer"),
    (["--address", "127.0.0.1:99999"], "99999 är inget portnummer"),
])
def test_an_unusable_address_gets_one_sentence(project, args, said):
    result = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "serve", *args],
                            cwd=project, env=serve_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and said in result.stderr, result.stderr


def test_address_keeps_working_and_port_and_host_win_over_it():
    from handbook.serve import address

    assert address(None, None, None) == ("127.0.0.1", 8000)
    assert address(None, None, "0.0.0.0:8123") == ("0.0.0.0", "8123")
    assert address("localhost", "8001", "0.0.0.0:8123") == ("localhost", "8001")
    assert address(None, "8001", None) == ("127.0.0.1", "8001")


# Quiet logs, and real problems still shown

def test_serve_prints_one_line_per_build_and_nothing_internal(project, tmp_path):
    log = tmp_path / "serve.log"
    with running_server(project, log) as (server, base):
        wait_for(f"{base}/bidra/listor/malgrupper/", "Nyanlända", process=server)
        terms = project / "data" / "taxonomier" / "malgrupper.yml"
        terms.write_text(terms.read_text(encoding="utf-8").replace("Nyanlända", "Nyss anlända"), encoding="utf-8")
        wait_for(f"{base}/bidra/listor/malgrupper/", "Nyss anlända", process=server)
        wait_for(f"{base}/finns-inte/", "", process=server)  # a 404 is not logged
    shown = [line for line in lines(log) if not re.fullmatch(INDEXED, line)]  # the search follows each build
    assert [re.fullmatch(BUILT, line) is not None for line in shown] == [True, False, True, False], shown
    assert re.fullmatch(SERVING, shown[1]) and shown[3] == STOPPED
    assert len(lines(log)) - len(shown) <= 2, lines(log)  # an edit stops the index of the build before it


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !!python/name and !ENV tags are no concern of these tests."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_constructor("!ENV", lambda loader, node: None)


def real_validation() -> dict:
    """The `validation:` settings of the real mkdocs.yml."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["validation"]


def _quiet_project(tmp_path: Path, page: str | None = None) -> Path:
    """The small project with the real mkdocs.yml's `validation:` settings, and one hand-written page."""
    project = make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + yaml.safe_dump({"validation": real_validation()}), encoding="utf-8")
    if page is not None:
        (project / "docs" / "index.md").write_text(page, encoding="utf-8")
    return project


def test_a_build_prints_one_line_when_all_is_well(tmp_path):
    result = run_build(_quiet_project(tmp_path), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(r"Webbplatsen är byggd i \S+ \(\d+,\d s\)\n", result.stdout), result.stdout


@pytest.mark.parametrize("link", ["saknas.md", "listor/", "listor.md#ingen-sadan-rubrik"])
def test_a_real_link_problem_in_a_hand_written_page_is_shown_and_fails_the_build(tmp_path, link):
    result = run_build(_quiet_project(tmp_path, f"# Start\n\nSe [den här sidan]({link}).\n"), tmp_path / "site")
    assert result.returncode == 1
    assert link in result.stderr and "index.md" in result.stderr
    assert "WARNING" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_real_validation_settings_leave_generated_pages_out_of_the_nav_warnings(tmp_path):
    validation = real_validation()
    assert validation["nav"]["omitted_files"] == "ignore"
    # and nothing that finds a real problem is turned down below a warning
    assert all(validation[group].get(check, "warn") == "warn" for group in ("nav", "links")
               for check in ("not_found", "unrecognized_links", "anchors"))


# The page of problems

def _break(project: Path, text: str = "\tbroken: [\n") -> tuple[Path, str]:
    terms = project / "data" / "taxonomier" / "malgrupper.yml"
    good = terms.read_text(encoding="utf-8")
    terms.write_text(good + text, encoding="utf-8")
    return terms, good


def test_serve_started_on_broken_content_answers_at_once_with_the_problems_escaped_and_recovers(project, tmp_path):
    county = project / "data" / "lan" / "01.yml"
    good = county.read_text(encoding="utf-8")
    county.write_text(re.sub(r"(?m)^letter: .*$", 'letter: "<b>x</b>"', good), encoding="utf-8")
    log = tmp_path / "serve.log"
    with running_server(project, log) as (server, base):
        body = wait_for(f"{base}/", ERROR_TITLE, status=503, process=server)
        started = time.monotonic()
        status, body = get(f"{base}/organisationer/")
        assert time.monotonic() - started < 3, "a page request is answered at once"
        assert status == 503 and ERROR_TITLE in body
        assert "<code>data/lan/01.yml</code>, rad " in body and "fält <code>letter</code>" in body
        assert "&lt;b&gt;x&lt;/b&gt;" in body and "<b>x</b>" not in body
        assert "av sig själv" in body
        assert "livereload(" in body, "the page reloads itself when the site is back"
        assert get(f"{base}/sitemap.xml")[0] == 404, "only pages are replaced by the page of problems"
        assert server.poll() is None, "broken content at start does not stop the server"
        county.write_text(good, encoding="utf-8")
        wait_for(f"{base}/", "Fixture", status=200, process=server)
    shown = log.read_text(encoding="utf-8")
    assert "data/lan/01.yml:" in shown and "Webbplatsen kan inte byggas: 1 problem i 1 fil." in shown
    assert "Traceback" not in shown


def test_a_page_problem_that_mkdocs_finds_shows_on_the_page_too(project, tmp_path):
    with running_server(project, tmp_path / "serve.log") as (server, base):
        wait_for(f"{base}/", "Fixture", process=server)
        (project / "docs" / "index.md").write_text("# Start\n\n[trasig](saknas.md)\n", encoding="utf-8")
        body = wait_for(f"{base}/", ERROR_TITLE, status=503, process=server)
        assert "saknas.md" in body
        (project / "docs" / "index.md").write_text("# Start igen\n", encoding="utf-8")
        wait_for(f"{base}/", "Start igen", status=200, process=server)


def test_in_the_browser_a_broken_file_shows_its_problems_and_the_page_comes_back_by_itself(project, tmp_path, browser):
    page_url = "/bidra/listor/malgrupper/"
    with running_server(project, tmp_path / "serve.log") as (server, base):
        wait_for(base + page_url, "Nyanlända", process=server)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        try:
            page = context.new_page()
            page.requests_seen = []
            page.on("request", lambda request: page.requests_seen.append(request.url))
            page.goto(base + page_url, wait_until="load")
            terms, good = _break(project)
            # the open page turns into the page of problems by itself
            page.wait_for_function("document.title.startsWith(%r)" % ERROR_TITLE, timeout=30_000)
            started = time.monotonic()
            response = page.goto(base + page_url, wait_until="load", timeout=10_000)
            assert time.monotonic() - started < 5
            assert response.status == 503
            assert page.locator("h1").inner_text() == ERROR_TITLE
            assert page.locator("h1").count() == 1
            assert "data/taxonomier/malgrupper.yml" in page.locator("ol").inner_text()
            assert axe_violations(page) == []
            assert offsite_requests(page, base) == []
            terms.write_text(good.replace("Nyanlända", "Nyanlända igen"), encoding="utf-8")
            page.wait_for_function("document.body.innerText.includes('Nyanlända igen')", timeout=60_000)
            assert page.locator("h1").inner_text() != ERROR_TITLE
        finally:
            context.close()


def _bilingual(project: Path) -> Path:
    """The small project with an English edition beside it, as the real one has (mkdocs.en.yml, docs-en/)."""
    shutil.copytree(project / "docs", project / "docs-en")
    (project / "docs-en" / "index.md").write_text("# Start in English\n\nThe fixture handbook.\n", encoding="utf-8")
    (project / "mkdocs.en.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: docs-en\ntheme:\n  language: en\n"
                                           "plugins:\n  - search:\n      lang: en\n  - macros:\n      module_name: macros\n"
                                           "      render_by_default: false\n      on_error_fail: true\n      on_undefined: strict\n",
                                           encoding="utf-8")
    return project


def test_serve_shows_the_english_edition_too_and_rebuilds_both(project, tmp_path):
    log = tmp_path / "serve.log"
    _bilingual(project)
    with running_server(project, log) as (server, base):
        wait_for(f"{base}/en/", "Start in English", process=server)
        wait_for(f"{base}/en/bidra/listor/malgrupper/", "Nyanlända", process=server)
        status, start = get(f"{base}/en/")
        assert status == 200 and '<html lang="en"' in start and 'hreflang="sv"' in start
        terms = project / "data" / "taxonomier" / "malgrupper.yml"
        terms.write_text(terms.read_text(encoding="utf-8").replace("Nyanlända", "Nyss anlända"), encoding="utf-8")
        wait_for(f"{base}/en/bidra/listor/malgrupper/", "Nyss anlända", process=server)
        wait_for(f"{base}/bidra/listor/malgrupper/", "Nyss anlända", process=server)
    shown = lines(log)
    assert [re.fullmatch(BUILT, line) is not None for line in shown].count(True) == 2, shown
    assert not any("Traceback" in line for line in shown), shown


def test_the_content_is_loaded_once_for_both_editions_and_a_lost_edition_comes_back(project, tmp_path):
    """The editions' process loads and checks the content once and forks the English edition from
    itself; if that edition's process dies, the next edit starts them again, and both languages show it."""
    log = tmp_path / "serve.log"
    _bilingual(project)
    with running_server(project, log) as (server, base):
        wait_for(f"{base}/en/bidra/listor/malgrupper/", "Nyanlända", process=server)
        commands = processes()
        live = [pid for pid, (parent, command) in commands.items() if parent == server.pid and "handbook.live" in command]
        assert len(live) == 1, commands
        forked = [pid for pid, (parent, _command) in commands.items() if parent == live[0]
                  and "handbook.search" not in commands[pid][1]]
        assert len(forked) == 1 and "--also" in commands[forked[0]][1], commands  # the English edition, forked
        os.kill(forked[0], signal.SIGKILL)
        time.sleep(0.5)
        terms = project / "data" / "taxonomier" / "malgrupper.yml"
        terms.write_text(terms.read_text(encoding="utf-8").replace("Nyanlända", "Nyss anlända"), encoding="utf-8")
        wait_for(f"{base}/en/bidra/listor/malgrupper/", "Nyss anlända", process=server)
        wait_for(f"{base}/bidra/listor/malgrupper/", "Nyss anlända", process=server)
        assert wait_until(lambda: live[0] not in processes()), "the old process is gone"
    shown = lines(log)
    assert not any("Traceback" in line for line in shown), shown
    assert [re.fullmatch(BUILT, line) is not None for line in shown].count(True) == 2, shown  # the start, the edit
