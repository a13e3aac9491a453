"""A county's list in parts: a county with more organisations than one page lists goes on at
/organisationer/lan/<länskod>/<n>/, every organisation on exactly one part, the parts linking each other."""
from __future__ import annotations

import math
import re
import shutil
import sys
from collections import Counter

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, open_page
from conftest import ROOT
from handbook import registry
from handbook.areas import directory
from handbook.content import load_content
from handbook.render import md_text
from profile_site import build_profile_site, make_profile_project

sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402  the bench's generator makes the synthetic organisations

FIXTURES = ROOT / "tests" / "fixtures"
ORGS = 150   # with the skewed spread, county 01 of the fixture's three gets about half of them
SIZE = 20    # organisations per part in these tests (the site's default is directory.COUNTY_PART_SIZE)


def synthetic_content(target, orgs: int = ORGS):
    """The valid fixture content with `orgs` synthetic organisations from the bench's generator."""
    shutil.copytree(FIXTURES / "valid", target)
    bench.add_synthetic_networks(target)
    for record_id, text in bench.synthetic_organisations(orgs, target, spread="skewed"):
        (target / "data" / "organisationer" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    result = load_content(synthetic_content(tmp_path_factory.mktemp("county") / "content"))
    assert not result.problems, [str(p) for p in result.problems][:5]
    return result.handbook


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setitem(registry.SETTINGS, "county_part_size", SIZE)


def pages_of(handbook, lang="sv") -> dict[str, str]:
    return dict(directory.directory_pages(handbook, lang))


def parts_of(pages: dict[str, str], code: str) -> list[str]:
    """The county's pages in order: its own page first, then part 2, 3 ..."""
    out = [pages[f"organisationer/lan/{code}.md"]]
    while f"organisationer/lan/{code}/{len(out) + 1}.md" in pages:
        out.append(pages[f"organisationer/lan/{code}/{len(out) + 1}.md"])
    return out


def listed(markdown: str) -> list[str]:
    return [i for ul in re.findall(r'<ul class="vi-county-list">(.*?)</ul>', markdown, re.S)
            for i in re.findall(r'<li><a href="(?:\.\./)+([a-z0-9-]+)/">', ul)]


def test_a_large_county_is_split_and_lists_every_organisation_on_exactly_one_part(handbook, small_parts):
    pages = pages_of(handbook)
    grouped = directory.by_county(handbook)
    split = 0
    for county in handbook.counties():
        expected = [r.id for r in grouped[county.code]]
        parts = parts_of(pages, county.code)
        assert len(parts) == max(1, math.ceil(len(expected) / SIZE)), county.code
        seen = [rid for part in parts for rid in listed(part)]
        assert Counter(seen) == Counter(expected), county.code  # each exactly once, none missing
        assert all(len(listed(part)) <= SIZE for part in parts)
        split += len(parts) > 1
    assert split, "the spread should make at least one county longer than a part"
    # No part page that belongs to no county, no part left out.
    part_paths = [p for p in pages if re.fullmatch(r"organisationer/lan/[^/]+/\d+\.md", p)]
    assert len(part_paths) == sum(len(parts_of(pages, c.code)) - 1 for c in handbook.counties())


def test_the_parts_link_each_other_with_one_heading_each(handbook, small_parts):
    pages = pages_of(handbook)
    code = max(directory.by_county(handbook).items(), key=lambda item: len(item[1]))[0]
    parts = parts_of(pages, code)
    assert len(parts) >= 3
    titles = set()
    for number, part in enumerate(parts, 1):
        h1 = [line for line in part.splitlines() if line.startswith("# ")]
        assert len(h1) == 1, number
        titles.add(h1[0])
        navs = re.findall(r'<nav class="vi-county-parts" aria-label="([^"]+)">(.*?)</nav>', part, re.S)
        assert [label for label, _ in navs] == ["Listans delar", "Listans delar, i slutet av sidan"]
        for _label, nav in navs:
            links = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?( rel="(?:prev|next)")?>([^<]+)</a>', nav)
            numbered = [(href, int(text), bool(current)) for href, current, _rel, text in links if text.isdigit()]
            assert [n for _, n, _ in numbered] == list(range(1, len(parts) + 1))
            assert [n for _, n, current in numbered if current] == [number]
            # Every link, read from this part's address, lands on the part it names.
            here = directory.county_url(code, number)
            for href, n, _ in numbered:
                assert resolve(here, href) == directory.county_url(code, n)
            rels = {rel.strip()[5:-1]: resolve(here, href) for href, _c, rel, _t in links if rel}
            assert rels.get("prev") == (directory.county_url(code, number - 1) if number > 1 else None)
            assert rels.get("next") == (directory.county_url(code, number + 1) if number < len(parts) else None)
        # The links to the organisations and the directory are right from the part's depth too.
        for rid in listed(part):
            assert f'href="{resolve_back(directory.county_url(code, number))}{rid}/"' in part
    assert len(titles) == len(parts), "each part has its own title"
    # Only the county's own page has the summary and the quality profiles' place.
    assert "har sin verksamhet i" in parts[0] and all("har sin verksamhet i" not in p for p in parts[1:])


def test_a_municipality_that_goes_on_from_the_previous_part_says_so(handbook, small_parts):
    pages = pages_of(handbook)
    records = directory.by_county(handbook)
    code = max(records.items(), key=lambda item: len(item[1]))[0]
    order = [m for part in directory.county_parts(records[code], SIZE) for m, _ in part]
    parts = parts_of(pages, code)
    carried = 0
    for number in range(2, len(parts) + 1):
        before, first = order[(number - 1) * SIZE - 1], order[(number - 1) * SIZE]
        place = first or "I hela länet"
        if before == first:
            carried += 1
            assert f"## {md_text(place + ' (fortsättning)')}\n" in parts[number - 1]
            assert "Fortsätter från del %d." % (number - 1) in parts[number - 1]
        else:
            assert "fortsättning" not in parts[number - 1] and f"## {md_text(place)}\n" in parts[number - 1]
    assert carried, "the largest municipality should go on over a part's end"


def test_a_county_under_the_part_size_has_one_page_as_before(handbook):
    pages = pages_of(handbook)  # the default size: every fixture county fits on one page
    assert max(len(r) for r in directory.by_county(handbook).values()) <= directory.COUNTY_PART_SIZE
    assert not [p for p in pages if re.fullmatch(r"organisationer/lan/[^/]+/\d+\.md", p)]
    for county in handbook.counties():
        page = pages[f"organisationer/lan/{county.code}.md"]
        assert "vi-county-parts" not in page and "fortsättning" not in page


def test_the_parts_in_english(handbook, small_parts):
    pages = pages_of(handbook, "en")
    code = max(directory.by_county(handbook).items(), key=lambda item: len(item[1]))[0]
    parts = parts_of(pages, code)
    assert len(parts) > 1
    assert 'aria-label="Parts of the list"' in parts[1] and ">Next</a>" in parts[0] and ">Previous</a>" in parts[1]
    assert re.search(r"^# Organisations in .+, part 2 of %d$" % len(parts), parts[1], re.M)


def resolve(here: str, href: str) -> str:
    """The site path a relative link on the page at `here` points to."""
    parts = here.rstrip("/").split("/")
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/"


def resolve_back(here: str) -> str:
    """The relative link from `here` to the directory (/organisationer/)."""
    return "../" * (here.rstrip("/").count("/"))


# The built site: the parts are real pages, with one h1, that the browser finds accessible.


@pytest.fixture(scope="module")
def county_site(tmp_path_factory):
    """The profile fixture site (both languages, the project's styles) with the synthetic organisations
    and SIZE organisations a part: (the built site's folder, the handbook it was built from)."""
    project = make_profile_project(tmp_path_factory.mktemp("county-site") / "project")
    bench.add_synthetic_networks(project)
    for record_id, text in bench.synthetic_organisations(ORGS, project, spread="skewed"):
        (project / "data" / "organisationer" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nextra:\n" in config
    (project / "mkdocs.yml").write_text(config.replace("\nextra:\n", f"\nextra:\n  county_part_size: {SIZE}\n", 1),
                                        encoding="utf-8")
    return build_profile_site(project), load_content(project).handbook


def test_the_built_parts_are_pages_with_one_heading_and_working_links(county_site):
    site, handbook = county_site
    grouped = directory.by_county(handbook)
    code = max(grouped.items(), key=lambda item: len(item[1]))[0]
    count = math.ceil(len(grouped[code]) / SIZE)
    assert count > 1
    assert not (site / "organisationer" / "lan" / code / str(count + 1)).exists()
    seen = []
    for number in range(1, count + 1):
        path = site / directory.county_url(code, number) / "index.html"
        assert (site / "en" / directory.county_url(code, number) / "index.html").exists()
        page = path.read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[ >]", page)) == 1, path
        assert path.stat().st_size < 100 * 1024
        article = page[page.index("<article"):page.index("</article>")]
        seen += listed(article)
        for href in re.findall(r'<nav class="vi-county-parts"[^>]*>.*?</nav>', article, re.S)[0:1]:
            for link in re.findall(r'href="([^"#?]+)"', href):
                assert (site / resolve(directory.county_url(code, number), link) / "index.html").exists(), link
    assert sorted(seen) == sorted(r.id for r in grouped[code])
    for rid in seen:
        assert (site / "organisationer" / rid / "index.html").exists()


@pytest.mark.browser
@pytest.mark.parametrize("viewport, edition", [(DESKTOP, ""), (PHONE, "en/")], ids=["desktop-sv", "phone-en"])
def test_a_part_has_no_wcag_violations(county_site, serve, browser, viewport, edition):
    site, handbook = county_site
    code = max(directory.by_county(handbook).items(), key=lambda item: len(item[1]))[0]
    base = serve(site)
    with open_page(browser, f"{base}/{edition}{directory.county_url(code, 2)}", viewport) as page:
        assert page.locator("h1").count() == 1
        assert page.locator("nav.vi-county-parts [aria-current='page']").first.inner_text() == "2"
        assert axe_violations(page) == []
        assert offsite_requests(page, base) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        page.locator("nav.vi-county-parts a[rel='next']").first.click()
        page.wait_for_load_state()
        assert page.url.endswith(directory.county_url(code, 3))
