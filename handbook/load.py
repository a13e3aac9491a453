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


# Limits on one file, checked before the YAML parser sees it. The largest real record is about 20 KB
# and the deepest nests 6 levels; a file fifty times larger or nested past 40 levels is not a record
# written by hand. (Past about 500 levels Python's recursion breaks, past about 50 000 libyaml's stack.)
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_DIGITS = 100  # a number longer than this is not a count or an amount (Python refuses 4 301 digits)

# Characters YAML does not allow in a file (YAML 1.1 "printable"), found before the parser does, so that
# every parser reports them at their own place (libyaml stops reading at a NUL byte).
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def load_file(path: Path, shown: str) -> Loaded:
    """Load one file. `shown` is the path used in messages (relative to the content root).

    Whatever the file holds, the answer is a Loaded with problems, never an exception."""
    result = Loaded(shown)
    try:
        _load(path, shown, result)
    except (RecursionError, MemoryError):  # pragma: no cover - the limits above keep these away
        result.data = None
        result.problems.append(problem(shown, 1, 1, "", "too-deep", limit=MAX_DEPTH))
    return result


def line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _load(path: Path, shown: str, result: Loaded) -> None:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            result.problems.append(problem(shown, 1, 1, "", "file-refused", reason=messages.message(
                "file.too-large", size=_kilobytes(size), limit=_kilobytes(MAX_BYTES))))
            return
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError:
        result.problems.append(problem(shown, 1, 1, "", "file-refused", reason=messages.message("file.unreadable")))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        # the column in characters, as an editor shows it
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        result.problems.append(problem(shown, line, column, "", "utf8", byte=f"0x{raw[error.start]:02x}"))
        return
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = line_column(text, bad.start())
        words = messages.message("yaml.bad-character", character=f"#x{ord(bad.group()):04x}")
        result.problems.append(problem(shown, line, column, "", "syntax", problem=words))
        return
    tabs = _tab_problems(text, shown)
    if tabs:
        result.problems.extend(tabs[:MAX_PROBLEMS])
        if len(tabs) > MAX_PROBLEMS:
            result.problems.append(problem(shown, tabs[MAX_PROBLEMS - 1].line, 2, "", "schema",
                                           message=messages.message("file.more-problems")))
        return
    deep = too_deep(text)
    if deep:
        result.problems.append(problem(shown, deep[0], deep[1], "", "too-deep", limit=MAX_DEPTH))
        return
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        words = _plain_syntax(error.problem or "")
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        result.problems.append(problem(shown, line, column, "", "syntax", problem=words))
        return
    except yaml.reader.ReaderError as error:  # pragma: no cover - _NOT_PRINTABLE finds these first
        line, column = line_column(text, error.position)
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        words = messages.message("yaml.bad-character", character=character)
        result.problems.append(problem(shown, line, column, "", "syntax", problem=words))
        return
    except yaml.YAMLError:  # pragma: no cover - PyYAML marks nearly all its errors
        result.problems.append(problem(shown, 1, 1, "", "syntax", problem=messages.message("yaml.other")))
        return
    if not isinstance(node, MappingNode):
        found = messages.message("found.empty-file" if node is None else
                                 ("found.list" if isinstance(node, SequenceNode) else "found.single-value"))
        result.problems.append(problem(shown, 1, 1, "", "not-mapping", found=found))
        return
    alias = _first_alias(node) if "*" in text else None  # an alias is written *name
    if alias is not None:
        result.problems.append(problem(shown, alias.start_mark.line + 1, alias.start_mark.column + 1, "", "yaml-alias"))
        return
    result.data = _Builder(result).build(node, ())
    if len(result.problems) > MAX_PROBLEMS:
        del result.problems[MAX_PROBLEMS:]
        line, column = max((p.line, p.column) for p in result.problems)
        result.problems.append(problem(shown, line, column + 1, "", "schema", message=messages.message("file.more-problems")))


def _kilobytes(size: int) -> str:
    return f"{size / 1000:.0f} kB" if size < 10_000_000 else f"{size / 1_000_000:.0f} MB"


MAX_PROBLEMS = 50  # from the loader, per file; a file with more has a larger fault than its values


