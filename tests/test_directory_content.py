"""The partner directory's content: invariants over the real organisations, its rules with their
exact messages, its named queries, and the benchmark's synthetic organisations."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from fixture_cases import SCHEMAS, VALID
from handbook import content, links, registry
from handbook.areas import directory
from handbook.content import load_content

REAL = load_content(ROOT)
HANDBOOK = REAL.handbook
ORGANISATIONS = HANDBOOK.all("organisation")


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the valid fixture tree with some organisation files added."""
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    shutil.copytree(SCHEMAS, root / "schemas")
    for name, text in files.items():
        (root / "data" / "organisationer" / name).write_text(text, encoding="utf-8")
    return root


def messages(root: Path) -> list[str]:
    return [str(p) for p in sorted(load_content(root).problems, key=lambda p: (p.path, p.line, p.column))]


# The real content


def test_real_content_has_no_problems():
    assert [str(p) for p in REAL.errors] == []


def test_the_development_group_ships_as_fourteen_real_organisations():
    members = [r for r in ORGANISATIONS
               if any(m.get("group") == "utvecklingsgruppen-second-hand" for m in r.get("memberships", ()))]
    assert len(members) == 14
    assert all(not r.id.startswith("syntetisk") for r in ORGANISATIONS)


@pytest.mark.parametrize("record", ORGANISATIONS, ids=[r.id for r in ORGANISATIONS])
def test_every_organisation_is_placed_sourced_and_dated(record):
    assert record.get("sources"), "facts about an organisation carry their source"
    assert record.get("review_by")
    if record.get("scope") in ("regional", "lokal"):
        assert HANDBOOK.county(record.get("county")) is not None
    if record.get("scope") == "nationell":
        assert not record.get("county") and not record.get("municipality")
    assert record.id not in directory.RESERVED_IDS


@pytest.mark.parametrize("record", ORGANISATIONS, ids=[r.id for r in ORGANISATIONS])
def test_named_contacts_have_recorded_consent_and_role_addresses_are_not_personal(record):
    for contact in record.get("contacts", ()):
        assert contact.get("consent"), contact.get("name")
    # The organisation's own address is a role address, never a person's (those need consent).
    if record.get("email"):
        assert record.get("email").split("@")[0] in {"info", "kontakt", "post", "registrator", "kansli", "hej"}


def test_counts_per_county_add_up_to_every_organisation():
    grouped = directory.by_county(HANDBOOK)
    assert sorted(grouped) == [c.code for c in HANDBOOK.counties()] and len(grouped) == 21
    placed = sum(len(records) for records in grouped.values())
    assert placed + len(directory.national(HANDBOOK)) == HANDBOOK.count("organisation")
    for code, records in grouped.items():
        assert records == directory.in_county(HANDBOOK, code)


def test_swedish_alphabetical_order_puts_a_ring_a_umlaut_and_o_umlaut_after_z():
    names = ["Örebro", "Ale", "Åre", "Zeta", "Älvdalen", "avesta"]
    assert sorted(names, key=directory.sort_key) == ["Ale", "avesta", "Zeta", "Åre", "Älvdalen", "Örebro"]
    shown = [r.get("name") for r in directory.organisations(HANDBOOK)]
    assert shown == sorted(shown, key=directory.sort_key)


def test_catalogue_holds_exactly_the_fields_the_filters_need_for_every_organisation():
    data = directory.catalogue(HANDBOOK)
    assert data["columns"] == ["id", "name", "type", "scope", "county", "municipality", "offers", "target_groups",
                               "profile"]
    assert data["profile_areas"] == [a.id for a in HANDBOOK.all("area")]
    assert [row[0] for row in data["rows"]] == [r.id for r in directory.organisations(HANDBOOK)]
    by_id = {r.id: r for r in ORGANISATIONS}
    for row in data["rows"]:
        record = by_id[row[0]]
        assert row[1:6] == [record.get("name"), record.get("type"), record.get("scope"),
                            record.get("county") or "", record.get("municipality") or ""]
        assert row[6] == list(record.get("offers", ())) and row[7] == list(record.get("target_groups", ()))
        assert row[8] is None  # the real content has no quality profiles
    # Nothing about contact persons goes into the file every visitor of the directory downloads.
    assert "contacts" not in json.dumps(data) and "@" not in json.dumps(data)


# Rules, with their exact messages


