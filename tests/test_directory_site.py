"""The partner directory in the real site: the promised URLs, derived listings, light pages, escaping."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil

import pytest

from conftest import ROOT, make_project, run_build
from handbook import registry
from handbook.areas import directory
from handbook.content import load_content
from search_helpers import indexed_pages

HANDBOOK = load_content(ROOT).handbook
ORGANISATIONS = directory.organisations(HANDBOOK)
COUNTIES = HANDBOOK.counties()


def html(site, path: str) -> str:
    return (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


@pytest.mark.parametrize("record", ORGANISATIONS, ids=[r.id for r in ORGANISATIONS])
def test_every_organisation_has_its_page_with_an_edit_path(real_site, record):
    page = article(html(real_site, f"/organisationer/{record.id}/"))
    assert re.search(r"<h1[^>]*>" + re.escape(record.get("name").replace("&", "&amp;")), page)
    # No repository URL is configured: the page names the file and sends the reader to /bidra/.
    assert f"<code>{record.path}</code>" in page and 'href="../../bidra/"' in page
    assert "handbook:body" not in page, "the body marker is replaced"
    assert 'href="../"' in page  # back to the directory


def test_an_organisation_page_shows_its_place_with_a_link_to_its_county(real_site):
    page = article(html(real_site, "/organisationer/goteborgs-raddningsmission/"))
    assert 'Göteborg, <a href="../lan/14/">Västra Götalands län</a>' in page
    assert "<h2>Nätverk och samarbeten</h2>" in page and "Utvecklingsgruppen för second hand" in page


@pytest.mark.parametrize("county", COUNTIES, ids=[c.code for c in COUNTIES])
def test_every_county_has_a_page_listing_exactly_its_organisations(real_site, county):
    page = article(html(real_site, f"/organisationer/lan/{county.code}/"))
    assert f"Organisationer i {county.label()}" in page
    listed = re.findall(r'<a href="\.\./\.\./([a-z0-9-]+)/">', page)
    expected = [r.id for r in directory.in_county(HANDBOOK, county.code)]
    assert sorted(listed) == sorted(expected)
    if not expected:
        assert "Det finns ännu inga organisationer från" in page


def test_the_county_index_links_every_county_with_its_count(real_site):
    page = article(html(real_site, "/organisationer/lan/"))
    for county in COUNTIES:
        count = len(directory.in_county(HANDBOOK, county.code))
        assert f'<a href="{county.code}/">{county.label()}</a></td><td>{county.code}</td><td>{count}</td>' in page


def test_directory_page_links_the_counties_without_javascript_and_lists_no_search_results(real_site):
    page = article(html(real_site, "/organisationer/"))
    for county in COUNTIES:
        assert f'<a href="lan/{county.code}/">{county.label()}</a>' in page
    # The results are rendered by the script from katalog.json, never into the HTML.
    assert '<ol class="vi-dir-results"></ol>' in page
    assert 'data-src="katalog.json"' in page and 'class="vi-dir-app" hidden' in page
    # Every organisation of the whole country is in the national list, and only those.
    national = re.search(r'<ul class="vi-national">(.*?)</ul>', page).group(1)
    assert re.findall(r'href="([a-z0-9-]+)/"', national) == [r.id for r in directory.national(HANDBOOK)]


def test_chart_and_table_show_the_same_counts(real_site):
    page = article(html(real_site, "/organisationer/"))
    bars = re.findall(r'<span class="vi-bar__label">([^<]+)</span>.*?<span class="vi-bar__value">(\d+)</span>', page)
    rows = re.findall(r'<a href="lan/(\d\d)/">([^<]+)</a></td><td>\d\d</td><td>(\d+)</td>', page)
    assert [(name, int(n)) for name, n in bars[:21]] == [(name, int(n)) for _, name, n in rows]
    assert bars[21] == ("Hela landet (nationella)", str(len(directory.national(HANDBOOK))))
    assert 'role="img" aria-label="Stapeldiagram' in page
    assert sum(int(n) for _, n in bars) == HANDBOOK.count("organisation")


def test_filters_offer_every_term_and_every_county_derived_from_the_data(real_site):
    page = article(html(real_site, "/organisationer/"))
    for name, taxonomy in (("typ", "organisationstyper"), ("arbetstraning", "arbetstraning"), ("malgrupp", "malgrupper")):
        select = re.search(rf'<select class="vi-input" id="vi-dir-{name}" name="{name}">(.*?)</select>', page).group(1)
        assert re.findall(r'<option value="([^"]+)">', select) == [t.id for t in HANDBOOK.terms(taxonomy)]
        assert re.search(rf'<label for="vi-dir-{name}">', page)
    select = re.search(r'<select class="vi-input" id="vi-dir-lan" name="lan">(.*?)</select>', page).group(1)
    assert re.findall(r'<option value="(\d\d)">', select) == [c.code for c in COUNTIES]
    select = re.search(r'<select class="vi-input" id="vi-dir-kommun" name="kommun">(.*?)</select>', page).group(1)
    assert re.findall(r'<option value="([^"]+)" data-lan', select) == [m for m, _ in directory.municipalities(HANDBOOK)]


def test_catalogue_file_is_compact_and_matches_the_records(real_site):
    data = json.loads((real_site / "organisationer" / "katalog.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(directory.catalogue(HANDBOOK)))
    assert len(data["rows"]) == HANDBOOK.count("organisation")


def test_open_data_of_the_directory_has_every_organisation_and_its_columns(real_site):
    records = json.loads((real_site / "data" / "organisationer.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [r.id for r in HANDBOOK.all("organisation")]
    text = (real_site / "data" / "organisationer.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == HANDBOOK.count("organisation")
    for column in ("id", "name", "type", "scope", "county", "municipality", "website", "offers", "target_groups",
                   "memberships", "review_by"):
        assert column in rows[0], column
    assert {r["county"] for r in rows} >= {"14", "05", ""}  # county codes stay text: "05", not 5


def test_organisation_pages_stay_out_of_the_navigation_but_are_in_the_search_index(real_site):
    start = html(real_site, "/")
    nav = start[start.index('<nav class="md-nav md-nav--primary"'):start.index('<div class="md-content"')]
    assert re.findall(r'href="(organisationer/[^"]*)"', nav) == ["organisationer/"], "only the directory is in the navigation"
    # The site search (Pagefind, handbook/search.py) reads the built pages, the stamped ones included.
    index = indexed_pages(real_site)
    assert "/organisationer/" in index and "/organisationer/lan/14/" in index
    assert {f"/organisationer/{r.id}/" for r in ORGANISATIONS} <= set(index)
    assert "Göteborgs Räddningsmission" in index["/organisationer/goteborgs-raddningsmission/"]["content"]


def test_directory_script_and_styles_are_same_origin_files(real_site):
    page = html(real_site, "/organisationer/")
    assert re.search(r'<script src="\.\./assets/directory\.js"', page)
    assert re.search(r'<link rel="stylesheet" href="\.\./assets/directory\.css"', page)
    script = (real_site / "assets" / "directory.js").read_text(encoding="utf-8")
    assert ".innerHTML" not in script and "insertAdjacentHTML" not in script and "http" not in script
    assert "window.viReadJson(root.dataset.src" in script  # katalog.json, relative to the page: same origin
    shared = (real_site / "assets" / "handbook.js").read_text(encoding="utf-8")  # every page's script
    assert 'fetch(src, { credentials: "same-origin" })' in shared and "http" not in shared


def test_every_directory_page_stays_light(real_site):
    pages = [real_site / "organisationer" / "index.html", *(real_site / "organisationer").glob("*/index.html"),
             *(real_site / "organisationer" / "lan").glob("*/index.html")]
    assert len(pages) >= HANDBOOK.count("organisation") + 21
    assert max(p.stat().st_size for p in pages) < 100 * 1024


# Stamped pages: the organisation pages are the theme's rendering of one shell page with each
# organisation's title, address and body put in (registry.Stamped). Built one by one instead, as
# ordinary pages, the whole site must come out the same, byte for byte.


def _site_files(site) -> dict[str, bytes]:
    """Every file of a built site, but the search index's (its file names and order vary from build to
    build): the pages it holds are compared instead, under "pagefind/ pages"."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
             if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}
    files["pagefind/ pages"] = json.dumps(indexed_pages(site), sort_keys=True).encode("utf-8")
    return files


