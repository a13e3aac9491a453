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
from .render import relative_url
from .templating import environment, render_template

CONTRIBUTE_URL = "bidra/"



def words(lang: str = "sv"):
    """The interface words Python needs here (what each form is for, the kinds of record, the macros'
    default link words), in `lang`: catalogue texts kept in links/words.html."""
    return environment(lang).get_template("links/words.html").module


# Issue forms: file name -> what it is for (the link text on /bidra/; words(lang).forms in other languages).
FORM_ORGANISATION = "organisation.yml"
FORM_METHOD = "metod.yml"
FORM_TEXT = "ratta-text.yml"
FORM_ACCESSIBILITY = "tillganglighet.yml"
FORMS = {form: str(words().forms[form]) for form in (FORM_ORGANISATION, FORM_METHOD, FORM_TEXT, FORM_ACCESSIBILITY)}
# The form for a problem on a page built from a record of this kind; every other page: FORM_TEXT.
FORM_OF_KIND = {"organisation": FORM_ORGANISATION, "method": FORM_METHOD}
FORM_OF_PAGE = {"tillganglighet/index.md": FORM_ACCESSIBILITY}

# Generated pages and the kind of record each is built from; the named group is the record's id. A page
# built from several files names its main record (an area page also shows its criteria). A generated
# page that matches none of these, or names no record, has no single source (such as the crosswalk of
# the methods, or the county index): its edit link goes to /bidra/. tests/test_links.py fails when a
# new generated page is neither here nor in NO_SINGLE_SOURCE, so this table cannot fall behind.
GENERATED_SOURCES = [
    (re.compile(r"organisationer/lan/(?P<id>[^/]+)(?:/[0-9]+)?\.md"), "county"),  # a county page or a part of its list
    (re.compile(r"organisationer/(?P<id>[^/]+)\.md"), "organisation"),
    (re.compile(r"metoder/(?P<id>[^/]+)/(?:index|kort)\.md"), "method"),
    (re.compile(r"handledarutbildning/material/(?P<id>[^/]+)\.md"), "material"),
    (re.compile(r"handledarutbildning/(?P<id>[^/]+)(?:/deltagarblad)?\.md"), "module"),
    (re.compile(r"kvalitetsmodell/(?P<id>[^/]+)\.md"), "area"),
    (re.compile(r"arbetspaket/(?P<id>[^/]+)\.md"), "package"),
    (re.compile(r"bidra/listor/(?P<id>[^/]+)\.md"), "taxonomy"),
]
NO_SINGLE_SOURCE = {"organisationer/lan/index.md", "metoder/jamforelse.md", "handledarutbildning/material/index.md"}


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
    if kind == "profile":  # a quality profile is shown on its organisation's page
        organisation = record.get("organisation")
        return (f"organisationer/{organisation}/" if isinstance(organisation, str)
                and handbook.get("organisation", organisation) else None)
    pages = {"organisation": f"organisationer/{rid}/", "county": f"organisationer/lan/{rid}/",
             "method": f"metoder/{rid}/", "module": f"handledarutbildning/{rid}/", "area": f"kvalitetsmodell/{rid}/",
             "package": f"arbetspaket/{rid}/", "taxonomy": f"bidra/listor/{rid}/",
             "material": f"handledarutbildning/material/{rid}/"}
    return pages.get(kind)  # a project is shown on hand-written pages, which the core does not know


def record_title(record: Record, lang: str = "sv") -> str:
    """A record's title, name or term (a glossary entry's `name` is a yes/no flag, not its name), else its id."""
    for key in ("title", "name", "term"):
        if not isinstance(record.get(key), bool) and record.text(key, lang):
            return record.text(key, lang)
    return record.id


def page_address(site_url: str, page_url: str) -> str:
    """The address a reader sees: absolute when the site knows its own address, else the site path."""
    path = page_url.lstrip("/")
    return site_url.rstrip("/") + "/" + path if site_url else "/" + path


