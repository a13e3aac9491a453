"""Strict builds of a tiny fixture site and of the real site, with assertions on the HTML."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import make_project, run_build

FIXTURES = Path(__file__).parent / "fixtures"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


# The fixture site


def test_macros_render_counts_from_the_records(fixture_site):
    assert "Det finns 3 län och 2 organisationer." in read(fixture_site, "index.html")


def test_generated_pages_are_built_for_every_taxonomy(fixture_site):
    for taxonomy in ("malgrupper", "organisationstyper", "arbetstraning", "natverk"):
        assert (fixture_site / "bidra" / "listor" / taxonomy / "index.html").is_file()


def test_data_strings_are_escaped_and_never_evaluated(fixture_site):
    page = read(fixture_site, "bidra/listor/malgrupper/index.html")
    assert "&lt;b&gt;fet&lt;/b&gt; {{ 7*7 }} &amp; co" in page
    assert "<b>fet</b>" not in page and ">49<" not in page
    assert 'href="javascript:' not in page and "[länk](javascript:alert(1))" in page  # shown as text, not a link
    assert "<em>inte kursiv</em>" not in page  # plain text fields are not Markdown


def test_only_pages_that_opt_in_render_macros(fixture_site):
    assert "Den här sidan visar {{ som text." in read(fixture_site, "listor/index.html")


def test_open_data_downloads_hold_every_record(fixture_site):
    counties = json.loads(read(fixture_site, "data/lan.json"))
    assert [c["id"] for c in counties] == ["01", "14", "23"]
    assert counties[0]["name"] == {"sv": "Stockholms län", "en": "Stockholm County"}
    rows = list(csv.DictReader(io.StringIO(read(fixture_site, "data/organisationer.csv").lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == ["kyrkans-second-hand", "riksforbundet"]
    assert rows[0]["offers"] == "butik-och-forsaljning; sortering-och-hantering"
    assert rows[1]["description.sv"] == "'=1+1 är ingen formel"  # a spreadsheet never runs it


def _broken_project(tmp_path, page_text: str) -> Path:
    project = make_project(tmp_path / "p", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")
    (project / "docs" / "index.md").write_text(page_text, encoding="utf-8")
    return project


@pytest.mark.parametrize("page_text, said", [
    ("---\nrender_macros: true\n---\n# X\n\n{{ no_such_variable }}\n", "no_such_variable"),
    ("---\nrender_macros: true\n---\n# X\n\n{{ term_list('no-such-list') }}\n", "no-such-list"),
])
def test_an_undefined_variable_or_a_failing_macro_fails_the_build(tmp_path, page_text, said):
    result = run_build(_broken_project(tmp_path, page_text), tmp_path / "site")
    assert result.returncode == 1
    assert said in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


# The real site

PROMISED = ["index.html", "om/index.html", "bidra/index.html", "bidra/listor/index.html", "data/index.html",
            "tillganglighet/index.html", "personuppgifter/index.html", "404.html"]


@pytest.mark.parametrize("path", PROMISED)
def test_the_real_site_has_its_promised_pages(real_site, path):
    page = read(real_site, path)
    assert '<html lang="sv"' in page


def test_no_page_loads_anything_from_another_host(real_site):
    offenders = []
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            if re.search(r'(?:src|href)="(?:https?:)?//', tag) and 'rel="canonical"' not in tag:
                offenders.append(f"{page.relative_to(real_site)}: {tag}")
        if "fonts.googleapis" in html or "fonts.gstatic" in html:
            offenders.append(f"{page.relative_to(real_site)}: web font")
    assert offenders == []


def test_the_navigation_lists_sections_not_records(real_site):
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', read(real_site, "index.html"), re.S).group(0)
    assert "bidra/listor/malgrupper/" not in nav
    assert len(re.findall(r'class="md-nav__link', nav)) < 40


def test_search_is_configured_for_swedish(real_site):
    entry = json.loads(read(real_site, "pagefind/pagefind-entry.json"))  # the site search: handbook/search.py
    assert set(entry["languages"]) == {"sv"}


def test_the_start_page_counts_come_from_the_records(real_site):
    from handbook.content import load_content

    content = load_content(Path(__file__).resolve().parent.parent).handbook
    page = read(real_site, "index.html")
    assert f"{content.count('county')} län med länskod" in page
    assert f"{content.count('criterion')} kriterier i {content.count('area')} områden" in page
    assert f"{content.count('module')} moduler" in page


def test_the_open_data_page_lists_every_dataset(real_site):
    page = read(real_site, "data/index.html")
    for name in ("lan", "taxonomier", "organisationer"):
        assert f'href="{name}.json"' in page and (real_site / "data" / f"{name}.json").is_file()
        assert (real_site / "data" / f"{name}.csv").is_file()
    assert 'href="kvalitetsmodell.json" download' in page  # a combined dataset an area adds is listed too


def test_nothing_is_written_into_docs(real_site):
    docs = Path(__file__).resolve().parent.parent / "docs"
    assert not (docs / "bidra" / "listor" / "malgrupper.md").exists()
    assert (real_site / "bidra" / "listor" / "malgrupper" / "index.html").is_file()


def test_each_area_stylesheet_and_script_load_only_in_its_own_section(real_site):
    import yaml

    sys_path_hooks = Path(__file__).resolve().parent.parent / "hooks"
    import importlib.util

    spec = importlib.util.spec_from_file_location("handbook_site", sys_path_hooks / "handbook_site.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    from mkdocs.utils.yaml import yaml_load  # reads the !ENV tags of mkdocs.yml

    config = yaml_load((Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    areas = {Path(p).stem for p in config["extra_css"] + config.get("extra_javascript", [])} - {"handbook", "search", "print"}  # print: every page prints
    assert areas == set(hook.SECTION_OF_ASSET), "every area asset needs its section in hooks/handbook_site.py"
    for area, section in hook.SECTION_OF_ASSET.items():
        inside = read(real_site, section + "index.html")
        outside = read(real_site, "index.html")
        assert f"assets/{area}.css" in inside and f"assets/{area}.css" not in outside


def test_every_page_of_the_real_site_stays_within_100_kb(real_site):
    """The page budget of issue 7, for the content that ships (`make bench` checks it at 1500 organisations)."""
    sizes = {p.relative_to(real_site).as_posix(): p.stat().st_size for p in real_site.rglob("*.html")}
    assert len(sizes) > 100
    assert {path: size for path, size in sizes.items() if size > 100 * 1024} == {}
