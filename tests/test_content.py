"""Invariants over the real content: everything validates, and the shared lists are what they claim."""
from __future__ import annotations

from pathlib import Path

import pytest

from handbook.content import content_files, load_content
from handbook.problems import report

ROOT = Path(__file__).resolve().parent.parent
RESULT = load_content(ROOT)
FILES = content_files(ROOT)


def test_the_content_that_ships_has_no_problems():
    assert report(RESULT.errors) == ""


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_every_file_is_a_record(path):
    shown = path.relative_to(ROOT).as_posix()
    kinds = {r.path for kind in RESULT.handbook.kinds() for r in RESULT.handbook.all(kind)}
    assert shown in kinds


def test_the_21_counties_with_their_codes():
    counties = RESULT.handbook.counties()
    assert [c.code for c in counties] == ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
                                          "17", "18", "19", "20", "21", "22", "23", "24", "25"]
    assert {c.code: c.letter for c in counties}["23"] == "Z"
    assert RESULT.handbook.county("14").label() == "Västra Götalands län"


@pytest.mark.parametrize("taxonomy, ids", [
    ("roller", ["deltagare", "handledare", "anstalld", "frivillig", "styrelse"]),
    ("horisontella-principer", ["jamstalldhet", "icke-diskriminering", "tillganglighet"]),
    ("euse-steg", ["kontakt-och-val", "kartlaggning", "jobbsokning", "arbetsgivarkontakt", "stod-pa-och-utanfor-arbetet"]),
])
def test_taxonomies_hold_the_terms_the_sources_name(taxonomy, ids):
    assert [t.id for t in RESULT.handbook.terms(taxonomy)] == ids


def test_the_framework_lists_have_the_sizes_their_sources_give():
    assert len(RESULT.handbook.terms("ips-principer")) == 8
    assert len(RESULT.handbook.terms("equass-principer")) == 10
    assert {t.id for t in RESULT.handbook.terms("malgrupper")} >= {"langtidsarbetslosa", "sjukskrivna", "unga",
                                                                    "personer-med-funktionsnedsattning", "nyanlanda"}


def test_every_taxonomy_term_has_an_english_label():
    missing = [f"{t.taxonomy}/{t.id}" for tax in RESULT.handbook.taxonomies() for t in RESULT.handbook.terms(tax.id)
               if "en" not in t.label]
    assert missing == []


def test_no_record_publishes_a_named_person_without_consent():
    for record in RESULT.handbook.all("organisation"):
        for contact in record.get("contacts", ()):
            assert contact.get("consent"), record.path


def test_no_personal_contact_details_from_the_seed_are_published():
    # The decision basis lists named people with e-mail addresses and phone numbers: none may appear.
    text = "\n".join(p.read_text(encoding="utf-8") for p in FILES).lower()
    for fragment in ("070-996", "@stadsmissionen", "@redcross", "@socialforum", "@raddningsmissionen", "@myrorna",
                     "sandberg", "pettersson", "nordenskjöld", "appelgren", "björklund"):
        assert fragment not in text, fragment


def test_the_contributor_template_is_a_valid_record(tmp_path):
    import shutil

    from fixture_cases import SCHEMAS, VALID

    tree = tmp_path / "tree"
    shutil.copytree(VALID, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    from filling import filled_text

    text = filled_text((ROOT / "data" / "organisationer" / "_template.yml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "data" / "taxonomier", tree / "data" / "taxonomier", dirs_exist_ok=True)
    (tree / "data" / "organisationer" / "from-template.yml").write_text(text, encoding="utf-8")
    assert [str(p) for p in load_content(tree).problems] == []


def test_the_error_example_on_the_contributor_page_is_what_validate_prints(tmp_path):
    import re
    import shutil

    page = (ROOT / "docs" / "bidra" / "index.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(.*?)```", page, re.S).group(1).splitlines()
    tree = tmp_path / "tree"
    for folder in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / folder, tree / folder)
    county = tree / "data" / "lan" / "23.yml"
    county.write_text(county.read_text(encoding="utf-8").replace("letter: Z", "letter: z"), encoding="utf-8")
    roles = tree / "data" / "taxonomier" / "roller.yml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("    label: {sv: \"Deltagare\"", "    lable: {sv: \"Deltagare\"", 1), encoding="utf-8")
    assert report(load_content(tree).errors).splitlines() == shown  # warnings (such as a budget mismatch) aside
