"""The quality model's rules, with their exact messages: at most four levels, one order number each."""
from __future__ import annotations

import shutil
from pathlib import Path

from fixture_cases import SCHEMAS, VALID
from handbook.content import load_content

CRITERION = """\
area: handledning
order: {order}
title: {{sv: "{title}"}}
summary: {{sv: "En mening."}}
requirement: {{sv: "Det här krävs."}}
in_return: {{sv: "Det här får ni."}}
indicators:
  - {{sv: "Ett tecken."}}
evidence:
  - {{sv: "Ett belägg."}}
levels:
{levels}
roles: [handledare]
review_by: 2027-11-30
"""


def criterion(order: int = 1, title: str = "Ett kriterium", levels: int = 4) -> str:
    return CRITERION.format(order=order, title=title,
                            levels="\n".join(f'  - {{sv: "Nivå {n}."}}' for n in range(1, levels + 1)))


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(VALID, root)
    shutil.copytree(SCHEMAS, root / "schemas")
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content, encoding="utf-8")
    return root


def messages(root: Path) -> list[str]:
    return sorted(str(p) for p in load_content(root).problems)


def test_four_levels_are_fine(tmp_path):
    assert messages(tree(tmp_path, {"data/kvalitetsmodell/kriterier/utsedd.yml": criterion()})) == []


def test_five_levels_are_too_many(tmp_path):
    root = tree(tmp_path, {"data/kvalitetsmodell/kriterier/utsedd.yml": criterion(levels=5)})
    assert messages(root) == [
        "data/kvalitetsmodell/kriterier/utsedd.yml:12:3: levels: får ha högst 4 punkter, men har 5",
    ]


def test_three_levels_are_too_few(tmp_path):
    root = tree(tmp_path, {"data/kvalitetsmodell/kriterier/utsedd.yml": criterion(levels=3)})
    assert messages(root) == [
        "data/kvalitetsmodell/kriterier/utsedd.yml:12:3: levels: ska ha minst 4 punkter, men har 3",
    ]


def test_two_criteria_of_an_area_may_not_share_an_order(tmp_path):
    root = tree(tmp_path, {
        "data/kvalitetsmodell/kriterier/utsedd.yml": criterion(order=1),
        "data/kvalitetsmodell/kriterier/vikarie.yml": criterion(order=1, title="En vikarie"),
        "data/kvalitetsmodell/kriterier/tid.yml": criterion(order=2, title="Tid"),
    })
    assert messages(root) == [
        "data/kvalitetsmodell/kriterier/vikarie.yml:2:8: order: ordningsnumret 1 används redan av "
        "`data/kvalitetsmodell/kriterier/utsedd.yml`; ge varje kriterium i ett område ett eget nummer",
    ]


def test_criteria_of_different_areas_may_share_an_order(tmp_path):
    other_area = (VALID / "data/kvalitetsmodell/omraden/handledning.yml").read_text(encoding="utf-8").replace(
        "order: 1", "order: 2").replace('title: {sv: "Handledning"', 'title: {sv: "Validering"')
    root = tree(tmp_path, {
        "data/kvalitetsmodell/omraden/validering.yml": other_area,
        "data/kvalitetsmodell/kriterier/utsedd.yml": criterion(order=1),
        "data/kvalitetsmodell/kriterier/intyg.yml": criterion(order=1).replace("area: handledning", "area: validering"),
    })
    assert messages(root) == []


def test_two_areas_may_not_share_an_order(tmp_path):
    area = (VALID / "data/kvalitetsmodell/omraden/handledning.yml").read_text(encoding="utf-8").replace(
        'title: {sv: "Handledning"', 'title: {sv: "Samverkan"')  # a new area, not a copy (that is `duplicate-title`)
    root = tree(tmp_path, {"data/kvalitetsmodell/omraden/samverkan.yml": area})
    assert messages(root) == [
        "data/kvalitetsmodell/omraden/samverkan.yml:1:8: order: ordningsnumret 1 används redan av "
        "`data/kvalitetsmodell/omraden/handledning.yml`; ge varje område ett eget nummer",
    ]