def report_url(repo: Repo, page_path: str, page_title: str, address: str, record: Record | None) -> str:
    """The issue form that fits the page: organisation and method pages their own, every other page the
    text form, /tillganglighet/ the accessibility form. The issue titles stay Swedish in every language
    ("Ändra organisation: X"): the forms they open are in Swedish."""
    if page_path in FORM_OF_PAGE:
        return repo.issue_url(FORM_OF_PAGE[page_path], sida=address, title=f"Tillgänglighet: {page_title}")
    form = FORM_OF_KIND.get(record.kind) if record is not None else None
    if form == FORM_ORGANISATION:
        return repo.issue_url(form, befintlig=record.id, sida=address, title=f"Ändra organisation: {record_title(record)}")
    if form == FORM_METHOD:
        return repo.issue_url(form, befintlig=record.id, sida=address, title=f"Ändra metod: {record_title(record)}")
    return repo.issue_url(FORM_TEXT, sida=address, title=f"Rätta text: {page_title}")


def page_facts(repo: Repo, *, page_url: str, source_file: str | None, edit_url: str, report: str,
               date: str | None, entry: bool = False, lang: str = "sv") -> str:
    """The block under every page: when it was last changed, how to change it, how to report a problem.

    `source_file` is the file the page is built from (None: built from many records); `entry` words the
    links for a directory entry. One line of HTML: the theme's indentation trimming leaves it alone."""
    return render_template("links/facts.html", lang, repo=repo, source_file=source_file, edit_url=edit_url,
                           report=report, date=date or "", entry=entry,
                           contribute=relative_url(page_url, CONTRIBUTE_URL))


# Macros for /bidra/, /tillganglighet/ and /personuppgifter/: real links from the configured address, or,
# in a build without one, the words and a note, never a link that points nowhere.


def _settings() -> dict:
    from . import registry

    return registry.SETTINGS  # copied from mkdocs.yml by the adapter before any page is rendered


def _link_or_words(url: str, words: str, lang: str = "sv") -> str:
    return render_template("links/link.html", lang, url=url, words=words)


@registry_macro
def repository_link(handbook: Handbook, words: str = "", lang: str = "sv") -> str:
    return _link_or_words(repo_from(_settings()).url, words or _words(lang).repository, lang)


@registry_macro
def new_pull_request_link(handbook: Handbook, words: str = "", lang: str = "sv") -> str:
    return _link_or_words(repo_from(_settings()).new_pull_url(), words or _words(lang).new_pull_request, lang)


@registry_macro
def pull_requests_link(handbook: Handbook, words: str = "", lang: str = "sv") -> str:
    return _link_or_words(repo_from(_settings()).pulls_url(), words or _words(lang).pull_requests, lang)


@registry_macro
def form_link(handbook: Handbook, form: str, words: str = "", page: str = "", lang: str = "sv") -> str:
    """A link that opens one issue form (`organisation.yml`, `metod.yml`, `ratta-text.yml`, `tillganglighet.yml`)."""
    if form not in FORMS:
        raise ValueError(f"no issue form {form!r}; choose one of {', '.join(FORMS)}")
    settings = _settings()
    address = page_address(str(settings.get("site_url") or ""), page) if page else ""
    return _link_or_words(repo_from(settings).issue_url(form, sida=address), words or _words(lang).forms[form], lang)


@registry_macro
def issue_forms(handbook: Handbook, lang: str = "sv") -> str:
    """Every issue form as a list of links."""
    repo = repo_from(_settings())
    named = _words(lang).forms
    return render_template("links/forms.html", lang, repo=bool(repo),
                           forms=[(repo.issue_url(form), named[form]) for form in FORMS])


@registry_macro
def overdue_reviews(handbook: Handbook, lang: str = "sv") -> str:
    """Records past their review date (derived from `review_by`), as a table; HANDBOOK_TODAY fixes today."""
    from . import history

    today = history.today()
    found = history.overdue(handbook, today)
    repo = repo_from(_settings())
    here = CONTRIBUTE_URL
    kinds = _words(lang).kinds
    rows = []
    for record in found:
        url = record_url(handbook, record)
        rows.append((kinds.get(record.kind, record.kind), record_title(record, lang),
                     relative_url(here, url) if url else "", record.path,
                     repo.edit_url(record.path) if repo else "", history.review_date(record).isoformat()))
    return render_template("links/overdue.html", lang, rows=rows, today=today.isoformat())


_words = words  # the macros' parameter `words` hides the function inside them

KIND_WORDS = {kind: str(value) for kind, value in words().kinds.items()}  # in Swedish; words(lang).kinds for others
