"""Command line: `python -m handbook validate|build|serve|new`.

validate  check every content file and print all problems at once (exit 1 if any)
build     validate, build the site elsewhere, and replace site/ only when all went well
serve     serve the site at http://127.0.0.1:8000 with live reload (--port, --host); a content
          problem shows in the browser as a page that lists it, until the file is fixed
new       write a starting file for a new record: new KIND NAME [--id ID]

Messages are in Swedish; `--lang en` (before the command) or HANDBOOK_LANG=en gives them in English.
"""
from __future__ import annotations

import argparse
import errno
import os
import re
import shutil
import sys
import time
from pathlib import Path

from . import messages
from .content import load_cached
from .problems import report

ROOT = Path(__file__).resolve().parent.parent


def validate(root: Path) -> int:
    result = load_cached(root, addresses=True)  # the build reuses it
    text = report(result.problems)
    if text:
        print(text, file=sys.stderr if not result.ok else sys.stdout)
    if result.ok:
        counts = ", ".join(messages.count(f"count.kind.{k}", result.handbook.count(k))
                           for k in result.handbook.kinds() if result.handbook.count(k))
        print(messages.message("cli.content-ok", counts=counts))
        print(translation_line(result.handbook))
        return 0
    return 1


def translation_line(handbook) -> str:
    """How much has English text, in all and per kind: "engelska: 98 % av 1545 textfält (aktivitet 100 %, ...)"."""
    from .coverage import percent, translated

    figures = translated(handbook)
    done, total = sum(f[1] for f in figures), sum(f[2] for f in figures)
    kinds = ", ".join(messages.message("cli.translation-kind", kind=messages.message(f"kind.{kind}"),
                                       percent=percent(d, n), done=d, total=n) for kind, d, n in figures)
    return messages.message("cli.translation", percent=percent(done, total), done=done, total=total, kinds=kinds)


def build(root: Path, site_dir: Path) -> int:
    """Build into a fresh folder beside site/, then swap it in: a failed build leaves site/ as it was.

    It prints the content's problems and warnings, MkDocs' warnings and errors, and one last line."""
    from .serve import seconds, text

    started = time.monotonic()
    result = load_cached(root)  # the build reuses it
    if result.problems:
        print(report(result.problems), file=sys.stderr if not result.ok else sys.stdout)
    if not result.ok:
        print(messages.message("cli.nothing-built", site=site_dir), file=sys.stderr)
        return 1
    site_dir = site_dir.resolve()
    clean_stale(site_dir)
    staging = site_dir.with_name(f".{site_dir.name}-building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    if not _build_editions(root, staging):
        shutil.rmtree(staging, ignore_errors=True)
        print(messages.message("cli.build-failed", site=site_dir), file=sys.stderr)
        return 1
    swap(staging, site_dir)
    shutil.rmtree(staging, ignore_errors=True)  # the old site, after the exchange
    print(text("built-in", site_dir=site_dir, seconds=seconds(time.monotonic() - started)))
    return 0


def swap(new: Path, site_dir: Path) -> None:
    """Put the folder `new` in the place of `site_dir` in one step: at every instant `site_dir` is the
    whole old site or the whole new one, even if the build is killed (a server, or a copy to the web
    host, never sees it missing or half-written). On Linux both names are exchanged by one system call
    (renameat2 with RENAME_EXCHANGE), and `new` then holds the old site; where that call is missing,
    the old site is moved aside and the new one moved in, two renames a moment apart."""
    if not site_dir.exists():
        os.rename(new, site_dir)  # nothing to replace: one rename
        return
    if _exchange(new, site_dir):
        return
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    os.rename(site_dir, old)
    os.rename(new, site_dir)
    os.rename(old, new)  # removed by the caller, as after an exchange


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two names atomically. False where the system cannot."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # a kernel or file system without it
        return False
    raise OSError(error, os.strerror(error), str(second))


def clean_stale(site_dir: Path) -> None:
    """Remove the staging folders of earlier builds that were stopped before they finished (killed, or
    the machine went down): `.site-building-<pid>`, its `-en` part, and `.site-old-<pid>`, unless
    that process is still running a build."""
    for path in site_dir.parent.glob(f".{site_dir.name}-*"):
        match = re.fullmatch(rf"\.{re.escape(site_dir.name)}-(?:building|old)-(\d+)(?:-[a-z]+)?", path.name)
        if match and not _running(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this build's own name, left by a build of the same number long ago
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


# One MkDocs build per language: the Swedish site at the root, each other language in its folder.
EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))


def editions(root: Path) -> list[tuple[Path, str]]:
    """(configuration file, folder under the site) of every language the project has."""
    return [(root / name, folder) for name, folder in EDITIONS if (root / name).is_file()]


