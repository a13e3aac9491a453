"""MkDocs hook: check the content before a build, then add the generated pages and downloads.

Generated pages are virtual files: nothing is written into docs/.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from handbook import history, links, messages, pages, reading, registry, render
from handbook.content import load_cached, pin, unpin, with_addresses
from handbook.problems import report
from handbook.render import relative_url, trim_indentation


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def on_config(config):
    result = pin(_root(config))  # read once for this build; released when the build ends
    if not result.ok:
        raise PluginError(messages.message("build.problems") + "\n" + report(result.problems))
    _language_config(config)
    _links_config(config)
    render.stash_blocks()  # HTML blocks skip Markdown's HTML parser in this build (render.block)
    return config


# One build per language (Material's advice for a multilingual site): Swedish at the site's root,
# every other language in a folder of its own (/en/) with the same paths. Each build knows its
# language from `theme.language`; the pages link to the same page in the other languages.
LANGUAGES = {"sv": ("Svenska", ""), "en": ("English", "en/")}  # language -> (its name, its folder)


def language(config) -> str:
    lang = config.theme["language"] if "language" in config.theme else "sv"
    return lang if lang in LANGUAGES else "sv"


def _language_config(config) -> None:
    """The build's own address (the root's, plus its folder) and the switcher's languages."""
    lang = language(config)
    folder = LANGUAGES[lang][1]
    if config.site_url and folder and not str(config.site_url).rstrip("/").endswith(folder.rstrip("/")):
        config.site_url = str(config.site_url).rstrip("/") + "/" + folder
    # The theme writes each language's link into the switcher and the head's hreflang links; a
    # placeholder there becomes the address of this very page in that language (`_alternates`).
    config.extra["alternate"] = [{"name": name, "lang": code, "link": f"#vi-lang-{code}"}
                                 for code, (name, _) in LANGUAGES.items()]


def _alternates(output: str, page, config) -> str:
    """The page with each language's placeholder replaced by the same page's address in that language.

    The switcher's links are relative, so a copy (a pull request's preview, an offline copy) stays in
    itself. The head's `hreflang` links are absolute when the site knows its address (search engines
    want full addresses); a copy without one gets relative links, which `assets/handbook.js` completes
    against the address the copy is read from."""
    here = LANGUAGES[language(config)][1]
    root = _site_root(config)
    for code, (_, there) in LANGUAGES.items():
        address = relative_url(here + page.url, there + page.url)
        address += "" if address.endswith("/") else "/"
        head = root + there + page.url if root else address
        output = output.replace(f'<link rel="alternate" href="#vi-lang-{code}"', f'<link rel="alternate" href="{head}"')
        output = output.replace(f'href="#vi-lang-{code}"', f'href="{address}"')
    return output


def _site_root(config) -> str:
    """The Swedish site's address with a closing slash ("" when the site does not know it)."""
    url = str(config.site_url or "").strip()
    if not url:
        return ""
    folder = LANGUAGES[language(config)][1]
    url = url.rstrip("/") + "/"
    return url[: -len(folder)] if folder and url.endswith(folder) else url


# The theme's script fetches a sitemap.xml beside every <link rel="alternate"> in the head, expecting
# each to be a language's start page; ours are the same page in the other language, and the switcher
# already links there. Its query is narrowed to links that ask for it (none do), so no page requests
# a sitemap that cannot exist.
_THEME_ALTERNATES = 'M("link[rel=alternate]")'


def _quiet_alternates(site: Path) -> None:
    for bundle in (site / "assets" / "javascripts").glob("bundle.*.min.js"):
        text = bundle.read_text(encoding="utf-8")
        if _THEME_ALTERNATES in text:
            bundle.write_text(text.replace(_THEME_ALTERNATES, 'M("link[rel=alternate][data-md-sitemap]")'),
                              encoding="utf-8")


# Stamped pages of this build, by the path of their shell page; and the shells as the theme rendered them.
_stamps: dict[str, registry.Stamped] = {}
_shells: dict[str, str] = {}


