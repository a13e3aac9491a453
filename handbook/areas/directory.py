"""The partner directory: organisations, their work training and where they are.

Pages: /organisationer/ (hand-written, with the macros below), one page per organisation at
/organisationer/<id>/, one page per county at /organisationer/lan/<länskod>/ (a large county's list
goes on in parts at /organisationer/lan/<länskod>/<n>/, COUNTY_PART_SIZE names each) and a county index.
Built for a national directory of 1500 organisations and more:

- the directory page never lists every organisation in its HTML: its script fetches the compact
  /organisationer/katalog.json (about a sixth of the full export /data/organisationer.json) and
  shows 25 results at a time;
- groupings (per county, per municipality) are computed once per build, never once per page;
- the organisation pages stay out of the site search: the directory's own search finds them, and
  their names are on the county pages, which are in it. That keeps the search index, which every
  reader's browser downloads, small, and saves the build a fifth of its time.

Markup and interface text are in handbook/templates/directory/ (the words Python needs too in
directory/words.html); this module keeps the checks, the queries and the data the templates get.
"""
from __future__ import annotations

import json
import weakref
from collections import defaultdict
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import check, links, messages, registry, render
from . import profiles
from ..load import Loaded
from ..model import Handbook, Record
from ..problems import problem
from ..render import relative_url
from ..templating import environment, render_template


SECTION = "organisationer"
PAGE_SIZE = 25
# A county page lists at most this many organisations; a larger county's list goes on in parts at
# /organisationer/lan/<länskod>/<n>/ (n = 2, 3 ...). 400 names make a part of about 60 KB and the
# county's own page, with its quality profiles, about 80 KB (the bench's figures), under the 100 KB
# every page may weigh. A site can set another size as `county_part_size` under `extra:`.
COUNTY_PART_SIZE = 400
# Ids an organisation cannot have: their pages would sit where other directory pages are.
RESERVED_IDS = {"lan": "reserved.org.lan", "index": "reserved.org.index"}  # id -> what uses it (a catalogue entry)



def words(lang: str = "sv"):
    """The directory's interface words that Python needs (scopes, language names, what the coverage
    counts), in `lang`: catalogue texts kept in directory/words.html, where the catalogue script finds them."""
    return environment(lang).get_template("directory/words.html").module


SCOPES = {key: str(value) for key, value in words().scopes.items()}  # in Swedish; words(lang).scopes for others
LANGUAGES = {key: str(value) for key, value in words().languages.items()}  # in Swedish; words(lang).languages


# Checks


@check.rule("organisation")
def reserved_ids(handbook, record, loaded: Loaded):
    if record.id in RESERVED_IDS:
        yield problem(loaded.path, 1, 1, "", "reserved-org-id", id=record.id, what=messages.message(RESERVED_IDS[record.id]),
                      suggest=f"{record.id}-{slug_of(record.get('name') or 'organisation')}")


def slug_of(name: str) -> str:
    import re

    plain = str(name).lower().translate(str.maketrans("åäöéüæø", "aaoeuao"))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "organisation"


# Named queries


def sort_key(name: str) -> str:
    """Swedish alphabetical order: å, ä and ö come after z."""
    return str(name).casefold().translate(str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "ü": "y"}))


def organisations(handbook: Handbook) -> list[Record]:
    """Every organisation, in Swedish alphabetical order of its name (sorted once per content)."""
    found = _SORTED.get(handbook)
    if found is None:
        found = _SORTED[handbook] = tuple(sorted(handbook.all("organisation"), key=lambda r: (sort_key(r.get("name", "")), r.id)))
    return list(found)


_SORTED: "weakref.WeakKeyDictionary[Handbook, tuple]" = weakref.WeakKeyDictionary()


def in_county(handbook: Handbook, code: str) -> list[Record]:
    return [r for r in organisations(handbook) if r.get("county") == code]


