"""The curriculum area: its rules (exact messages), queries and page fragments, without MkDocs."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from fixture_cases import SCHEMAS, VALID
from handbook.areas import curriculum
from handbook.content import load_content
from handbook.model import Handbook, Record

MODULES = "data/handledarutbildning"


def module_yaml(order: int, prerequisites: list[str], teaching: int = 20, exercise: int = 10, plan: str | None = None,
                title: str = "Modul") -> str:
    plan = plan or (f"  - {{minutes: {teaching}, part: undervisning, form: genomgang, title: {{sv: \"Genomgång\"}}}}\n"
                    f"  - {{minutes: {exercise}, part: ovning, form: rollspel, title: {{sv: \"Rollspel\"}}}}\n")
    return (f"order: {order}\n"
            f"title: {{sv: {json.dumps(title, ensure_ascii=False)}}}\n"
            "summary: {sv: \"Kort.\"}\n"
            "outcomes:\n  - {sv: \"Kunna något.\"}\n"
            f"prerequisites: [{', '.join(prerequisites)}]\n"
            f"duration:\n  teaching: {teaching}\n  exercise: {exercise}\n"
            f"session_plan:\n{plan}"
            "handout: {sv: \"Bladet.\"}\n"
            "exercise:\n  title: {sv: \"Övningen\"}\n  instructions: {sv: \"Gör så här.\"}\n  trainer_notes: {sv: \"Titta efter.\"}\n"
            "assessment:\n  - {sv: \"Det syns.\"}\n"
            "review_by: 2027-11-30\n")


@pytest.fixture
def tree(tmp_path):
    """A copy of the valid fixture tree; write(name, text) adds or replaces a module file."""
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    shutil.copytree(SCHEMAS, root / "schemas")

    def write(name: str, text: str):
        (root / MODULES / f"{name}.yml").write_text(text, encoding="utf-8")
        return root

    write.root = root
    return write


def problems(root) -> list[str]:
    result = load_content(root)
    return [str(p) for p in sorted(result.problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))]


# Rules

def test_session_plan_that_falls_short_of_the_teaching_minutes_names_both_figures(tree):
    plan = ("  - {minutes: 15, part: undervisning, form: genomgang, title: {sv: \"A\"}}\n"
            "  - {minutes: 10, part: ovning, form: rollspel, title: {sv: \"B\"}}\n")
    root = tree("bas", module_yaml(1, [], teaching=20, exercise=10, plan=plan))
    assert problems(root) == [
        "data/handledarutbildning/bas.yml:8:13: duration.teaching: aktiviteterna med `part: undervisning` i "
        "`session_plan` blir tillsammans 15 minuter, men `duration.teaching` säger 20; ändra aktiviteternas "
        "minuter eller `duration.teaching` så att de blir lika",
    ]


def test_session_plan_with_a_malformed_activity_leaves_the_sum_to_the_schema_error(tree):
    plan = ("  - {minutes: \"tio\", part: undervisning, form: genomgang, title: {sv: \"A\"}}\n"
            "  - {minutes: 10, part: ovning, form: rollspel, title: {sv: \"B\"}}\n")
    root = tree("bas", module_yaml(1, [], plan=plan))
    found = problems(root)
    assert len(found) == 1 and "session_plan[0].minutes: ska vara ett heltal" in found[0]


def test_module_that_is_its_own_prerequisite_is_reported_at_that_item(tree):
    root = tree("bas", module_yaml(1, ["bas"]))
    assert problems(root) == [
        "data/handledarutbildning/bas.yml:6:17: prerequisites[0]: modulen `bas` står som förkunskap till sig "
        "själv; en modul kan inte komma före sig själv, så ta bort `bas` från listan",
    ]


def test_cycle_of_three_modules_is_named_once_starting_at_the_first_id(tree):
    tree("bas", module_yaml(1, ["tredje"], title="Bas"))
    tree("vidare", module_yaml(2, ["bas"], title="Vidare"))
    root = tree("tredje", module_yaml(3, ["vidare"], title="Tredje"))
    assert problems(root) == [
        "data/handledarutbildning/bas.yml:6:17: prerequisites[0]: förkunskaperna går runt i en cirkel: bas → "
        'tredje → vidare → bas (→ betyder "bygger på"); ta bort en av de här förkunskaperna så att modulerna '
        "kan komma i ordning",
    ]


def test_cycle_is_reported_at_the_prerequisite_that_starts_it(tree):
    tree("bas", module_yaml(1, [], title="Bas"))
    root = tree("vidare", module_yaml(2, ["bas", "andra"], title="Vidare"))
    tree("andra", module_yaml(3, ["vidare"], title="Andra"))
    assert problems(root) == [
        "data/handledarutbildning/andra.yml:6:17: prerequisites[0]: förkunskaperna går runt i en cirkel: "
        'andra → vidare → andra (→ betyder "bygger på"); ta bort en av de här förkunskaperna så att modulerna '
        "kan komma i ordning",
    ]


def test_unknown_prerequisite_is_a_reference_problem_and_no_cycle(tree):
    root = tree("vidare", module_yaml(2, ["bsa"]))
    assert problems(root) == [
        "data/handledarutbildning/vidare.yml:6:17: prerequisites[0]: det finns inget id `bsa` bland modulerna "
        "i handledarutbildningen (menar du `bas`?); skriv ett av id:na i data/handledarutbildning/",
    ]


# Queries

def record(kind: str, record_id: str, **data) -> Record:
    return Record.of(kind, record_id, f"{kind}/{record_id}.yml", data)


def handbook_of(*records: Record) -> Handbook:
    found: dict = {}
    for r in records:
        found.setdefault(r.kind, {})[r.id] = r
    return Handbook(found)


def test_course_order_puts_prerequisites_first_and_breaks_ties_by_order():
    handbook = handbook_of(
        record("module", "a", order=3, prerequisites=["c"]),
        record("module", "b", order=1, prerequisites=["c"]),
        record("module", "c", order=2, prerequisites=[]),
        record("module", "d", order=4, prerequisites=[]),
    )
    assert [m.id for m in curriculum.course_order(handbook)] == ["c", "b", "a", "d"]
    assert [m.id for m in curriculum.course_order(handbook, ["a", "d"])] == ["a", "d"]


def test_coverage_is_derived_from_the_criteria_and_ignores_unknown_modules():
    handbook = handbook_of(
        record("module", "a", order=1), record("module", "b", order=2),
        record("area", "x", order=1, title={"sv": "X"}),
        record("criterion", "k1", area="x", order=1, helped_by={"modules": ["b", "a"]}),
        record("criterion", "k2", area="x", order=2, helped_by={"methods": ["ips"]}),
        record("criterion", "k3", area="x", order=3, helped_by={"modules": ["borta"]}),
    )
    assert [c.id for c in curriculum.criteria_of(handbook, handbook.get("module", "a"))] == ["k1"]
    assert curriculum.modules_for(handbook, handbook.get("criterion", "k1")) == ["b", "a"]
    assert [c.id for c in curriculum.uncovered_criteria(handbook)] == ["k2", "k3"]


@pytest.mark.parametrize("minutes, words", [(45, "45 min"), (60, "1 tim"), (135, "2 tim 15 min"), (1680, "28 tim")])
def test_duration_text(minutes, words):
    assert curriculum.duration_text(minutes) == words


def test_handout_headings_move_down_under_the_page_heading():
    assert curriculum._shift_headings("## Rubrik\n\ntext\n\n### Under", 4) == "#### Rubrik\n\ntext\n\n##### Under"
    assert curriculum._shift_headings("Inga rubriker", 3) == "Inga rubriker"


def test_links_follow_the_shared_url_conventions():
    here = "handledarutbildning/bas/"
    assert curriculum.href(here, curriculum.criterion_url("handledning", "utsedd-handledare")) == \
        "../../kvalitetsmodell/handledning/#utsedd-handledare"
    assert curriculum.href(here, curriculum.method_url("ips")) == "../../metoder/ips/"
    assert curriculum.href(here, curriculum.module_url("vidare")) == "../vidare/"
    assert curriculum.href(curriculum.SECTION, curriculum.module_url("vidare")) == "vidare/"


# Escaping

def test_data_is_escaped_in_pages_and_in_the_planner_data(tree):
    hostile = 'Modul <script>alert("x")</script> & </script>'
    root = tree("bas", module_yaml(1, [], title=hostile))
    (root / MODULES / "bas.yml").write_text(
        (root / MODULES / "bas.yml").read_text(encoding="utf-8").replace(
            'handout: {sv: "Bladet."}', 'handout: {sv: "<img src=x onerror=alert(1)> **fet**"}'), encoding="utf-8")
    result = load_content(root)
    assert result.ok, [str(p) for p in result.problems]
    module = result.handbook.get("module", "bas")
    page = curriculum.module_page(result.handbook, module).split("---\n", 2)[2]  # front matter is YAML, not HTML
    assert "<script>" not in page and "<img" not in page and "onerror" not in page
    assert "&lt;script&gt;" in page and "<strong>fet</strong>" in page
    form = curriculum.planner_form(result.handbook)
    data = re.search(r'<script type="application/json" id="vi-planner-data">(.*?)</script>', form, re.S).group(1)
    assert "<" not in data and ">" not in data
    assert json.loads(data)["modules"][0]["title"] == hostile


def test_module_id_that_a_hand_written_page_uses_is_refused(tree):
    root = tree("kursplanerare", module_yaml(3, []))
    assert problems(root) == [
        "data/handledarutbildning/kursplanerare.yml:1:1: (filen): id:t `kursplanerare` är redan adressen till "
        "sidan /handledarutbildning/kursplanerare/; byt namn på filen, till exempel till "
        "`kursplanerare-modul.yml`",
    ]