def on_files(files: Files, config) -> Files:
    handbook = load_cached(_root(config)).handbook
    registry.SETTINGS.clear()
    registry.SETTINGS.update(config.extra or {})
    registry.SETTINGS.update(_links.settings)
    lang = language(config)
    registry.SETTINGS["lang"] = lang
    try:
        generated = pages.record_pages(handbook, lang)
    except ValueError:  # two generated pages share an address: the check says which records
        _refuse_addresses(config, None)
        raise
    made = [path for path, _ in generated]
    _stamps.clear()
    _shells.clear()
    # Stamping needs the heading id written after the title ({ #slug }), which takes attr_list.
    can_stamp = "attr_list" in config.markdown_extensions or "markdown.extensions.attr_list" in config.markdown_extensions
    groups = registry.generated_stamps(handbook, lang)
    _reading.stamped_folders = {group.folder for group in groups}
    for group in groups:
        made += [f"{group.folder}/{slug}.md" for slug, _title, _body in group.pages]
        group.heading_ids = can_stamp
        if can_stamp and registry.SETTINGS.get("stamp_pages", True):
            _stamps[group.shell_path] = group
            group.facts = _stamped_facts(handbook, group)
            generated.append(group.shell())
        else:  # one by one, as any generated page: slower, and the same pages (a test compares them)
            generated.extend(group.expand())
    downloads = pages.site_files(handbook, lang)
    _refuse_addresses(config, made + [path for path, _ in downloads])
    for path, markdown in generated:
        files.append(File.generated(config, path, content=markdown))
    _reading_files(files, [path for path, _ in generated])
    for path, content in downloads:
        files.append(File.generated(config, path, content=content))
    _shared_assets(files, config)
    if LIVE is not None:  # the live server keeps what this build made, to redo only what an edit changes
        LIVE.update(files=files, generated=dict(generated), bodies=dict(registry.BODIES),
                    downloads=dict(downloads), groups=dict(_stamps), shells={}, stash=render.kept_blocks())
    return files


# The state of the last build, for handbook/live.py (the live server's editions); None in other builds.
LIVE: dict | None = None


def on_env(env, config, files):
    if LIVE is not None:
        LIVE["env"] = env
    return env


def _refuse_addresses(config, made: list[str] | None) -> None:
    """Stop the build when a generated page or download takes the address of a hand-written page or of
    another generated one (content.address_problems, over the pages this build has made)."""
    root = _root(config)
    found = [p for p in with_addresses(root, load_cached(root), made).problems if p.rule == "address-taken"]
    if found:
        raise PluginError(messages.message("build.problems") + "\n" + report(found))


def _shared_assets(files: Files, config) -> None:
    """Another language's build has its own pages, and the stylesheets, scripts and images of docs/."""
    shared = _root(config) / "docs"
    if Path(config.docs_dir).resolve() == shared.resolve():
        return
    for path in sorted((shared / "assets").rglob("*")):
        uri = path.relative_to(shared).as_posix()
        if path.is_file() and files.get_file_from_path(uri) is None:
            files.append(File(uri, str(shared), config.site_dir, config.use_directory_urls))


def on_page_content(html: str, page, config, files) -> str:
    return _reading_content(render.fill_blocks(registry.fill_body(page.file.src_uri, html)), page) + _page_facts(page)


def on_post_build(config) -> None:
    site = Path(config.site_dir)
    if LIVE is not None and (site / "sitemap.xml").exists():
        LIVE["sitemap"] = (site / "sitemap.xml").read_text(encoding="utf-8")  # with the shells' entries
    for shell_path, group in _stamps.items():
        # The shell is finished once (its policy, attributes), each page's own parts on their own: the
        # same pages as finishing each whole page (a test builds both ways), at a third of the cost.
        # A part with a script of its own would change the policy: then each whole page is finished.
        shell_html = render.fill_blocks(_shells.pop(shell_path))
        whole = stamps_whole(group)
        write_stamped(site, group, shell_html, whole)
        if LIVE is not None:
            LIVE["shells"][shell_path] = (shell_html, whole)
        shell_dir = site / group.folder / registry.STAMP_SLUG
        (shell_dir / "index.html").unlink()
        shell_dir.rmdir()
        _stamp_sitemap(site, group)
    _stamps.clear()
    render.stash_blocks(False)
    _quiet_alternates(site)
    unpin(_root(config))


def stamps_whole(group: registry.Stamped) -> bool:
    """Whether each stamped page must be finished whole: a part with a script of its own changes the policy."""
    parts = [body for _slug, _title, body in group.pages] + list(group.facts.values())
    return any("<script" in part.lower() for part in parts)