def national(handbook: Handbook) -> list[Record]:
    return [r for r in organisations(handbook) if r.get("scope") == "nationell"]


def by_county(handbook: Handbook) -> dict[str, list[Record]]:
    """County code -> its organisations (every county, also the empty ones), computed in one pass."""
    found: dict[str, list[Record]] = {c.code: [] for c in handbook.counties()}
    for record in organisations(handbook):
        if record.get("county") in found:
            found[record.get("county")].append(record)
    return found


def municipalities(handbook: Handbook) -> list[tuple[str, str]]:
    """(municipality, county code) for every municipality that has an organisation, in Swedish order."""
    found = {(r.get("municipality"), r.get("county") or "") for r in handbook.all("organisation") if r.get("municipality")}
    return sorted(found, key=lambda item: (sort_key(item[0]), item[1]))


def _labels(handbook: Handbook, taxonomy: str, lang: str = "sv") -> dict[str, str]:
    return {t.id: t.text(lang) for t in handbook.terms(taxonomy)}


def page_url(record: Record) -> str:
    return f"{SECTION}/{record.id}/"


def county_url(code: str, part: int = 1) -> str:
    """The county's page, or part `part` of its list (the first part is the county's page itself)."""
    return f"{SECTION}/lan/{code}/" if part == 1 else f"{SECTION}/lan/{code}/{part}/"


def county_part_size() -> int:
    """How many organisations one county page lists: `county_part_size` in the site's `extra:`, else
    COUNTY_PART_SIZE."""
    try:
        size = int(registry.SETTINGS.get("county_part_size") or COUNTY_PART_SIZE)
    except (TypeError, ValueError):
        size = COUNTY_PART_SIZE
    return max(size, 1)


def _host(url) -> str:
    host = urlsplit(str(url or "")).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def shared_sources(handbook: Handbook) -> frozenset:
    """Source addresses that more than one organisation's entry cites: a document about many
    organisations (such as the project's decision basis), never one organisation's own page."""
    seen: dict[str, int] = defaultdict(int)
    for record in handbook.all("organisation"):
        for url in {s.get("url") for s in record.get("sources", ())}:
            seen[url] += 1
    return frozenset(url for url, n in seen.items() if n > 1)


def outside_sources(record: Record, shared: frozenset = frozenset()) -> list:
    """The entry's sources that are not the organisation's own website: a document someone else wrote.
    An entry the organisation sent in names its own website (as the template does); an address that
    many entries cite is a shared document, even on one organisation's own site."""
    own = _host(record.get("website"))
    return [s for s in record.get("sources", ()) if not own or _host(s.get("url")) != own or s.get("url") in shared]


def taken_from_sources(record: Record, shared: frozenset = frozenset()) -> bool:
    """Whether the entry was put together from others' documents, not by the organisation itself."""
    return bool(outside_sources(record, shared))


def edit_link(record: Record, repo: links.Repo, site_url: str = "", shared: frozenset = frozenset(),
              lang: str = "sv") -> str:
    """Where the organisation completes its entry: the edit page or the form when the site knows its
    repository, else the file and the contributor guide. Entries taken from a source document say so.
    The form's issue title stays Swedish ("Ändra organisation: X"): the issue forms are in Swedish."""
    edit = form = ""
    if repo:
        edit = repo.edit_url(record.path)
        form = repo.issue_url(links.FORM_ORGANISATION, befintlig=record.id,
                              sida=links.page_address(site_url, page_url(record)),
                              title=f"Ändra organisation: {record.get('name')}")
    return render_template("directory/edit_link.html", lang, outside=outside_sources(record, shared),
                           org=record.get("name"), path=record.path, edit=edit, form=form,
                           guide=from_organisation("bidra/"))


# The data the directory page's script reads


