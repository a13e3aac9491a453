"""Every fixture case: the valid tree is clean; each invalid file breaks one rule, with its exact message."""
from __future__ import annotations

import pytest

from fixture_cases import INVALID, SCHEMAS, VALID, cases, tree_with
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
    warnings = {"stated-total"}  # a warning over the real content, tested in test_workpackages
    assert set(MESSAGES) - generic - warnings - folders == set()
    assert folders - set(MESSAGES) == set(), "a fixture folder must be named after a rule in handbook/problems.py"


# The quick validator (a compiled schema that only says valid or not) lets a file through without the
# full validator only when the full validator finds nothing either: same answer on every file here.


def _files_with_kinds():
    from handbook.kinds import kind_for, load_kinds
    from handbook.load import load_file

    from conftest import ROOT

    kinds = load_kinds(SCHEMAS)
    found = []
    for case in CASES:
        kind = kind_for(case.place, kinds)
        if kind:
            found.append((case.name, kind, load_file(case.path, case.place).data))
    for base in (VALID, ROOT):
        for folder in ("data", "methods"):
            for path in sorted((base / folder).rglob("*.yml")):
                shown = path.relative_to(base).as_posix()
                kind = kind_for(shown, kinds)
                if kind and not path.name.startswith("_"):
                    found.append((shown, kind, load_file(path, shown).data))
    return found


FILES_WITH_KINDS = _files_with_kinds()


def _edge_values():
    """Values where two validators could part ways: calendar dates, links, patterns and line ends."""
    from handbook.kinds import load_kinds
    from handbook.load import load_file

    kinds = load_kinds(SCHEMAS)
    base = load_file(VALID / "data" / "organisationer" / "riksforbundet.yml", "x").data
    changes = [("review_by", "2027-02-29"), ("review_by", "2028-02-29"), ("review_by", "2027-1-01"),
               ("review_by", "2027-01-01\n"), ("website", "example.org"), ("website", "https://x"),
               ("website", "https://example.org/a b"), ("website", "HTTPS://EXAMPLE.ORG/"), ("email", "info@example.org\n"),
               ("email", "info@exempel.se"), ("phone", "031-12 34 56"), ("phone", "031-12 34 56\n"), ("languages", ["sv", "sv"]),
               ("languages", ["sv\n"]), ("capacity", 0), ("capacity", -1), ("capacity", 2.5), ("capacity", True),
               ("county", "14"), ("name", ""), ("unknown", 1)]
    return [(f"{field}={value!r}", kinds["organisation"], {**base, field: value}) for field, value in changes]


AGREEMENT_CASES = FILES_WITH_KINDS + _edge_values()


@pytest.mark.parametrize("name, kind, data", AGREEMENT_CASES, ids=[item[0] for item in AGREEMENT_CASES])
def test_the_quick_validator_agrees_with_the_full_one(name, kind, data):
    full = not any(True for _ in kind.validator.iter_errors(data))
    quick = kind.quick_validator.is_valid(data)
    assert quick == full, f"{name}: quick says {'valid' if quick else 'invalid'}, full says {'valid' if full else 'invalid'}"
