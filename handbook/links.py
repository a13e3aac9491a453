"""Where a reader changes a page or reports a problem: addresses derived from the one repository address.

The repository address is set once, in mkdocs.yml (`repo_url`, from HANDBOOK_REPO_URL, and the branch
from HANDBOOK_BRANCH); the adapter hands it to the core as a `Repo`. Without an address (a local build)
every page names its file and links to /bidra/ instead, and no link points nowhere.

The issue forms live in .github/ISSUE_TEMPLATE/ with these file names and field ids; a link opens the
form with the page (`sida`) and, for an existing entry, its id (`befintlig`) filled in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .model import Handbook, Record
from .registry import macro as registry_macro
from .render import block, esc, relative_url, table

CONTRIBUTE_URL = "bidra/"

# Issue forms: file name -> what it is for (the link text on /bidra/).
FORM_ORGANISATION = "organisation.yml"
FORM_METHOD = "metod.yml"
FORM_TEXT = "ratta-text.yml"
FORM_ACCESSIBILITY = "tillganglighet.yml"
FORMS = {
    FORM_ORGANISATION: "Lägg till eller ändra en organisation",
    FORM_METHOD: "Föreslå eller ändra en metod",
    FORM_TEXT: "Rätta en text",
    FORM_ACCESSIBILITY: "Rapportera ett tillgänglighetsproblem",
}
# The form for a problem on a page built from a record of this kind; every other page: FORM_TEXT.
FORM_OF_KIND = {"organisation": FORM_ORGANISATION, "method": FORM_METHOD}
FORM_OF_PAGE = {"tillganglighet/index.md": FORM_ACCESSIBILITY}

# Generated pages and the kind of record each is built from; the named group is the record's id. A page
# built from several files names its main record (an area page also shows its criteria). A generated
# page that matches none of these, or names no record, has no single source (such as the crosswalk of
# the methods, or the county index): its edit link goes to /bidra/. tests/test_links.py fails when a
# new generated page is neither here nor in NO_SINGLE_SOURCE, so this table cannot fall behind.
GENERATED_SOURCES = [
    (re.compile(r"organisationer/lan/(?P<id>[^/]+)\.md"), "county"),
    (re.compile(r"organisationer/(?P<id>[^/]+)\.md"), "organisation"),
    (re.compile(r"metoder/(?P<id>[^/]+)/(?:index|kort)\.md"), "method"),
    (re.compile(r"handledarutbildning/(?P<id>[^/]+)(?:/deltagarblad)?\.md"), "module"),
    (re.compile(r"kvalitetsmodell/(?P<id>[^/]+)\.md"), "area"),
    (re.compile(r"arbetspaket/(?P<id>[^/]+)\.md"), "package"),
    (re.compile(r"bidra/listor/(?P<id>[^/]+)\.md"), "taxonomy"),
]
NO_SINGLE_SOURCE = {"organisationer/lan/index.md", "metoder/jamforelse.md"}


@dataclass(frozen=True)
class Repo:
    """The repository the site is published from; `url` is empty for a local build."""

    url: str = ""
    branch: str = "main"

    def __bool__(self) -> bool:
        return bool(self.url)

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def edit_url(self, path: str) -> str:
        """The page on which GitHub edits `path` (it makes the fork and the pull request for a reader)."""
        return f"{self.base}/edit/{quote(self.branch, safe='')}/{quote(path)}" if self else ""

    def file_url(self, path: str) -> str:
        return f"{self.base}/blob/{quote(self.branch, safe='')}/{quote(path)}" if self else ""

    def issue_url(self, form: str, **fields: str) -> str:
        """A new issue with form `form`, its fields (`sida`, `befintlig`, `title`) filled in."""
        if not self:
            return ""
        query = urlencode([("template", form)] + [(k, v) for k, v in fields.items() if v], quote_via=quote)
        return f"{self.base}/issues/new?{query}"

    def new_pull_url(self) -> str:
        return f"{self.base}/compare" if self else ""

    def issues_url(self) -> str:
        return f"{self.base}/issues" if self else ""

    def pulls_url(self) -> str:
        return f"{self.base}/pulls" if self else ""


def repo_from(settings: dict) -> Repo:
    """The repository from the site settings the adapter copied (`repo_url`, `repo_branch`)."""
    return Repo(str(settings.get("repo_url") or "").strip(), str(settings.get("repo_branch") or "main").strip() or "main")


def source_record(handbook: Handbook, page_path: str) -> Record | None:
    """The record a generated page is built from, or None for a page with no single source."""
    if page_path in NO_SINGLE_SOURCE:
        return None
    for pattern, kind in GENERATED_SOURCES:
        match = pattern.fullmatch(page_path)
        if match:
            return handbook.get(kind, match.group("id"))
    return None


def is_known_generated(handbook: Handbook, page_path: str) -> bool:
    return page_path in NO_SINGLE_SOURCE or source_record(handbook, page_path) is not None


def record_url(handbook: Handbook, record: Record) -> str | None:
    """The site path of the page that shows a record (None when no page shows it)."""
    kind, rid = record.kind, record.id
    if kind == "criterion":  # criteria are shown on their area's page
        area = record.get("area")
        return f"kvalitetsmodell/{area}/#{rid}" if isinstance(area, str) and handbook.get("area", area) else None
    if kind == "activity":  # activities on their work package's page; one of the whole group has no page of its own
        package = record.get("package")
        return f"arbetspaket/{package}/" if isinstance(package, str) and handbook.get("package", package) else None
    pages = {"organisation": f"organisationer/{rid}/", "county": f"organisationer/lan/{rid}/",
             "method": f"metoder/{rid}/", "module": f"handledarutbildning/{rid}/", "area": f"kvalitetsmodell/{rid}/",
             "package": f"arbetspaket/{rid}/", "taxonomy": f"bidra/listor/{rid}/"}
    return pages.get(kind)  # a project is shown on hand-written pages, which the core does not know


def record_title(record: Record) -> str:
    return record.text("title") or record.text("name") or record.id


def page_address(site_url: str, page_url: str) -> str:
    """The address a reader sees: absolute when the site knows its own address, else the site path."""
    path = page_url.lstrip("/")
    return site_url.rstrip("/") + "/" + path if site_url else "/" + path


def report_url(repo: Repo, page_path: str, page_title: str, address: str, record: Record | None) -> str:
    """The issue form that fits the page: organisation and method pages their own, every other page the
    text form, /tillganglighet/ the accessibility form."""
    if page_path in FORM_OF_PAGE:
        return repo.issue_url(FORM_OF_PAGE[page_path], sida=address, title=f"Tillgänglighet: {page_title}")
    form = FORM_OF_KIND.get(record.kind) if record is not None else None
    if form == FORM_ORGANISATION:
        return repo.issue_url(form, befintlig=record.id, sida=address, title=f"Ändra organisation: {record_title(record)}")
    if form == FORM_METHOD:
        return repo.issue_url(form, befintlig=record.id, sida=address, title=f"Ändra metod: {record_title(record)}")
    return repo.issue_url(FORM_TEXT, sida=address, title=f"Rätta text: {page_title}")


def changed_html(date: str | None) -> str:
    """"Senast ändrad" with a machine-readable date, or nothing without a date."""
    if not date:
        return ""
    return f'<p class="vi-changed">Senast ändrad <time datetime="{esc(date)}">{esc(date)}</time></p>'


def page_facts(repo: Repo, *, page_url: str, source_file: str | None, edit_url: str, report: str,
               date: str | None, entry: bool = False) -> str:
    """The block under every page: when it was last changed, how to change it, how to report a problem.

    `source_file` is the file the page is built from (None: built from many records); `entry` words the
    links for a directory entry. One line of HTML: the theme's indentation trimming leaves it alone."""
    contribute = esc(relative_url(page_url, CONTRIBUTE_URL))
    parts = [changed_html(date)]
    shown = f"<code>{esc(source_file)}</code>" if source_file else ""
    if repo and source_file:
        what = "Ändra uppgifterna" if entry else "Ändra sidan"
        parts.append(f'<p class="vi-page-links"><a href="{esc(edit_url)}">{what} på GitHub</a> (filen {shown}). '
                     f'<a href="{esc(report)}">Rapportera ett problem</a> med sidan.</p>')
    elif repo:
        parts.append(f'<p class="vi-page-links">Sidan räknas fram ur handbokens poster, så den ändras i posterna. '
                     f'<a href="{contribute}">Så bidrar du</a>. <a href="{esc(report)}">Rapportera ett problem</a> med sidan.</p>')
    elif source_file:
        parts.append(f'<p class="vi-page-links">Sidan byggs från filen {shown}. '
                     f'<a href="{contribute}">Så ändrar du den eller rapporterar ett problem</a>.</p>')
    else:
        parts.append('<p class="vi-page-links">Sidan räknas fram ur handbokens poster. '
                     f'<a href="{contribute}">Så ändrar du en uppgift eller rapporterar ett problem</a>.</p>')
    return f'<footer class="vi-page-facts">{"".join(parts)}</footer>'


