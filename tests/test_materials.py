"""Curriculum materials: every material a module lists exists and is linked, each has a page in both
editions, checklists render as lists of boxes, and the Daniel case's answer key covers every IPS principle."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from handbook import render
from handbook.areas import curriculum
from handbook.content import load_cached
from test_curriculum_site import Node, page, squash

HANDBOOK = load_cached(ROOT).handbook
MODULES = curriculum.modules(HANDBOOK)
MATERIALS = HANDBOOK.all("material")
LISTED = [(m, i) for m in MODULES for i in m.get("materials") or ()]


@pytest.fixture(scope="module")
def site(real_site):
    return real_site


def link_targets(doc: Node) -> set[str]:
    return {a.attrs.get("href") for a in doc.find_all("a")}


# The content

def test_the_real_content_has_materials_and_modules_that_list_them():
    assert MATERIALS and LISTED
    assert not [p for p in load_cached(ROOT).problems if p.rule == "material-missing"]


@pytest.mark.parametrize("module, material_id", LISTED, ids=[f"{m.id}-{i}" for m, i in LISTED])
def test_every_material_a_module_lists_exists_and_the_module_page_links_it(site, module, material_id):
    material = HANDBOOK.get("material", material_id)
    assert material is not None, f"{module.id} lists {material_id}, which has no file"
    doc = page(site, curriculum.module_url(module.id))
    listed = doc.find("ul", class_="vi-module-materials")
    link = next((a for a in listed.find_all("a") if a.attrs.get("href") == f"../material/{material_id}/"), None)
    assert link is not None and squash(link.text()) == material.text("title")


def test_the_materials_the_modules_named_in_words_are_now_ids():
    """No module names one of the materials in words any more: the words are the material's title."""
    titles = {m.text("title").casefold() for m in MATERIALS}
    for module in MODULES:
        for item in module.get("in_the_room") or ():
            assert item["sv"].casefold() not in titles, f"{module.id}: list {item['sv']!r} by its id"


@pytest.mark.parametrize("material", MATERIALS, ids=[m.id for m in MATERIALS])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_material_has_its_page_in_both_editions_with_its_content_and_the_modules_that_use_it(site, material, lang):
    root = site if lang == "sv" else site / "en"
    doc = page(root, curriculum.material_url(material.id))
    assert doc.find("html").attrs.get("lang") == lang
    assert squash(doc.find("h1").text()).startswith(material.text("title", lang))
    body = squash(doc.find("div", class_="vi-material").text())
    first_line = next(line for line in material.get("content")[lang].splitlines() if line.strip() and not line.startswith("#"))
    plain = squash(re.sub(r"^\s*(- \[ \]|-|\d+\.|>)\s*|[*_`>]", "", first_line))
    assert plain[:30] in body
    hrefs = link_targets(doc)
    users = curriculum.modules_using(HANDBOOK, material)
    assert users, f"no module uses {material.id}"
    for module in users:
        assert f"../../{module.id}/" in hrefs
    index = page(root, curriculum.MATERIALS)
    assert f"{material.id}/" in link_targets(index)


def test_example_pages_say_that_the_people_are_made_up(site):
    examples = [m for m in MATERIALS if m.get("type") == "exempel"]
    assert examples
    for material in examples:
        doc = page(site, curriculum.material_url(material.id))
        note = doc.find("p", class_="vi-example-note")
        assert note is not None and "påhittade" in note.text()
    for material in (m for m in MATERIALS if m.get("type") != "exempel"):
        assert page(site, curriculum.material_url(material.id)).find("p", class_="vi-example-note") is None


def test_the_new_kind_is_open_data(site):
    assert (site / "data" / "handledarutbildning-material.json").is_file()
    assert any(h and h.endswith("handledarutbildning-material.csv") for h in link_targets(page(site, "data/")))


# Checklists

def test_a_checklist_item_becomes_a_box_in_a_list_and_the_marker_goes():
    html = render.markdown({"sv": "Före:\n\n- [ ] Läs fallet.\n- [x] Boka rummet.\n- Vanlig punkt\n\n1. [ ] numrerad"})
    assert '<ul class="vi-checklist">' in html and "role" not in html
    assert '<li class="vi-task">Läs fallet.</li>' in html
    assert '<li class="vi-task vi-task-done">Boka rummet.</li>' in html
    assert "<li>Vanlig punkt</li>" in html
    assert "[ ]" not in html.split("<ol>")[0] and "[x]" not in html


def test_a_loose_checklist_item_keeps_its_paragraph():
    html = render.markdown({"sv": "- [ ] Ett\n\n- [ ] Två\n"})
    assert html.count('<li class="vi-task">') == 2 and "<p>Ett</p>" in html and "[ ]" not in html


def test_a_text_can_set_no_other_class_or_attribute_through_the_checklist_allowance():
    html = render.markdown({"sv": '<ul class="md-button vi-checklist" role="button" onclick="x()" style="color:red">'
                                  '<li class="vi-task md-typeset" id="x" role="list">a</li></ul><p class="vi-task">b</p>'})
    assert 'role="button"' not in html and "<li role" not in html and 'class="vi-task" role' not in html
    assert "md-button" not in html and "md-typeset" not in html and "onclick" not in html and "style" not in html
    assert 'id="x"' not in html and '<p class' not in html


def test_no_page_shows_a_checkbox_as_text(site):
    pages = [curriculum.handout_url(m.id) for m in MODULES] + [curriculum.module_url(m.id) for m in MODULES]
    pages += [curriculum.material_url(m.id) for m in MATERIALS]
    for url in pages:
        text = (site / url / "index.html").read_text(encoding="utf-8")
        assert "[ ]" not in text and "[x]" not in text, url


def test_every_checklist_item_in_a_handout_is_a_box_on_its_page(site):
    for module in MODULES:
        wanted = len(re.findall(r"^\s*- \[ \] ", module.get("handout")["sv"], flags=re.M))
        doc = page(site, curriculum.handout_url(module.id))
        assert len(list(doc.find("div", class_="vi-handout").find_all("li", class_="vi-task"))) == wanted, module.id


def test_the_print_styles_draw_an_empty_box_for_each_checklist_item():
    css = (ROOT / "docs" / "assets" / "curriculum.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    boxes = [body for selector, body in rules.items() if "li.vi-task::before" in selector and "done" not in selector]
    assert any('content: ""' in b and "border:" in b for b in boxes)
    prints = css[css.index("@media print", css.index("Curriculum materials and checklists")):]
    assert re.search(r"li\.vi-task::before\s*\{[^}]*border:\s*1\.5pt solid #000", prints)


# The Daniel case

def test_the_daniel_answer_key_gives_a_verdict_for_every_ips_principle():
    module = next(m for m in MODULES if "Daniel" in m.get("exercise")["instructions"]["sv"])
    principles = [s for s in HANDBOOK.get("method", "ips").get("steps") if "ips" in (s.get("frameworks") or {})]
    assert len(principles) == 8
    assert "åtta" in " ".join(a["sv"] for a in module.get("assessment"))
    for lang in ("sv", "en"):
        notes = module.get("exercise")["trainer_notes"][lang]
        for principle in principles:
            title = re.escape(principle["title"][lang])
            assert re.search(rf"^- \*{title}\*: \*\*\S", notes, flags=re.M | re.I), f"{lang}: {principle['title'][lang]}"
