"""The partner directory: organisations, their work training and where they are.

Pages: /organisationer/ (hand-written, with the macros below), one page per organisation at
/organisationer/<id>/, one page per county at /organisationer/lan/<länskod>/ and a county index.
Built for a national directory of 1500 organisations and more:

- the directory page never lists every organisation in its HTML: its script fetches the compact
  /organisationer/katalog.json (about a sixth of the full export /data/organisationer.json) and
  shows 25 results at a time;
- groupings (per county, per municipality) are computed once per build, never once per page;
- the organisation pages stay out of the site search: the directory's own search finds them, and
  their names are on the county pages, which are in it. That keeps the search index, which every
  reader's browser downloads, small, and saves the build a fifth of its time.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from urllib.parse import urlsplit

from .. import check, links, messages, registry
from ..load import Loaded
from ..model import Handbook, Record
from ..problems import problem
from ..render import block, esc, front_matter, link, md_text, relative_url, sources, table, text


SECTION = "organisationer"
PAGE_SIZE = 25
# Ids an organisation cannot have: their pages would sit where other directory pages are.
RESERVED_IDS = {"lan": "reserved.org.lan", "index": "reserved.org.index"}  # id -> what uses it (a catalogue entry)

SCOPES = {"nationell": "Hela landet", "regional": "Ett län eller en region", "lokal": "En kommun"}

LANGUAGES = {
    "sv": "svenska", "en": "engelska", "ar": "arabiska", "so": "somaliska", "fi": "finska", "ti": "tigrinja",
    "fa": "persiska", "prs": "dari", "ku": "kurdiska", "es": "spanska", "de": "tyska", "fr": "franska",
    "pl": "polska", "ru": "ryska", "uk": "ukrainska", "bs": "bosniska", "sr": "serbiska", "hr": "kroatiska",
    "tr": "turkiska", "se": "nordsamiska", "sgn": "teckenspråk", "swl": "svenskt teckenspråk", "et": "estniska",
    "ro": "rumänska", "th": "thailändska", "am": "amhariska", "ps": "pashto", "no": "norska", "da": "danska",
}


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
    """Every organisation, in Swedish alphabetical order of its name."""
    return sorted(handbook.all("organisation"), key=lambda r: (sort_key(r.get("name", "")), r.id))


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


def _labels(handbook: Handbook, taxonomy: str) -> dict[str, str]:
    return {t.id: t.text() for t in handbook.terms(taxonomy)}


def page_url(record: Record) -> str:
    return f"{SECTION}/{record.id}/"


def county_url(code: str) -> str:
    return f"{SECTION}/lan/{code}/"


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


def edit_link(record: Record, repo: links.Repo, site_url: str = "", shared: frozenset = frozenset()) -> str:
    """Where the organisation completes its entry: the edit page or the form when the site knows its
    repository, else the file and the contributor guide. Entries taken from a source document say so."""
    name = esc(record.get("name"))
    said = ""
    outside = outside_sources(record, shared)
    if outside:
        named = " och ".join(f"<cite>{esc(s.get('title'))}</cite>" for s in outside)
        said = (f"<p>Uppgifterna kommer från {named}; organisationen har inte själv granskat dem.</p>")
    if repo:
        edit = repo.edit_url(record.path)
        form = repo.issue_url(links.FORM_ORGANISATION, befintlig=record.id,
                              sida=links.page_address(site_url, page_url(record)),
                              title=f"Ändra organisation: {record.get('name')}")
        invite = (f"<p>Arbetar du på {name}? Komplettera eller rätta uppgifterna: "
                  f'<a href="{esc(edit)}">ändra filen på GitHub</a> (filen <code>{esc(record.path)}</code>) '
                  f'eller <a href="{esc(form)}">fyll i formuläret för organisationer</a>. '
                  f'<a href="{esc(from_organisation("bidra/"))}">Så går det till</a>.</p>')
    else:
        invite = (f"<p>Arbetar du på {name}? Uppgifterna finns i filen <code>{esc(record.path)}</code>. "
                  f'<a href="{esc(from_organisation("bidra/"))}">Så kompletterar eller rättar du en uppgift</a>.</p>')
    return f'<div class="vi-edit vi-entry-source">{said}{invite}</div>'


# The data the directory page's script reads


def catalogue(handbook: Handbook) -> dict:
    """The compact directory data: one row per organisation with only what the filters need."""
    columns = ["id", "name", "type", "scope", "county", "municipality", "offers", "target_groups"]
    rows = [[r.id, r.get("name"), r.get("type"), r.get("scope"), r.get("county") or "", r.get("municipality") or "",
             list(r.get("offers", ())), list(r.get("target_groups", ()))] for r in organisations(handbook)]
    return {"columns": columns, "rows": rows}


@registry.files
def catalogue_file(handbook: Handbook) -> list[tuple[str, bytes]]:
    data = json.dumps(catalogue(handbook), ensure_ascii=False, separators=(",", ":"))
    return [(f"{SECTION}/katalog.json", data.encode("utf-8"))]


# Generated pages


@registry.pages
def directory_pages(handbook: Handbook) -> list[tuple[str, str]]:
    counties = {c.code: c for c in handbook.counties()}
    grouped = by_county(handbook)
    context = _context(handbook)
    out = [(f"{SECTION}/lan/{code}.md", county_page(counties[code], grouped[code], context)) for code in counties]
    out.append((f"{SECTION}/lan/index.md", county_index_page(handbook, grouped)))
    return out


@registry.stamped
def organisation_pages(handbook: Handbook) -> list[registry.Stamped]:
    """One page per organisation, all with one layout: the theme renders it once (see registry.Stamped)."""
    context = _context(handbook)
    return [registry.Stamped(SECTION, [(r.id, r.get("name"), organisation_page(r, context)) for r in organisations(handbook)])]


def _context(handbook: Handbook) -> dict:
    return {
        "counties": {c.code: c for c in handbook.counties()},
        # Labels escaped once here, not once per page.
        "types": _escaped(_labels(handbook, "organisationstyper")),
        "offers": _escaped(_labels(handbook, "arbetstraning")),
        "groups": _escaped(_labels(handbook, "malgrupper")),
        "networks": _escaped(_labels(handbook, "natverk")),
        "repo": links.repo_from(registry.SETTINGS),
        "site_url": str(registry.SETTINGS.get("site_url") or ""),
        "shared": shared_sources(handbook),
        "national": len(national(handbook)),
    }


def _escaped(labels: dict[str, str]) -> dict[str, str]:
    return {key: esc(value) for key, value in labels.items()}


def _label(labels: dict[str, str], key) -> str:
    return labels.get(key) or esc(key)


@lru_cache(maxsize=None)
def from_organisation(to_url: str) -> str:
    """A link from any organisation page: they all sit at the same depth, so it is worked out once."""
    return relative_url(f"{SECTION}/_/", to_url)


def _place(record: Record, counties: dict) -> str:
    parts = []
    if record.get("municipality"):
        parts.append(esc(record.get("municipality")))
    county = counties.get(record.get("county"))
    if county:
        parts.append(f'<a href="{esc(from_organisation(county_url(county.code)))}">{text(county.name)}</a>')
    return ", ".join(parts) if parts else esc(SCOPES["nationell"])


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def organisation_page(record: Record, context: dict) -> str:
    """The body of an organisation's page, in HTML (its title is the name: see organisation_pages)."""
    name = record.get("name")
    kind = _label(context["types"], record.get("type"))
    facts = [
        ("Typ av organisation", kind),
        ("Verkar i", esc(SCOPES.get(record.get("scope"), record.get("scope")))),
    ]
    if record.get("scope") != "nationell":
        facts.append(("Ort", _place(record, context["counties"])))
    if record.get("website"):
        facts.append(("Webbplats", link(record.get("website"), record.get("website"))))
    if record.get("email"):
        facts.append(("E-post", link(f"mailto:{record.get('email')}", record.get("email"))))
    if record.get("phone"):
        facts.append(("Telefon", esc(record.get("phone"))))
    lead = "<dl class=\"vi-facts\">" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"

    details = []
    offers = [_label(context["offers"], o) for o in record.get("offers", ())]
    details.append("<h2>Arbetsträning som erbjuds</h2>" + (_list(offers) if offers else
                   "<p>Organisationen har inte angett någon arbetsträning.</p>"))
    groups = [_label(context["groups"], g) for g in record.get("target_groups", ())]
    details.append("<h2>Tar emot</h2>" + (_list(groups) if groups else "<p>Organisationen har inte angett några målgrupper.</p>"))
    more = []
    if record.get("capacity") is not None:
        more.append(("Antal platser samtidigt", esc(record.get("capacity"))))
    if record.get("languages"):
        more.append(("Handledning på", esc(", ".join(LANGUAGES.get(code, code) for code in record.get("languages")))))
    if record.get("accessibility"):
        more.append(("Tillgänglighet i lokalerna", text(record.get("accessibility"))))
    if more:
        details.append("<h2>Platser och lokaler</h2><dl class=\"vi-facts\">"
                       + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in more) + "</dl>")
    memberships = record.get("memberships", ())
    if memberships:
        items = []
        for m in memberships:
            role = f": {text(m.get('role'))}" if m.get("role") else ""
            items.append(f"<strong>{_label(context['networks'], m.get('group'))}</strong>{role}")
        details.append("<h2>Nätverk och samarbeten</h2>" + _list(items))
    contacts = [c for c in record.get("contacts", ()) if c.get("consent")]  # the check refuses the others
    if contacts:
        items = []
        for c in contacts:
            bits = [f"<strong>{esc(c.get('name'))}</strong>"]
            if c.get("role"):
                bits.append(text(c.get("role")))
            if c.get("email"):
                bits.append(link(f"mailto:{c.get('email')}", c.get("email")))
            if c.get("phone"):
                bits.append(esc(c.get("phone")))
            items.append(", ".join(bits))
        details.append("<h2>Kontaktpersoner</h2>" + _list(items)
                       + "<p class=\"vi-file\">Personerna har gett sitt samtycke till att stå här.</p>")
    details.append(sources(record.get("sources")))
    review = f"<p class=\"vi-file\">Uppgifterna ska ses över senast {esc(record.get('review_by'))}.</p>"
    details.append(review + edit_link(record, context["repo"], context["site_url"], context.get("shared", frozenset())))

    description = f"<p>{text(record.get('description'))}</p>" if record.get("description") else ""
    back = f'<p><a href="{esc(from_organisation(SECTION + "/"))}">Till organisationskatalogen</a></p>'
    body = description + lead + "".join(details) + back
    # The page stays out of the site search (registry.Stamped): parsing 1500 pages for it cost a fifth
    # of the build, and the directory's own search finds organisations (their names are also on the
    # county pages, which are indexed). No `description` meta from data: Material writes it unescaped.
    return f'<div class="vi-block vi-org">{body}</div>'


