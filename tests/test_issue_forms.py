"""The issue forms: generated from the schemas and the content, valid for GitHub, with the promised ids."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from handbook import forms
from handbook.kinds import load_kinds

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
FORMS = sorted(p for p in TEMPLATES.glob("*.yml") if p.name != "config.yml")
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def _check(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True)


def _form(name: str) -> dict:
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


def test_the_five_forms_and_the_config_are_there():
    assert sorted(p.name for p in TEMPLATES.glob("*.yml")) == [
        "config.yml", "kvalitetsprofil.yml", "metod.yml", "organisation.yml", "ratta-text.yml", "tillganglighet.yml"]


def test_every_form_is_a_valid_github_issue_form():
    result = _check("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_config_is_a_valid_github_issue_config():
    result = _check("vendor.github-issue-config", TEMPLATES / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    config = _form("config.yml")
    assert config["blank_issues_enabled"] is False
    assert any(link["url"].endswith("/CONTRIBUTING.md") for link in config["contact_links"])


def test_the_check_refuses_a_broken_form(tmp_path):
    broken = _form("ratta-text.yml")
    broken["body"][1]["type"] = "text-field"  # not an element GitHub knows
    del broken["name"]
    (tmp_path / "broken.yml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    result = _check("vendor.github-issue-forms", tmp_path / "broken.yml")
    assert result.returncode == 1
    assert "broken.yml" in result.stdout


def test_the_check_refuses_a_broken_config(tmp_path):
    (tmp_path / "config.yml").write_text("blank_issues_enabled: maybe\ncontact_links:\n  - name: x\n", encoding="utf-8")
    assert _check("vendor.github-issue-config", tmp_path / "config.yml").returncode == 1


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_every_form_asks_for_the_page_first(path):
    body = yaml.safe_load(path.read_text(encoding="utf-8"))["body"]
    fields = [e for e in body if e["type"] != "markdown"]
    assert fields[0]["id"] == "sida" and fields[0]["type"] == "input"


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_labels_and_ids_are_unique_within_a_form(path):
    body = [e for e in yaml.safe_load(path.read_text(encoding="utf-8"))["body"] if e["type"] != "markdown"]
    ids = [e["id"] for e in body]
    labels = [e["attributes"]["label"] for e in body]
    assert len(ids) == len(set(ids)) and len(labels) == len(set(labels))


def test_the_committed_record_forms_are_what_the_generator_writes():
    assert forms.stale(ROOT) == [], "run `python -m handbook forms` and commit the forms"


def test_the_drift_check_notices_a_changed_schema(tmp_path):
    for name in ("schemas", "data", "methods"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(TEMPLATES, tmp_path / ".github" / "ISSUE_TEMPLATE")
    assert forms.stale(tmp_path) == []
    schema_path = tmp_path / "schemas" / "organisation.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["municipality"]["title"] = "Kommun där ni finns"
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert [p.name for p in forms.stale(tmp_path)] == ["organisation.yml"]
    # a new term in a list changes the form too
    (tmp_path / "data" / "lan" / "02.yml").write_text((ROOT / "data" / "lan" / "01.yml").read_text(encoding="utf-8")
                                                     .replace("Stockholms län", "Påhittat län"), encoding="utf-8")
    forms.write(tmp_path)
    assert forms.stale(tmp_path) == []
    assert "Påhittat län (02)" in (tmp_path / ".github" / "ISSUE_TEMPLATE" / "organisation.yml").read_text(encoding="utf-8")


def test_the_forms_command_checks_and_writes(tmp_path):
    for name in ("schemas", "data", "methods"):
        shutil.copytree(ROOT / name, tmp_path / name)
    env_cmd = [sys.executable, "-m", "handbook", "--root", str(tmp_path), "forms"]
    checked = subprocess.run([*env_cmd, "--check"], capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 1
    assert "organisation.yml stämmer inte med schemat" in checked.stdout
    written = subprocess.run(env_cmd, capture_output=True, text=True, cwd=ROOT)
    assert written.returncode == 0 and "Skrev .github/ISSUE_TEMPLATE/metod.yml" in written.stdout
    assert subprocess.run([*env_cmd, "--check"], capture_output=True, text=True, cwd=ROOT).returncode == 0


def _schema_for(kind: str) -> tuple[dict, dict]:
    schema = load_kinds(ROOT / "schemas")[kind].schema
    common = json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    return schema, common


@pytest.mark.parametrize("kind,file", [("organisation", "organisation.yml"), ("method", "metod.yml")])
def test_one_field_per_schema_property_with_its_name_as_id_and_its_title_as_label(kind, file):
    schema, common = _schema_for(kind)
    body = {e["id"]: e for e in _form(file)["body"] if e["type"] != "markdown"}
    expected = ["sida", "befintlig"] + [p for p in schema["properties"] if p not in forms.LEFT_OUT]
    assert list(body) == expected
    for prop in expected[2:]:
        node = schema["properties"][prop]
        if "title" not in node:
            node = common[node["$ref"].rsplit("/", 1)[-1]]
        assert body[prop]["attributes"]["label"] == node["title"]
        assert body[prop]["attributes"]["description"].startswith(node["description"])
        required = body[prop].get("validations", {}).get("required", False)
        if body[prop]["type"] != "checkboxes":
            assert required == (prop in schema["required"]), prop


def test_the_organisation_form_has_the_promised_ids():
    ids = [e.get("id") for e in _form("organisation.yml")["body"]]
    for promised in ("sida", "befintlig", "name", "type", "scope", "county", "municipality", "website",
                     "offers", "target_groups", "description", "review_by"):
        assert promised in ids


def test_dropdowns_and_checkboxes_come_from_enums_counties_and_terms():
    from handbook.load import load_file

    body = {e.get("id"): e for e in _form("organisation.yml")["body"]}
    assert body["scope"]["type"] == "dropdown"
    assert body["scope"]["attributes"]["options"] == load_kinds(ROOT / "schemas")["organisation"].schema[
        "properties"]["scope"]["enum"]
    counties = sorted(p.stem for p in (ROOT / "data" / "lan").glob("[0-9]*.yml"))
    assert [o[-3:-1] for o in body["county"]["attributes"]["options"]] == counties
    types = load_file(ROOT / "data" / "taxonomier" / "organisationstyper.yml", "x").data["terms"]
    assert body["type"]["attributes"]["options"] == [t["label"]["sv"] for t in types]
    offers = load_file(ROOT / "data" / "taxonomier" / "arbetstraning.yml", "x").data["terms"]
    assert body["offers"]["type"] == "checkboxes"
    assert [o["label"] for o in body["offers"]["attributes"]["options"]] == [t["label"]["sv"] for t in offers]
    assert body["description"]["type"] == "textarea"


def test_contacts_are_left_out_of_a_public_form_and_the_form_says_so():
    ids = [e.get("id") for e in _form("organisation.yml")["body"]]
    assert "contacts" not in ids and "id" not in ids
    intro = _form("organisation.yml")["body"][0]["attributes"]["value"]
    assert "syns öppet" in intro


def test_a_schema_property_the_generator_cannot_ask_for_is_an_error(tmp_path):
    for name in ("schemas", "data", "methods"):
        shutil.copytree(ROOT / name, tmp_path / name)
    schema_path = tmp_path / "schemas" / "organisation.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["opening_hours"] = {"title": "Öppettider", "description": "x", "type": "object",
                                             "properties": {}, "additionalProperties": False}
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(forms.FormDefinitionError, match="opening_hours"):
        forms.record_form(tmp_path, "organisation")