# Macros for /bidra/, /tillganglighet/ and /personuppgifter/: real links from the configured address, or,
# in a build without one, the words and a note, never a link that points nowhere.

NO_ADDRESS = '<span class="vi-no-address">(den här versionen är byggd utan arkivets adress; i den publicerade handboken är det en länk)</span>'


def _settings() -> dict:
    from . import registry

    return registry.SETTINGS  # copied from mkdocs.yml by the adapter before any page is rendered


def _link_or_words(url: str, words: str) -> str:
    return f'<a href="{esc(url)}">{esc(words)}</a>' if url else f"{esc(words)} {NO_ADDRESS}"


@registry_macro
def repository_link(handbook: Handbook, words: str = "projektets arkiv på GitHub") -> str:
    return _link_or_words(repo_from(_settings()).url, words)


@registry_macro
def new_pull_request_link(handbook: Handbook, words: str = "ny pull request") -> str:
    return _link_or_words(repo_from(_settings()).new_pull_url(), words)


@registry_macro
def pull_requests_link(handbook: Handbook, words: str = "pull requests som väntar på granskning") -> str:
    return _link_or_words(repo_from(_settings()).pulls_url(), words)


@registry_macro
def form_link(handbook: Handbook, form: str, words: str = "", page: str = "") -> str:
    """A link that opens one issue form (`organisation.yml`, `metod.yml`, `ratta-text.yml`, `tillganglighet.yml`)."""
    if form not in FORMS:
        raise ValueError(f"no issue form {form!r}; choose one of {', '.join(FORMS)}")
    settings = _settings()
    address = page_address(str(settings.get("site_url") or ""), page) if page else ""
    return _link_or_words(repo_from(settings).issue_url(form, sida=address), words or FORMS[form])


