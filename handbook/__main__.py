"""Command line: `python -m handbook validate|build|serve|new`.

validate  check every content file and print all problems at once (exit 1 if any)
build     validate, build the site elsewhere, and replace site/ only when all went well
serve     validate, then serve at http://127.0.0.1:8000 with live reload
new       write a starting file for a new record: new KIND NAME [--id ID]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .content import load_cached
from .problems import report

ROOT = Path(__file__).resolve().parent.parent


def validate(root: Path) -> int:
    result = load_cached(root)  # the build reuses it
    text = report(result.problems)
    if text:
        print(text, file=sys.stderr if not result.ok else sys.stdout)
    if result.ok:
        counts = ", ".join(f"{result.handbook.count(k)} {k}" for k in result.handbook.kinds() if result.handbook.count(k))
        print(f"content ok: {counts}")
        return 0
    return 1


def build(root: Path, site_dir: Path) -> int:
    """Build into a fresh folder beside site/, then swap it in: a failed build leaves site/ as it was."""
    if validate(root):
        print(f"nothing was built; {site_dir} is left as it was", file=sys.stderr)
        return 1
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}-building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    if not _mkdocs_build(root, staging):
        shutil.rmtree(staging, ignore_errors=True)
        print(f"the build failed; {site_dir} is left as it was", file=sys.stderr)
        return 1
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"site built in {site_dir}")
    return 0


def _mkdocs_build(root: Path, site_dir: Path) -> bool:
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
        config = mkdocs_config.load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
        return True
    except MkDocsException as error:
        print(f"Error: {error}", file=sys.stderr)
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


def serve(root: Path, address: str) -> int:
    if validate(root):
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(root / "mkdocs.yml"), "-a", address]
    try:
        return subprocess.run(command, cwd=root).returncode
    except KeyboardInterrupt:
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check all content and print every problem")
    build_parser = commands.add_parser("build", help="build the site into site/")
    build_parser.add_argument("--site-dir", type=Path, default=None)
    serve_parser = commands.add_parser("serve", help="serve the site with live reload")
    serve_parser.add_argument("--address", default="127.0.0.1:8000")
    # `new` takes KIND and NAME as optional, so that a missing one gets a Swedish sentence, not usage text.
    new_parser = commands.add_parser("new", help="write a starting file for a new record")
    new_parser.add_argument("kind", nargs="?", default="")
    new_parser.add_argument("name", nargs="?", default="")
    new_parser.add_argument("--id", default=None)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "new":
        from . import scaffold

        return scaffold.main(root, args.kind, args.name, args.id)
    if args.command == "validate":
        return validate(root)
    if args.command == "build":
        return build(root, args.site_dir or root / "site")
    return serve(root, args.address)


if __name__ == "__main__":
    sys.exit(main())
