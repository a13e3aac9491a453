"""`make new KIND=... NAME=...` (handbook/scaffold.py): a starting file for every kind of record."""
from __future__ import annotations

import datetime
import io
import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from filling import own_value
from handbook import scaffold
from handbook.content import load_content
from handbook.kinds import load_kinds
from handbook.load import Where

KINDS = load_kinds(ROOT / "schemas")
TODAY = datetime.date(2026, 12, 2)

# One new record per kind: (what a partner types as KIND, NAME, ID or None).
NEW = {
    "organisation": ("organisation", "Kyrkans second hand Östersund", None),
    "method": ("metod", "Stöd på arbetsplatsen", None),
    "module": ("modul", "Introduktion för nya handledare", None),
    "criterion": ("kriterier", "Skriftlig plan för alla", None),
    "area": ("omraden", "Uppföljning och lärande", None),
    "package": ("paket", "Kartläggning av behov", None),
    "activity": ("aktivitet", "Startmöte i Umeå", None),
    "project": ("projekt", "Genomförande 2027", None),
    "taxonomy": ("taxonomier", "Branscher", None),
    "county": ("lan", "Provlänet", "02"),  # a county's id is its code; 02 is no county today
    "glossary": ("ordlista", "Praktikplats", None),
    "material": ("material", "Checklista för första dagen", None),
}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    for folder in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


# A quality profile is named after its organisation and day, not after a name (NAME is the organisation's
# id): test_profiles.py tests it.
NOT_NEW = {"profile"}


def test_every_kind_has_a_case():
    assert set(NEW) | NOT_NEW == set(KINDS)


def _set(data, where: Where, value) -> None:
    for part in where[:-1]:
        data = data[part]
    data[where[-1]] = value


def _get(data, where: Where):
    for part in where:
        data = data[part]
    return data


def _where(field: str) -> Where:
    """"steps[0].title.sv" -> ("steps", 0, "title", "sv")."""
    parts: list = []
    for name, index in __import__("re").findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return tuple(parts)


