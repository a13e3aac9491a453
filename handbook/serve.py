"""`python -m handbook serve`: the site with live reload, served by this one process.

MkDocs' own development server (`mkdocs.livereload.LiveReloadServer`, the one `mkdocs serve`
uses) runs here, in this process, around our own builder:

- The address is taken before anything is built: a port in use gets one sentence that says how
  to choose another, not a traceback.
- SIGTERM (`kill`, a test's `terminate()`) and SIGHUP stop the server the way Ctrl-C does: the port
  is freed and the temporary site folder removed. On Linux the server also stops when the process
  that started it (make, a test) dies, so nothing is ever left serving.
- Content problems never leave the browser waiting. Every page request is then answered at once
  with a page that lists the problems and carries the live-reload script; fixing the file
  rebuilds the site and the browser reloads by itself. A broken file at start works the same way.
- The terminal shows real problems (MkDocs' warnings and errors, the content's problems) and one
  line per build; MkDocs' progress messages and request log stay out.

This is the one module of the `handbook` package that imports MkDocs (as `__main__` does for the
build): the server is MkDocs' own.
"""
from __future__ import annotations

import base64
import errno
import hashlib
import html
import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import messages, templating

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# Interface texts of `serve` and of the build's last line live in the message catalogues with the
# problems (`serve.*` in handbook/locale/<lang>/LC_MESSAGES/problems.po): Swedish for partners,
# English for maintainers with HANDBOOK_LANG=en.
def text(key: str, **values) -> str:
    """A line or page text of the server, from the catalogue (`serve.<key>` in problems.po)."""
    return messages.message(f"serve.{key}", **values)


def seconds(value: float) -> str:
    """A duration as the reader writes it: 2,4 in Swedish, 2.4 in English."""
    shown = f"{value:.1f}"
    return shown.replace(".", ",") if messages.language() == "sv" else shown


def address(host: str | None, port: int | str | None, combined: str | None) -> tuple[str, int | str]:
    """The host and port to serve on: --host and --port, else --address host:port, else the default."""
    from_host, from_port = DEFAULT_HOST, DEFAULT_PORT
    if combined:
        given_host, _, given_port = combined.rpartition(":")
        from_host = given_host.strip("[]") or DEFAULT_HOST
        from_port = given_port
    return host or from_host, port if port is not None else from_port


def quiet_mkdocs_log(*collectors: list) -> logging.Handler:
    """Show MkDocs' warnings and errors (real problems) on stderr, without tracebacks, and nothing
    below; each message is also appended to every list in `collectors`."""
    class Handler(logging.StreamHandler):
        def emit(self, record):
            for found in collectors:
                found.append(record.getMessage())
            super().emit(record)

    class Formatter(logging.Formatter):
        def formatException(self, exc_info):  # noqa: N802 (logging's name)
            return ""

        def formatStack(self, stack_info):  # noqa: N802
            return ""

    handler = Handler(sys.stderr)
    handler.setFormatter(Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    return handler


class _Log:
    """MkDocs' logger, quiet for as long as the server runs."""

    def __init__(self):
        self.found: list[str] = []
        self.handler = quiet_mkdocs_log(self.found)
        self.logger = logging.getLogger("mkdocs")
        self.requests = logging.getLogger("mkdocs.livereload")

    def __enter__(self):
        self.old = self.logger.level, self.logger.propagate
        self.logger.setLevel(logging.WARNING)
        self.logger.propagate = False
        self.logger.addHandler(self.handler)
        self.requests.setLevel(logging.ERROR)  # "code 404" for every missing favicon is no problem
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.old[0])
        self.logger.propagate = self.old[1]
        # The request logger stays quiet: a request that was in flight when the server stopped still
        # logs when it ends, and with MkDocs' handler gone Python would print it bare on stderr.


def _problem_count(problems, build: bool = False) -> str:
    """"3 problem i 2 filer" (or "1 problem" for a build problem that is in no file)."""
    files = len({p[0] for p in problems if p[0]})
    counted = messages.count("count.problem", len(problems))
    if build or not files:
        return counted
    return messages.message("summary.problems", problems=counted, files=messages.count("count.file", files))


