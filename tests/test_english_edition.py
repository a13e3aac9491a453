"""The English edition: every Swedish page has its English counterpart at the same path under /en/,
the language switcher and the hreflang links lead to the same page in the other language, and each
edition searches in its own language."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, open_page
from search_helpers import indexed_pages, languages

ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]+)" hreflang="(sv|en)">')
SWITCHER = re.compile(r'<a href="([^"]+)" hreflang="(sv|en)" class="md-select__link"')


def _pages(site: Path) -> set[str]:
    """Every page of one edition, as its path ("" for the start page, "om/" ...)."""
    return {p.parent.relative_to(site).as_posix().removeprefix(".") + "/" if p.parent != site else ""
            for p in site.rglob("index.html") if "en" not in p.relative_to(site).parts[:1] or site.name == "en"}


def _swedish_pages(real_site: Path) -> set[str]:
    return {p for p in _pages(real_site) if not p.startswith("en/") and p != "en/"}


def test_every_swedish_page_has_its_english_counterpart_and_no_more(real_site):
    swedish = _swedish_pages(real_site)
    english = _pages(real_site / "en")
    assert len(swedish) > 100
    assert swedish == english


def _resolves(site: Path, page: str, href: str) -> str:
    """The page path a relative link from `page` leads to, checked to exist."""
    target = urljoin("http://site/" + page, href)[len("http://site/"):]
    assert (site / target / "index.html").is_file(), f"{page}: {href} leads nowhere"
    return target


@pytest.mark.parametrize("edition", ["sv", "en"])
def test_every_page_links_the_same_page_in_both_languages(real_site, edition):
    folder = "" if edition == "sv" else "en/"
    for page in sorted(_swedish_pages(real_site)):
        here = folder + page
        html = (real_site / here / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{edition}"' in html, here
        for pattern in (ALTERNATE, SWITCHER):
            found = dict((lang, href) for href, lang in pattern.findall(html))
            assert set(found) == {"sv", "en"}, f"{here}: {pattern.pattern} {found}"
            assert _resolves(real_site, here, found["sv"]) == page, here
            assert _resolves(real_site, here, found["en"]) == "en/" + page, here


def test_the_english_pages_are_in_english(real_site):
    start = (real_site / "en" / "index.html").read_text(encoding="utf-8")
    assert "Find your way in" in start or "open handbook" in start
    method = (real_site / "en" / "metoder" / "ips" / "index.html").read_text(encoding="utf-8")
    assert "Individual Placement and Support" in method and "Steps and principles" in method
    assert "Steg och principer" not in method
    module = (real_site / "en" / "handledarutbildning" / "handledarens-roll" / "index.html").read_text(encoding="utf-8")
    assert "role and values" in module and "Handledarens roll" not in module.split('<article')[1]


def test_each_edition_searches_in_its_own_language(real_site):
    """Each edition has its own Pagefind index, in its language (it stems that language), with its own pages."""
    swedish, english = indexed_pages(real_site), indexed_pages(real_site / "en")
    assert languages(real_site) == {"sv"} and languages(real_site / "en") == {"en"}
    english_text = " ".join(p["meta"]["title"] + " " + p["content"] for p in english.values())
    swedish_text = " ".join(p["meta"]["title"] + " " + p["content"] for p in swedish.values())
    assert "supervisor" in english_text and "handledare" not in english_text.lower().split()
    assert "handledare" in swedish_text and "supervisor" not in swedish_text.lower().split()
    assert set(swedish) == set(english), "every page is found in both languages, at the same path"
    assert not any(url.startswith("/en/") for url in swedish), "the Swedish index holds English pages"


def test_the_english_edition_shares_the_assets_of_the_swedish_one(real_site):
    for name in ("handbook.css", "quality.js", "favicon.svg"):
        assert (real_site / "en" / "assets" / name).read_bytes() == (real_site / "assets" / name).read_bytes()


def test_the_english_edition_has_the_open_data_of_the_swedish_one(real_site):
    """The open data holds data, not interface text: the English build writes none of its own and gets
    the Swedish files instead, each the same and whole."""
    swedish = sorted(p.relative_to(real_site).as_posix() for p in (real_site / "data").glob("*.*") if p.suffix in (".json", ".csv"))
    assert len(swedish) >= 20 and "data/organisationer.json" in swedish
    for path in swedish:
        data = (real_site / path).read_bytes()
        assert data and (real_site / "en" / path).read_bytes() == data, path
    json.loads((real_site / "en" / "data" / "organisationer.json").read_text(encoding="utf-8"))


ENGLISH_PAGES = ["/en/", "/en/om/", "/en/om/ordlista/", "/en/kvalitetsmodell/", "/en/kvalitetsmodell/arbetstraningsplatsen/",
                 "/en/handledarutbildning/", "/en/handledarutbildning/handledarens-roll/", "/en/metoder/",
                 "/en/metoder/ips/", "/en/metoder/jamforelse/", "/en/arbetspaket/", "/en/arbetspaket/budget/",
                 "/en/bidra/", "/en/bidra/listor/malgrupper/", "/en/data/", "/en/organisationer/",
                 "/en/organisationer/myrorna/", "/en/organisationer/lan/", "/en/organisationer/lan/23/",
                 "/en/handledarutbildning/handledarens-roll/deltagarblad/", "/en/metoder/ips/kort/",
                 "/en/arbetspaket/paket-1/", "/en/arbetspaket/tidsplan/", "/en/tillganglighet/", "/en/personuppgifter/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", ENGLISH_PAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_english_page_has_no_wcag_violations_and_stays_on_its_origin(browser, base, path, viewport):
    with open_page(browser, base + path, viewport) as page:
        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.lang") == "en"
        assert axe_violations(page) == []
        assert offsite_requests(page, base) == []


@pytest.mark.browser
def test_the_language_switcher_goes_to_the_same_page(browser, base):
    with open_page(browser, base + "/metoder/ips/", DESKTOP) as page:
        for lang, expected in (("en", "/en/metoder/ips/"), ("sv", "/metoder/ips/")):
            href = page.locator(f'.md-select__link[hreflang="{lang}"]').first.get_attribute("href")
            page.goto(urljoin(page.url, href))
            assert page.url == base + expected
            assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/metoder/ips/", "/en/handledarutbildning/handledarens-roll/deltagarblad/",
                                  "/en/organisationer/myrorna/"])
def test_a_deep_page_asks_for_nothing_that_is_not_there_and_names_its_alternates_in_full(browser, base, path):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    failed, errors = [], []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        hrefs = page.eval_on_selector_all('link[rel="alternate"][hreflang]', "links => links.map(l => l.getAttribute('href'))")
    finally:
        context.close()
    assert failed == [] and errors == []
    swedish = path.removeprefix("/en")
    assert sorted(hrefs) == sorted([base + swedish, base + "/en" + swedish])


class _Page:
    def __init__(self, url: str):
        self.url = url


class _Config(dict):
    def __init__(self, site_url: str, lang: str):
        super().__init__()
        self.site_url = site_url
        self.theme = {"language": lang}


@pytest.mark.parametrize("lang, site_url", [("sv", "https://handbok.example.se/vagar-in/"),
                                            ("en", "https://handbok.example.se/vagar-in/en/"),
                                            ("en", "https://handbok.example.se/vagar-in/en")])
def test_a_site_that_knows_its_address_names_its_alternates_in_full_and_switches_relatively(lang, site_url):
    import importlib.util

    spec = importlib.util.spec_from_file_location("handbook_site", Path(__file__).parents[1] / "hooks" / "handbook_site.py")
    handbook_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(handbook_site)
    head = ('<link rel="alternate" href="#vi-lang-sv" hreflang="sv"><link rel="alternate" href="#vi-lang-en" hreflang="en">'
            '<a href="#vi-lang-sv" hreflang="sv" class="md-select__link"><a href="#vi-lang-en" hreflang="en" class="md-select__link">')
    out = handbook_site._alternates(head, _Page("metoder/ips/"), _Config(site_url, lang))
    assert dict((l, h) for h, l in ALTERNATE.findall(out)) == {
        "sv": "https://handbok.example.se/vagar-in/metoder/ips/", "en": "https://handbok.example.se/vagar-in/en/metoder/ips/"}
    switcher = dict((l, h) for h, l in SWITCHER.findall(out))
    assert switcher == ({"sv": "./", "en": "../../en/metoder/ips/"} if lang == "sv" else
                        {"sv": "../../../metoder/ips/", "en": "./"})