def catalogue(handbook: Handbook) -> dict:
    """The compact directory data: one row per organisation with only what the filters need.

    The last column, `profile`, is null (no quality profile) or [current 1/0, [level reached per
    area, 0 = no level]], the areas in the order of `profile_areas` (see areas/profiles.py)."""
    columns = ["id", "name", "type", "scope", "county", "municipality", "offers", "target_groups", "profile"]
    on = profiles.today()
    # Each row is kept for the next build in the same process, as the organisation pages are: made again
    # when its record, its profiles, the day or anything but the organisations and profiles changed.
    global _ROWS_KEPT
    world = registry.besides_directory(handbook)
    kept = _ROWS_KEPT if _ROWS_KEPT[1] == on and registry.same_objects(_ROWS_KEPT[0], world) else (world, on, {})
    fresh: dict = {}
    rows = []
    for r in organisations(handbook):
        found = profiles.profiles_of(handbook, r.id)
        hit = kept[2].get(r.id)
        if hit is None or hit[0] is not r or not registry.same_objects(hit[1], found):
            hit = (r, found, [r.id, r.get("name"), r.get("type"), r.get("scope"), r.get("county") or "",
                              r.get("municipality") or "", list(r.get("offers", ())), list(r.get("target_groups", ())),
                              profiles.catalogue_entry(handbook, r.id, on)])
        fresh[r.id] = hit
        rows.append(hit[2])
    _ROWS_KEPT = (world, on, fresh)
    return {"columns": columns, "profile_areas": profiles.area_ids(handbook), "rows": rows}


_ROWS_KEPT: tuple = ((), None, {})


@registry.files
def catalogue_file(handbook: Handbook) -> list[tuple[str, bytes]]:
    data = json.dumps(catalogue(handbook), ensure_ascii=False, separators=(",", ":"))
    return [(f"{SECTION}/katalog.json", data.encode("utf-8"))]


# Generated pages


@registry.pages
def directory_pages(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str]]:
    counties = {c.code: c for c in handbook.counties()}
    grouped = by_county(handbook)
    context = _context(handbook, lang)
    # A county's pages are kept for the next build in the same process, as organisation pages are
    # (organisation_pages): made again when its organisations, their profiles or anything else changed.
    world, figures = registry.besides_directory(handbook), (_figures(context), county_part_size())
    kept = _COUNTIES_KEPT.get(lang)
    if kept is None or kept[1] != figures or not registry.same_objects(kept[0], world):
        kept = _COUNTIES_KEPT[lang] = (world, figures, {})
    out = []
    for code in counties:
        records = tuple(grouped[code])
        found = tuple(p for r in records for p in profiles.profiles_of(handbook, r.id))
        hit = kept[2].get(code)
        if hit is None or not registry.same_objects(hit[0], records) or not registry.same_objects(hit[1], found):
            made = county_pages(counties[code], grouped[code], context, lang)
            kept[2][code] = (records, found, [(path, render.keep_blocks(markdown)) for path, markdown in made])
            out.extend(made)
        else:
            out.extend((path, render.put_blocks(markdown)) for path, markdown in hit[2])
    out.append((f"{SECTION}/lan/index.md", county_index_page(handbook, grouped, lang)))
    return out


_COUNTIES_KEPT: dict[str, tuple] = {}


@registry.stamped
def organisation_pages(handbook: Handbook, lang: str = "sv") -> list[registry.Stamped]:
    """One page per organisation, all with one layout: the theme renders it once (see registry.Stamped).

    A page's body is kept for the next build in the same process (the live server's) and made again
    only when what it shows may have changed: its own record, its quality profiles, or anything
    else than organisations and profiles (the lists, counties, the quality model, the glossary), or
    the few figures about all organisations a page shows (`_context`). Records are compared as
    objects: content.load_cached gives an unchanged file's record back as the same object."""
    context = _context(handbook, lang)
    world, figures = registry.besides_directory(handbook), _figures(context)
    kept = _KEPT.get(lang)
    if kept is None or kept[1] != figures or not registry.same_objects(kept[0], world):
        kept = _KEPT[lang] = (world, figures, {})
    bodies = kept[2]
    made = []
    for r in organisations(handbook):
        found = profiles.profiles_of(handbook, r.id)
        hit = bodies.get(r.id)
        if hit is None or hit[0] is not r or not registry.same_objects(hit[1], found):
            body = organisation_page(r, context, lang)
            bodies[r.id] = (r, found, render.keep_blocks(body))
        else:
            body = render.put_blocks(hit[2])
        made.append((r.id, r.get("name"), body))
    if len(bodies) > len(made):
        for gone in set(bodies) - {r_id for r_id, _n, _b in made}:
            del bodies[gone]
    return [registry.Stamped(SECTION, made)]