def _first_alias(root):
    """The first node that the tree reaches twice: the value of an alias (`*name`), which may hold
    itself (`&a [x, *a]`) or expand to millions of copies (nine aliases of nine aliases). Hand-written
    records have no use for anchors and aliases, so any alias is refused rather than capped."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None


_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(#.*)?$")
_ENDS_BLOCK_SCALAR = re.compile(r"(?:^|[ \t])[|>][-+0-9]*[ \t]*(#.*)?$")
_PLAIN_LINE = re.compile(r"[^\[\]{}'\"]*$")
_LEAD = re.compile(r"(?:[-?:][ \t]+|[-?:]$)")
_LINE_LEADS = re.compile(r"^[ \t?:-]*", re.M)
# Where a bracket may open a collection with something in it: where a value starts (a line's start, after
# "key: ", "- " or "? "), maybe after a tag or an anchor. A bracket elsewhere is text ("se [1]").
_FLOW_START = re.compile(r"(?:^[ \t?:-]*|[:?-][ \t]+)(?:[!&][^ \t]*[ \t]+)*[\[{](?![\]}])", re.M)


def too_deep(text: str, limit: int = MAX_DEPTH):
    """(line, column) where the nesting of `text` passes `limit`, else None: a cheap scan of the text
    before any parser sees it. It counts indented blocks, list dashes and open brackets outside quotes,
    comments and block texts (`|`, `>`), so it may count a level more than there is, never fewer."""
    if not _FLOW_START.search(text) and max(map(len, _LINE_LEADS.findall(text)), default=0) + 1 < limit:
        # No bracket that opens a collection, except an empty one ("[]"): a line's depth is then at most
        # its open blocks (one per column of indent at most), its list dashes and keys (a character each
        # at least: the run of those a line starts with), and one for an empty collection.
        return None
    return _deepest_scan(text, limit)


def _deepest_scan(text: str, limit: int):
    """too_deep's scan, line by line (most records never need it)."""
    blocks: list[int] = []   # the indents of the open blocks
    flow = 0                 # open [ and { brackets
    quote = ""               # the open quote, when a quoted text goes on past a line
    block_text = -1          # the indent of the line that began a block text, while inside it
    for number, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_text >= 0:
            if not stripped.strip() or indent > block_text:
                continue
            block_text = -1
        if not quote and not flow:
            if not stripped or stripped.startswith("#"):
                continue
            while blocks and blocks[-1] > indent:
                blocks.pop()
            if not blocks or blocks[-1] < indent:
                blocks.append(indent)
        depth = len(blocks)
        i, n, start = indent if not (quote or flow) else 0, len(line), True
        if not quote and _PLAIN_LINE.match(line, i):  # most lines: no brackets or quotes
            while True:
                lead = _LEAD.match(line, i)
                if not lead:
                    break
                depth += line[i] in "-?"
                if depth + flow > limit:
                    return number, i + 1
                i = lead.end()
            if depth + flow > limit:
                return number, i + 1
            if _ENDS_BLOCK_SCALAR.search(line, i):
                block_text = indent
            continue
        while i < n:
            c = line[i]
            if quote == '"':
                if c == "\\":
                    i += 2
                    continue
                if c == '"':
                    quote, start = "", False
                i += 1
                continue
            if quote == "'":
                if c == "'":
                    if line.startswith("''", i):
                        i += 2
                        continue
                    quote, start = "", False
                i += 1
                continue
            if c in " \t":
                i += 1
                continue
            if c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            if start:
                if c in "-?:" and (i + 1 == n or line[i + 1] in " \t"):
                    depth += c in "-?" and not flow
                    i += 1
                    continue
                if c in "[{":
                    flow += 1
                    if depth + flow > limit:
                        return number, i + 1
                    i += 1
                    continue
                if c in "\"'":
                    quote, start = c, False
                    i += 1
                    continue
                if c in "!&":  # a tag or an anchor: the value comes after it
                    while i < n and line[i] not in " \t":
                        i += 1
                    continue
                if c in "|>" and not flow and _BLOCK_SCALAR.match(line, i):
                    block_text = indent
                    break
            if c in "]}":
                flow, start = max(0, flow - 1), False
            elif c == "," and flow:
                start = True
            elif c == ":" and (i + 1 == n or line[i + 1] in " \t" or (flow and line[i + 1] in ",[]{}")):
                start = True
            else:
                start = False
            i += 1
        if depth + flow > limit:
            return number, 1
    return None


def _compose(text: str):
    """The node tree of a document: libyaml's fast parser when it is there (about five times faster
    on a national directory of 1500 files), and PyYAML's own parser for a file libyaml refuses, so
    that the words and places of a syntax error stay the same on every machine."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            if len(text) > SLOW_PARSER_UP_TO:
                raise  # PyYAML's own parser takes seconds for a file this large: libyaml's place stands
    return yaml.compose(text, Loader=yaml.SafeLoader)


# Past this size a syntax error is reported as libyaml found it (PyYAML's parser took 10 s for 1 MB).
SLOW_PARSER_UP_TO = 100_000


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
        if tag in (_TAG + "int", _TAG + "float") and sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
            self.report(node, where, "number-too-long", digits=sum(ch.isdigit() for ch in raw), limit=MAX_DIGITS)
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
