"""Check loaded records: their schema, then the rules that need Python.

Every check collects problems and returns them; nothing stops at the first.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from .kinds import Kind
from .load import Loaded, field_path
from .problems import Problem, describe, problem

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a group of fields (`name: value` lines)",
    "boolean": "true or false",
    "null": "empty",
}


def did_you_mean(found, choices) -> str:
    if not isinstance(found, str):
        return ""
    close = difflib.get_close_matches(found, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _type_hint(expected: list, instance, schema: dict) -> str:
    if "string" in expected and isinstance(instance, (int, float)) and not isinstance(instance, bool):
        return ": put it in quotes"
    if "integer" in expected and isinstance(instance, float):
        return ": write a whole number, without decimals"
    if ("integer" in expected or "number" in expected) and isinstance(instance, str):
        return ": write the number without quotes"
    if "array" in expected and not isinstance(instance, list) and instance is not None:
        return ": write a list, one `- item` per line or [a, b]"
    if "object" in expected and isinstance(instance, str) and "sv" in schema.get("properties", {}):
        return ': write the text per language, such as `{sv: "..."}`'
    return ""


def schema_problems(loaded: Loaded, kind: Kind) -> list[Problem]:
    """Every schema error of one file, as problems with places and plain words."""
    try:
        if kind.quick_validator.is_valid(loaded.data):
            return []
    except Exception:  # a value the quick validator cannot take: the full one decides
        pass
    found: list[Problem] = []
    seen: set = set()
    for error in kind.validator.iter_errors(loaded.data):
        where = tuple(error.absolute_path)
        if any(where[: n] in loaded.reported for n in range(len(where) + 1)):
            continue  # the loader already said what is wrong here
        for item in _translate(error, where, loaded):
            if (item.line, item.column, item.field, item.rule) not in seen:
                seen.add((item.line, item.column, item.field, item.rule))
                found.append(item)
    return found


def _translate(error, where: tuple, loaded: Loaded) -> Iterator[Problem]:
    keyword, value, instance, schema = error.validator, error.validator_value, error.instance, error.schema
    path = loaded.path

    def at(rule: str, where=where, on_key=False, **values) -> Problem:
        line, column = loaded.place(where, key=on_key)
        return problem(path, line, column, field_path(where), rule, **values)

    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                shown = [a for a in allowed if a != "id"] or allowed
                yield at("unknown-field", where + (key,), on_key=True, key=key,
                         mean=did_you_mean(key, allowed), allowed=", ".join(shown))
    elif keyword == "required" and isinstance(instance, dict):
        unknown = [k for k in instance if k not in schema.get("properties", {})]
        for key in value:
            # A misspelt field is reported once, as unknown with "did you mean", not also as missing.
            if key not in instance and not difflib.get_close_matches(key, unknown, n=1, cutoff=0.6):
                yield at("required", where + (key,), key=key)
    elif keyword == "type":
        expected = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        yield at("type", expected=words, found=describe(instance), hint=_type_hint(expected, instance, schema))
    elif keyword == "enum":
        yield at("enum", allowed=", ".join(str(v) for v in value), found=describe(instance), mean=did_you_mean(instance, value))
    elif keyword == "pattern":
        line_break = " (with a line break: write the value on one line)" if "\n" in str(instance) else ""
        yield at("pattern", expected=schema.get("x-expected", f"text matching {value}"), found=describe(instance) + line_break)
    elif keyword == "minLength" and instance == "":
        yield at("empty")
    elif keyword == "minItems":
        yield at("too-few", n=value, items="item" if value == 1 else "items", count=len(instance))
    elif keyword == "maxItems":
        yield at("too-many", n=value, items="item" if value == 1 else "items", count=len(instance))
    elif keyword == "minimum":
        yield at("too-small", n=value, found=describe(instance))
    elif keyword == "uniqueItems":
        repeated = next((v for i, v in enumerate(instance) if v in instance[:i]), None)
        yield at("not-unique", found=describe(repeated))
    elif keyword == "format" and value == "link":
        yield at("link", found=describe(instance))
    elif keyword == "format" and value == "date":
        yield at("date", found=describe(instance))
    else:
        yield at("schema", message=error.message)


def id_problems(loaded: Loaded, kind: Kind, record_id: str) -> list[Problem]:
    found = []
    if not re.match(kind.id_pattern, record_id):
        suggest = re.sub(r"[^a-z0-9]+", "-", record_id.lower().translate(str.maketrans("åäöéü", "aaoeu"))).strip("-")
        expected = kind.schema["x-kind"].get("id-expected")
        how = (f"a {kind.label} file is named after {expected}" if expected else
               f"rename the file to lowercase a-z, 0-9 and hyphens, such as `{suggest or 'my-id'}.yml`")
        found.append(problem(loaded.path, 1, 1, "(file)", "id-file", name=record_id, how=how))
    if isinstance(loaded.data, dict) and "id" in loaded.data and loaded.data["id"] != record_id:
        line, column = loaded.place(("id",))
        found.append(problem(loaded.path, line, column, "id", "id-mismatch", found=loaded.data["id"], expected=record_id))
    return found


def resolve(data, pattern: tuple) -> Iterator[tuple[tuple, object]]:
    """Every (path, value) in `data` that `pattern` names; "*" is any list item or mapping key."""
    if not pattern:
        yield (), data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = enumerate(data) if isinstance(data, list) else (data.items() if isinstance(data, dict) else ())
        for key, value in items:
            for sub, found in resolve(value, rest):
                yield (key,) + sub, found
    elif isinstance(data, dict) and head in data:
        for sub, found in resolve(data[head], rest):
            yield (head,) + sub, found


# Kind-specific rules that a schema cannot say. Each takes (handbook, record, loaded)
# and yields problems; later kinds register theirs with @rule("kind"), and @rule("*") runs on every kind.
KIND_RULES: dict[str, list[Callable]] = {}


def rule(kind: str):
    def register(function: Callable) -> Callable:
        KIND_RULES.setdefault(kind, []).append(function)
        return function
    return register


@rule("taxonomy")
def unique_term_ids(handbook, record, loaded: Loaded):
    first: dict = {}
    for index, term in enumerate(record.data.get("terms", [])):
        term_id = term.get("id") if hasattr(term, "get") else None
        if not isinstance(term_id, str):
            continue
        if term_id in first:
            line, column = loaded.place(("terms", index, "id"))
            yield problem(loaded.path, line, column, field_path(("terms", index, "id")), "duplicate-id",
                          id=term_id, other=f"the term on line {first[term_id]}", kind="term")
        else:
            first[term_id] = loaded.place(("terms", index, "id"))[0]


@rule("organisation")
def county_for_local(handbook, record, loaded: Loaded):
    if record.get("scope") in ("regional", "lokal") and not record.get("county"):
        line, column = loaded.place(("county",), key=True) if "county" in record.data else loaded.place(("scope",))
        yield problem(loaded.path, line, column, "county", "county-needed", scope=record.get("scope"))


@rule("organisation")
def contact_consent(handbook, record, loaded: Loaded):
    for index, contact in enumerate(record.get("contacts", ())):
        if hasattr(contact, "get") and not contact.get("consent"):
            line, column = loaded.place(("contacts", index))
            yield problem(loaded.path, line, column, field_path(("contacts", index, "consent")), "consent",
                          name=contact.get("name", "?"))