def write_stamped(site: Path, group: registry.Stamped, shell_html: str, whole: bool) -> None:
    """Write the group's pages into the site, from the shell as the theme rendered it (its blocks filled)."""
    stamped = (group.stamp(shell_html, render.fill_blocks) if whole else
               group.stamp(_reading_output(shell_html), _stamped_part))
    for path, html in stamped:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_reading_output(html) if whole else reading.dated_foot(html), encoding="utf-8")


def _stamp_sitemap(site: Path, group: registry.Stamped) -> None:
    sitemap = site / "sitemap.xml"
    if not sitemap.exists():
        return
    xml = sitemap.read_text(encoding="utf-8")
    stamped = group.stamp_sitemap(xml)
    if stamped != xml:
        write_sitemap(site, stamped)


def write_sitemap(site: Path, xml: str) -> None:
    """The sitemap and its gzip copy (with the copy's own time, so that the same sitemap gives the same file)."""
    (site / "sitemap.xml").write_text(xml, encoding="utf-8")
    packed = site / "sitemap.xml.gz"
    if packed.exists():
        with gzip.GzipFile(packed) as old:
            old.read()
            mtime = old.mtime
        with open(packed, "wb") as out, gzip.GzipFile(fileobj=out, filename=str(packed), mode="wb", mtime=mtime) as zipped:
            zipped.write(xml.encode("utf-8"))


def on_build_error(error) -> None:
    render.stash_blocks(False)
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

    output = _reading_output(trim_indentation(_ASSET_TAG.sub(keep, _alternates(output, page, config))))
    _reading_done(page)
    if page.file.src_uri in _stamps:
        _shells[page.file.src_uri] = output
    return output


# Where to go, and when: the repository's edit and issue links and the git dates under every page
# (handbook.links, handbook.history). The address is set once in mkdocs.yml: repo_url (HANDBOOK_REPO_URL)
# and extra.repo_branch (HANDBOOK_BRANCH); edit_uri is derived here from the branch and docs_dir.


class _LinkState:
    root: Path = Path(".")
    docs: str = "docs"
    repo: links.Repo = links.Repo()
    site_url: str = ""
    dates: dict[str, str] = {}
    settings: dict = {}


_links = _LinkState()


def _links_config(config) -> None:
    root = _root(config)
    repo = links.Repo(str(config.repo_url or "").strip(), str((config.extra or {}).get("repo_branch") or "main").strip() or "main")
    _links.root = root
    _links.docs = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
    _links.repo = repo
    _links.site_url = str(config.site_url or "")
    # Without an address there is no edit URI either: MkDocs would warn about a relative one on every page.
    config.edit_uri = f"edit/{repo.branch}/{_links.docs}/" if repo else None
    _links.dates = history.last_changed(root)  # one git pass for the whole build
    _links.settings = {"repo_url": repo.url, "repo_branch": repo.branch, "site_url": _links.site_url}


def _source_of(page) -> tuple[str | None, object]:
    """(file the page is built from, its record or None): a hand-written page its Markdown file."""
    src = page.file.src_uri
    if page.file.generated_by is None:
        return f"{_links.docs}/{src}", None
    record = links.source_record(load_cached(_links.root).handbook, src)
    return (record.path, record) if record is not None else (None, None)


def _facts_for(url: str, src: str, title: str, source_file: str | None, record) -> tuple[str, str]:
    """(edit URL, the facts block) of one page."""
    repo = _links.repo
    edit = repo.edit_url(source_file) if source_file else ""
    report_link = links.report_url(repo, src, title, links.page_address(_links.site_url, url), record)
    block = links.page_facts(repo, page_url=url, source_file=source_file, edit_url=edit, report=report_link,
                             date=_links.dates.get(source_file) if source_file else None,
                             entry=record is not None and record.kind == "organisation",
                             lang=registry.SETTINGS.get("lang", "sv"))
    return edit, block


def _page_facts(page) -> str:
    """The block under a page; on a stamped shell, the placeholder each stamped page fills in."""
    src = page.file.src_uri
    if src in _stamps:
        page.edit_url = _stamped_edit_url(_stamps[src])
        return registry.STAMP_FACTS
    source_file, record = _source_of(page)
    edit, block = _facts_for(page.url, src, page.title or "", source_file, record)
    if page.file.generated_by is not None:
        page.edit_url = edit or None  # MkDocs gives a generated page none; a page of many records keeps none
    return block


