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

import errno
import html
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import messages, templating
from .content import load_cached
from .problems import report

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
    from mkdocs.commands.build import build as mkdocs_build
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
        with _Log() as log:
            def get_config():
                loaded = load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=f"{DEFAULT_HOST}:{port}")
                loaded.site_url = serve_url
                return loaded

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
            config.plugins.on_startup(command="serve", dirty=False)

            def builder(given=None):
                started = time.monotonic()
                templating.forget()  # an edited template or catalogue is read again
                problems = _content_problems(root)
                if not problems:
                    del log.found[:]
                    english = _start_editions(root, serve_url, site_dir)
                    try:
                        mkdocs_build(given or get_config(), serve_url=serve_url, dirty=False)
                        _index(site_dir)
                    except (Exception, SystemExit) as error:  # everything but Ctrl-C and SIGTERM
                        problems = _content_problems(root, quiet=True) or _build_problems(log.found, error)
                    finally:
                        _finish_editions(english, site_dir, keep=not problems)
                if problems:
                    server.problems_page = problem_page(problems)
                    print(text("not-built", count=_problem_count(problems)), file=sys.stderr, flush=True)
                    return
                server.problems_page = None
                print(text("built", seconds=seconds(time.monotonic() - started)), flush=True)

            server.builder = builder
            builder(config)
            server.watch(config.docs_dir)
            server.watch(str(config_file))
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            server.observer.start()
            server.serve_thread.daemon = True
            server.serve_thread.start()
            print(text("serving", url=serve_url), flush=True)
            try:
                server._build_loop()
            except (KeyboardInterrupt, _Stop):
                pass
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        for sig in (signal.SIGINT, *previous):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        server.shutdown()
        if config is not None:
            try:
                config.plugins.on_shutdown()
            except Exception:
                pass
        os.chdir(cwd)
        shutil.rmtree(site_dir, ignore_errors=True)
        for _config, folder in _other_editions(root):
            shutil.rmtree(f"{site_dir}-{folder}", ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(text("stopped"), flush=True)
    return 0


def _other_editions(root: Path) -> list[tuple[Path, str]]:
    """(configuration, folder) of every language but Swedish (the English edition: mkdocs.en.yml, en/)."""
    from .__main__ import editions

    return [(config, folder) for config, folder in editions(root) if folder]


def _start_editions(root: Path, serve_url: str, site_dir: str) -> list:
    """The other languages' builds, started at once in processes of their own (the Swedish one runs
    in this process meanwhile, on the other core): their sites go beside the served folder and into
    it when every build is done (`_finish_editions`), since the Swedish build empties the folder."""
    started = []
    for config, folder in _other_editions(root):
        target = f"{site_dir}-{folder}"
        shutil.rmtree(target, ignore_errors=True)
        env = dict(os.environ, HANDBOOK_SITE_URL=serve_url, NO_MKDOCS_2_WARNING="1")
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", target],
                                   cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
        started.append((process, folder, target))
    return started


def _finish_editions(started: list, site_dir: str, keep: bool = True) -> None:
    """Wait for the other languages' builds; put each built site in its folder of the served site.
    A language that failed is left out, with MkDocs' own lines on the terminal."""
    for process, folder, target in started:
        _out, errors = process.communicate()
        if process.returncode == 0 and keep and Path(target).is_dir():
            _index(target)
            shutil.rmtree(Path(site_dir) / folder, ignore_errors=True)
            os.replace(target, Path(site_dir) / folder)
        else:
            shutil.rmtree(target, ignore_errors=True)
            if keep:
                detail = " ".join(line.strip() for line in (errors or "").splitlines() if line.strip())[-500:]
                print(text("edition-failed", folder=folder, error=detail or process.returncode), file=sys.stderr, flush=True)


def _index(site_dir: str) -> None:
    """The edition's search index, as `build` makes it (handbook/search.py); the site is served without
    one, and the terminal says why, if it cannot be made."""
    from . import search

    problem = search.index(Path(site_dir))
    if problem:
        print(messages.message("cli.search-failed", site=site_dir, error=problem), file=sys.stderr, flush=True)


def _content_problems(root: Path, quiet: bool = False) -> list[tuple]:
    """The content's errors as rows for the page, printed on the terminal as `validate` prints them
    (warnings too, unless `quiet`: they were printed before the build)."""
    result = load_cached(root)
    if result.errors or (result.problems and not quiet):
        print(report(result.problems), file=sys.stderr if not result.ok else sys.stdout, flush=True)
    return [(p.path, p.line, p.column, p.field, p.message) for p in sorted(result.errors)]


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