def county_page(county, records: list[Record], context: dict) -> str:
    here = county_url(county.code)
    name = county.label()
    title = f"Organisationer i {name}"
    directory = relative_url(here, SECTION + "/")
    national_link = (f'<a href="{esc(directory)}?omfattning=nationell">de {context["national"]} nationella '
                     f"organisationerna</a>" if context["national"] else "")
    if not records:
        intro = (f"<p>Det finns ännu inga organisationer från {esc(name)} i katalogen. "
                 f'Vet du en verksamhet som borde finnas med? <a href="{esc(relative_url(here, "bidra/"))}">'
                 "Så lägger du till en organisation</a>.</p>")
        if national_link:
            intro += f"<p>Organisationer som verkar i hela landet finns också här: se {national_link}.</p>"
        return front_matter(title) + f"# {md_text(title)}\n" + block(intro)
    count = len(records)
    intro = (f'<p class="vi-county-count">{count} {"organisation" if count == 1 else "organisationer"} i katalogen '
             f"har sin verksamhet i {esc(name)} (länskod {esc(county.code)}).")
    if national_link:
        intro += f" Dessutom verkar {national_link} i hela landet."
    intro += f' Du kan också <a href="{esc(directory)}?lan={esc(county.code)}">söka och filtrera bland dem</a>.</p>'
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.get("municipality") or ""].append(record)
    parts = [front_matter(title), f"# {md_text(title)}\n", block(intro)]
    for municipality in sorted(groups, key=sort_key):
        heading = municipality or "I hela länet"
        items = "".join(
            f'<li><a href="{esc(directory + r.id)}/">{esc(r.get("name"))}</a> – '
            f'{_label(context["types"], r.get("type"))}</li>' for r in groups[municipality])
        parts.append(f"\n## {md_text(heading)}\n" + block(f'<ul class="vi-county-list">{items}</ul>'))
    return "".join(parts)


