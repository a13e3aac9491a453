"""The offline copy (handbook/offline.py, `make offline`): its links, its search index, the archive and the
download link, and the copy opened from files in Chromium (file://), on the profile fixture site
(fictional organisations, both editions, the self-assessment and the directory)."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from handbook import offline
from profile_site import build_profile_site, make_profile_project

DAY = datetime.date(2026, 12, 1)


# Links ------------------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path) -> offline.Site:
    for folder in ("metoder/ips", "en/metoder", "organisationer"):
        (tmp_path / folder).mkdir(parents=True)
    return offline.Site(tmp_path, "https://example.org/handbok/")


@pytest.mark.parametrize("value, page, wanted", [
    ("metoder/", "index.html", "metoder/index.html"),
    ("../", "metoder/index.html", "../index.html"),
    ("..", "metoder/ips/index.html", "../index.html"),
    ("./", "metoder/index.html", "index.html"),
    ("ips/#steg", "metoder/index.html", "ips/index.html#steg"),
    ("?lan=14&amp;typ=x", "organisationer/index.html", "?lan=14&amp;typ=x"),
    ("../organisationer/?lan=14#lista", "metoder/index.html", "../organisationer/index.html?lan=14#lista"),
    ("/metoder/ips/", "en/metoder/index.html", "../../metoder/ips/index.html"),
    ("/metoder/ips", "organisationer/index.html", "../metoder/ips/index.html"),
    ("/data/lan.csv", "metoder/ips/index.html", "../../data/lan.csv"),
    ("https://example.org/handbok/metoder/", "en/index.html", "../metoder/index.html"),
    ("https://example.com/metoder/", "index.html", "https://example.com/metoder/"),
    ("mailto:a@example.org", "index.html", "mailto:a@example.org"),
    ("#toppen", "metoder/index.html", "#toppen"),
    ("katalog.json", "organisationer/index.html", "katalog.json"),
    ("assets/handbook.css", "index.html", "assets/handbook.css"),
])
def test_a_link_names_a_folders_page_and_keeps_its_anchor_and_query(tree, value, page, wanted):
    assert tree.link(value, page) == wanted


def test_links_in_tags_and_in_page_data_are_rewritten_but_the_canonical_address_is_kept(tree):
    page = ('<link rel="canonical" href="https://example.org/handbok/metoder/"><a href="ips/">IPS</a>'
            '<script src="../assets/search.js"></script>'
            '<script type="application/json" id="d">{"url":"ips/","title":"a/"}</script><p>href="ips/"</p>')
    done = tree.links(page, "metoder/index.html")
    assert '<link rel="canonical" href="https://example.org/handbok/metoder/">' in done
    assert '<a href="ips/index.html">' in done and '<script src="../assets/search.js">' in done
    assert '{"url":"ips/index.html","title":"a/"}' in done
    assert '<p>href="ips/"</p>' in done  # text is no link


def test_the_copys_policy_names_files_and_the_inline_scripts_hashes_never_unsafe_inline():
    page = ('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="old">'
            '</head><body><script>var a = 1;</script></body></html>')
    done = offline.with_csp(page)
    assert done.count("Content-Security-Policy") == 1 and 'content="old"' not in done
    policy = re.search(r'content="([^"]*)"', done.split("Content-Security-Policy", 1)[1]).group(1)
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "file:" in scripts and "'sha256-" in scripts and "unsafe-inline" not in scripts


def test_line_breaks_beside_blocks_go_but_not_those_in_text_or_preformatted_parts():
    page = ('<head>\n<meta charset="utf-8">\n<title>T</title>\n</head>\n<body>\n<ul>\n<li><a href="a">A</a>\n<a href="b">B</a></li>\n'
            '</ul>\n<pre>\n<b>x</b>\n</pre><textarea>\n<p>\n</textarea><script>\n</script></body>')
    assert offline.tight(page) == ('<head><meta charset="utf-8"><title>T</title></head><body><ul><li><a href="a">A</a>\n'
                                   '<a href="b">B</a></li></ul><pre>\n<b>x</b>\n</pre><textarea>\n<p>\n</textarea>'
                                   '<script>\n</script></body>')


# The search index -------------------------------------------------------------------------------

def test_an_index_entry_has_the_articles_title_headings_start_and_words_without_the_facts():
    page = ('<html><head><title>Sida - Vägar in</title></head><body><nav>Menyn</nav>'
            '<article class="md-content__inner md-typeset" data-pagefind-body><h1>Handledning</h1>'
            '<p>Handledaren <b>visar</b> arbetet.</p><h2 id="x">Stöd<a class="headerlink" href="#x">¶</a></h2>'
            '<dl><dt>Tid</dt><dd>2 tim</dd></dl><footer class="vi-page-facts">Senast ändrad</footer></article></body></html>')
    url, title, headings, excerpt, words = offline.page_entry(page, "kvalitetsmodell/handledning/index.html")
    assert (url, title, headings) == ("kvalitetsmodell/handledning/index.html", "Handledning", "Stöd")
    assert excerpt.startswith("Handledaren visar arbetet.") and "Tid: 2 tim." in excerpt
    assert set(words.split()) >= {"handledaren", "visar", "stod", "tid", "tim"}
    assert "menyn" not in words and "senast" not in words and "¶" not in excerpt
    assert offline.page_entry(page.replace(" data-pagefind-body", ""), "x") is None  # left out of the search


@pytest.mark.parametrize("size, lang, text", [(4_321_000, "sv", "4,3 MB"), (4_321_000, "en", "4.3 MB"),
                                               (850_400, "sv", "850 kB"), (120, "en", "1 kB")])
def test_sizes_read_as_a_reader_reads_them(size, lang, text):
    assert offline.size_text(size, lang) == text


def test_every_edition_offers_the_archive_where_the_build_leaves_its_placeholder():
    for page in ("docs/index.md", "docs-en/index.md", "docs/data/index.md", "docs-en/data/index.md"):
        assert "{{ offline_download() }}" in (ROOT / page).read_text(encoding="utf-8"), page


def test_without_a_built_site_the_command_says_what_to_do_and_writes_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_LANG": "sv"}
    done = subprocess.run([sys.executable, "-m", "handbook", "offline", "--site-dir", str(tmp_path / "site")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"Det finns ingen byggd webbplats i {tmp_path / 'site'}: kör make build först (make offline gör det själv)"
    assert list(tmp_path.iterdir()) == []


# The archive, made from the profile fixture site --------------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """The profile fixture site (its start pages offer the archive), built, then `python -m handbook
    offline`, then the archive unzipped: {"site", "copy", "output", "seconds"}."""
    project = make_profile_project(tmp_path_factory.mktemp("offline") / "project")
    for name in ("docs/index.md", "docs-en/index.md"):
        page = project / name
        page.write_text(page.read_text(encoding="utf-8") + "\n{{ offline_download() }}\n", encoding="utf-8")
    site = build_profile_site(project)
    slot = offline._SLOT.search((site / "index.html").read_text(encoding="utf-8"))
    assert slot and slot.group(0)[len(offline.START):-len(offline.END)].strip() == ""  # no archive: no link
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_TODAY": DAY.isoformat(), "HANDBOOK_LANG": "sv"}
    done = subprocess.run([sys.executable, "-m", "handbook", "offline", "--site-dir", str(site)], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    unzipped = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(site / offline.ARCHIVE) as archive:
        assert archive.testzip() is None
        archive.extractall(unzipped)
    return {"site": site, "copy": unzipped / offline.FOLDER, "output": done.stdout}


def test_the_archive_is_linked_with_its_size_from_each_editions_start_page(made):
    size = (made["site"] / offline.ARCHIVE).stat().st_size
    for page, lang, href in (("index.html", "sv", "offline/vagar-in.zip"), ("en/index.html", "en", "../offline/vagar-in.zip")):
        text = (made["site"] / page).read_text(encoding="utf-8")
        link = re.search(re.escape(offline.START) + r"(.*?)" + re.escape(offline.END), text, re.S).group(1)
        assert f'href="{href}"' in link and offline.size_text(size, lang) in link, page
        assert offline.long_date(DAY, lang) in link
    assert "Kopian från 1 december 2026 är klar" in made["output"]


def test_the_copy_has_both_editions_without_pagefind_or_the_archive_and_the_data_as_scripts(made):
    copy = made["copy"]
    assert (copy / "index.html").is_file() and (copy / "en" / "index.html").is_file()
    assert not (copy / "pagefind").exists() and not (copy / "en" / "pagefind").exists()
    assert not (copy / "offline").exists() and not list(copy.rglob("*.map"))
    for edition in (copy, copy / "en"):
        assert (edition / "organisationer" / "katalog.js").read_text(encoding="utf-8").startswith("(window.viOfflineData")
        assert (edition / offline.INDEX_SCRIPT).read_text(encoding="utf-8").startswith("window.viOfflineSearch = ")
    start = (copy / "index.html").read_text(encoding="utf-8")
    assert offline.START not in start and "1 december 2026" in start


def test_every_page_of_the_copy_is_at_most_100_kb(made):
    sizes = {page.relative_to(made["copy"]).as_posix(): page.stat().st_size for page in made["copy"].rglob("*.html")}
    assert sizes and {page: size for page, size in sizes.items() if size > 100 * 1024} == {}


def test_no_link_in_the_copy_names_a_folder(made):
    folders = re.compile(r'<a\s[^>]*href="(?![a-z]+:|#|\?)([^"?#]*/)(?:[?#][^"]*)?"')
    for page in made["copy"].rglob("*.html"):
        found = folders.findall(page.read_text(encoding="utf-8"))
        assert found == [], f"{page.relative_to(made['copy'])}: {found[:3]}"


# The copy in a browser, from files ----------------------------------------------------------------

def opened(browser, url: str):
    """A fresh page at `url` (file://) that records console errors, page errors and policy violations."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


@pytest.mark.browser
def test_a_link_from_the_start_page_opens_a_page_and_every_page_says_its_date(browser, made):
    context, page = opened(browser, (made["copy"] / "index.html").as_uri())
    try:
        assert page.locator(".vi-offline-line").inner_text().startswith("Kopia att läsa utan nät, från 1 december 2026")
        page.locator("nav a[href$='organisationer/index.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/organisationer/index.html")
        assert page.locator("h1").count() == 1 and "Index of" not in page.content()
        assert page.locator(".vi-offline-line").count() == 1
        english = page.eval_on_selector("a[hreflang='en']", "a => a.href")  # the language menu's link
        assert english.endswith("/en/organisationer/index.html")
        page.goto(english)
        assert page.url.endswith("/en/organisationer/index.html")
        assert "made on 1 December 2026" in page.locator(".vi-offline-line").inner_text()
        assert page.problems == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_search_finds_pages_in_each_edition(browser, made):
    from search_helpers import search

    for start, query, status in (("index.html", "organisationerna", "sidor matchar"), ("en/index.html", "organisations", "pages match")):
        context, page = opened(browser, (made["copy"] / start).as_uri())
        try:
            found = search(page, query)
            assert found, start
            assert status in page.locator(".vi-search__status").inner_text()
            assert all(item["href"].endswith("/index.html") for item in found)
            assert any(marks for item in found for marks in item["marks"])
            page.locator(".vi-search__link").first.click()
            page.wait_for_load_state("load")
            assert page.locator("h1").count() == 1 and page.url.startswith("file:")
            assert page.problems == []
        finally:
            context.close()


@pytest.mark.browser
def test_the_directory_shows_its_organisations_and_filters_them(browser, made):
    context, page = opened(browser, (made["copy"] / "organisationer" / "index.html").as_uri())
    try:
        page.wait_for_selector("#vi-directory[data-ready='1']", timeout=10000)
        total = int(page.get_attribute("#vi-directory", "data-count"))
        assert total == int(page.get_attribute("#vi-directory", "data-total")) > 1
        first = page.locator(".vi-dir-results h3 a").first
        assert first.get_attribute("href").endswith("/index.html")
        name = first.inner_text()
        page.fill("#vi-dir-q", name)
        page.wait_for_function("(n) => Number(document.getElementById('vi-directory').dataset.count) < n", arg=total, timeout=10000)
        shown = page.locator(".vi-dir-results h3 a").all_inner_texts()
        assert name in shown and len(shown) < total
        page.locator(".vi-dir-results h3 a", has_text=name).first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().strip().rstrip("¶") == name
        assert page.problems == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_self_assessment_saves_and_reloads_and_lists_the_organisations(browser, made):
    context, page = opened(browser, (made["copy"] / "kvalitetsmodell" / "sjalvskattning" / "index.html").as_uri())
    try:
        radio = page.locator("fieldset input[type=radio][value='2']").first
        name = radio.get_attribute("name")
        radio.check()
        page.fill("#vi-sa-org", "Föreningen Prov")
        page.reload()
        page.wait_for_load_state("load")
        assert page.is_checked(f"input[name='{name}'][value='2']")
        assert page.input_value("#vi-sa-org") == "Föreningen Prov"
        page.locator("#vi-sa-profile > summary").click()
        page.wait_for_function("() => document.querySelectorAll('#vi-sa-orgs option').length > 1", timeout=10000)
        links = page.evaluate("Array.from(document.querySelectorAll('article a[href]')).map(a => a.href)")
        assert [link for link in links if link.startswith("file:") and link.split("#")[0].endswith("/")] == []
        assert page.problems == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_path", ["index.html", "en/data/index.html"])
def test_the_copys_pages_with_their_date_line_have_no_wcag_violations(browser, made, page_path):
    from browser_helpers import axe_violations

    context = browser.new_context(bypass_csp=True)  # axe-core is injected by a script the policy does not know
    try:
        page = context.new_page()
        page.goto((made["copy"] / page_path).as_uri())
        page.wait_for_load_state("load")
        assert page.locator(".vi-offline-line").is_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def real_copy(real_site, tmp_path_factory) -> Path:
    """The real handbook's offline copy (the tools the fixture site lacks: the planner and the calculator)."""
    site = tmp_path_factory.mktemp("real-offline") / "site"
    shutil.copytree(real_site, site, ignore=shutil.ignore_patterns("pagefind"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_TODAY": DAY.isoformat()}
    done = subprocess.run([sys.executable, "-m", "handbook", "offline", "--site-dir", str(site)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    unzipped = tmp_path_factory.mktemp("real-unzipped")
    with zipfile.ZipFile(site / offline.ARCHIVE) as archive:
        archive.extractall(unzipped)
    return unzipped / offline.FOLDER


@pytest.mark.browser
def test_the_course_planner_and_the_calculator_work_from_files(browser, real_copy):
    context, page = opened(browser, (real_copy / "handledarutbildning" / "kursplanerare" / "index.html").as_uri())
    try:
        first = page.locator("input[name=modul]").first
        first.check()
        page.wait_for_function("() => document.querySelectorAll('#vi-plan-output .vi-day').length > 0")
        assert "1 modul" in page.locator("#vi-plan-status").inner_text()
        assert page.locator("#vi-plan-link").input_value().startswith("file:")
        assert page.problems == []
    finally:
        context.close()
    calculator = sorted(real_copy.glob("metoder/*/index.html"), key=lambda p: "vi-calculator" not in p.read_text(encoding="utf-8"))[0]
    context, page = opened(browser, calculator.as_uri())
    try:
        field = page.locator("#vi-calculator input.vi-input").first
        field.fill("12 000")
        page.wait_for_function("() => /12\\s000/.test(document.getElementById('vi-calc-total').textContent)")
        assert page.problems == []
    finally:
        context.close()
