"""MkDocs hook: check the content before a build, then add the generated pages and downloads.

Generated pages are virtual files: nothing is written into docs/.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from handbook import pages, registry
from handbook.content import load_cached, pin, unpin
from handbook.problems import report


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def on_config(config):
    result = pin(_root(config))  # read once for this build; released when the build ends
    if not result.ok:
        raise PluginError("The content has problems; nothing was built.\n" + report(result.problems))
    return config


def on_files(files: Files, config) -> Files:
    handbook = load_cached(_root(config)).handbook
    registry.SETTINGS.clear()
    registry.SETTINGS.update(config.extra or {})
    for path, markdown in pages.record_pages(handbook):
        files.append(File.generated(config, path, content=markdown))
    for path, content in pages.site_files(handbook):
        files.append(File.generated(config, path, content=content))
    return files


def on_page_content(html: str, page, config, files) -> str:
    return registry.fill_body(page.file.src_uri, html)


def on_post_build(config) -> None:
    unpin(_root(config))


def on_build_error(error) -> None:
    unpin()
