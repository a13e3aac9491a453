"""Every module can be run with what the handbook gives: an `in_the_room` item that names a kind of
document the handbook gives as a material (a template, an example, a checklist, a completed sheet)
says where in the module it is, and the part of the module it points to exists; everything else of
that kind is a material record the module lists by id, and every listed material exists."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from handbook.areas import curriculum
from handbook.content import load_cached

LOADED = load_cached(ROOT)
HANDBOOK = LOADED.handbook
MODULES = curriculum.modules(HANDBOOK)

# The kinds of document the handbook gives as materials, as they are written in each language.
KINDS = {
    "sv": re.compile(r"mall|exempel|checklist|ifyllt|ifyllda", re.IGNORECASE),
    "en": re.compile(r"template|example|checklist|completed|filled[- ]in", re.IGNORECASE),
}
# Where in the module a thing is: the parts of the module page, by their headings (the exercise and
# the handout are in the participant view, above the trainer's list of materials).
PARTS = {
    "sv": {"exercise": re.compile(r"\(se (?:[^)]*\b)?Övning i Deltagarvyn\b"), "handout": re.compile(r"\bDeltagarbladet\b")},
    "en": {"exercise": re.compile(r"\(see (?:[^)]*\b)?Exercise in the Participant view\b"), "handout": re.compile(r"\bthe Participant handout\b")},
}


def pointed_parts(text: str, lang: str) -> set[str]:
    return {part for part, pattern in PARTS[lang].items() if pattern.search(text)}


def unplaced(item: dict) -> list[str]:
    """The languages in which an item names a kind of material without saying where it is."""
    return [lang for lang in ("sv", "en") if KINDS[lang].search(item.get(lang, "")) and not pointed_parts(item.get(lang, ""), lang)]


ITEMS = [(m, i, item) for m in MODULES for i, item in enumerate(m.get("in_the_room") or ())]


# The rule itself

def test_the_rule_finds_a_template_or_an_example_that_says_nowhere_where_it_is():
    assert unplaced({"sv": "Mall för kompetensbeskrivning", "en": "Template for a competence description"}) == ["sv", "en"]
    assert unplaced({"sv": "Två ifyllda skattningar", "en": "Two ratings"}) == ["sv"]
    assert unplaced({"sv": "Två exempelplaner utskrivna", "en": "Two example plans printed out"}) == ["sv", "en"]
    assert unplaced({"sv": "Samtalsmall (finns i mappen)", "en": "Conversation template (in the folder)"}) == ["sv", "en"]


def test_the_rule_lets_through_an_item_that_says_where_it_is_and_ordinary_things():
    assert unplaced({"sv": "Samtalsmallen (se Deltagarbladet)", "en": "The conversation template (see the Participant handout)"}) == []
    assert unplaced({"sv": "Ett ifyllt exempel (se Övning i Deltagarvyn, del 2)", "en": "A completed example (see Exercise in the Participant view, part 2)"}) == []
    assert unplaced({"sv": "Blädderblock och pennor", "en": "Flip chart and pens"}) == []


# The real content

def test_the_real_content_has_modules_with_things_for_the_room():
    assert MODULES and ITEMS


@pytest.mark.parametrize("module, index, item", ITEMS, ids=[f"{m.id}-{i}" for m, i, _ in ITEMS])
def test_no_item_for_the_room_promises_a_material_without_saying_where_it_is(module, index, item):
    assert not unplaced(item), (
        f"{module.id}: in_the_room[{index}] {item['sv']!r} names a kind of material: "
        "write it as a material and list its id, or say where in the module it is")


@pytest.mark.parametrize("module, index, item", ITEMS, ids=[f"{m.id}-{i}" for m, i, _ in ITEMS])
def test_an_item_points_only_to_parts_the_module_has_and_in_both_languages(module, index, item):
    sv, en = pointed_parts(item["sv"], "sv"), pointed_parts(item["en"], "en")
    assert sv == en, f"{module.id}: in_the_room[{index}] points to {sorted(sv)} in Swedish, {sorted(en)} in English"
    if "exercise" in sv:
        assert (module.get("exercise") or {}).get("instructions"), f"{module.id} has no exercise to point to"
    if "handout" in sv:
        assert module.get("handout"), f"{module.id} has no handout to point to"


def test_every_material_a_module_lists_exists():
    assert not [p for p in LOADED.problems if p.rule == "material-missing"]
    missing = [(m.id, i) for m in MODULES for i in m.get("materials") or () if HANDBOOK.get("material", i) is None]
    assert not missing


def test_the_modules_list_materials_of_every_kind():
    listed = {HANDBOOK.get("material", i).get("type") for m in MODULES for i in m.get("materials") or ()}
    assert {"checklista", "mall", "exempel"} <= listed
