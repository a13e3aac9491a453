"""The curriculum pages in the real site: promised URLs, anchors, derived listings and links."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from handbook.areas import curriculum
from handbook.content import load_cached
from search_helpers import indexed_pages

HANDBOOK = load_cached(ROOT).handbook
MODULES = curriculum.modules(HANDBOOK)
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track", "param"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag=None, **attrs):
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and all(
                        value in (child.attrs.get(key.rstrip("_")) or "").split() if key.endswith("_")
                        else child.attrs.get(key) == value for key, value in attrs.items()):
                    yield child
                yield from child.find_all(tag, **attrs)

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path) -> Node:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


@pytest.fixture(scope="module")
def site(real_site):
    return real_site


def page(site, url: str) -> Node:
    return parse(site / url.strip("/") / "index.html")


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


# Per-module pages

@pytest.mark.parametrize("module", MODULES, ids=[m.id for m in MODULES])
def test_module_page_has_a_participant_view_a_trainer_view_and_a_session_plan_with_running_minutes(site, module):
    doc = page(site, curriculum.module_url(module.id))
    assert squash(doc.find("h1").text()).startswith(module.text("title"))
    assert doc.find("h2", id="deltagare") is not None and doc.find("h2", id="utbildare") is not None
    table = doc.find("table", class_="vi-session-plan")
    rows = list(table.find("tbody").find_all("tr"))
    assert len(rows) == len(module.get("session_plan"))
    elapsed = 0
    for row, activity in zip(rows, module.get("session_plan")):
        cells = [squash(c.text()) for c in row.children if isinstance(c, Node)]
        assert cells[3] == str(activity["minutes"])
        assert cells[4] == f"{elapsed}–{elapsed + activity['minutes']}"
        elapsed += activity["minutes"]
    assert elapsed == curriculum.minutes(module)
    notes = doc.find("div", class_="vi-trainer-notes")
    assert notes is not None and squash(notes.text())
    assert doc.find("a", href="deltagarblad/") is not None
    assert doc.find("a", href=f"../kursplanerare/#moduler={module.id}") is not None


@pytest.mark.parametrize("module", MODULES, ids=[m.id for m in MODULES])
def test_handout_page_has_the_handout_and_exercise_but_not_the_trainer_notes(site, module):
    doc = page(site, curriculum.handout_url(module.id))
    body = squash(doc.find("div", class_="vi-handout-page").text())
    assert squash(doc.find("div", class_="vi-handout").text())
    assert module.get("exercise")["title"]["sv"] in body
    first_note_line = module.get("exercise")["trainer_notes"]["sv"].strip().splitlines()[-1]
    assert squash(re.sub(r"[*_`]", "", first_note_line))[:40] not in body
    assert doc.find("a", href="../") is not None  # back to the module


def test_module_page_links_criteria_methods_and_modules_by_the_shared_urls(site):
    module = HANDBOOK.get("module", "steget-till-arbetsmarknaden")
    doc = page(site, curriculum.module_url(module.id))
    hrefs = {a.attrs.get("href") for a in doc.find("dl", class_="vi-facts").find_all("a")}
    for method in module.get("methods"):
        assert f"../../metoder/{method}/" in hrefs
    for criterion in curriculum.criteria_of(HANDBOOK, module):
        assert f"../../kvalitetsmodell/{criterion.get('area')}/#{criterion.id}" in hrefs
    for prerequisite in module.get("prerequisites"):
        assert f"../{prerequisite}/" in hrefs


# The overview

def test_overview_total_hours_come_from_the_modules(site):
    doc = page(site, "handledarutbildning/")
    summary = squash(doc.find("p", class_="vi-curriculum-summary").text())
    total = sum(curriculum.minutes(m) for m in MODULES)
    assert f"{len(MODULES)} moduler på sammanlagt {curriculum.duration_text(total)}" in summary


def test_overview_lists_the_modules_in_an_order_that_respects_prerequisites(site):
    doc = page(site, "handledarutbildning/")
    listed = [a.attrs["href"].strip("/") for li in doc.find("ol", class_="vi-course-order").children
              if isinstance(li, Node) for a in [li.find("a")]]
    assert listed == [m.id for m in curriculum.course_order(HANDBOOK)]
    for module in MODULES:
        for prerequisite in module.get("prerequisites"):
            assert listed.index(prerequisite) < listed.index(module.id)


def test_coverage_matrix_is_a_real_table_derived_from_the_criteria(site):
    doc = page(site, "handledarutbildning/")
    table = doc.find("table", class_="vi-coverage")
    assert table.find("caption") is not None
    region = table.parent
    assert region.attrs.get("aria-label") and region.attrs.get("tabindex") == "0"  # a <section> with a name: a region
    columns = [th.find("a").attrs["href"].strip("/") for th in list(table.find("thead").find_all("th"))[1:-1]]
    assert columns == [m.id for m in curriculum.course_order(HANDBOOK)]
    criteria = curriculum.criteria(HANDBOOK)
    for criterion in criteria:
        row = table.find("tr", id=f"tackning-{criterion.id}")
        header = row.find("th")
        assert header.attrs.get("scope") == "row"
        assert header.find("a").attrs["href"] == f"../kvalitetsmodell/{criterion.get('area')}/#{criterion.id}"
        cells = [c for c in row.children if isinstance(c, Node) and c.tag == "td"][:-1]
        marked = {columns[i] for i, c in enumerate(cells) if "vi-yes" in c.attrs.get("class", "")}
        assert marked == set(curriculum.modules_for(HANDBOOK, criterion)), criterion.id
    area_rows = list(table.find_all("th", scope="rowgroup"))
    assert len(area_rows) == len({c.get("area") for c in criteria})


def test_overview_says_which_criteria_no_module_covers(site):
    doc = page(site, "handledarutbildning/")
    heading = doc.find("h3", id="saknas")
    assert heading is not None
    missing = curriculum.uncovered_criteria(HANDBOOK)
    listing = doc.find("ul", class_="vi-uncovered")
    if missing:
        assert [a.attrs["href"] for a in listing.find_all("a")] == \
            [f"../kvalitetsmodell/{c.get('area')}/#{c.id}" for c in missing]
    else:
        assert listing is None
        assert f"Alla {len(curriculum.criteria(HANDBOOK))} kriterier" in squash(doc.text())


# The planner

def test_planner_page_works_without_javascript_and_carries_its_data_safely(site):
    doc = page(site, curriculum.PLANNER)
    planner = doc.find("div", id="vi-planner")
    assert "hidden" in planner.attrs  # the script shows it; without JavaScript the table below is the page
    fallback = doc.find("table", class_="vi-planner-modules-table")
    rows = {squash(r.find("th").text()): squash(r.find("td").text()) for r in fallback.find("tbody").find_all("tr")}
    assert rows == {m.text("title"): str(curriculum.minutes(m)) for m in MODULES}
    assert doc.find("p", class_="vi-nojs") is not None
    raw = (site / "handledarutbildning/kursplanerare/index.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="vi-planner-data">(.*?)</script>', raw, re.S).group(1)
    assert "<" not in data
    modules = json.loads(data)["modules"]
    assert [m["id"] for m in modules] == [m.id for m in MODULES]
    for item in modules:
        assert sum(a["minutes"] for a in item["activities"]) == curriculum.minutes(HANDBOOK.get("module", item["id"]))
        assert item["url"] == f"../{item['id']}/"
    labels = {label.attrs.get("for") for label in planner.find_all("label")}
    controls = {c.attrs.get("id") for tag in ("input", "select") for c in planner.find_all(tag)}
    assert controls <= labels


def test_planner_script_and_styles_are_served_from_the_site(site):
    doc = page(site, curriculum.PLANNER)
    scripts = [s.attrs.get("src", "") for s in doc.find_all("script")]
    assert any(s.endswith("assets/curriculum.js") for s in scripts)
    assert (site / "assets/curriculum.js").exists() and (site / "assets/curriculum.css").exists()
    assert not any(s.startswith(("http:", "https:", "//")) for s in scripts)


def test_navigation_has_the_section_and_planner_but_no_entry_per_module(site):
    doc = page(site, "handledarutbildning/")
    nav = doc.find("nav", class_="md-nav--primary")
    hrefs = [a.attrs.get("href") for a in nav.find_all("a")]
    assert "kursplanerare/" in hrefs
    assert not any(h and h.rstrip("/").endswith(m.id) for h in hrefs for m in MODULES)


def test_search_finds_each_module_once_and_skips_the_handouts_that_repeat_it(site):
    pages = {url.lstrip("/") for url in indexed_pages(site) if url.startswith("/handledarutbildning/")}
    assert pages == {"handledarutbildning/", "handledarutbildning/kursplanerare/"} | {
        curriculum.module_url(m.id) for m in MODULES} | {  # the materials are found too: their text is nowhere else
        curriculum.MATERIALS} | {curriculum.material_url(m.id) for m in HANDBOOK.all("material")}