def test_a_named_contact_without_consent_is_refused_with_a_clear_message(tmp_path):
    root = tree(tmp_path, {"butiken.yml": (
        'name: "Butiken"\ntype: ideell-organisation\nscope: lokal\ncounty: "23"\nmunicipality: Östersund\n'
        'contacts:\n  - name: "Anna Exempel"\n    email: "anna@kupan.test"\nreview_by: 2027-11-30\n')})
    assert messages(root) == [
        "data/organisationer/butiken.yml:7:5: contacts[0].consent: Anna Exempel är en namngiven person och "
        "får bara visas med ett registrerat samtycke; lägg till `consent:` med datumet då personen sa ja "
        "(ÅÅÅÅ-MM-DD), eller ta bort kontakten",
    ]


def test_consent_must_be_a_real_date(tmp_path):
    root = tree(tmp_path, {"butiken.yml": (
        'name: "Butiken"\ntype: ideell-organisation\nscope: nationell\n'
        'contacts:\n  - name: "Anna Exempel"\n    consent: "ja"\nreview_by: 2027-11-30\n')})
    assert messages(root) == [
        "data/organisationer/butiken.yml:6:14: contacts[0].consent: ska vara ett datum skrivet ÅÅÅÅ-MM-DD, "
        'som 2027-06-30, men här står "ja"',
    ]


def test_a_contact_with_consent_is_accepted_and_published(tmp_path):
    root = tree(tmp_path, {"butiken.yml": (
        'name: "Butiken"\ntype: ideell-organisation\nscope: nationell\n'
        'contacts:\n  - name: "Anna Exempel"\n    consent: 2026-10-01\nsources:\n'
        '  - {title: "Egen uppgift", url: "https://kupan.test/"}\nreview_by: 2027-11-30\n')})
    result = load_content(root)
    assert result.ok
    body = directory.organisation_page(result.handbook.get("organisation", "butiken"), _context(result.handbook))
    assert "<strong>Anna Exempel</strong>" in body and "samtycke" in body


@pytest.mark.parametrize("name, what", [("lan", "sidorna för länen (/organisationer/lan/)"),
                                        ("index", "själva katalogsidan (/organisationer/)")])
def test_ids_of_directory_pages_are_reserved(tmp_path, name, what):
    root = tree(tmp_path, {f"{name}.yml": 'name: "Lanet Ek"\ntype: ideell-organisation\nscope: nationell\nreview_by: 2027-11-30\n'})
    assert messages(root) == [f"data/organisationer/{name}.yml:1:1: (filen): id:t `{name}` används redan av {what}; "
                              f"byt namn på filen, till exempel till `{name}-lanet-ek.yml`"]


# The edit link


def _context(handbook, repo=None) -> dict:
    return {"counties": {c.code: c for c in handbook.counties()}, "types": {}, "offers": {}, "groups": {},
            "networks": {}, "repo": repo or links.Repo(), "site_url": "", "national": 0}


def test_edit_link_without_a_known_repository_shows_the_file_and_the_contributor_guide():
    record = HANDBOOK.get("organisation", "myrorna")
    link = directory.edit_link(record, links.Repo())
    assert "<code>data/organisationer/myrorna.yml</code>" in link
    assert 'href="../../bidra/"' in link and "github" not in link and "issues/new" not in link


def test_edit_link_opens_the_file_and_the_organisation_form_of_the_configured_repository():
    record = HANDBOOK.get("organisation", "myrorna")
    link = directory.edit_link(record, links.Repo("https://git.example.org/vagar-in", "main"), "https://example.org/h/")
    assert 'href="https://git.example.org/vagar-in/edit/main/data/organisationer/myrorna.yml"' in link
    assert ('href="https://git.example.org/vagar-in/issues/new?template=organisation.yml&amp;befintlig=myrorna&amp;'
            'sida=https%3A%2F%2Fexample.org%2Fh%2Forganisationer%2Fmyrorna%2F&amp;title=') in link
    assert "Arbetar du på Myrorna?" in link