def _unstamped(project, config_text: str):
    (project / "mkdocs.yml").write_text(config_text.replace("\nextra:\n", "\nextra:\n  stamp_pages: false\n", 1)
                                        if "\nextra:\n" in config_text else config_text + "extra:\n  stamp_pages: false\n",
                                        encoding="utf-8")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_stamped_organisation_pages_are_the_pages_the_theme_renders_one_by_one(real_site, tmp_path):
    project = tmp_path / "project"
    for name in ("data", "methods", "docs", "schemas", "hooks", "handbook", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "macros.py", project / "macros.py")
    # Both from the copy: the copy is no git checkout, so neither shows git dates (tests/test_history.py
    # compares the two ways with dates).
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = run_build(project, project / "stamped")
    assert result.returncode == 0, result.stdout + result.stderr
    stamped = _site_files(project / "stamped")
    one_by_one = _site_files(_unstamped(project, (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert sorted(stamped) == sorted(one_by_one)
    assert not any(registry.STAMP_SLUG in path for path in stamped), "the shell page is not published"
    different = [path for path in stamped if stamped[path] != one_by_one[path]]
    assert different == []
    folders = {p.split("/")[1] for p in stamped if re.fullmatch(r"organisationer/[^/]+/index\.html", p)}
    assert folders == {r.id for r in ORGANISATIONS} | {"lan"}


def test_stamping_keeps_hostile_titles_inert_and_lists_every_page_in_the_sitemap(tmp_path):
    fixtures = ROOT / "tests" / "fixtures"
    config = (fixtures / "site" / "mkdocs.yml").read_text(encoding="utf-8") + "site_url: https://example.org/handbok/\n"
    sites = {}
    for name in ("stamped", "one-by-one"):
        project = make_project(tmp_path / name, fixtures / "valid", fixtures / "site" / "docs", fixtures / "site" / "mkdocs.yml")
        if name == "stamped":
            (project / "mkdocs.yml").write_text(config, encoding="utf-8")
            result = run_build(project, project / "site")
            assert result.returncode == 0, result.stdout + result.stderr
            sites[name] = _site_files(project / "site")
        else:
            sites[name] = _site_files(_unstamped(project, config))
    stamped, one_by_one = sites["stamped"], sites["one-by-one"]
    assert sorted(stamped) == sorted(one_by_one)
    assert [path for path in stamped if stamped[path] != one_by_one[path]] == []
    page = stamped["organisationer/kyrkans-second-hand/index.html"].decode("utf-8")
    assert "<script>alert" not in page
    assert "<title>Kyrkans Second Hand &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co - Fixture</title>" in page
    assert '<link rel="canonical" href="https://example.org/handbok/organisationer/kyrkans-second-hand/">' in page
    sitemap = stamped["sitemap.xml"].decode("utf-8")
    assert registry.STAMP_SLUG not in sitemap
    for slug in ("kyrkans-second-hand", "riksforbundet"):
        assert sitemap.count(f"<loc>https://example.org/handbok/organisationer/{slug}/</loc>") == 1
    assert gzip.decompress(stamped["sitemap.xml.gz"]).decode("utf-8") == sitemap


def test_the_bench_counts_everything_the_directory_page_downloads_first(real_site):
    """`make bench`'s first_load_kb: the page, each of its own scripts and style sheets once, and the data
    its script fetches, with gzip; nothing from another origin."""
    import gzip
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    page = html(real_site, "/organisationer/")
    scripts = set(re.findall(r'<script src="([^"]+)"', page))
    styles = set(re.findall(r'<link rel="stylesheet" href="([^"]+)"', page))
    assert scripts and styles and not any("://" in ref for ref in scripts | styles)
    kb, files = bench.first_load_kb(real_site)
    assert files == 1 + len(scripts) + len(styles) + 1  # the page, its scripts and styles, katalog.json
    data = gzip.compress((real_site / "organisationer" / "katalog.json").read_bytes(), 6)
    assert len(data) / 1024 < kb < (len(page.encode("utf-8")) + sum(
        (real_site / "organisationer" / ref).resolve().stat().st_size for ref in scripts | styles)) / 1024 + len(data) / 1024
