"""Every fixture case: the valid tree is clean; each invalid file breaks one rule, with its exact message."""
from __future__ import annotations

import pytest

from fixture_cases import INVALID, VALID, cases, tree_with
from handbook.content import load_content
from handbook.problems import MESSAGES

CASES = cases()


def test_valid_tree_has_no_problems():
    result = load_content(VALID)
    assert [str(p) for p in result.problems] == []
    assert result.handbook.count("organisation") == 2


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_reports_exactly_its_messages(case, tmp_path):
    assert case.place, f"{case.path}: the first line must be `# place: <path in the content tree>`"
    assert case.expect, f"{case.path}: add `# expect: ...` lines with the exact messages"
    result = load_content(tree_with(case, tmp_path / "tree"))
    got = [str(p) for p in sorted(result.problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))]
    assert got == case.expect
    assert {p.rule for p in result.problems} == {case.rule}, "a case breaks exactly the rule its folder names"


def test_every_rule_has_a_failing_fixture():
    folders = {p.name for p in INVALID.iterdir() if p.is_dir()}
    generic = {"schema"}  # the fallback for schema keywords that have no message of their own
    assert set(MESSAGES) - generic - folders == set()
    assert folders - set(MESSAGES) == set(), "a fixture folder must be named after a rule in handbook/problems.py"
