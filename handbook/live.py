"""The live server's editions: one whole build, then only the work an edit needs.

`make serve` (handbook/serve.py) keeps one process per language (the first loads and checks the
content, then forks the others, which inherit it), each with an `Edition`: the
MkDocs configuration, the files, the navigation, the theme's templates and the pages of its last
build stay in memory. When only content files change (YAML under data/ or methods/, records edited
in place), the edition

1. reads and checks again only the files that changed (`content.load_cached` keeps every other
   file's record and problems, by content hash),
2. makes every generated page, stamped page and download again from the new content (the areas'
   own caches make that cheap: an organisation's page is made again only when what it shows
   changed) and compares each with the last build,
3. renders through MkDocs only the pages whose source changed, and the hand-written pages whose
   macros now give another result; stamps only the organisation pages that changed; writes only
   the downloads that changed,

and the search index is made again afterwards, while the page already shows. Anything else (a
template, a page in docs/, the code, mkdocs.yml, a record added, removed or renamed, a page whose
title changes the pages around it in a way this does not follow) is a whole build, as before.
The result is the same, byte for byte, as a whole build of the same files: tests/test_live.py
edits, adds and removes records under the server and compares its site with a clean one.

Like serve.py and __main__.py, this module imports MkDocs: it is an adapter, not the core.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import registry, render, templating
from .content import load_cached, pin, unpin
from .problems import report

CONTENT = ("data/", "methods/")
HOOK = "hooks/handbook_site.py"


class Whole(Exception):
    """The edit needs a whole build (the reason, for the terminal when asked)."""


class Edition:
    """One language's site under the live server."""

    def __init__(self, root: Path, config_file: Path, site_dir: str, serve_url: str):
        self.root = Path(root).resolve()
        self.config_file = Path(config_file)
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.config = None
        self.state: dict | None = None  # the hook's record of the last good build (hooks/handbook_site.py LIVE)
        self.found: list[str] = []  # MkDocs' warnings and errors of the current build

    # ------------------------------------------------------------------ whole builds

    def whole(self) -> None:
        """A whole build, as `mkdocs build` makes it; the state is kept for the next edit."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        self.state = None
        gc.unfreeze()  # the last build's objects may go now (see the end)
        templating.forget()  # an edited template or catalogue is read again
        registry.MACRO_CALLS.clear()  # a page may call other macros now
        config = load_config(config_file=str(self.config_file), site_dir=self.site_dir)
        config.site_url = self.serve_url
        live: dict = {}
        _set_live(live)
        try:
            build(config)
        finally:
            _set_live(None)
        hook = sys.modules.get(HOOK)  # loaded by the build
        if hook is None or not {"files", "env", "nav"} <= set(live):
            return
        self.config = config
        files, stash = live["files"], live.get("stash")
        self.state = dict(
            live, hook=hook, keys=_record_keys(load_cached(self.root).handbook),
            filled={path: _filled(markdown, live["bodies"].get(path), stash) for path, markdown in live["generated"].items()},
            pages={file.src_uri: _page_part(file.page) for file in files.documentation_pages() if file.page is not None},
            stamped={path: _group_parts(group, stash) for path, group in live["groups"].items()})
        self.state.pop("stash", None)
        # What this build keeps lives until the next whole build: the garbage collector leaves it alone, so
        # an edit never waits for a full pass over a million objects (0.4 s at 10 000 organisations).
        gc.collect()
        gc.freeze()

    # ------------------------------------------------------------------ edits

    def update(self, changed: set[str]) -> int:
        """Redo what the changed files (paths relative to the root) need; the number of files written.

        Raises Whole when a whole build is needed instead, ContentProblems when the content has errors
        (the site and the state stay as they were)."""
        if self.state is None or self.config is None:
            raise Whole("no build yet")
        outside = sorted(path for path in changed if not path.startswith(CONTENT))
        if outside:
            raise Whole(f"{outside[0]} is not content")
        from mkdocs.commands.build import _build_page, _populate_page

        state, config = self.state, self.config
        hook, files, root = state["hook"], state["files"], self.root
        times = self.times = {"started": _mark()}
        result = load_cached(root)
        times["load"] = _mark()
        if not result.ok:
            raise ContentProblems(result)
        handbook = result.handbook
        if _record_keys(handbook) != state["keys"]:
            raise Whole("records added or removed")
        self.state = None  # until the update is done: a failure half-way leaves a whole build to do
        del self.found[:]
        pin(root, result)
        render.stash_blocks()
        written = 0
        try:
            lang = hook.language(config)
            generated, groups, downloads = _make(handbook, lang, state["groups"], times)
            if set(generated) != set(state["generated"]) or set(downloads) != set(state["downloads"]):
                raise Whole("other pages")
            # A generated page changed when its Markdown or its body did, with every block filled in (a
            # block's placeholder is numbered in the order of the build: the fragment is what counts).
            filled = {path: _filled(markdown, registry.BODIES.get(path)) for path, markdown in generated.items()}
            dirty = {path for path in generated if filled[path] != state["filled"][path]}
            for path in dirty:
                files.get_file_from_path(path).content_string = generated[path]
            # Those pages, and every hand-written page that calls macros, are read and converted again;
            # the ones that now show something else are rendered by the theme and written.
            doc_files = files.documentation_pages()
            again = [file for file in doc_files if file.src_uri in dirty or
                     (file.generated_by is None and (file.page.meta or {}).get("render_macros")
                      and registry.macros_changed(file.src_uri, handbook, lang))]
            times["compare"] = _mark()
            for file in again:
                _populate_page(file.page, config, files)
            times["read"] = _mark()
            parts = {file.src_uri: _page_part(file.page) for file in again}
            rebuild = {src for src, part in parts.items() if part != state["pages"][src]}
            menu = {page.file.src_uri for page in state["nav"].pages}
            for src in [src for src in rebuild if parts[src][1] != state["pages"][src][1]]:
                if src in menu:
                    raise Whole("a title in the menu")
                rebuild |= _neighbours(hook, src)  # their previous / next links name it
            for src in sorted(rebuild):
                _build_page(files.get_file_from_path(src).page, config, doc_files, state["nav"], state["env"])
                written += 1
            times["render"] = _mark()
            if self.found:
                raise Whole("warnings")
            written += _stamp(Path(config.site_dir), handbook, hook, groups, state)
            times["stamp"] = _mark()
            for path, content in downloads.items():
                if content != state["downloads"][path]:
                    target = Path(config.site_dir) / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
                    written += 1
        finally:
            render.stash_blocks(False)
            unpin(root)
        state.update(generated=generated, filled=filled, downloads=downloads, bodies=dict(registry.BODIES),
                     groups=groups)
        state["pages"].update(parts)
        self.state = state
        return written


def _mark() -> float:
    """A moment for the debugging lines (HANDBOOK_LIVE_DEBUG=1; =cpu: this process's CPU time)."""
    return time.process_time() if os.environ.get("HANDBOOK_LIVE_DEBUG") == "cpu" else time.monotonic()


def _set_live(value) -> None:
    """Have the site hook keep what its build makes (or stop it): MkDocs loads the hook with the configuration."""
    hook = sys.modules.get(HOOK)
    if hook is not None:
        hook.LIVE = value


def _make(handbook, lang: str, old_groups: dict, times: dict | None = None):
    """Every generated page (path -> Markdown), stamped group (shell path -> group) and download
    (path -> content), made again as the hook's on_files makes them."""
    from . import pages

    times = {} if times is None else times
    generated = dict(pages.record_pages(handbook, lang))
    times["pages"] = _mark()
    groups = {}
    for group in registry.generated_stamps(handbook, lang):
        old = old_groups.get(group.shell_path)
        if old is None:
            raise Whole("a new group of stamped pages")
        group.heading_ids = old.heading_ids
        groups[group.shell_path] = group
        generated[group.shell_path] = group.shell()[1]
    times["stamped"] = _mark()
    downloads = dict(pages.site_files(handbook, lang))
    times["downloads"] = _mark()
    return generated, groups, downloads


def _stamp(site: Path, handbook, hook, groups: dict, state: dict) -> int:
    """Stamp again the pages of each group whose title or body changed, with their facts made again."""
    written, reordered = 0, False
    for shell_path, group in groups.items():
        old = state["groups"][shell_path]
        if [slug for slug, _t, _b in group.pages] != [slug for slug, _t, _b in old.pages]:
            reordered = True  # a new name sorts elsewhere: the sitemap lists the pages in their new order
        old_parts, new_parts = state["stamped"][shell_path], _group_parts(group)
        changed = [page for page in group.pages if new_parts[page[0]] != old_parts[page[0]]]
        group.facts = dict(old.facts)
        if changed:
            fresh = registry.Stamped(group.folder, changed, heading_ids=old.heading_ids)
            fresh.facts = hook._stamped_facts(handbook, fresh)
            group.facts.update(fresh.facts)
            shell_html, whole = state["shells"][shell_path]
            if hook.stamps_whole(group) != whole:
                raise Whole("a stamped page with a script")
            hook.write_stamped(site, fresh, shell_html, whole)
            written += len(changed)
        state["stamped"][shell_path] = new_parts
    if reordered:
        if state.get("sitemap") is None:
            raise Whole("stamped pages in another order")
        xml = state["sitemap"]
        for group in groups.values():
            xml = group.stamp_sitemap(xml)
        hook.write_sitemap(site, xml)
        written += 1
    return written


class ContentProblems(Exception):
    """The content has errors: the site keeps showing the last good build."""

    def __init__(self, result):
        super().__init__("content problems")
        self.result = result


def _filled(markdown: str, body: str | None, stash=None) -> tuple[str, str | None]:
    return render.fill_blocks(markdown, stash), render.fill_blocks(body, stash) if body is not None else None


def _group_parts(group, stash=None) -> dict[str, tuple[str, str]]:
    return {slug: (title, render.fill_blocks(body, stash)) for slug, title, body in group.pages}


def _page_part(page) -> tuple:
    """What a built page shows that its own file and the pages around it depend on."""
    return page.content, page.title, _toc_key(page.toc), json.dumps(page.meta, sort_keys=True, default=str)


def _toc_key(toc) -> tuple:
    def items(entries):
        return tuple((e.title, e.url, e.level, items(e.children)) for e in entries)
    return items(toc or ())


def _record_keys(handbook) -> tuple:
    return tuple((kind, tuple(sorted(r.id for r in handbook.all(kind)))) for kind in handbook.kinds())


def _neighbours(hook, src: str) -> set[str]:
    """The pages whose previous / next links name this page."""
    return {other for other, (before, after) in hook._reading.sequence.items() if src in (before, after)}


# ---------------------------------------------------------------- the edition's process

def _rows(problems) -> list[list]:
    return [[p.path, p.line, p.column, p.field, p.message] for p in sorted(problems)]


def content_report(root: Path) -> tuple[list[list], str]:
    """The content's errors as rows for the server's page of problems, and every problem and warning
    as `validate` prints them (control characters shown escaped) for its terminal."""
    result = load_cached(root)
    return _rows(result.errors), report(result.problems) if result.problems else ""


class _Worker:
    """One edition in a process of its own, answering the server's requests one at a time (JSON
    lines: {"changed": [paths] or null for a whole build} in; {"pages": ...} when the pages are
    written, then {"index": ...} when the search index is made again, out)."""

    def __init__(self, edition: Edition, out, found: list[str], report_content: bool):
        self.edition, self.out, self.found = edition, out, found
        self.report_content = report_content
        self.lock = threading.Lock()
        self.indexing: tuple | None = None  # (the indexer's process, the thread that waits for it)

    build = None  # the server's number of the build under way, in every answer

    def send(self, **message) -> None:
        message.setdefault("build", self.build)
        with self.lock:
            self.out.write(json.dumps(message, ensure_ascii=False) + "\n")
            self.out.flush()

    def handle(self, changed: list[str] | None) -> None:
        from .serve import _build_problems

        started = time.monotonic()
        edition, mode, written = self.edition, "edit", 0
        del self.found[:]
        try:
            if changed is None:
                raise Whole("asked for")
            written = edition.update(set(changed))
        except ContentProblems as problems:
            return self._refused(problems.result, started)
        except Exception as why:  # noqa: BLE001 - whatever the edit did, a whole build says what is wrong
            mode = "whole"
            if os.environ.get("HANDBOOK_LIVE_DEBUG"):
                print(f"whole build: {type(why).__name__}: {why}", file=sys.stderr, flush=True)
            del self.found[:]
            result = load_cached(edition.root)
            if not result.ok:
                return self._refused(result, started)
            try:
                edition.whole()
            except (Exception, SystemExit) as error:  # noqa: BLE001
                result = load_cached(edition.root)
                rows = _rows(result.errors) if not result.ok else [list(row) for row in _build_problems(self.found, error)]
                return self.send(pages=True, ok=False, problems=rows, report="", seconds=time.monotonic() - started)
        else:
            result = load_cached(edition.root)
        said = report(result.problems) if self.report_content and result.problems else ""
        if os.environ.get("HANDBOOK_LIVE_DEBUG") and mode == "edit":
            marks = getattr(edition, "times", {})
            steps, last = [], marks.get("started", 0.0)
            for name, at in marks.items():
                if name != "started":
                    steps.append(f"{name} {at - last:.2f}")
                    last = at
            print(f"edit: {written} files; " + ", ".join(steps) + f"; to the answer {time.monotonic() - started:.2f} s",
                  file=sys.stderr, flush=True)
        self.send(pages=True, ok=True, mode=mode, written=written, report=said, seconds=time.monotonic() - started)
        self._index(started)

    def _refused(self, result, started: float) -> None:
        rows, said = content_report(self.edition.root)
        self.send(pages=True, ok=False, problems=rows, report=said if self.report_content else "",
                  seconds=time.monotonic() - started)

    def _index(self, started: float) -> None:
        """The search index, made again in a process of its own at a lower priority, while the page
        already shows; an edit that comes meanwhile stops it (`stop_index`) and makes it again after."""
        import subprocess

        from .serve import _die_with_parent

        self.stop_index()
        build = self.build

        def lower():
            os.nice(10)
            _die_with_parent()

        process = subprocess.Popen([sys.executable, "-m", "handbook.search", self.edition.site_dir],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True, preexec_fn=lower)

        def wait():
            _out, errors = process.communicate()
            if process.returncode in (-signal.SIGTERM, 143) or getattr(process, "stopped", False):
                return  # stopped for a newer edit: that edit's index follows
            error = "" if process.returncode == 0 else (errors or "").strip()[-500:] or str(process.returncode)
            self.send(index=True, error=error, seconds=time.monotonic() - started, build=build)

        self.indexing = (process, threading.Thread(target=wait, daemon=True))
        self.indexing[1].start()

    def stop_index(self) -> None:
        """Stop the index under way (the indexer and Pagefind with it), if any."""
        if self.indexing is None:
            return
        process, waiter = self.indexing
        self.indexing = None
        if process.poll() is None:
            process.stopped = True
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except OSError:
                pass
        waiter.join()


def main(argv: list[str] | None = None) -> int:
    """`python -m handbook.live CONFIG SITE_DIR URL [--report] [--also CONFIG SITE_DIR IN OUT ...]`, started
    by the live server: the edition of CONFIG answers on this process's input and output; each `--also`
    edition answers on the pipes IN and OUT (descriptors) in a process forked from this one once the
    content is loaded and checked, so that it is loaded once for every language."""
    from .serve import _die_with_parent

    args = list(sys.argv[1:] if argv is None else argv)
    report_content = "--report" in args
    args = [a for a in args if a != "--report"]
    others = []
    while "--also" in args:
        at = args.index("--also")
        others.append(args[at + 1:at + 5])
        del args[at:at + 5]
    config_file, site_dir, serve_url = args[:3]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _die_with_parent()
    # Ctrl-C in the terminal reaches every process of the group: the server stops this one itself (it
    # closes its input), so an edition never prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    root = Path.cwd()
    children = []
    if others:
        _warm(root)
        for other_config, other_site, requests, answers in others:
            pid = os.fork()
            if pid == 0:  # the other edition: its own pipes, never this one's input and output
                code = 1
                try:
                    for _c, _s, fd_in, fd_out in others:
                        if (fd_in, fd_out) != (requests, answers):
                            _close(int(fd_in), int(fd_out))
                    null = os.open(os.devnull, os.O_RDONLY)
                    os.dup2(null, 0)
                    os.close(null)
                    os.dup2(2, 1)
                    sys.stdin, sys.stdout = open(os.devnull, encoding="utf-8"), sys.stderr
                    _die_with_parent()
                    code = _answer(root, other_config, other_site, serve_url, os.fdopen(int(requests), encoding="utf-8"),
                                   os.fdopen(int(answers), "w", encoding="utf-8"), report_content=False)
                finally:
                    os._exit(code)
            children.append(pid)
        for _c, _s, fd_in, fd_out in others:
            _close(int(fd_in), int(fd_out))
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything printed goes to the terminal's error stream, never into the answers
    sys.stdout = sys.stderr
    code = _answer(root, config_file, site_dir, serve_url, sys.stdin, out, report_content)
    for pid in children:
        try:
            os.waitpid(pid, 0)  # the others end when the server closes their input
        except ChildProcessError:
            pass
    return code


def _close(*descriptors: int) -> None:
    for descriptor in descriptors:
        try:
            os.close(descriptor)
        except OSError:
            pass


def _warm(root: Path) -> None:
    """What every edition needs, done once before the others are forked: the content loaded and
    checked (kept by content.load_cached) and MkDocs and its theme imported."""
    try:
        import mkdocs.commands.build  # noqa: F401
        import mkdocs.config  # noqa: F401

        load_cached(root)
    except Exception:  # noqa: BLE001 - each edition meets it again and says what is wrong
        pass


def _answer(root: Path, config_file, site_dir: str, serve_url: str, requests, out, report_content: bool) -> int:
    """Answer the server's requests for one edition until its input ends."""
    from .serve import quiet_mkdocs_log

    edition = Edition(root, Path(config_file), site_dir, serve_url)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.setLevel(logging.WARNING)
    mkdocs_log.propagate = False
    mkdocs_log.addHandler(quiet_mkdocs_log(edition.found))
    worker = _Worker(edition, out, edition.found, report_content)
    for line in requests:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        worker.stop_index()  # the pages first: the index of the last edit would only slow them down
        worker.build = request.get("build")
        worker.handle(request.get("changed"))
    worker.stop_index()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
