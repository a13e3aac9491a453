"""Invariants over the real curriculum: every module file, its references, prerequisites and minutes."""
from __future__ import annotations

import pytest

from conftest import ROOT
from handbook.areas import curriculum
from handbook.content import load_cached

RESULT = load_cached(ROOT)
HANDBOOK = RESULT.handbook
MODULES = curriculum.modules(HANDBOOK)
IDS = [m.id for m in MODULES]


def test_content_loads_without_problems_in_the_curriculum_or_the_criteria():
    mine = [str(p) for p in RESULT.problems
            if p.path.startswith(("data/handledarutbildning/", "data/kvalitetsmodell/kriterier/"))]
    assert mine == []


def test_there_are_eight_to_twelve_modules_with_distinct_orders():
    assert 8 <= len(MODULES) <= 12
    orders = [m.get("order") for m in MODULES]
    assert len(set(orders)) == len(orders)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_session_plan_adds_up_to_the_duration(module):
    plan = module.get("session_plan")
    duration = module.get("duration")
    assert sum(a["minutes"] for a in plan if a["part"] == "undervisning") == duration["teaching"]
    assert sum(a["minutes"] for a in plan if a["part"] == "ovning") == duration["exercise"]


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_references_resolve(module):
    for prerequisite in module.get("prerequisites", ()):
        assert prerequisite != module.id
        assert HANDBOOK.get("module", prerequisite) is not None, prerequisite
    for method in module.get("methods", ()):
        assert HANDBOOK.get("method", method) is not None, method


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_module_has_what_a_trainer_teaches_from(module):
    assert module.get("outcomes") and module.get("assessment")
    assert module.get("exercise")["trainer_notes"]["sv"].strip()
    forms = {a["form"] for a in module.get("session_plan")}
    assert forms <= set(curriculum.FORM_LABELS)
    assert {a["part"] for a in module.get("session_plan")} == {"undervisning", "ovning"}


def test_course_order_respects_every_prerequisite_and_has_every_module_once():
    order = [m.id for m in curriculum.course_order(HANDBOOK)]
    assert sorted(order) == sorted(IDS)
    for module in MODULES:
        for prerequisite in module.get("prerequisites", ()):
            assert order.index(prerequisite) < order.index(module.id), (prerequisite, module.id)


def test_prerequisites_have_no_cycle():
    groups = curriculum._strongly_connected(curriculum._graph(HANDBOOK))
    assert all(len(group) == 1 for group in groups.values())


def test_criteria_name_only_existing_modules():
    for criterion in HANDBOOK.all("criterion"):
        for module_id in (criterion.get("helped_by") or {}).get("modules", ()):
            assert module_id in IDS, (criterion.id, module_id)


def test_coverage_comes_from_the_criteria_in_one_direction():
    """Modules hold no list of criteria; each module's criteria are exactly those that name it."""
    assert all("criteria" not in m.data for m in MODULES)
    for module in MODULES:
        expected = {c.id for c in HANDBOOK.all("criterion") if module.id in (c.get("helped_by") or {}).get("modules", ())}
        assert {c.id for c in curriculum.criteria_of(HANDBOOK, module)} == expected
    every = {c.id for c in HANDBOOK.all("criterion")}
    covered = {c.id for m in MODULES for c in curriculum.criteria_of(HANDBOOK, m)}
    assert {c.id for c in curriculum.uncovered_criteria(HANDBOOK)} == every - covered


def test_every_module_helps_with_at_least_one_criterion():
    assert [m.id for m in MODULES if not curriculum.criteria_of(HANDBOOK, m)] == []


def test_contributor_template_is_a_valid_module(tmp_path):
    import shutil

    from fixture_cases import SCHEMAS, VALID
    from handbook.content import load_content

    shutil.copytree(VALID, tmp_path / "tree")
    shutil.copytree(SCHEMAS, tmp_path / "tree" / "schemas")
    folder = tmp_path / "tree" / "data" / "handledarutbildning"
    # The template's prerequisite: a module of its own (its own title and order), made from bas.yml.
    role = (folder / "bas.yml").read_text(encoding="utf-8").replace('title: {sv: "Bas"}', 'title: {sv: "Handledarens roll"}')
    (folder / "handledarens-roll.yml").write_text(role.replace("order: 1\n", "order: 3\n", 1), encoding="utf-8")
    from filling import filled_text

    (folder / "mall.yml").write_text(filled_text((ROOT / "data/handledarutbildning/_template.yml").read_text(encoding="utf-8")),
                                     encoding="utf-8")
    result = load_content(tmp_path / "tree")
    assert [str(p) for p in result.problems] == []
    assert result.handbook.get("module", "mall") is not None
