"""MkDocs hook: check the content before a build, then add the generated pages and downloads.

Generated pages are virtual files: nothing is written into docs/.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from handbook import messages, pages, registry
from handbook.content import load_cached, pin, unpin
from handbook.problems import report
from handbook.render import trim_indentation


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def on_config(config):
    result = pin(_root(config))  # read once for this build; released when the build ends
    if not result.ok:
        raise PluginError(messages.message("build.problems") + "\n" + report(result.problems))
    return config


# Stamped pages of this build, by the path of their shell page; and the shells as the theme rendered them.
_stamps: dict[str, registry.Stamped] = {}
_shells: dict[str, str] = {}


def on_files(files: Files, config) -> Files:
    handbook = load_cached(_root(config)).handbook
    registry.SETTINGS.clear()
    registry.SETTINGS.update(config.extra or {})
    generated = pages.record_pages(handbook)
    _stamps.clear()
    _shells.clear()
    # Stamping needs the heading id written after the title ({ #slug }), which takes attr_list.
    can_stamp = "attr_list" in config.markdown_extensions or "markdown.extensions.attr_list" in config.markdown_extensions
    for group in registry.generated_stamps(handbook):
        group.heading_ids = can_stamp
        if can_stamp and registry.SETTINGS.get("stamp_pages", True):
            _stamps[group.shell_path] = group
            generated.append(group.shell())
        else:  # one by one, as any generated page: slower, and the same pages (a test compares them)
            generated.extend(group.expand())
    for path, markdown in generated:
        files.append(File.generated(config, path, content=markdown))
    for path, content in pages.site_files(handbook):
        files.append(File.generated(config, path, content=content))
    return files


def on_page_content(html: str, page, config, files) -> str:
    return registry.fill_body(page.file.src_uri, html)


def on_post_build(config) -> None:
    site = Path(config.site_dir)
    for shell_path, group in _stamps.items():
        shell_html = _shells.pop(shell_path)
        shell_dir = site / group.folder / registry.STAMP_SLUG
        for path, html in group.stamp(shell_html):
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        (shell_dir / "index.html").unlink()
        shell_dir.rmdir()
        _stamp_sitemap(site, group)
    _stamps.clear()
    unpin(_root(config))


def _stamp_sitemap(site: Path, group: registry.Stamped) -> None:
    sitemap = site / "sitemap.xml"
    if not sitemap.exists():
        return
    xml = sitemap.read_text(encoding="utf-8")
    stamped = group.stamp_sitemap(xml)
    if stamped == xml:
        return
    sitemap.write_text(stamped, encoding="utf-8")
    packed = site / "sitemap.xml.gz"
    if packed.exists():
        with gzip.GzipFile(packed) as old:
            old.read()
            mtime = old.mtime
        with open(packed, "wb") as out, gzip.GzipFile(fileobj=out, filename=str(packed), mode="wb", mtime=mtime) as zipped:
            zipped.write(stamped.encode("utf-8"))


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

    output = trim_indentation(_ASSET_TAG.sub(keep, output))
    if page.file.src_uri in _stamps:
        _shells[page.file.src_uri] = output
    return output
