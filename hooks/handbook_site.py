"""MkDocs hook: check the content before a build, then add the generated pages and downloads.

Generated pages are virtual files: nothing is written into docs/.
"""
from __future__ import annotations

import re
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


# Each area's stylesheet and script serve the pages of its own section only. Loading them
# everywhere let one area's rules restyle another's (the same class names mean different things).
SECTION_OF_ASSET = {
    "quality": "kvalitetsmodell/",
    "curriculum": "handledarutbildning/",
    "methods": "metoder/",
    "workpackages": "arbetspaket/",
    "directory": "organisationer/",
}
_ASSET_TAG = re.compile(r'<(?:link[^>]*href|script[^>]*src)="[^"]*assets/(?P<area>[a-z]+)\.(?:css|js)(?:\?[^"]*)?"[^>]*>(?:</script>)?')


def on_post_page(output: str, page, config) -> str:
    def keep(match: re.Match) -> str:
        section = SECTION_OF_ASSET.get(match.group("area"))
        return match.group(0) if section is None or page.url.startswith(section) else ""

    return _ASSET_TAG.sub(keep, output)