def _stamped_edit_url(group: registry.Stamped) -> str | None:
    """The shell's edit link, with the slug placeholder where each page's file name goes (a record's file
    name is its id, and a stamped page's slug is that id)."""
    if not _links.repo or not group.pages:
        return None
    slug = group.pages[0][0]
    record = links.source_record(load_cached(_links.root).handbook, f"{group.folder}/{slug}.md")
    if record is None or not record.path.endswith(f"/{slug}.yml"):
        return None
    return _links.repo.edit_url(record.path[: -len(f"{slug}.yml")] + f"{registry.STAMP_SLUG}.yml")


def _stamped_facts(handbook, group: registry.Stamped) -> dict[str, str]:
    found = {}
    for slug, title, _body in group.pages:
        src = f"{group.folder}/{slug}.md"
        record = links.source_record(handbook, src)
        found[slug] = _facts_for(f"{group.folder}/{slug}/", src, title, record.path if record else None, record)[1]
    return found


# Reading long pages (handbook.reading): a table of contents from the HTML headings of generated
# pages, previous / next within the modules, areas, methods and packages, the section of a page
# that is not in the menu marked in the menu, and a Content-Security-Policy on every page.

TOC_BUDGET = 80 * 1024  # bytes of page content above which no TOC is added (see _reading_content)


class _ReadingState:
    files: Files | None = None
    stamped_folders: set[str] = set()
    sequence: dict[str, tuple[str | None, str | None]] = {}
    marked: list = []


_reading = _ReadingState()


def _reading_files(files: Files, generated: list[str]) -> None:
    _reading.files = files
    _reading.sequence = reading.sequences(generated)


def _reading_content(html: str, page) -> str:
    """The page's HTML with an id on every heading; the page's TOC from those headings when its
    Markdown had fewer (the headings of HTML blocks are not in Markdown's TOC)."""
    html = reading.focusable_code(html)
    if page.file.src_uri.rsplit("/", 1)[0] in _reading.stamped_folders:
        return html  # a stamped page's body comes later: its shell and a page made one by one stay the same
    html, tokens = reading.headings(html)
    # The theme writes the TOC twice (the sidebar, the phone's menu); a page whose content is already near
    # the 100 KB a page may weigh keeps the TOC its Markdown gives. (The self-assessment, 39 criteria, is
    # below the budget since its markup says nothing twice, and has its TOC: tests/test_checks_browser.py.)
    if len(html.encode("utf-8")) > TOC_BUDGET:
        return html
    if reading.count(tokens) > sum(1 + len(list(_toc_all(item))) for item in page.toc):
        from mkdocs.structure.toc import get_toc
        page.toc = get_toc(tokens)
    return html


def _toc_all(item):
    for child in item.children:
        yield child
        yield from _toc_all(child)


def _page_of(src: str | None):
    found = _reading.files.get_file_from_path(src) if src and _reading.files is not None else None
    return getattr(found, "page", None) if found is not None else None


def on_page_context(context, page, config, nav):
    if LIVE is not None:
        LIVE["nav"] = nav
    neighbours = _reading.sequence.get(page.file.src_uri)
    if neighbours is not None:
        page.previous_page, page.next_page = (_page_of(src) for src in neighbours)
    if page not in nav.pages:
        # A page outside the menu: its section's entry (the nearest index page of the menu above it) is marked.
        pages_in_menu = {p.file.src_uri: p for p in nav.pages}
        folder = page.file.src_uri.rsplit("/", 1)[0] if "/" in page.file.src_uri else ""
        while folder:
            section = pages_in_menu.get(f"{folder}/index.md")
            if section is not None and section is not page:
                section.active = True
                page.vi_section = section
                _reading.marked.append(section)
                break
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return context


def _reading_done(page) -> None:
    for section in _reading.marked:
        section.active = False
    _reading.marked.clear()


def _stamped_part(html: str) -> str:
    """A stamped page's body or facts, finished as `_reading_output` finishes a page (the shell's
    policy is theirs: they hold no script)."""
    return reading.without_markdown_attributes(render.fill_blocks(html))


def _reading_output(html: str) -> str:
    """The finished page without md_in_html's leftover attributes, with its Content-Security-Policy and
    its date in the foot of its printed sheets."""
    html = html.replace("<!doctype html>", "<!DOCTYPE html>", 1)
    return reading.dated_foot(reading.with_csp(reading.without_markdown_attributes(html)))


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The theme's 404 page is a template of its own, not a page: it gets the same policy."""
    return _reading_output(trim_indentation(output_content)) if template_name.endswith(".html") else output_content