def test_data_strings_are_escaped_on_organisation_pages():
    fixture = load_content(VALID).handbook
    record = fixture.get("organisation", "kyrkans-second-hand")
    body = directory.organisation_page(record, _context(fixture))
    assert "<script>" not in body
    assert "{{ 7*7 }}" in body  # data is never a template
    group = directory.organisation_pages(fixture)[0]
    head = group.head(record.get("name"), record.id)
    assert head.splitlines()[1] == 'title: "Kyrkans Second Hand &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"'  # escaped JSON: YAML reads it as text
    assert head.splitlines()[-1] == r"# Kyrkans Second Hand &lt;script&gt;alert\(1\)&lt;/script&gt; &amp; Co { #kyrkans-second-hand }"
    assert "description:" not in head  # Material writes meta descriptions into an attribute unescaped
    shell = f"<title>{registry.STAMP_TITLE} - X</title><a href=\"#{registry.STAMP_SLUG}\">{registry.BODY_MARKER}</a>"
    page = dict(group.stamp(shell))["organisationer/kyrkans-second-hand/index.html"]
    body = next(b for slug, _title, b in group.pages if slug == record.id)
    assert page == ("<title>Kyrkans Second Hand &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co - X</title>"
                    f'<a href="#kyrkans-second-hand">{body}</a>')


# Bodies that skip Markdown, and stamped pages


def test_a_body_that_skips_markdown_is_put_back_after_it():
    path, markdown = registry.page_with_body("x/y.md", "# Titel\n", "<p>Kropp</p>")
    assert markdown == "# Titel\n\n<!-- handbook:body -->\n"
    assert registry.fill_body("x/y.md", "<h1>Titel</h1>\n<!-- handbook:body -->") == "<h1>Titel</h1>\n<p>Kropp</p>"
    assert registry.fill_body("other.md", "<!-- handbook:body -->") == "<!-- handbook:body -->"
    assert "<p>Kropp</p>" in registry.inline_bodies([(path, markdown)])[0][1]


def test_stamped_pages_take_their_own_title_address_and_body_and_nothing_else():
    group = registry.Stamped("x", [("a", "Ett & två", f"<p>{registry.STAMP_TITLE} {registry.BODY_MARKER}</p>"),
                                   ("b", registry.STAMP_SLUG, "<p>B</p>")])
    path, shell_markdown = group.shell()
    assert path == f"x/{registry.STAMP_SLUG}.md"
    assert f"# {registry.STAMP_TITLE} {{ #{registry.STAMP_SLUG} }}" in shell_markdown and registry.BODY_MARKER in shell_markdown
    shell = (f"<title>{registry.STAMP_TITLE}</title><link href=\"../{registry.STAMP_SLUG}/\">"
             f"<h1 id=\"{registry.STAMP_SLUG}\">{registry.STAMP_TITLE}</h1>{registry.BODY_MARKER}<footer>")
    pages = dict(group.stamp(shell))
    assert list(pages) == ["x/a/index.html", "x/b/index.html"]
    # Values go in once: a body or title that happens to hold a placeholder is left as it is.
    assert pages["x/a/index.html"] == (f'<title>Ett &amp; två</title><link href="../a/"><h1 id="a">Ett &amp; två</h1>'
                                       f"<p>{registry.STAMP_TITLE} {registry.BODY_MARKER}</p><footer>")
    assert pages["x/b/index.html"].startswith(f"<title>{registry.STAMP_SLUG}</title>")


def test_a_shell_that_lost_its_placeholders_stops_the_build():
    group = registry.Stamped("x", [("a", "A", "<p>A</p>")])
    with pytest.raises(ValueError, match="lost its placeholders"):
        list(group.stamp("<html>no placeholders</html>"))


def test_expanded_stamped_pages_are_ordinary_generated_pages():
    group = registry.Stamped("x", [("a", "A", "<p>A</p>")])
    [(path, markdown)] = group.expand()
    assert path == "x/a.md"
    assert markdown == group.head("A", "a") + "\n" + registry.BODY_MARKER + "\n"
    assert registry.BODIES["x/a.md"] == "<p>A</p>"
    assert "exclude" not in markdown and '"toc"' in markdown  # in the search index (handbook/search.py)
    group.heading_ids = False  # Markdown without attr_list: the theme gives the heading its id, and nothing is stamped
    assert group.head("A", "a").endswith("# A\n")


# Reading a large tree in two processes gives what reading it in one gives


