"""Fixture folders found by the tests: tests/fixtures/valid/ and tests/fixtures/invalid/<rule>/<case>.yml.

An invalid case is one YAML file whose first lines say where it goes in a copy of the valid tree and
what the check must print, exactly:

    # place: data/organisationer/butiken.yml
    # expect: data/organisationer/butiken.yml:6:3: capacity: must be ...

A case may name another base tree with `# tree: profiles` (tests/fixtures/profiles/content: a
quality model with criteria, fictional organisations and their quality profiles).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
PROFILES = FIXTURES / "profiles" / "content"
TREES = {"valid": VALID, "profiles": PROFILES}
SCHEMAS = Path(__file__).parent.parent / "schemas"


@dataclass
class Case:
    rule: str
    path: Path
    place: str
    expect: list[str]
    tree: str = "valid"

    @property
    def name(self) -> str:
        return f"{self.rule}/{self.path.stem}"


def cases() -> list[Case]:
    found = []
    for path in sorted(INVALID.glob("*/*.yml")):
        place, expect, tree = None, [], "valid"
        for raw in path.read_bytes().splitlines():
            # The utf8 case holds bytes that are not UTF-8 on purpose; its header lines are ASCII.
            line = raw.decode("utf-8", errors="replace")
            if line.startswith("# place: "):
                place = line[len("# place: "):].strip()
            elif line.startswith("# expect: "):
                expect.append(line[len("# expect: "):])
            elif line.startswith("# tree: "):
                tree = line[len("# tree: "):].strip()
        found.append(Case(path.parent.name, path, place, expect, tree))
    return found


def tree_with(case: Case, target: Path) -> Path:
    """A copy of the case's base tree (the valid tree unless it names another) and the schemas, with
    the case's file in its place."""
    shutil.copytree(TREES[case.tree], target)
    shutil.copytree(SCHEMAS, target / "schemas")
    destination = target / case.place
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(case.path.read_bytes())
    return target