@registry_macro
def issue_forms(handbook: Handbook) -> str:
    """Every issue form as a list of links."""
    repo = repo_from(_settings())
    items = "".join(f"<li>{_link_or_words(repo.issue_url(form), words) if repo else esc(words)}</li>"
                    for form, words in FORMS.items())
    note = "" if repo else f"<p>{NO_ADDRESS}</p>"
    return block(f'<ul class="vi-forms">{items}</ul>{note}')


@registry_macro
def overdue_reviews(handbook: Handbook) -> str:
    """Records past their review date (derived from `review_by`), as a table; HANDBOOK_TODAY fixes today."""
    from . import history

    today = history.today()
    found = history.overdue(handbook, today)
    if not found:
        return block(f'<p class="vi-overdue-none">Inga poster har passerat sitt datum för översyn '
                     f'(<code>review_by</code>) den <time datetime="{today.isoformat()}">{today.isoformat()}</time>.</p>')
    repo = repo_from(_settings())
    here = CONTRIBUTE_URL
    rows = []
    for record in found:
        url = record_url(handbook, record)
        title = f'<a href="{esc(relative_url(here, url))}">{esc(record_title(record))}</a>' if url else esc(record_title(record))
        file = f"<code>{esc(record.path)}</code>"
        if repo:
            file = f'<a href="{esc(repo.edit_url(record.path))}">{file}</a>'
        date = history.review_date(record).isoformat()
        rows.append([esc(KIND_WORDS.get(record.kind, record.kind)), title, file, f'<time datetime="{date}">{date}</time>'])
    return block(table(f"{len(found)} poster som skulle ha setts över före {today.isoformat()}",
                       ["Sort", "Post", "Fil", "Ses över senast"], rows, "vi-overdue"))


KIND_WORDS = {"organisation": "Organisation", "county": "Län", "method": "Metod", "module": "Utbildningsmodul",
              "area": "Kvalitetsområde", "criterion": "Kvalitetskriterium", "package": "Arbetspaket",
              "activity": "Aktivitet", "project": "Projekt", "taxonomy": "Lista"}