def test_parallel_reading_gives_the_same_records_and_problems(tmp_path, monkeypatch):
    files = {f"org-{n:03d}.yml": f'name: "Org {n}"\ntype: ideell-organisation\nscope: nationell\nreview_by: 2027-11-30\n'
             for n in range(30)}
    files["org-bad.yml"] = 'name: "Bad"\ntype: okand-typ\nscope: lokal\nreview_by: 2027-13-01\n'
    for n in (3, 4, 17):  # references that do not resolve, found after reading: records on both sides of the split
        files[f"org-{n:03d}.yml"] = f'name: "Org {n}"\ntype: typ-{n}\nscope: nationell\nreview_by: 2027-11-30\n'
    files["org-syntax.yml"] = 'name: "Bad\ntype: x\n'
    root = tree(tmp_path, files)
    monkeypatch.setattr(content, "PARALLEL_FROM", 10**9)
    serial = load_content(root)
    monkeypatch.setattr(content, "PARALLEL_FROM", 5)
    parallel = load_content(root)
    assert [str(p) for p in parallel.problems] == [str(p) for p in serial.problems]
    assert len(serial.problems) >= 6 and sum("typ-" in str(p) for p in serial.problems) == 3
    assert parallel.handbook.all("organisation") == serial.handbook.all("organisation")


# The benchmark's synthetic organisations (the benchmark itself is `make bench`, never a test)


def test_synthetic_organisations_of_the_benchmark_are_valid_records(tmp_path):
    bench = _bench()
    root = tmp_path / "project"
    for name in ("data", "methods", "schemas"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    bench.add_synthetic_networks(root)
    generated = bench.synthetic_organisations(120, root)
    assert len({record_id for record_id, _ in generated}) == 120
    for record_id, text in generated:
        (root / "data" / "organisationer" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    result = load_content(root)
    assert [str(p) for p in result.errors] == []
    assert result.handbook.count("organisation") == len(ORGANISATIONS) + 120
    scopes = {r.get("scope") for r in result.handbook.all("organisation") if r.id.startswith(bench.SYNTHETIC_PREFIX)}
    assert scopes == {"lokal", "regional", "nationell"}
    # The development group stays the 14 real organisations: synthetic ones join synthetic networks.
    synthetic = [r for r in result.handbook.all("organisation") if r.id.startswith(bench.SYNTHETIC_PREFIX)]
    joined = {m.get("group") for r in synthetic for m in r.get("memberships", ())}
    assert joined and joined <= {term_id for term_id, _ in bench.SYNTHETIC_NETWORKS}
    assert not any(p.name.startswith(bench.SYNTHETIC_PREFIX) for p in (ROOT / "data" / "organisationer").iterdir())


def test_pinned_content_is_reused_within_a_build_and_reread_after_it(tmp_path):
    root = tree(tmp_path, {})
    first = content.pin(root)
    (root / "data" / "organisationer" / "ny.yml").write_text(
        'name: "Ny"\ntype: ideell-organisation\nscope: nationell\nreview_by: 2027-11-30\n', encoding="utf-8")
    try:
        assert content.load_cached(root) is first
    finally:
        content.unpin(root)
    assert content.load_cached(root).handbook.get("organisation", "ny") is not None


def test_the_contributor_template_is_a_valid_organisation_when_copied(tmp_path):
    root = tmp_path / "project"
    for name in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    from filling import filled_text

    template = (root / "data" / "organisationer" / "_template.yml").read_text(encoding="utf-8")
    (root / "data" / "organisationer" / "kupan-ostersund.yml").write_text(filled_text(template), encoding="utf-8")
    assert [str(p) for p in load_content(root).errors] == []
    assert load_content(root).handbook.get("organisation", "kupan-ostersund").get("county") == "23"


def test_the_repository_from_the_site_settings_reaches_every_organisation_page(monkeypatch):
    monkeypatch.setattr(registry, "SETTINGS", {"repo_url": "https://git.example.org/vagar-in", "repo_branch": "main"})
    [group] = directory.organisation_pages(HANDBOOK)
    bodies = {slug: body for slug, _title, body in group.pages}
    assert len(bodies) == HANDBOOK.count("organisation")
    assert len(directory.directory_pages(HANDBOOK)) == 21 + 1  # the county pages and their index
    for record in ORGANISATIONS:
        assert bodies[record.id].count(f'href="https://git.example.org/vagar-in/edit/main/data/organisationer/{record.id}.yml"') == 1
    monkeypatch.setattr(registry, "SETTINGS", {})
    [group] = directory.organisation_pages(HANDBOOK)
    assert "git.example.org" not in dict((slug, body) for slug, _t, body in group.pages)["myrorna"]