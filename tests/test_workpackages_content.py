"""Invariants over the real work packages, and the transcription checked against the source's budget table.

tests/fixtures/sources/004-budget.txt is section 7 of the decision basis `004`, copied verbatim (it holds
no personal data). The test reads the table's rows and amounts in order and compares them with the
activity records, so a mistyped amount, a lost row or a reordered line item shows up as a diff.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.areas import workpackages as wp
from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(__file__).parent / "fixtures" / "sources" / "004-budget.txt"
PRINTED = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


@pytest.fixture(scope="module")
def result():
    return load_content(ROOT)


@pytest.fixture(scope="module")
def handbook(result):
    assert result.ok, [str(p) for p in result.errors]
    return result.handbook


def activities(handbook):
    return handbook.all("activity")


# The source's table, read row by row


def source_rows() -> tuple[list[dict], str]:
    """(rows of the table, the printed total). A line whose first cell is empty continues the row above."""
    rows: list[dict] = []
    total = None
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("Tid\tAktivitet\tKostnad") + 1
    for line in lines[start:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        when, what, cost = (cells + ["", "", ""])[:3]
        if "TOTAL KOSTNAD" in what:
            total = re.sub(r"<[^>]+>", "", cost).strip()
            continue
        amounts = PRINTED.findall(cost)
        if when.strip():
            rows.append({"when": when.strip(), "what": what.split(" <ul")[0].strip(), "amounts": amounts})
        else:
            rows[-1]["amounts"] += amounts
    return rows, total


def months_in(printed: str) -> list[str]:
    """"Maj-juni", "Maj - juni" -> [maj, juni]; "mars" -> [mars]."""
    return [part.strip().lower() for part in re.split(r"\s*-\s*", printed)]


def test_the_source_excerpt_is_the_budget_table():
    rows, total = source_rows()
    assert len(rows) == 16
    assert total == "86.000"
    assert sum(int(a.replace(".", "")) for row in rows for a in row["amounts"]) == 83500


def test_every_row_of_the_source_is_an_activity_in_the_same_order(handbook):
    rows, _ = source_rows()
    records = wp.activities_of(handbook, "forstudie")
    assert [(r.get("month_text"), r.get("source_text")) for r in records] == [(row["when"], row["what"]) for row in rows]


def test_every_amount_is_transcribed_as_printed_and_in_order(handbook):
    rows, _ = source_rows()
    records = wp.activities_of(handbook, "forstudie")
    assert [[item["amount_text"] for item in wp.line_items(r)] for r in records] == [row["amounts"] for row in rows]
    assert [[item["amount"] for item in wp.line_items(r)] for r in records] == [
        [int(a.replace(".", "")) for a in row["amounts"]] for row in rows]


def test_every_month_is_transcribed_as_printed(handbook):
    rows, _ = source_rows()
    records = wp.activities_of(handbook, "forstudie")
    assert [wp.months_of(r) for r in records] == [months_in(row["when"]) for row in rows]


def test_the_stated_total_is_the_sources_total(handbook):
    _, total = source_rows()
    project = handbook.get("project", "forstudie")
    assert project.get("stated_total_text") == total
    assert project.get("stated_total") == int(total.replace(".", ""))


# Invariants


def test_every_activity_belongs_to_a_project_and_to_a_package_of_that_project(handbook):
    for activity in activities(handbook):
        project = handbook.get("project", activity.get("project"))
        assert project is not None, activity.path
        if activity.get("package") is not None:
            package = handbook.get("package", activity.get("package"))
            assert package is not None, activity.path
            assert package.get("project") == project.id, activity.path


def test_every_package_belongs_to_a_project_and_numbers_run_from_one(handbook):
    for project in wp.projects(handbook):
        numbers = [p.get("number") for p in wp.packages_of(handbook, project.id)]
        assert numbers == list(range(1, len(numbers) + 1)), project.id
    assert all(handbook.get("project", p.get("project")) for p in handbook.all("package"))


def test_amounts_are_whole_kronor_and_match_the_amount_as_printed(handbook):
    for activity in activities(handbook):
        for item in wp.line_items(activity):
            amount = item.get("amount")
            assert isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0, activity.path
            if "amount_text" in item:
                assert wp.printed_amount(item["amount_text"]) == amount, activity.path
    for project in wp.projects(handbook):
        if project.get("stated_total_text") is not None:
            assert wp.printed_amount(project.get("stated_total_text")) == project.get("stated_total")


def test_activity_months_are_months_of_its_project(handbook):
    for activity in activities(handbook):
        project = handbook.get("project", activity.get("project"))
        assert set(activity.get("months")) <= set(project.get("months")), activity.path


def test_the_stated_total_is_compared_and_the_mismatch_reported_with_both_figures(result, handbook):
    assert wp.computed_total(handbook, "forstudie") == 83500
    assert handbook.get("project", "forstudie").get("stated_total") == 86000
    warnings = [p for p in result.problems if p.warning]
    assert [(p.path, p.field) for p in warnings] == [("data/arbetspaket/projekt/forstudie.yml", "stated_total")]
    assert "86000 kr" in warnings[0].message and "83500 kr" in warnings[0].message
    assert "2500 kr mindre" in warnings[0].message


def test_every_project_with_a_stated_total_gets_compared(result, handbook):
    for project in wp.projects(handbook):
        stated = project.get("stated_total")
        if stated is None:
            continue
        warned = [p for p in result.problems if p.warning and p.path == project.path]
        assert bool(warned) == (stated != wp.computed_total(handbook, project.id)), project.id


def test_the_development_group_is_fourteen_organisations_without_personal_contacts(handbook):
    members = wp.group_members(handbook, handbook.get("project", "forstudie").get("group"))
    assert len(members) == 14
    for organisation, role in members:
        assert role and role.get("sv"), organisation.path
        assert not organisation.get("contacts"), f"{organisation.path}: no named persons in the development group"

