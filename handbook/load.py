"""Read one YAML file safely, keeping the line and column of every value.

PyYAML alone keeps the last of two equal keys and reads YAML 1.1 surprises
(`no`, `5.000`, `08:30`, `010`) as values nobody meant. Here the node tree is
composed with the safe loader and built by hand, so that each of those is a
problem with its place, never a silent wrong value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from . import messages
from .problems import Problem, describe, problem

Where = tuple  # a path into the data: ("sources", 0, "url")

_TAG = "tag:yaml.org,2002:"
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")


@dataclass
class Loaded:
    """A file's data, the places of its values and keys, and its problems."""

    path: str
    data: object = None
    places: dict = field(default_factory=dict)      # Where -> (line, column) of the value
    key_places: dict = field(default_factory=dict)  # Where -> (line, column) of the key
    problems: list = field(default_factory=list)
    reported: set = field(default_factory=set)      # Wheres that already have a problem

    def place(self, where: Where, key: bool = False) -> tuple[int, int]:
        """The nearest known place for a path: its key, its value, or a parent's."""
        where = tuple(where)
        while True:
            if key and where in self.key_places:
                return self.key_places[where]
            if where in self.places:
                return self.places[where]
            if not where:
                return (1, 1)
            where = where[:-1]


def field_path(where: Where) -> str:
    """("sources", 0, "url") -> "sources[0].url"."""
    text = ""
    for part in where:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def load_file(path: Path, shown: str) -> Loaded:
    """Load one file. `shown` is the path used in messages (relative to the content root)."""
    result = Loaded(shown)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        result.problems.append(problem(shown, line, column, "", "utf8", byte=f"0x{raw[error.start]:02x}"))
        return result
    tabs = _tab_problems(text, shown)
    if tabs:
        result.problems.extend(tabs)
        return result
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        words = _plain_syntax(error.problem or "")
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        result.problems.append(problem(shown, line, column, "", "syntax", problem=words))
        return result
    except yaml.reader.ReaderError as error:  # a control character, such as a pasted form feed
        before = text[: error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        words = messages.message("yaml.bad-character", character=character)
        result.problems.append(problem(shown, line, column, "", "syntax", problem=words))
        return result
    except yaml.YAMLError:  # pragma: no cover - PyYAML marks nearly all its errors
        result.problems.append(problem(shown, 1, 1, "", "syntax", problem=messages.message("yaml.other")))
        return result
    if not isinstance(node, MappingNode):
        found = messages.message("found.empty-file" if node is None else
                                 ("found.list" if isinstance(node, SequenceNode) else "found.single-value"))
        result.problems.append(problem(shown, 1, 1, "", "not-mapping", found=found))
        return result
    result.data = _Builder(result).build(node, ())
    return result


def _compose(text: str):
    """The node tree of a document: libyaml's fast parser when it is there (about five times faster
    on a national directory of 1500 files), and PyYAML's own parser for a file libyaml refuses, so
    that the words and places of a syntax error stay the same on every machine."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


# What PyYAML says, and what it usually means for someone editing a record by hand: the words are the
# catalogue entries `yaml.<name>`. PyYAML's own English never reaches a partner; the line and column do.
_SYNTAX_WORDS = (
    ("could not find expected ':'", "missing-colon"),
    ("mapping values are not allowed here", "colon-here"),
    ("expected <block end>", "block-end"),
    ("found unexpected end of stream", "end-of-file"),
    ("expected ',' or '}'", "brace"),
    ("expected ',' or ']'", "bracket"),
    ("but found another document", "second-document"),
    ("found undefined alias", "anchor"),
    ("expected alphabetic or numeric character", "anchor"),
    ("found unknown escape character", "escape"),
    ("block sequence entries are not allowed here", "dash-here"),
    ("expected a comment or a line break", "after-quote"),
    ("expected the node content", "no-value"),
    ("found a tab character", "tab"),
)
_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")


def _plain_syntax(said: str) -> str:
    start = _CANNOT_START.search(said)
    if start and start.group(1) == "\\t":
        return messages.message("yaml.tab")
    if start:
        character = start.group(1)
        return messages.message("yaml.bad-start", character=f"`{character}`" if character != "`" else '"`"')
    for words, name in _SYNTAX_WORDS:
        if words in said:
            return messages.message(f"yaml.{name}")
    return messages.message("yaml.other")


def _tab_problems(text: str, shown: str) -> list[Problem]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            found.append(problem(shown, number, line.index("\t") + 1, "", "tab"))
    return found


class _Builder:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.constructor = SafeConstructor()

    def report(self, node, where: Where, rule: str, **values) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.loaded.problems.append(problem(self.loaded.path, line, column, field_path(where), rule, **values))
        self.loaded.reported.add(tuple(where))

    def build(self, node, where: Where):
        self.loaded.places[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self.mapping(node, where)
        if isinstance(node, SequenceNode):
            return [self.build(item, where + (index,)) for index, item in enumerate(node.value)]
        return self.scalar(node, where)

    def mapping(self, node: MappingNode, where: Where) -> dict:
        data: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, where) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                found = describe(key) if isinstance(key_node, ScalarNode) else messages.message("describe.list-or-group")
                self.report(key_node, where, "key-not-text", found=found)
                continue
            here = where + (key,)
            if key in first_line:
                self.report(key_node, here, "duplicate-key", key=key, first=first_line[key])
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.loaded.key_places[here] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            data[key] = self.build(value_node, here)
        return data

    def scalar(self, node: ScalarNode, where: Where):
        tag, raw = node.tag, node.value
        if node.style or tag == _TAG + "str":
            return raw
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if raw.lower() in ("true", "false"):
                return raw.lower() == "true"
            self.report(node, where, "yaml-bool", raw=raw, value=str(self.constructor.construct_yaml_bool(node)).lower())
            return raw
        if tag == _TAG + "int":
            value = self.constructor.construct_yaml_int(node)
            if ":" in raw:
                self.report(node, where, "yaml-sexagesimal", raw=raw, value=value)
                return raw
            if _LEADING_ZERO.match(raw):
                self.report(node, where, "yaml-octal", raw=raw, value=value, suggest=int(raw.replace("_", "")))
                return raw
            return value
        if tag == _TAG + "float":
            value = self.constructor.construct_yaml_float(node)
            if ":" in raw:
                self.report(node, where, "yaml-sexagesimal", raw=raw, value=f"{value:g}")
                return raw
            if _THOUSANDS.match(raw):
                self.report(node, where, "yaml-thousands", raw=raw, value=f"{value:g}", suggest=raw.replace(".", ""))
                return raw
            return value
        # Timestamps stay text (the schema checks the date form); other tags are read as text.
        return raw