def problem_page(problems: list[tuple]) -> bytes:
    """The page every request gets while the site cannot be built: the problems, escaped, as
    (file, line, column, field, message) with file empty for a problem of the whole build."""
    esc = html.escape
    lang = "en" if messages.language() == "en" else "sv"
    items = []
    for path, line, column, field, message in problems:
        where = []
        if path:
            where.append(f"<code>{esc(path)}</code>")
            if line:
                where.append(esc(text("place", line=line, column=column)))
            if field and field != "(file)":
                where.append(f"{esc(text('field'))} <code>{esc(field)}</code>")
        place = f'<p class="where">{", ".join(where)}</p>' if where else ""
        items.append(f"<li>{place}<p class=\"what\">{esc(message)}</p></li>")
    title = text("page-title")
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} – {esc(text("site"))}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 0; }}
main {{ max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }}
h1 {{ font-size: 1.6rem; line-height: 1.25; color: #8a1c1c; }}
h2 {{ font-size: 1.2rem; margin-top: 2rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: 0 0 1rem; padding: .5rem .75rem; border-left: .25rem solid #8a1c1c; background: #fbf3f3; }}
li p {{ margin: .2rem 0; overflow-wrap: anywhere; }}
.where {{ font-size: .95rem; color: #3b3b3b; }}
code {{ font-family: ui-monospace, monospace; font-size: .95em; }}
</style>
</head>
<body>
<main>
<h1>{esc(title)}</h1>
<p>{esc(text("page-lead", count=_problem_count(problems)))}</p>
<p><strong>{esc(text("page-fix"))}</strong></p>
<h2>{esc(text("page-list"))}</h2>
<ol>
{chr(10).join(items)}
</ol>
<p>{esc(text("page-terminal"))}</p>
</main>
</body>
</html>
""".encode("utf-8")


def _looks_like_a_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith((".html", ".htm")) or "." not in last


def _server_class():
    from mkdocs.livereload import LiveReloadServer

    class HandbookServer(LiveReloadServer):
        """MkDocs' live-reload server; while the site cannot be built, every page request gets the
        page of problems at once (with the live-reload script), instead of waiting for a build
        that will not come."""

        problems_page: bytes | None = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The operating system tells of each change (inotify on Linux), instead of MkDocs' polling
            # of every file twice a second.
            import watchdog.observers

            self.observer = watchdog.observers.Observer()
            self.changed: set[str] | None = None  # None: build everything (the first build)
            self.base = Path(".").resolve()

        def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
            """Watch `path`; every change is kept (as a path under the root) for the next build."""
            import watchdog.events

            path = os.path.abspath(path)
            if path in self._watched_paths:
                return
            self._watched_paths[path] = 1

            def callback(event):
                if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                    return
                found = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
                found = [_relative(str(item), self.base) for item in found]
                found = [item for item in found if item and "__pycache__" not in item and not item.endswith(".pyc")]
                if not found:
                    return
                with self._rebuild_cond:
                    if self.changed is not None:
                        self.changed.update(found)
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = callback
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

        def _inject_js_into_html(self, content, epoch):
            """The page with MkDocs' live-reload script, which the page's Content-Security-Policy allows by
            its hash (the policy refuses every other inline script: without it, no page reloads by itself)."""
            injected = super()._inject_js_into_html(content, epoch)
            marker = b'<meta http-equiv="Content-Security-Policy" content="'
            if marker not in injected:
                return injected
            start = injected.rindex(b"<script>")
            script = injected[start + len(b"<script>"):injected.index(b"</script>", start)]
            digest = base64.b64encode(hashlib.sha256(script).digest())
            return injected.replace(marker + b"default-src 'self'; script-src 'self'",
                                    marker + b"default-src 'self'; script-src 'self' 'sha256-" + digest + b"'", 1)

        def take_changed(self) -> set[str] | None:
            """The paths changed since the last build (None the first time: everything)."""
            with self._rebuild_cond:
                changed, self.changed = self.changed, set()
            return changed

        def _serve_request(self, environ, start_response):
            page = self.problems_page
            path = environ.get("PATH_INFO", "/")
            if page is not None and not path.startswith("/livereload/") and _looks_like_a_page(path):
                with self._epoch_cond:
                    epoch = self._visible_epoch
                body = self._inject_js_into_html(page, epoch)
                start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8"),
                                                           ("Content-Length", str(len(body))),
                                                           ("Cache-Control", "no-store")])
                return [body]
            return super()._serve_request(environ, start_response)

    return HandbookServer


def _relative(path: str, base: Path) -> str:
    try:
        return Path(path).resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        return ""


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM when the process that started this one dies (make
    killed with SIGKILL, a test runner that crashed): the server never outlives its starter."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Stop(BaseException):
    """SIGTERM or SIGHUP: stop as Ctrl-C does."""


def _bind(server_class, host: str, port: int):
    """The server, bound and listening, or (None, message) when the address cannot be used."""
    if not 0 < port < 65536:
        return None, text("port-invalid", port=port)
    try:
        server = server_class(builder=lambda: None, host=host, port=port, root=".", mount_path="/")
    except (OSError, ValueError, UnicodeError):
        return None, text("host-unknown", host=host)
    try:
        server.server_bind()
        server.server_activate()
    except (OSError, ValueError, UnicodeError) as error:  # socket.gaierror, an unknown host, is an OSError too
        server.server_close()
        code = getattr(error, "errno", None)
        if code == errno.EADDRINUSE:
            return None, text("port-taken", port=port, other=port + 1 if port < 65535 else 8001)
        if code == errno.EACCES:
            return None, text("port-refused", port=port, other=8001)
        return None, text("host-unknown", host=host)
    return server, ""


def serve(root: Path, host: str = DEFAULT_HOST, port: int | str = DEFAULT_PORT) -> int:
    """Serve the site of `root` until Ctrl-C, SIGTERM or SIGHUP; 1 if it cannot start."""
    try:
        return _serve(root, host, port)
    except KeyboardInterrupt:  # Ctrl-C before the server was up
        print(text("stopped"), flush=True)
        return 0


def _serve(root: Path, host: str, port: int | str) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _die_with_parent()
    try:
        port = int(port)
    except (TypeError, ValueError):
        print(text("port-invalid", port=port), file=sys.stderr)
        return 1
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.livereload import _serve_url

    root = Path(root).resolve()
    config_file = root / "mkdocs.yml"
    server, refusal = _bind(_server_class(), host, port)
    if server is None:
        print(refusal, file=sys.stderr)
        return 1

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def stop(signum, frame):
        raise _Stop()

    for sig in previous:
        signal.signal(sig, stop)
    site_dir = tempfile.mkdtemp(prefix="vagar-in-serve-")
    cwd = os.getcwd()
    os.chdir(root)
    config = None
    try:
        with _Log():
            try:
                config = load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=f"{DEFAULT_HOST}:{port}")
            except (ConfigurationError, OSError) as error:
                print(text("config-broken", config="mkdocs.yml", error=error), file=sys.stderr)
                return 1
            serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
            config.site_url = serve_url
            server.root = site_dir
            server.url = serve_url
            server.mount_path = urlsplit(serve_url).path
            server.error_handler = lambda code: _error_page(site_dir, code)
            server.base = root
            editions = Editions(root, site_dir, serve_url)

            def builder():
                started = time.monotonic()
                changed = server.take_changed()
                replies = editions.build(changed)
                failed = [reply for reply in replies if not reply.get("ok")]
                for reply in replies:
                    if reply.get("report"):
                        print(reply["report"], file=sys.stderr if failed else sys.stdout, flush=True)
                if failed:
                    problems = [tuple(row) for row in (failed[0].get("problems") or [])]
                    problems = problems or [("", 0, 0, "", text("build-failed", error="?"))]
                    server.problems_page = problem_page(problems)
                    print(text("not-built", count=_problem_count(problems)), file=sys.stderr, flush=True)
                    return
                server.problems_page = None
                print(text("built", seconds=seconds(time.monotonic() - started)), flush=True)

            server.builder = builder
            builder()
            for path in [config.docs_dir, str(config_file), *[str(c) for c, _f in _other_editions(root)],
                         *[str(root / folder / "docs-en") for folder in ("",) if (root / "docs-en").is_dir()],
                         *config.watch]:
                if os.path.exists(path):
                    server.watch(path)
            server.observer.start()
            server.serve_thread.daemon = True
            server.serve_thread.start()
            print(text("serving", url=serve_url), flush=True)
            try:
                server._build_loop()
            except (KeyboardInterrupt, _Stop):
                pass
            finally:
                editions.stop()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        for sig in (signal.SIGINT, *previous):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        server.shutdown()
        os.chdir(cwd)
        shutil.rmtree(site_dir, ignore_errors=True)
        for _config, folder in _other_editions(root):
            shutil.rmtree(f"{site_dir}-{folder.strip('/')}", ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(text("stopped"), flush=True)
    return 0


class Editions:
    """Every language's site, each built in a process of its own (handbook/live.py) that keeps its last
    build in memory: an edit to the content redoes only what it changed there, in both languages at once
    (one per core). The content is loaded and checked once, by the first process, before it forks the
    others (the server starts in the time of one load and one build). The Swedish site is the served
    folder; each other language is built beside it and served from its folder by a link (`en/`), so a
    whole Swedish build never empties it. A change to the code, the templates, the catalogues or the
    configuration starts the processes again."""

    RESTART = ("handbook/", "hooks/", "macros.py", "schemas/", "overrides/", "mkdocs")

    def __init__(self, root: Path, site_dir: str, serve_url: str):
        self.root, self.site_dir, self.serve_url = root, site_dir, serve_url
        self.targets = [(root / "mkdocs.yml", site_dir, "")]
        for config, folder in _other_editions(root):
            self.targets.append((config, f"{site_dir}-{folder.strip('/')}", folder.strip("/")))
        self.workers: list[_EditionChannel] = []
        self.process: subprocess.Popen | None = None
        self.indexed = threading.Lock()
        self.generation = 0  # the number of the last build
        self.waiting: dict[int, int] = {}  # build -> search indexes still being made
        self.started: dict[int, float] = {}
        self.failed = False  # whether an edition could not build the last build

    def _start(self) -> None:
        """One process for every edition: it loads and checks the content once, then forks a process
        for each other language (handbook/live.py), which inherits that work. Each edition answers on
        pipes of its own: the Swedish one on the process's input and output, each other one on a pair
        of pipes passed to it."""
        self.stop()
        (config, target, _folder), *others = self.targets
        command = [sys.executable, "-m", "handbook.live", str(config), target, self.serve_url, "--report"]
        passed, ends = [], []  # the descriptors the process gets; the server's ends, per other edition
        for other_config, other_target, _folder in others:
            requests_read, requests_write = os.pipe()
            replies_read, replies_write = os.pipe()
            command += ["--also", str(other_config), other_target, str(requests_read), str(replies_write)]
            passed += [requests_read, replies_write]
            ends.append((requests_write, replies_read))
        try:
            process = subprocess.Popen(command, cwd=self.root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
                                       pass_fds=passed, preexec_fn=_die_with_parent)
        finally:
            for descriptor in passed:
                os.close(descriptor)  # the process's ends: its own now
        self.process = process
        self.workers = [_EditionChannel(process.stdin, process.stdout)]
        self.workers += [_EditionChannel(os.fdopen(requests_write, "w", encoding="utf-8"), os.fdopen(replies_read, encoding="utf-8"))
                         for requests_write, replies_read in ends]
        for worker in self.workers:
            threading.Thread(target=self._read, args=(worker, process), daemon=True).start()

    def _read(self, worker, process) -> None:
        for line in worker.answers:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("index"):
                if message.get("error"):
                    print(messages.message("cli.search-failed", site=self.site_dir, error=message["error"]),
                          file=sys.stderr, flush=True)
                build = message.get("build")
                with self.indexed:
                    if self.waiting.get(build):
                        self.waiting[build] -= 1
                        self._indexed(build)
            else:
                worker.replies.put(message)
        worker.answers.close()
        worker.ended = True
        code = process.poll()
        worker.replies.put({"ok": False, "problems": [["", 0, 0, "", text("build-failed", error=code if code is not None else "?")]]})

    def _indexed(self, build: int) -> None:
        """Say that the search is up to date when every edition's index of the last build is made (under the lock)."""
        if build == self.generation and self.waiting.get(build) == 0 and not self.failed and build in self.started:
            print(text("indexed", seconds=seconds(time.monotonic() - self.started.pop(build))), flush=True)

    def build(self, changed: set[str] | None) -> list[dict]:
        """Build every edition (the changed paths, relative to the root; None: everything) and wait for
        their pages; their search indexes follow in the background."""
        if changed is None or not self.workers or any(path.startswith(self.RESTART) for path in changed) \
                or self.process.poll() is not None or any(worker.ended for worker in self.workers):
            self._start()
            changed = None
        with self.indexed:  # set before the first answer can come: an edition's index may come before the other's pages
            self.generation += 1
            self.started = {self.generation: time.monotonic()}
            self.waiting = {self.generation: len(self.workers)}
            self.failed = False
        request = json.dumps({"changed": None if changed is None else sorted(changed), "build": self.generation}) + "\n"
        for worker in self.workers:
            try:
                worker.requests.write(request)
                worker.requests.flush()
            except (OSError, ValueError):
                pass
        replies = [worker.replies.get() for worker in self.workers]
        with self.indexed:
            self.failed = not all(reply.get("ok") for reply in replies)  # no index comes, and no line for it
            self._indexed(self.generation)
        if all(reply.get("ok") for reply in replies):
            for _config, target, folder in self.targets[1:]:
                link = Path(self.site_dir) / folder
                if not link.is_symlink():
                    shutil.rmtree(link, ignore_errors=True)
                    link.symlink_to(target, target_is_directory=True)
        return replies

    def stop(self) -> None:
        for worker in self.workers:
            try:
                worker.requests.close()  # an edition ends when its input does
            except (OSError, ValueError):
                pass
        if self.process is not None:
            try:
                self.process.wait(timeout=10)  # it waits for the editions it forked
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.workers, self.process = [], None  # each reader closes its answers at their end


class _EditionChannel:
    """The server's side of one edition: where it sends requests, where the answers come from."""

    def __init__(self, requests, answers):
        self.requests, self.answers = requests, answers
        self.replies: queue.Queue = queue.Queue()  # its answers about pages, one per request
        self.ended = False  # its answers ended: the edition is gone


def _other_editions(root: Path) -> list[tuple[Path, str]]:
    """(configuration, folder) of every language but Swedish (the English edition: mkdocs.en.yml, en/)."""
    from .__main__ import editions

    return [(config, folder) for config, folder in editions(root) if folder]


def _build_problems(found: list[str], error: BaseException) -> list[tuple]:
    """What MkDocs (or a macro) reported before the build stopped. MkDocs' own closing line
    ("Aborted with 1 warnings in strict mode!") adds nothing to them; any other error is shown."""
    rows = [("", 0, 0, "", message) for message in found]
    detail = "" if type(error) is SystemExit or str(error).startswith("Aborted with") else str(error)
    if detail and detail not in found:
        print(text("build-failed", error=detail), file=sys.stderr, flush=True)
        rows.append(("", 0, 0, "", text("build-failed", error=detail)))
    if not rows:
        rows.append(("", 0, 0, "", text("build-failed", error=type(error).__name__)))
    return rows


def _error_page(site_dir: str, code: int) -> bytes | None:
    """MkDocs' own 404 page for a missing page, as `mkdocs serve` shows it."""
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