def county_index_page(handbook: Handbook, grouped: dict[str, list[Record]]) -> str:
    here = f"{SECTION}/lan/"
    body = ("<p>Välj ett län för att se organisationerna som finns där. Organisationer som verkar i hela "
            f'landet finns i <a href="{esc(relative_url(here, SECTION + "/"))}">organisationskatalogen</a>.</p>'
            + county_table(handbook, grouped, here))
    return front_matter("Organisationer per län") + "# Organisationer per län\n" + block(body)


# Fragments for the hand-written directory page


def county_table(handbook: Handbook, grouped: dict[str, list[Record]], here: str) -> str:
    rows = [[f'<a href="{esc(relative_url(here, county_url(c.code)))}">{text(c.name)}</a>', esc(c.code),
             esc(len(grouped[c.code]))] for c in handbook.counties()]
    rows.append(["Nationella organisationer (hela landet)", "–", esc(len(national(handbook)))])
    rows.append(["<strong>Alla organisationer</strong>", "", f"<strong>{esc(handbook.count('organisation'))}</strong>"])
    return table("Antal organisationer per län", ["Län", "Länskod", "Antal"], rows, "vi-county-table")


@registry.macro
def county_overview(handbook: Handbook) -> str:
    """A bar chart of organisations per county with the same figures in a table beside it."""
    here = f"{SECTION}/"
    grouped = by_county(handbook)
    bars = [(c.label(), len(grouped[c.code])) for c in handbook.counties()]
    bars.append(("Hela landet (nationella)", len(national(handbook))))
    largest = max([n for _, n in bars] + [1])
    rows = "".join(
        f'<div class="vi-bar"><span class="vi-bar__label">{esc(label)}</span>'
        f'<span class="vi-bar__track"><span class="vi-bar__fill" style="width: {100 * n / largest:.1f}%"></span></span>'
        f'<span class="vi-bar__value">{esc(n)}</span></div>' for label, n in bars)
    chart = (f'<figure class="vi-chart"><div class="vi-bars" role="img" aria-label="Stapeldiagram: antal organisationer '
             f'per län. Samma siffror finns i tabellen.">{rows}</div>'
             "<figcaption>Antal organisationer per län. Stapeln visar antalet, som också står i siffror.</figcaption>"
             "</figure>")
    return block(f'<div class="vi-overview">{chart}{county_table(handbook, grouped, here)}</div>')