def fill_in(root, path, kind_name: str, rounds: int = 5) -> list[str]:
    """Do what a partner does after `make new`: change what the checks refuse in the new file, until
    nothing is refused (or `rounds` runs out); returns what is still refused anywhere."""
    shown = path.relative_to(root).as_posix()
    kind = KINDS[kind_name]
    targets = {".".join(str(p) for p in pattern): target for pattern, target in kind.references}
    for _ in range(rounds):
        result = load_content(root)
        errors = [p for p in result.errors if p.path == shown or shown in p.message]
        if not errors:
            return []
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in errors:
            where = _where(item.field) if item.path == shown else ()
            if item.rule.startswith("placeholder-"):
                _set(data, where, own_value(_get(data, where)))
            elif item.rule == "reference":
                target = targets[".".join("*" if isinstance(p, int) else str(p) for p in where)]
                _set(data, where, result.handbook.all(target)[0].id)
            elif item.rule in ("duplicate-title", "duplicate-name"):
                _set(data, where, _get(data, where) + " (ny)")
            elif item.rule in ("duplicate-order", "package-number"):
                key = "number" if item.rule == "package-number" else "order"
                data[key] = max(r.get(key) for r in result.handbook.all(kind_name) if isinstance(r.get(key), int)) + 1
        path.write_text(yaml.safe_dump(_dates_as_text(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [str(p) for p in load_content(root).errors]


def _dates_as_text(data):
    if isinstance(data, datetime.date):
        return data.isoformat()
    if isinstance(data, dict):
        return {k: _dates_as_text(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_as_text(v) for v in data]
    return data


@pytest.mark.parametrize("kind_name", sorted(NEW))
def test_a_new_record_of_every_kind_is_written_and_validates_once_filled_in(kind_name, project):
    word, name, given = NEW[kind_name]
    out = io.StringIO()
    path = scaffold.new(project, word, name, given, today=TODAY, out=out)
    kind = KINDS[kind_name]
    expected_id = given or scaffold.slug(name)
    assert path == project / kind.folder / f"{expected_id}.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    field = scaffold.title_field(kind)
    assert scaffold.safety._title_text(data[field]) == name
    assert str(data.get("review_by")) == "2027-12-02"
    assert set(kind.schema["required"]) <= set(data), "every required field is in the file"
    said = out.getvalue()
    assert said.startswith(f"Skrev {kind.folder}/{expected_id}.yml (id: {expected_id}).") and "make validate" in said
    assert fill_in(project, path, kind_name) == []
    assert load_content(project).handbook.get(kind_name, expected_id) is not None


def test_the_organisation_file_keeps_the_templates_comments_and_comments_out_its_examples(project):
    out = io.StringIO()
    path = scaffold.new(project, "organisationer", "Kyrkans second hand Östersund", today=TODAY, out=out)
    text = path.read_text(encoding="utf-8")
    assert path.name == "kyrkans-second-hand-ostersund.yml"
    assert 'name: "Kyrkans second hand Östersund"' in text
    assert '# website: "https://example.org/"' in text and "\nwebsite:" not in text
    assert "# Namnet som organisationen själv skriver det." in text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/organisation.schema.json\n")
    said = out.getvalue()
    assert "bortkommenterade (#): website, email, phone" in said
    assert "type, scope" in said  # required fields still holding the template's values
    problems = [str(p) for p in load_content(project).errors]
    assert problems == [], "the new file passes as written: what remains is the partner's to check"


def test_the_next_free_order_is_taken_for_a_kind_with_an_order_and_no_parent(project):
    path = scaffold.new(project, "module", "Ny modul om samtal", today=TODAY, out=io.StringIO())
    orders = [yaml.safe_load(p.read_text(encoding="utf-8"))["order"]
              for p in (project / "data" / "handledarutbildning").glob("*.yml") if not p.name.startswith("_") and p != path]
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["order"] == max(orders) + 1


@pytest.mark.parametrize("name, expected", [
    ("Kyrkans second hand Östersund", "kyrkans-second-hand-ostersund"),
    ("Café Åre & Ängelholm", "cafe-are-angelholm"),
    ("  Björkö--Söderåsen  ", "bjorko-soderasen"),
    ("Zoë's Ñandú Straße", "zoes-nandu-strasse"),
    ("Återbruk 2027", "aterbruk-2027"),
    ("!!!", ""),
])
def test_the_id_is_ascii_kebab_case_from_the_name(name, expected):
    assert scaffold.slug(name) == expected


def test_a_taken_id_is_refused_naming_the_file_and_a_free_one(project):
    before = (project / "data" / "organisationer" / "myrorna.yml").read_bytes()
    with pytest.raises(scaffold.Refused) as refused:
        scaffold.new(project, "organisation", "Myrorna", out=io.StringIO())
    assert "data/organisationer/myrorna.yml" in str(refused.value) and "ID=myrorna-2" in str(refused.value)
    assert (project / "data" / "organisationer" / "myrorna.yml").read_bytes() == before


def test_a_new_record_with_the_name_of_another_is_refused(project):
    with pytest.raises(scaffold.Refused) as refused:
        scaffold.new(project, "organisation", "MYRORNA!", given_id="myrorna-ny", out=io.StringIO())
    assert "data/organisationer/myrorna.yml" in str(refused.value)
    assert not (project / "data" / "organisationer" / "myrorna-ny.yml").exists()


@pytest.mark.parametrize("word, name", [("organisation", "Index"), ("organisation", "Län"), ("metod", "Jämförelse"),
                                        ("paket", "Budget"), ("modul", "Kursplanerare"), ("omrade", "Självskattning")])
def test_an_id_that_a_page_keeps_is_refused(word, name, project):
    with pytest.raises(scaffold.Refused) as refused:
        scaffold.new(project, word, name, out=io.StringIO())
    assert "upptaget" in str(refused.value)


def test_an_id_outside_the_kinds_pattern_is_refused(project):
    with pytest.raises(scaffold.Refused) as refused:
        scaffold.new(project, "lan", "Gotlands län", out=io.StringIO())
    assert "ID=02" in str(refused.value)  # the first free länskod
    with pytest.raises(scaffold.Refused):
        scaffold.new(project, "organisation", "Ny", given_id="Ny Id", out=io.StringIO())


def test_the_swedish_folder_word_names_the_kind_too():
    for kind in KINDS.values():
        assert scaffold.find_kind(kind.folder.rsplit("/", 1)[-1], KINDS) is kind
        assert scaffold.find_kind(kind.name.upper(), KINDS) is kind


@pytest.mark.parametrize("args", [[], ["organisation"], ["organisation", "   "], ["okand", "Namn"], ["", "Namn"]])
def test_a_missing_or_unknown_kind_or_name_gets_one_swedish_sentence_and_exit_2(args, project, capsys):
    assert scaffold.main(project, *(args + [""] * (2 - len(args)))) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.endswith(".") and "sorterna är:" in err
    for kind in KINDS.values():
        assert kind.name in err


def test_the_command_line_says_it_in_swedish_without_a_traceback(project):
    command = [sys.executable, "-m", "handbook", "--root", str(project), "new", "okand", "Namn"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr and run.stderr.startswith('Sorten "okand" finns inte')
    run = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "new", "modul", "Samtal i par"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert (project / "data" / "handledarutbildning" / "samtal-i-par.yml").is_file()


def test_a_kind_without_a_template_gets_a_file_from_its_schemas_required_fields(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", root / "schemas")
    schema = json.loads((root / "schemas" / "taxonomy.schema.json").read_text(encoding="utf-8"))
    schema["x-kind"] = {"name": "example", "folder": "data/exempel", "label": "example"}
    (root / "schemas" / "example.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    path = scaffold.new(root, "exempel", "Ord i butiken", today=TODAY, out=io.StringIO())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert path == root / "data" / "exempel" / "ord-i-butiken.yml"
    assert set(schema["required"]) <= set(data) and data["title"] == {"sv": "Ord i butiken"}