# language -> (the other records, the figures, organisation id -> (record, its profiles, body)): see organisation_pages
_KEPT: dict[str, tuple] = {}


def _figures(context: dict) -> tuple:
    """What a directory page shows about all organisations, and the site settings it uses."""
    return context["national"], context["shared"], context["repo"], context["site_url"], context["today"]


def _context(handbook: Handbook, lang: str = "sv") -> dict:
    """What the directory's pages share, worked out once per content, language and day."""
    key = (lang, profiles.today(), repr(sorted(registry.SETTINGS.items(), key=lambda item: item[0])))
    kept = _CONTEXTS.setdefault(handbook, {})
    if key not in kept:
        kept.clear()
        kept[key] = _make_context(handbook, lang)
    return kept[key]


_CONTEXTS: "weakref.WeakKeyDictionary[Handbook, dict]" = weakref.WeakKeyDictionary()


def _make_context(handbook: Handbook, lang: str = "sv") -> dict:
    return {
        "counties": {c.code: c for c in handbook.counties()},
        "types": _labels(handbook, "organisationstyper", lang),
        "offers": _labels(handbook, "arbetstraning", lang),
        "groups": _labels(handbook, "malgrupper", lang),
        "networks": _labels(handbook, "natverk", lang),
        "repo": links.repo_from(registry.SETTINGS),
        "site_url": str(registry.SETTINGS.get("site_url") or ""),
        "shared": shared_sources(handbook),
        "national": len(national(handbook)),
        "handbook": handbook,
        "profiles": profiles.page_context(handbook, lang, from_organisation),
        "today": profiles.today(),
    }


def _label(labels: dict[str, str], key) -> str:
    return labels.get(key) or ("" if key is None else str(key))


@lru_cache(maxsize=None)
def from_organisation(to_url: str) -> str:
    """A link from any organisation page: they all sit at the same depth, so it is worked out once."""
    return relative_url(f"{SECTION}/_/", to_url)


def organisation_page(record: Record, context: dict, lang: str = "sv") -> str:
    """The body of an organisation's page, in HTML (its title is the name: see organisation_pages).

    The page stays out of the site search (registry.Stamped): parsing 1500 pages for it cost a fifth
    of the build, and the directory's own search finds organisations (their names are also on the
    county pages, which are indexed). No `description` meta from data: Material writes it unescaped."""
    said = words(lang)
    scope = record.get("scope")
    county = context["counties"].get(record.get("county"))
    languages = ", ".join(str(said.languages.get(code, code)) for code in record.get("languages") or ())
    return render_template(
        "directory/organisation.html", lang, record=record,
        kind=_label(context["types"], record.get("type")),
        scope=str(said.scopes[scope]) if scope in said.scopes else scope,
        nationwide=said.scopes["nationell"],
        county=county, county_href=from_organisation(county_url(county.code)) if county else "",
        offers=[_label(context["offers"], o) for o in record.get("offers", ())],
        groups=[_label(context["groups"], g) for g in record.get("target_groups", ())],
        languages=languages,
        memberships=[(_label(context["networks"], m.get("group")), m.get("role")) for m in record.get("memberships", ())],
        contacts=[c for c in record.get("contacts", ()) if c.get("consent")],  # the check refuses the others
        edit_link=Markup(edit_link(record, context["repo"], context["site_url"], context.get("shared", frozenset()), lang)),
        profile=Markup(profiles.organisation_section(context["handbook"], record.id, context["profiles"], lang,
                                                     context["today"])) if "handbook" in context else "",
        directory=from_organisation(SECTION + "/"))


