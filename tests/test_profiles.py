"""Quality profiles: the record kind, its named queries and katalog.json's `profile` column.

The rules' exact messages are in the fixture folders tests/fixtures/invalid/profile-*/ (and cases in
reference/, date/, enum/, type/ on the profiles tree), run by test_fixtures.py."""
from __future__ import annotations

import datetime
import json
import shutil

import pytest

from conftest import ROOT
from fixture_cases import PROFILES, SCHEMAS
from handbook.areas import directory, profiles
from handbook.content import load_content
from handbook.model import Handbook, Record

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    result = load_content(PROFILES)
    assert [str(p) for p in result.problems] == []
    return result.handbook


def test_the_profiles_tree_is_clean_and_every_organisation_is_fictional(handbook):
    assert handbook.count("profile") == 5
    real = {path.stem for path in (ROOT / "data" / "organisationer").glob("*.yml")}
    assert not {r.get("organisation") for r in handbook.all("profile")} & real


def test_the_real_content_ships_no_profile_only_the_template():
    assert [p.name for p in (ROOT / "data" / "kvalitetsprofiler").iterdir()] == ["_template.yml"]


def test_the_template_is_a_valid_profile_once_copied(tmp_path):
    """The template's ids are examples; with real ids of the fixture tree it passes every check but the example texts."""
    tree = tmp_path / "tree"
    shutil.copytree(PROFILES, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    text = (ROOT / "data" / "kvalitetsprofiler" / "_template.yml").read_text(encoding="utf-8")
    text = text.replace("kyrkans-second-hand-ostersund", "sortera-mera").replace("arbete-som-mal", "gemensam-plan")
    (tree / "data" / "kvalitetsprofiler" / "sortera-mera-2026-10-15.yml").write_text(text, encoding="utf-8")
    rules = [p.rule for p in load_content(tree).problems]
    assert rules == ["placeholder-text"]  # the template's note is an example text: a partner writes their own


def test_profiles_of_lists_an_organisations_profiles_newest_first(handbook):
    assert [r.id for r in profiles.profiles_of(handbook, "butiken-i-norrby")] == [
        "butiken-i-norrby-2026-10-20", "butiken-i-norrby-2025-06-10"]
    assert profiles.latest(handbook, "butiken-i-norrby").id == "butiken-i-norrby-2026-10-20"
    assert profiles.profiles_of(handbook, "sortera-mera") == ()
    assert profiles.latest(handbook, "sortera-mera") is None
    assert profiles.with_profiles(handbook) == ["ateranvandarna", "butiken-i-norrby", "kooperativet-lyftet",
                                                 "verkstan-i-sta"]


def _record(criteria, date="2026-11-01", organisation="x") -> Record:
    return Record.of("profile", f"{organisation}-{date}", "p.yml",
                     {"organisation": organisation, "date": date, "assessed_by": "self", "criteria": criteria})


def test_level_reached_is_the_lowest_rated_level_of_the_area(handbook):
    record = _record({"utsedd-handledare": {"level": 4}, "tid-for-handledning": {"level": 2},
                      "stod-till-handledaren": {"level": "ej relevant"},
                      "gemensam-plan": {"level": "ej relevant"}, "arbetsgivarkontakter": {"level": 3}})
    assert [(a.id, level) for a, level in profiles.area_levels(handbook, record)] == [
        ("handledning", 2), ("samverkan", 3), ("validering", None)]
    assert profiles.level_vector(handbook, record) == [2, 3, 0]


def test_an_area_of_only_not_relevant_or_left_out_criteria_has_no_level(handbook):
    record = _record({"gemensam-plan": {"level": "ej relevant"}, "arbetsgivarkontakter": {"level": "ej relevant"}})
    assert profiles.level_vector(handbook, record) == [0, 0, 0]


def test_summary_counts_rated_not_relevant_and_not_assessed_per_area(handbook):
    record = handbook.get("profile", "verkstan-i-sta-2026-03-01")
    got = [(s.area.id, s.level, s.rated, s.not_relevant, s.not_assessed) for s in profiles.summary(handbook, record)]
    # Counted by hand from the file: handledning rates 2 of 3, samverkan 1 rated and 1 not relevant, validering none.
    assert got == [("handledning", 2, 2, 0, 1), ("samverkan", 1, 1, 1, 0), ("validering", None, 0, 0, 1)]
    assert [c.id for c in profiles.not_covered(handbook, record)] == ["stod-till-handledaren", "intyg-vid-avslut"]


def test_a_profile_is_current_for_twelve_months_counted_to_the_day():
    record = _record({}, date="2025-12-01")
    assert profiles.is_current(record, datetime.date(2026, 12, 1))
    assert not profiles.is_current(record, datetime.date(2026, 12, 2))
    assert profiles.cutoff(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)
    assert profiles.cutoff(datetime.date(2027, 1, 31)) == datetime.date(2026, 1, 31)


def test_today_comes_from_handbook_today(monkeypatch):
    record = _record({}, date="2025-12-01")
    monkeypatch.setenv("HANDBOOK_TODAY", "2026-12-01")
    assert profiles.is_current(record)
    monkeypatch.setenv("HANDBOOK_TODAY", "2026-12-02")
    assert not profiles.is_current(record)


@pytest.mark.parametrize("criteria", [None, 3, "text", ["utsedd-handledare"], {"utsedd-handledare": 3},
                                      {"utsedd-handledare": {"level": [3]}}, {"utsedd-handledare": {"level": True}},
                                      {3: {"level": 3}}])
def test_queries_skip_what_is_not_of_the_expected_shape(handbook, criteria):
    record = _record(criteria)
    assert profiles.ratings(record) == {}
    assert profiles.level_vector(handbook, record) == [0, 0, 0]
    assert len(profiles.not_covered(handbook, record)) == 6


def test_catalogue_has_the_profile_areas_and_a_profile_cell_per_row(handbook, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", TODAY.isoformat())
    data = json.loads(json.dumps(directory.catalogue(handbook)))
    assert data["columns"][-1] == "profile"
    assert data["profile_areas"] == ["handledning", "samverkan", "validering"]
    cells = {row[0]: row[-1] for row in data["rows"]}
    # From the files: butiken's latest (2026-10-20, peer) has handledning 4/3/3 -> 3, samverkan 2/3 -> 2,
    # validering only "ej relevant" -> 0; återanvändarna's only profile (2025-09-01) is out of date.
    assert cells == {
        "butiken-i-norrby": [1, [3, 2, 0]],
        "verkstan-i-sta": [1, [2, 1, 0]],
        "kooperativet-lyftet": [1, [1, 2, 2]],
        "ateranvandarna": [0, [3, 4, 3]],
        "sortera-mera": None, "kyrkans-second-hand": None, "riksforbundet": None,
    }


def test_the_catalogue_cell_follows_the_build_day(handbook, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-10-21")
    cells = {row[0]: row[-1] for row in directory.catalogue(handbook)["rows"]}
    assert cells["butiken-i-norrby"][0] == 0 and cells["kooperativet-lyftet"][0] == 1


# The benchmark's synthetic profiles (the benchmark itself is `make bench`, never a test)


def _bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_gives_two_thirds_of_its_organisations_valid_profiles(tmp_path, monkeypatch):
    bench = _bench()
    monkeypatch.setenv("HANDBOOK_TODAY", TODAY.isoformat())
    root = tmp_path / "project"
    for name in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    bench.add_synthetic_networks(root)
    organisations = bench.synthetic_organisations(90, root)
    for record_id, text in organisations:
        (root / "data" / "organisationer" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    ids = [record_id for record_id, _ in organisations]
    generated = bench.synthetic_profiles(ids, root, today=TODAY)
    assert generated == bench.synthetic_profiles(ids, root, today=TODAY), "seeded: the same profiles every time"
    for record_id, text in generated:
        (root / "data" / "kvalitetsprofiler" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    result = load_content(root)
    assert [str(p) for p in result.errors] == []
    assert len(profiles.with_profiles(result.handbook)) == 60
    assert result.handbook.count("profile") == len(generated) > 60  # some have an earlier profile too
    current = [o for o in ids if profiles.latest_current(result.handbook, o, TODAY)]
    assert 0 < len(current) < 60  # most current, some out of date


# `make new KIND=kvalitetsprofiler NAME=<organisation>`


def test_make_new_writes_a_profile_named_after_the_organisation_and_today(tmp_path):
    import io

    from handbook import scaffold

    tree = tmp_path / "tree"
    shutil.copytree(PROFILES, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    out = io.StringIO()
    path = scaffold.new(tree, "kvalitetsprofiler", "sortera-mera", today=TODAY, out=out)
    assert path == tree / "data" / "kvalitetsprofiler" / "sortera-mera-2026-12-01.yml"
    text = path.read_text(encoding="utf-8")
    assert "\norganisation: sortera-mera\n" in text and "\ndate: 2026-12-01\n" in text
    assert out.getvalue().startswith("Skrev data/kvalitetsprofiler/sortera-mera-2026-12-01.yml (id: sortera-mera-2026-12-01).")
    # What is left is the partner's: the template's criteria ids (of the real model) and its example note.
    rules = sorted({p.rule for p in load_content(tree).errors})
    assert rules == ["placeholder-text", "profile-criterion"]
    text = text.replace("utsedd-handledare:", "tid-for-handledning:").replace("arbete-som-mal:", "gemensam-plan:")
    path.write_text(text.replace("Alla deltagare har en utsedd handledare med tid avsatt i schemat.", "Egen anteckning."),
                    encoding="utf-8")
    assert [str(p) for p in load_content(tree).errors] == []


def test_make_new_refuses_a_profile_for_an_organisation_that_is_not_there(tmp_path):
    import io

    from handbook import scaffold

    tree = tmp_path / "tree"
    shutil.copytree(PROFILES, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    with pytest.raises(scaffold.Refused) as refused:
        scaffold.new(tree, "profile", "sortera-mer", today=TODAY, out=io.StringIO())
    assert 'Det finns ingen organisation "sortera-mer"' in str(refused.value) and "NAME=sortera-mera" in str(refused.value)
    assert [p.name for p in (tree / "data" / "kvalitetsprofiler").iterdir() if p.name.startswith("sortera")] == []
