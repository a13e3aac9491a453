"""The kinds of record, read from the JSON Schemas in `schemas/`.

A schema names its kind and folder in `x-kind`, and marks a field that refers
to other records with `x-ref` ("county", or "term:malgrupper" for a term of a
taxonomy). Adding a kind is adding a schema: nothing else keeps a list of them.
"""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_BASE = "json-schema:///"  # where the quick validator finds the schemas, by file name
ID_EXPECTED = 'lowercase a-z, 0-9 and hyphens, such as "unga"'


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str
    label: str
    schema_file: str
    schema: dict
    registry: Registry
    id_pattern: str = ID_PATTERN
    schemas: tuple = ()  # (file name, schema) of every schema beside this one, for references between them

    @cached_property
    def validator(self) -> Draft202012Validator:
        """The validator whose errors the check translates into plain words."""
        return _Validator(self.schema, registry=self.registry, format_checker=_formats())

    @cached_property
    def quick_validator(self):
        """The same schema compiled by a much faster validator that only says valid or not.

        Checking 1500 organisations with `validator` took half a second; this takes a hundredth. A file
        it passes has no schema errors (a test holds the two to the same answers on every fixture);
        any other file goes to `validator` for the errors themselves."""
        resources = [(f"{_BASE}{name}", schema) for name, schema in self.schemas]
        return jsonschema_rs.validator_for(
            self.schema, registry=jsonschema_rs.Registry(resources), base_uri=f"{_BASE}{self.schema_file}",
            formats={"date": is_date, "link": is_link}, validate_formats=True)

    @cached_property
    def references(self) -> list[tuple[tuple, str]]:
        """(path pattern, target) for every field marked `x-ref`; "*" stands for any list item."""
        found: list[tuple[tuple, str]] = []
        _walk_refs(self.schema, self.schema, (), found)
        return found


def _pattern(validator, pattern: str, instance, schema):
    """`pattern` as JSON Schema means it: `$` is the end of the text. (In Python's re, `$` also
    matches before a final line break, so "info@example.org" plus a line break passed.)"""
    if validator.is_type(instance, "string") and not re.search(_text_end(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _text_end(pattern: str) -> str:
    return re.sub(r"(?<!\\)\$", r"\\Z", pattern)


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def _walk_refs(node: dict, root: dict, at: tuple, found: list) -> None:
    if not isinstance(node, dict):
        return
    if "x-ref" in node:
        found.append((at, node["x-ref"]))
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        _walk_refs(root["$defs"][ref.split("/")[-1]], root, at, found)
    for name, sub in node.get("properties", {}).items():
        _walk_refs(sub, root, at + (name,), found)
    if isinstance(node.get("items"), dict):
        _walk_refs(node["items"], root, at + ("*",), found)
    if isinstance(node.get("additionalProperties"), dict):
        _walk_refs(node["additionalProperties"], root, at + ("*",), found)


def is_date(value) -> bool:
    """A real calendar date written YYYY-MM-DD (format "date"; anything but text is the type's business)."""
    if not isinstance(value, str):
        return True
    if len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_link(value) -> bool:
    """An http(s) or mailto: address without spaces (format "link")."""
    if not isinstance(value, str):
        return True
    lowered = value.lower()
    if lowered.startswith("mailto:"):
        return "@" in value and " " not in value
    return (lowered.startswith("https://") or lowered.startswith("http://")) and " " not in value and len(value) > 8


def _formats() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(is_date)
    checker.checks("link")(is_link)
    return checker


def load_kinds(schema_dir: Path) -> dict[str, Kind]:
    """Every kind whose schema is in `schema_dir`, by name."""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schema_dir.glob("*.schema.json"))}
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    kinds = {}
    for file_name, schema in schemas.items():
        meta = schema.get("x-kind")
        if not meta:
            continue
        kinds[meta["name"]] = Kind(
            name=meta["name"],
            folder=meta["folder"],
            label=meta.get("label", meta["name"]),
            schema_file=file_name,
            schema=schema,
            registry=registry,
            id_pattern=meta.get("id-pattern", ID_PATTERN),
            schemas=tuple(schemas.items()),
        )
    return kinds


def kind_for(path: str, kinds: dict[str, Kind]) -> Kind | None:
    """The kind whose folder holds `path` (relative, with /); the deepest folder wins."""
    best = None
    for kind in kinds.values():
        if path.startswith(kind.folder + "/") and (best is None or len(kind.folder) > len(best.folder)):
            best = kind
    return best