def _build_editions(root: Path, staging: Path) -> bool:
    """Every language's site into `staging`, the others' built at the same time in their own processes
    (forked: they share the content this process has loaded and checked)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    (main_config, _), *others = editions(root)
    parts = [(config, folder, staging.with_name(f"{staging.name}-{folder}")) for config, folder in others]
    if not parts:
        return _build_edition(root, staging, main_config)
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        results = [_build_edition(root, staging, main_config)] + [_build_edition(root, part, c) for c, _, part in parts]
    else:
        with ProcessPoolExecutor(max_workers=len(parts), mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_build_other_edition, root, part, config) for config, _, part in parts]
            results = [_build_edition(root, staging, main_config)] + [future.result() for future in futures]
        if all(results):
            for _, _, part in parts:
                _link_open_data(root, staging, part)
    if all(results):
        for _, folder, part in parts:
            part.rename(staging / folder)
    for _, _, part in parts:
        shutil.rmtree(part, ignore_errors=True)
    return all(results)


def _build_other_edition(root: Path, site_dir: Path, config_file: Path) -> bool:
    """Another language's site, in a process of its own, without making the open data: the files hold
    data, the same in every language (exports.paths), and `_link_open_data` puts the main edition's
    copies in their place when both are built."""
    from . import pages

    pages.OPEN_DATA_ELSEWHERE = True
    return _build_edition(root, site_dir, config_file)


def _link_open_data(root: Path, main_site: Path, other_site: Path) -> None:
    """The main edition's open data files in another edition's site: hard links where the file system
    has them (no second copy on the disk), copies elsewhere."""
    from . import exports

    handbook = load_cached(root).handbook
    for path in exports.paths(handbook, handbook.folders):
        source, target = main_site / path, other_site / path
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def _build_edition(root: Path, site_dir: Path, config_file: Path | None = None) -> bool:
    """One language's site, then its search index (handbook/search.py), in the process that built it:
    the editions are indexed at the same time as they are built."""
    from . import search

    if not _mkdocs_build(root, site_dir, config_file):
        return False
    problem = search.index(site_dir)
    if problem:
        print(messages.message("cli.search-failed", site=site_dir, error=problem), file=sys.stderr)
    return problem is None


def _mkdocs_build(root: Path, site_dir: Path, config_file: Path | None = None) -> bool:
    """A strict MkDocs build in this process, so the hook and the macros reuse the content that
    `validate` has just loaded and checked (loading 1500 organisations twice cost seconds).

    Warnings are shown and, in strict mode, fail the build. (`mkdocs build --quiet --strict` hides
    warnings below the logger's level, so strict mode never saw them.)"""
    import logging
    import traceback

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs import config as mkdocs_config
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = mkdocs_config.load_config(config_file=str(config_file or root / "mkdocs.yml"), site_dir=str(site_dir),
                                           strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
        return True
    except MkDocsException as error:
        print(messages.message("cli.error", error=error), file=sys.stderr)
        return False
    except Exception:  # a failing macro or plugin: show where
        traceback.print_exc()
        return False
    except SystemExit:  # mkdocs-macros stops the build this way when a macro fails (on_error_fail)
        return False
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def offline(site_dir: Path) -> int:
    """The offline archive of a built site (handbook/offline.py)."""
    from . import offline as offline_copy

    if not (site_dir / "index.html").is_file():
        print(messages.message("cli.offline-no-site", site=site_dir), file=sys.stderr)
        return 1
    offline_copy.build(site_dir)
    return 0


def serve(root: Path, host: str | None = None, port: int | None = None, address: str | None = None) -> int:
    """Serve with live reload in this one process (handbook/serve.py): Ctrl-C or kill stops it."""
    from . import serve as serving

    return serving.serve(root, *serving.address(host, port, address))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                        help="the language of the messages (default: HANDBOOK_LANG, else sv)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser("validate", help="check all content and print every problem")
    validate_parser.add_argument("--format", choices=("text", "github"), default="text",
                                 help="github: workflow annotations and a job summary (handbook/annotations.py)")
    build_parser = commands.add_parser("build", help="build the site into site/")
    build_parser.add_argument("--site-dir", type=Path, default=None)
    offline_parser = commands.add_parser("offline", help="make the offline archive of the built site (site/offline/vagar-in.zip)")
    offline_parser.add_argument("--site-dir", type=Path, default=None)
    serve_parser = commands.add_parser("serve", help="serve the site with live reload")
    serve_parser.add_argument("--host", default=None, help="the address to serve on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", default=None, help="the port to serve on (default: 8000)")
    serve_parser.add_argument("--address", default=None, help="host:port, as `mkdocs serve -a` takes it")
    from . import forms, from_issue  # their own subcommands: `forms`, `from-issue`
    forms.add_command(commands)
    from_issue.add_command(commands)
    # `new` takes KIND and NAME as optional, so that a missing one gets a Swedish sentence, not usage text.
    new_parser = commands.add_parser("new", help="write a starting file for a new record")
    new_parser.add_argument("kind", nargs="?", default="")
    new_parser.add_argument("name", nargs="?", default="")
    new_parser.add_argument("--id", default=None)
    args = parser.parse_args(argv)
    if args.lang:
        messages.set_language(args.lang)
    root = args.root.resolve()
    if args.command == "new":
        from . import scaffold

        return scaffold.main(root, args.kind, args.name, args.id)
    if hasattr(args, "run"):
        return args.run(root, args)
    if args.command == "validate" and args.format == "github":
        from .annotations import validate as validate_github
        return validate_github(root)
    if args.command == "validate":
        return validate(root)
    if args.command == "build":
        return build(root, args.site_dir or root / "site")
    if args.command == "offline":
        return offline(args.site_dir or root / "site")
    return serve(root, args.host, args.port, args.address)


if __name__ == "__main__":
    sys.exit(main())
