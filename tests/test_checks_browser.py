"""What the outside checkers measure, tested in the browser: the directory keeps still while its script
fills it with many organisations (CLS below 0.1 on a phone and a desktop, also when the script and its data
come late), and the self-assessment has a table of contents of its areas and still weighs under 100 KB."""
from __future__ import annotations

import importlib.util
import re
import time

import pytest

from browser_helpers import PHONE, axe_all_violations, csp_violations, layout_shift, open_page, open_watched_page
from conftest import ROOT, run_build
from handbook.areas import quality
from handbook.content import load_content

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
ORGANISATIONS = 300  # synthetic, as `make bench` makes them: the county overview under the list grows with them
SA = "/kvalitetsmodell/sjalvskattning/"
PAGE_BUDGET = 100 * 1024


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def many(tmp_path_factory, serve) -> str:
    """The real handbook with a few hundred fictional organisations (the benchmark's), built and served."""
    work = tmp_path_factory.mktemp("many")
    project = _bench().copy_project(work / "project", ORGANISATIONS)
    result = run_build(project, work / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return serve(work / "site")


def _slow(route):
    time.sleep(0.8)  # a slow phone: the directory's script and its data arrive after the page is drawn
    route.continue_()


@VIEWPORTS
@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow"])
@pytest.mark.parametrize("lang", ["", "/en"])
def test_the_directory_keeps_still_while_its_script_fills_it_with_many_organisations(browser, many, viewport, slow, lang):
    route = (re.compile(r".*/(assets/directory\.js|organisationer/katalog\.json)$"), _slow) if slow else None
    with open_watched_page(browser, many + lang + "/organisationer/", viewport, settle_ms=1500 if slow else 600,
                           route=route) as page:
        # the script has run: the list holds the first page of results, the count names them all
        assert page.locator(".vi-dir-results li").count() == 25
        counted = re.search(r"\d[\d\s]*", page.locator(".vi-dir-count").inner_text()).group(0)
        assert int(re.sub(r"\D", "", counted)) > ORGANISATIONS
        assert layout_shift(page) < 0.1
        assert csp_violations(page) == []


@VIEWPORTS
def test_the_directory_with_many_organisations_passes_every_axe_rule(browser, many, viewport):
    with open_watched_page(browser, many + "/organisationer/", viewport) as page:
        assert axe_all_violations(page, disabled=("aria-dialog-name",)) == []


# ---------------------------------------------------------------- the self-assessment's map

@pytest.fixture(scope="module")
def handbook():
    return load_content(ROOT).handbook


def _toc(page, where: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f"{where} a.md-nav__link", "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_self_assessment_has_a_table_of_contents_of_its_areas(browser, base, handbook, lang):
    areas = quality.areas(handbook)
    titles = [f"{a.get('order')}. {a.text('title', lang)}" for a in areas]
    with open_page(browser, base + ("/en" if lang == "en" else "") + SA) as page:
        assert page.locator("nav.md-nav--secondary").is_visible()
        toc = _toc(page, "nav.md-nav--secondary")
        shown = [name for _href, name in toc]
        assert [name for name in shown if name in titles] == titles  # every area, in the model's order
        for href, name in toc:  # every entry leads to one visible heading of the page, with that text
            assert href.startswith("#"), href
            target = page.locator(f"[id='{href[1:]}']")
            assert target.count() == 1, href
            assert target.is_visible(), href
            assert target.inner_text().strip() == name
        # what a closed <details> holds is not in the map (the link would lead to nothing you can see)
        assert not [name for _href, name in toc if page.locator(f"details [id='{_href[1:]}']").count()]
        ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
        assert len(ids) == len(set(ids)), "ids repeat on the page"
        page.click(f"nav.md-nav--secondary a[href='{toc[-1][0]}']")
        page.wait_for_timeout(400)
        assert page.locator(f"[id='{toc[-1][0][1:]}']").evaluate("h => h.getBoundingClientRect().top < innerHeight")


def test_the_self_assessment_map_is_in_the_phone_menu_too(browser, base, handbook):
    with open_page(browser, base + SA, PHONE) as page:
        assert not page.locator("nav.md-nav--secondary").is_visible()  # the sidebar is not there on a phone
        page.click("label.md-header__button[for='__drawer']")
        page.wait_for_timeout(400)
        page.click("nav.md-nav--primary label.md-nav__link[for='__toc']")
        page.wait_for_timeout(400)
        links = page.locator("nav.md-nav--primary .md-nav--secondary a.md-nav__link")
        first = quality.areas(handbook)[0]
        assert links.filter(has_text=f"1. {first.text('title', 'sv')}").is_visible()
        assert axe_all_violations(page, disabled=("aria-dialog-name",)) == []


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_self_assessment_with_its_map_stays_under_the_page_budget(real_site, lang):
    page = real_site / f"{lang}kvalitetsmodell/sjalvskattning/index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count('class="md-nav__link"') > 0 and 'href="#skatta-omrade-' in html
    assert len(html.encode("utf-8")) < PAGE_BUDGET
