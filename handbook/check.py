"""Check loaded records: their schema, then the rules that need Python.

Every check collects problems and returns them; nothing stops at the first.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from . import messages
from .kinds import Kind
from .load import Loaded, field_path
from .problems import Problem, describe, printable, problem

# JSON Schema types, in words a partner knows: the catalogue entries `type-word.<type>`.
_TYPES = ("string", "integer", "number", "array", "object", "boolean", "null")


def _type_words(expected: list) -> str:
    return one_of([messages.message(f"type-word.{t}") if t in _TYPES else t for t in expected])


def one_of(words: list) -> str:
    """"a, b or c" ("a, b eller c")."""
    words = [str(w) for w in words]
    if len(words) < 2:
        return "".join(words)
    return messages.message("join.or", left=", ".join(words[:-1]), right=words[-1])


# "Did you mean" compares a word with every choice: bounded, so that a file of 200 000 unknown keys or a
# pasted page of text costs no more than a file with a few misspellings.
MEAN_LONGEST = 100   # words longer than this get no suggestion
MEAN_CHOICES = 2000  # compared with this many choices at most
MEAN_PER_FILE = 50   # suggestions in one file


def did_you_mean(found, choices) -> str:
    if not isinstance(found, str) or len(found) > MEAN_LONGEST:
        return ""
    close = difflib.get_close_matches(found, [str(c) for c in list(choices)[:MEAN_CHOICES]], n=1, cutoff=0.6)
    return messages.message("hint.did-you-mean", choice=close[0]) if close else ""


def _type_hint(expected: list, instance, schema: dict) -> str:
    if "string" in expected and isinstance(instance, (int, float)) and not isinstance(instance, bool):
        return messages.message("hint.quote")
    if "integer" in expected and isinstance(instance, float):
        return messages.message("hint.whole-number")
    if ("integer" in expected or "number" in expected) and isinstance(instance, str):
        return messages.message("hint.no-quotes")
    if "array" in expected and not isinstance(instance, list) and instance is not None:
        return messages.message("hint.list")
    if "object" in expected and isinstance(instance, str) and "sv" in schema.get("properties", {}):
        return messages.message("hint.per-language")
    return ""


def kind_label(kind_name: str, fallback: str) -> str:
    """A kind as a partner calls it (`kind.county`: "län"), as one record."""
    key = f"kind.{kind_name}"
    return messages.message(key) if messages.has(key) else fallback


MAX_PROBLEMS = 50  # problems of one file from its schema; the rest are summed up in one line


def schema_problems(loaded: Loaded, kind: Kind) -> list[Problem]:
    """Every schema error of one file (up to MAX_PROBLEMS), as problems with places and plain words."""
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
        for item in _translate(error, where, loaded, kind):
            if (item.line, item.column, item.field, item.rule) not in seen:
                seen.add((item.line, item.column, item.field, item.rule))
                found.append(item)
            if len(found) >= MAX_PROBLEMS:
                found.append(more_problems(loaded.path, found))
                return found
    return found


def more_problems(path: str, shown: list) -> Problem:
    """The line after the first problems of a file that has too many to print (sorted last)."""
    line, column = max((p.line, p.column) for p in shown) if shown else (1, 0)
    return problem(path, line, column + 1, "", "schema", message=messages.message("file.more-problems"))


def _translate(error, where: tuple, loaded: Loaded, kind: Kind) -> Iterator[Problem]:
    keyword, value, instance, schema = error.validator, error.validator_value, error.instance, error.schema
    path = loaded.path

    def at(rule: str, where=where, on_key=False, **values) -> Problem:
        line, column = loaded.place(where, key=on_key)
        return problem(path, line, column, field_path(where), rule, **values)

    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for number, key in enumerate(k for k in instance if k not in allowed):
            shown = [a for a in allowed if a != "id"] or allowed
            yield at("unknown-field", where + (key,), on_key=True, key=key,
                     mean=did_you_mean(key, allowed) if number < MEAN_PER_FILE else "", allowed=", ".join(shown))
    elif keyword == "required" and isinstance(instance, dict):
        unknown = [k for k in instance if k not in schema.get("properties", {})][:MEAN_PER_FILE]
        for key in value:
            # A misspelt field is reported once, as unknown with "did you mean", not also as missing.
            if key not in instance and not difflib.get_close_matches(key, unknown, n=1, cutoff=0.6):
                yield at("required", where + (key,), key=key)
    elif keyword == "type":
        expected = value if isinstance(value, list) else [value]
        yield at("type", expected=_type_words(expected), found=describe(instance), hint=_type_hint(expected, instance, schema))
    elif keyword == "enum":
        yield at("enum", allowed=one_of(value), found=describe(instance), mean=did_you_mean(instance, value))
    elif keyword == "pattern":
        line_break = messages.message("hint.line-break") if "\n" in str(instance) else ""
        expected = schema.get("x-expected") or messages.message("pattern.fallback", pattern=value)
        yield at("pattern", expected=expected, found=describe(instance) + line_break)
    elif keyword == "minLength" and instance == "":
        yield at("empty")
    elif keyword == "minItems":
        yield at("too-few", n=value, items=messages.count("word.item", value), count=len(instance))
    elif keyword == "maxItems":
        yield at("too-many", n=value, items=messages.count("word.item", value), count=len(instance))
    elif keyword == "minimum":
        yield at("too-small", n=value, found=describe(instance))
    elif keyword == "uniqueItems":
        repeated = _first_repeated(instance)
        yield at("not-unique", found=describe(repeated))
    elif keyword == "format" and value == "link":
        yield at("link", found=describe(instance))
    elif keyword == "format" and value == "date":
        yield at("date", found=describe(instance))
    else:
        yield at("schema", message=_schema_words(keyword, value, instance, kind))


def _first_repeated(items: list):
    """The first item that came before (in one pass: a list can be long)."""
    import json

    seen: set = set()
    for item in items:
        key = json.dumps(item, sort_keys=True, default=str)
        if key in seen:
            return item
        seen.add(key)
    return None


def _schema_words(keyword: str, value, instance, kind: Kind) -> str:
    """Every other JSON Schema keyword in plain words (jsonschema's own English never reaches a
    partner); a keyword without words of its own gets the general message, naming the schema."""
    found = describe(instance)
    if keyword in ("minLength", "maxLength", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minProperties", "maxProperties"):
        return messages.message(f"schema.{keyword}", n=value, found=found)
    if keyword == "const":
        return messages.message("schema.const", value=describe(value), found=found)
    if keyword == "format":
        return messages.message("schema.format", format=value, found=found)
    if keyword in ("oneOf", "anyOf"):
        return messages.message("schema.one-of", found=found)
    return messages.message("schema.other", keyword=keyword, schema=f"schemas/{kind.schema_file}")


def id_problems(loaded: Loaded, kind: Kind, record_id: str) -> list[Problem]:
    found = []
    if not re.fullmatch(kind.id_pattern, record_id):
        suggest = re.sub(r"[^a-z0-9]+", "-", record_id.lower().translate(str.maketrans("åäöéü", "aaoeu"))).strip("-")
        expected = kind.schema["x-kind"].get("id-expected")
        if messages.has(f"how.id-expected.{kind.name}"):
            how = messages.message(f"how.id-expected.{kind.name}")
        elif expected:
            how = messages.message("how.id-expected", label=kind_label(kind.name, kind.label), expected=expected)
        else:
            how = messages.message("how.rename", suggest=suggest or messages.message("how.example-id"))
        found.append(problem(loaded.path, 1, 1, "", "id-file", name=record_id, how=how))
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
                          id=term_id, other=messages.message("other.term-on-line", line=first[term_id]),
                          kind=messages.message("kind.term"))
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


# ---------------------------------------------------------------- text that is safe to show

# Characters that no text in a record needs and that change how text is shown or read: C0 controls
# but tab and line feed (a carriage return alone starts a new row in a spreadsheet), DEL, C1, the
# Unicode line and paragraph separators, and the bidirectional overrides and isolates (they can make
# text read backwards: "Trojan Source").
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def multiline_fields(kind: Kind) -> list[tuple]:
    """Path patterns ("*" for any list item or key) of the fields whose schema says `x-multiline`:
    Markdown and long texts. Every other text is one line."""
    key = (kind.name, kind.schema_file, id(kind.schema))
    if key not in _MULTILINE:
        found: list[tuple] = []
        files = dict(kind.schemas) or {kind.schema_file: kind.schema}
        files.setdefault(kind.schema_file, kind.schema)
        _walk_multiline(kind.schema, kind.schema_file, files, (), found, 0)
        _MULTILINE[key] = found
    return _MULTILINE[key]


_MULTILINE: dict = {}


def _walk_multiline(node, file: str, files: dict, at: tuple, found: list, depth: int) -> None:
    if not isinstance(node, dict) or depth > 30:
        return
    if node.get("x-multiline"):
        found.append(at)
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        target_file, _, name = ref.partition("#/$defs/")
        target_file = target_file or file
        target = files.get(target_file, {}).get("$defs", {}).get(name)
        _walk_multiline(target, target_file, files, at, found, depth + 1)
    for name, sub in node.get("properties", {}).items():
        _walk_multiline(sub, file, files, at + (name,), found, depth + 1)
    for word in ("items", "additionalProperties"):
        if isinstance(node.get(word), dict):
            _walk_multiline(node[word], file, files, at + ("*",), found, depth + 1)
    for sub in node.get("patternProperties", {}).values() if isinstance(node.get("patternProperties"), dict) else ():
        _walk_multiline(sub, file, files, at + ("*",), found, depth + 1)
    for word in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(word, ()) if isinstance(node.get(word), list) else ():
            _walk_multiline(sub, file, files, at, found, depth + 1)


def _under(at: tuple, pattern: tuple) -> bool:
    return len(at) >= len(pattern) and all(p == "*" or p == a for p, a in zip(pattern, at))


def text_problems(loaded: Loaded, kind: Kind) -> list[Problem]:
    """Control characters in any text, and line breaks in a text that belongs on one line. (Run on a
    file whose schema passed: every text is then where the schema says.)"""
    from .safety import strings

    found: list[Problem] = []
    multiline = multiline_fields(kind)
    for at, text in strings(loaded.data):
        if at in loaded.reported:
            continue
        bad = CONTROL.search(text)
        if bad:
            found.append(problem(loaded.path, *loaded.place(at), field_path(at), "control-character",
                                 found=printable(bad.group())))
        elif "\n" in text and not any(_under(at, pattern) for pattern in multiline):
            found.append(problem(loaded.path, *loaded.place(at), field_path(at), "line-break"))
        if len(found) >= MAX_PROBLEMS:
            found.append(more_problems(loaded.path, found))
            break
    return found