def county_parts(records: list[Record], size: int) -> list[list[tuple[str, Record]]]:
    """The county's organisations as (municipality, record) in the order the page lists them (by
    municipality, those without one first, then by name), cut into parts of at most `size`."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.get("municipality") or ""].append(record)
    listed = [(municipality, r) for municipality in sorted(groups, key=sort_key) for r in groups[municipality]]
    return [listed[start:start + size] for start in range(0, len(listed), size)] or [[]]


def county_pages(county, records: list[Record], context: dict, lang: str = "sv") -> list[tuple[str, str]]:
    """The county's page (its summary, its quality profiles and the first part of its list) and, when
    the list is longer than county_part_size(), one page for each further part: (path under docs/, markdown)."""
    parts = county_parts(records, county_part_size())
    out = []
    for number, part in enumerate(parts, 1):
        path = f"{SECTION}/lan/{county.code}.md" if number == 1 else f"{SECTION}/lan/{county.code}/{number}.md"
        out.append((path, county_page(county, records, context, lang, number, parts)))
    return out


def county_page(county, records: list[Record], context: dict, lang: str = "sv", number: int = 1,
                parts: list | None = None) -> str:
    """Part `number` of the county's page (the first part, the county's page itself, by default)."""
    parts = parts if parts is not None else county_parts(records, county_part_size())
    here = county_url(county.code, number)
    part = parts[number - 1]
    before = parts[number - 2][-1][0] if number > 1 else None  # the municipality the previous part ended with
    groups: list[tuple[str, bool, list]] = []
    for municipality, record in part:
        if not groups or groups[-1][0] != municipality:
            groups.append((municipality, not groups and municipality == before, []))
        groups[-1][2].append((record, _label(context["types"], record.get("type"))))
    picture = (profiles.picture_section(context["handbook"], here, [r.id for r in records], lang)
               if records and number == 1 and "handbook" in context else "")
    first = sum(len(p) for p in parts[:number - 1]) + 1
    return render_template(
        "directory/county.md", lang, county_name=county.label(lang), code=county.code, count=len(records),
        profiles=Markup(picture),
        national=context["national"], directory=relative_url(here, SECTION + "/"),
        county_href=relative_url(here, county_url(county.code)),
        contribute=relative_url(here, "bidra/"),
        part=number, part_count=len(parts), first=first, last=first + len(part) - 1,
        part_links=[(n, relative_url(here, county_url(county.code, n))) for n in range(1, len(parts) + 1)],
        groups=groups)


def county_index_page(handbook: Handbook, grouped: dict[str, list[Record]], lang: str = "sv") -> str:
    here = f"{SECTION}/lan/"
    return render_template("directory/county_index.md", lang, directory=relative_url(here, SECTION + "/"),
                           **_county_rows(handbook, grouped, here))


# Fragments for the hand-written directory page


def _county_rows(handbook: Handbook, grouped: dict[str, list[Record]], here: str) -> dict:
    """What the table of organisations per county shows (directory/_macros.html county_table)."""
    return {"rows": [(relative_url(here, county_url(c.code)), c, len(grouped[c.code])) for c in handbook.counties()],
            "national": len(national(handbook)), "total": handbook.count("organisation")}


@registry.macro
def county_overview(handbook: Handbook, lang: str = "sv") -> str:
    """A bar chart of organisations per county with the same figures in a table beside it."""
    here = f"{SECTION}/"
    grouped = by_county(handbook)
    bars = [(c.label(lang), len(grouped[c.code])) for c in handbook.counties()]
    bars.append((str(words(lang).national_bar), len(national(handbook))))
    largest = max([n for _, n in bars] + [1])
    return render_template("directory/overview.html", lang,
                           bars=[(label, n, f"{100 * n / largest:.1f}") for label, n in bars],
                           **_county_rows(handbook, grouped, here))


@registry.macro
def national_list(handbook: Handbook, lang: str = "sv") -> str:
    """The organisations that work in the whole country, as links (they have no county page)."""
    here = f"{SECTION}/"
    types = _labels(handbook, "organisationstyper", lang)
    return render_template("directory/national.html", lang,
                           items=[(relative_url(here, page_url(r)), r, types.get(r.get("type"), r.get("type")))
                                  for r in national(handbook)])


def script_texts(lang: str = "sv") -> dict[str, str]:
    """The words of the directory's script in `lang` (catalogue texts in directory/script_texts.html)."""
    return {key: str(value) for key, value in
            environment(lang).get_template("directory/script_texts.html").module.texts.items()}


