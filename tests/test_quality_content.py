"""Invariants over the real quality model: its shape, its references and its published dataset."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import ROOT
from handbook.areas import quality
from handbook.content import load_content

RESULT = load_content(ROOT)
HANDBOOK = RESULT.handbook
CRITERIA = HANDBOOK.all("criterion")
AREAS = HANDBOOK.all("area")

# The areas the seeds name (issue 3).
SEED_AREAS = {"arbetstraningsplatsen", "handledning", "matchning-och-stod", "validering", "vagen-till-arbete",
              "samverkan", "delaktighet-och-vardegrund", "verksamhetens-forutsattningar"}


def test_the_content_has_no_problems():
    assert [str(p) for p in RESULT.problems if p.path.startswith("data/kvalitetsmodell")] == []


def test_six_to_nine_areas_and_thirty_or_more_criteria():
    assert 6 <= len(AREAS) <= 9
    assert len(CRITERIA) >= 30


def test_every_area_the_seeds_name_is_there():
    assert SEED_AREAS <= {a.id for a in AREAS}


def test_area_ids_do_not_collide_with_the_hand_written_pages():
    assert {a.id for a in AREAS} & quality.RESERVED_IDS == set()


@pytest.mark.parametrize("criterion", CRITERIA, ids=[c.path for c in CRITERIA])
def test_criterion_has_four_levels_and_resolved_references(criterion):
    assert len(criterion.get("levels")) == 4
    assert all(level["sv"].strip() for level in criterion.get("levels"))
    assert HANDBOOK.get("area", criterion.get("area")) is not None
    helped = criterion.get("helped_by") or {}
    for module_id in helped.get("modules", ()):
        assert HANDBOOK.get("module", module_id) is not None, module_id
    for method_id in helped.get("methods", ()):
        assert HANDBOOK.get("method", method_id) is not None, method_id
    roles = {t.id for t in HANDBOOK.terms("roller")}
    assert set(criterion.get("roles")) <= roles


@pytest.mark.parametrize("criterion", CRITERIA, ids=[c.path for c in CRITERIA])
def test_criterion_points_to_help_and_sources_its_frameworks(criterion):
    assert quality.helpers(HANDBOOK, criterion), "name at least one module or method that helps meet it"
    frameworks = criterion.get("frameworks") or {}
    if any(frameworks.get(k) for k in frameworks):
        assert criterion.get("sources"), "a criterion that draws on a framework gives its source"


def test_every_area_has_criteria_with_unique_numbers():
    for area in AREAS:
        criteria = quality.criteria_of(HANDBOOK, area.id)
        assert criteria, area.id
        orders = [c.get("order") for c in criteria]
        assert len(orders) == len(set(orders)), area.id
        assert [quality.number(HANDBOOK, c) for c in criteria] == [
            f"{area.get('order')}.{n}" for n in range(1, len(criteria) + 1)]


def test_criterion_ids_are_unique_anchors_on_their_area_page():
    ids = [c.id for c in CRITERIA]
    assert len(ids) == len(set(ids))
    assert "kriterier-i-omradet" not in ids


def test_the_combined_dataset_holds_every_area_with_its_criteria():
    files = dict(quality.model_files(HANDBOOK))
    model = json.loads(files["data/kvalitetsmodell.json"])
    assert [a["id"] for a in model["areas"]] == [a.id for a in AREAS]
    assert sum(len(a["criteria"]) for a in model["areas"]) == len(CRITERIA)
    assert [level["name"]["sv"] for level in model["levels"]] == ["Påbörjad", "Delvis på plats", "På plats",
                                                                 "Utvecklas systematiskt"]
    handledning = next(a for a in model["areas"] if a["id"] == "handledning")
    assert [c["id"] for c in handledning["criteria"]] == [c.id for c in quality.criteria_of(HANDBOOK, "handledning")]

    rows = list(csv.DictReader(io.StringIO(files["data/kvalitetsmodell.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(CRITERIA)
    assert list(rows[0]) == quality.CSV_COLUMNS
    first = quality.criteria_of(HANDBOOK, AREAS[0].id)[0]
    assert rows[0]["criterion_id"] == first.id and rows[0]["number"] == f"{AREAS[0].get('order')}.1"
    assert rows[0]["level_4"] == first.get("levels")[3]["sv"]