@registry.macro
def national_list(handbook: Handbook) -> str:
    """The organisations that work in the whole country, as links (they have no county page)."""
    here = f"{SECTION}/"
    types = _labels(handbook, "organisationstyper")
    items = "".join(f'<li><a href="{esc(relative_url(here, page_url(r)))}">{esc(r.get("name"))}</a> – '
                    f'{esc(types.get(r.get("type"), r.get("type")))}</li>' for r in national(handbook))
    return block(f'<ul class="vi-national">{items}</ul>' if items else "<p>Inga nationella organisationer ännu.</p>")


def _options(pairs: list[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{esc(everything)}</option>' + "".join(
        f'<option value="{esc(value)}">{esc(label)}</option>' for value, label in pairs)


def _select(name: str, label: str, options: str) -> str:
    return (f'<div class="vi-dir-field"><label for="vi-dir-{name}">{esc(label)}</label>'
            f'<select class="vi-input" id="vi-dir-{name}" name="{name}">{options}</select></div>')


@registry.macro
def directory_search(handbook: Handbook) -> str:
    """The search form and result list. The script fills the list from katalog.json; without
    JavaScript the form stays hidden and the page points to the county pages instead."""
    counties = [(c.code, c.label()) for c in handbook.counties()]
    places = municipalities(handbook)
    county_names = dict(counties)
    municipality_options = f'<option value="">{esc("Alla kommuner")}</option>' + "".join(
        f'<option value="{esc(m)}" data-lan="{esc(code)}">{esc(m)}'
        f'{" (" + esc(county_names.get(code, "")) + ")" if code else ""}</option>' for m, code in places)
    fields = "".join([
        '<div class="vi-dir-field vi-dir-field--wide"><label for="vi-dir-q">Sök på namn eller ort</label>'
        '<input class="vi-input" type="search" id="vi-dir-q" name="q" autocomplete="off" spellcheck="false"></div>',
        _select("lan", "Län", _options(counties, "Alla län")),
        _select("kommun", "Kommun", municipality_options),
        _select("typ", "Typ av organisation", _options(list(_labels(handbook, "organisationstyper").items()), "Alla typer")),
        _select("arbetstraning", "Arbetsträning som erbjuds",
                _options(list(_labels(handbook, "arbetstraning").items()), "All arbetsträning")),
        _select("malgrupp", "Tar emot", _options(list(_labels(handbook, "malgrupper").items()), "Alla målgrupper")),
        _select("omfattning", "Verkar i", _options(list(SCOPES.items()), "Hela landet, län och kommuner")),
    ])
    total = handbook.count("organisation")
    html = (
        f'<div id="vi-directory" class="vi-directory" data-src="katalog.json" data-page-size="{PAGE_SIZE}" '
        f'data-total="{total}">'
        '<p class="vi-dir-nojs">Sökningen och filtren behöver JavaScript. Utan JavaScript hittar du '
        'organisationerna per län i <a href="#organisationer-per-lan">översikten längre ner</a>.</p>'
        '<div class="vi-dir-app" hidden>'
        f'<form class="vi-dir-form" role="search" aria-label="Sök bland organisationerna">{fields}'
        '<div class="vi-dir-actions"><button type="reset" class="md-button vi-dir-reset">Rensa filtren</button></div>'
        "</form>"
        '<h2 id="sokresultat" class="vi-dir-heading">Sökresultat</h2>'
        '<p class="vi-dir-count" role="status" aria-live="polite" aria-atomic="true"></p>'
        '<ol class="vi-dir-results"></ol>'
        '<p><button type="button" class="md-button vi-dir-more" hidden>Visa fler</button></p>'
        "</div></div>"
    )
    return block(html)


# What the entries hold: the directory page promises only what is there.

COVERAGE = [
    ("offers", "vilken arbetsträning de erbjuder"),
    ("target_groups", "vilka deltagare de tar emot"),
    ("capacity", "hur många platser de har"),
    ("languages", "vilka språk handledningen kan ske på"),
    ("accessibility", "hur tillgängliga lokalerna är"),
    ("website", "en webbplats"),
    ("email", "en e-postadress"),
    ("phone", "ett telefonnummer"),
    ("contacts", "en kontaktperson"),
]


def coverage(handbook: Handbook) -> list[tuple[str, str, int]]:
    """(field, what it says, how many organisations fill it in) for every field a reader may look for."""
    records = handbook.all("organisation")
    return [(name, words, sum(1 for r in records if r.get(name) not in (None, "", (), {})))
            for name, words in COVERAGE]


@registry.macro
def directory_coverage(handbook: Handbook) -> str:
    """How many entries fill in each field, and how many were taken from source documents."""
    total = handbook.count("organisation")
    if not total:
        return block("<p>Katalogen har inga organisationer ännu.</p>")
    shared = shared_sources(handbook)
    taken = sum(1 for r in handbook.all("organisation") if taken_from_sources(r, shared))
    items = "".join(f"<li>{esc(n)} av {total} har angett {esc(words)}</li>" for _name, words, n in coverage(handbook))
    said = (f"<p>{taken} av {total} poster bygger på dokument som någon annan än organisationen har skrivit, "
            "och de organisationerna har inte själva granskat sina uppgifter. Det står på varje sådan sida, "
            "med källan.</p>")
    return block(f'<div class="vi-coverage">{said}<p>Så mycket står i katalogen just nu:</p>'
                 f'<ul class="vi-coverage-list">{items}</ul></div>')