def _json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">: no <, > or & survives as itself."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@registry.macro
def directory_search(handbook: Handbook, lang: str = "sv") -> str:
    """The search form and result list. The script fills the list from katalog.json; without
    JavaScript the form stays hidden and the page points to the county pages instead. The script's
    own words are in a JSON block in the page (#vi-directory-texts), in the page's language."""
    from . import quality  # the model's areas and levels, for the quality profile filters

    counties = [(c.code, c.label(lang)) for c in handbook.counties()]
    county_names = dict(counties)
    return render_template(
        "directory/search.html", lang, page_size=PAGE_SIZE, total=handbook.count("organisation"),
        counties=counties,
        places=[(m, code, county_names.get(code, "")) for m, code in municipalities(handbook)],
        types=list(_labels(handbook, "organisationstyper", lang).items()),
        offers=list(_labels(handbook, "arbetstraning", lang).items()),
        groups=list(_labels(handbook, "malgrupper", lang).items()),
        scopes=[(key, str(value)) for key, value in words(lang).scopes.items()],
        # The quality profile filters: the model's areas (the order of katalog.json's profile_areas) and levels.
        profile_areas=[(a.id, f'{a.get("order")}. {a.text("title", lang)}') for a in quality.areas(handbook)],
        levels=[(n, f"{n} {name[lang]}") for n, name in quality.LEVELS],
        texts=Markup(_json_for_script(script_texts(lang))))


# What the entries hold: the directory page promises only what is there.

COVERAGE = ["offers", "target_groups", "capacity", "languages", "accessibility", "website", "email", "phone",
            "contacts"]  # the words for each: directory/words.html


_TAKEN: tuple = (None, {})  # (shared sources, organisation id -> (record, taken from sources))


def coverage(handbook: Handbook, lang: str = "sv") -> list[tuple[str, str, int]]:
    """(field, what it says, how many organisations fill it in) for every field a reader may look for."""
    records = handbook.all("organisation")
    said = words(lang).coverage
    return [(name, str(said[name]), sum(1 for r in records if r.get(name) not in (None, "", (), {})))
            for name in COVERAGE]


@registry.macro
def directory_coverage(handbook: Handbook, lang: str = "sv") -> str:
    """How many entries fill in each field, and how many were taken from source documents."""
    total = handbook.count("organisation")
    shared = shared_sources(handbook)
    global _TAKEN
    kept = _TAKEN if _TAKEN[0] == shared else (shared, {})
    fresh: dict = {}
    for r in handbook.all("organisation"):  # kept per record between contents, as the pages are
        hit = kept[1].get(r.id)
        fresh[r.id] = hit if hit is not None and hit[0] is r else (r, taken_from_sources(r, shared))
    _TAKEN = (shared, fresh)
    taken = sum(1 for _r, yes in fresh.values() if yes)
    return render_template("directory/coverage.html", lang, total=total, taken=taken,
                           fields=[(said, n) for _name, said, n in coverage(handbook, lang)])
