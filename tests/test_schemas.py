"""The JSON Schemas: valid against the metaschema, self-explaining, and wired to editors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from handbook.kinds import load_kinds

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_against_the_metaschema(path):
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def _properties(node, where=""):
    """Every (where, name, schema) of a property, anywhere in a schema."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}".lstrip("."), sub
            yield from _properties(sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _properties(node[key], f"{where}[]")
        for name, sub in node.get("$defs", {}).items():
            yield from _properties(sub, f"$defs.{name}")


def _explained(sub: dict, defs: dict) -> bool:
    if "title" in sub and "description" in sub:
        return True
    ref = sub.get("$ref", "")
    target = defs.get(ref.split("/")[-1], {}) if "#/$defs/" in ref else {}
    return "title" in target and "description" in target


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_property_has_a_title_and_a_description(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    defs = json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    missing = [where for where, sub in _properties(schema) if not _explained(sub, defs)]
    assert missing == []
    assert schema.get("title") and schema.get("description")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_objects_reject_unknown_fields(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    open_objects = []

    def visit(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and node.get("additionalProperties") is not False:
                open_objects.append(where or "(top)")
            for name, sub in node.get("properties", {}).items():
                visit(sub, f"{where}.{name}")
            for key in ("items",):
                visit(node.get(key), f"{where}[]")
            for name, sub in node.get("$defs", {}).items():
                visit(sub, f"$defs.{name}")

    visit(schema, "")
    assert open_objects == []


def test_every_reference_names_a_kind_or_a_taxonomy():
    kinds = load_kinds(ROOT / "schemas")
    taxonomies = {p.stem for p in (ROOT / "data" / "taxonomier").glob("*.yml")}
    for kind in kinds.values():
        for pattern, target in kind.references:
            if target.startswith("term:"):
                assert target[5:] in taxonomies, f"{kind.name}.{'.'.join(pattern)} -> {target}"
            else:
                assert target in kinds, f"{kind.name}.{'.'.join(pattern)} -> {target}"


def test_editor_settings_map_every_kind_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = {schema: globs for schema, globs in settings["yaml.schemas"].items()}
    for kind in load_kinds(ROOT / "schemas").values():
        schema = f"./schemas/{kind.schema_file}"
        assert schema in mapping, f"{kind.name}: add {schema} to .vscode/settings.json"
        assert f"{kind.folder}/**/*.yml" in mapping[schema] or f"{kind.folder}/*.yml" in mapping[schema]
