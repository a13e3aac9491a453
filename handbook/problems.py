"""Problems found in content, and the one table of their messages.

Every rule has a name and a message template in the catalogues (handbook/locale/), so that a
reworded message shows up as a diff in review and in the exact-message tests. The words this
module adds (the value described, the warning lead, the summary line) come from there too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import messages

class _Messages(dict):
    """The message templates of the current language, by rule name (read from the catalogues)."""

    def _table(self) -> dict[str, str]:
        return messages.rules()

    def __getitem__(self, rule: str) -> str:
        return self._table()[rule]

    def __iter__(self):
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())

    def __contains__(self, rule) -> bool:
        return rule in self._table()

    def keys(self):
        return self._table().keys()


# rule name -> message template, in the current language: handbook/locale/<lang>/LC_MESSAGES/problems.po
MESSAGES = _Messages()


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at one place."""

    path: str
    line: int
    column: int
    field: str
    rule: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        """One line, with every control character written as an escape (`\\x1b`): a file name or a
        value never moves the cursor, clears the screen or starts a line of its own on a terminal."""
        lead = messages.message("lead.warning") if self.warning else ""
        return printable(f"{self.path}:{self.line}:{self.column}: {self.field}: {lead}{self.message}")


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with control characters, tabs, line breaks and bidirectional controls as escapes
    (\\n, \\x1b, \\u202e), for a terminal, a log or a one-line message. A byte of a file name that is not
    UTF-8 (read as a lone surrogate) is written \\udcff, so printing it never fails."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    return f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"


def problem(path: str, line: int, column: int, field: str, rule: str, **values) -> Problem:
    """Make a problem from the message table."""
    return Problem(path, line, column, field or messages.message("field.file"), rule, MESSAGES[rule].format(**values))


def warning(path: str, line: int, column: int, field: str, message: str) -> Problem:
    return Problem(path, line, column, field or messages.message("field.file"), "warning", message, warning=True)


def describe(value) -> str:
    """A value as a reader wrote it, with its kind in words: `23 (ett heltal)`."""
    if value is None:
        return messages.message("describe.none")
    if isinstance(value, bool):
        return messages.message("describe.boolean", value="true" if value else "false")
    if isinstance(value, int):
        return messages.message("describe.integer", value=value)
    if isinstance(value, float):
        return messages.message("describe.float", value=f"{value:g}")
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        shown = shown.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")  # one message, one line
        return f'"{shown}"'
    if isinstance(value, list):
        return messages.count("describe.list", len(value))
    if isinstance(value, dict):
        return messages.message("describe.mapping")
    return repr(value)


def summary(problems: list[Problem]) -> str:
    """The count under the report: "3 problem i 2 filer, 1 varning"; empty when there is nothing."""
    errors = [p for p in problems if not p.warning]
    warnings = len(problems) - len(errors)
    if errors:
        counted = {"problems": messages.count("count.problem", len(errors)),
                   "files": messages.count("count.file", len({p.path for p in errors}))}
        if warnings:
            return messages.message("summary.problems-and-warnings", warnings=messages.count("count.warning", warnings), **counted)
        return messages.message("summary.problems", **counted)
    if warnings:
        return messages.message("summary.warnings-only", warnings=messages.count("count.warning", warnings))
    return ""


# Lines printed at most: a tree with thousands of problems has one fault, or a few, to fix first.
MAX_SHOWN = 200


def report(problems: list[Problem]) -> str:
    """The whole report: one line a problem (the first MAX_SHOWN), how many more, then a count."""
    ordered = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))
    lines = [str(p) for p in ordered[:MAX_SHOWN]]
    if len(ordered) > MAX_SHOWN:
        lines.append(messages.message("report.more", n=len(ordered) - MAX_SHOWN))
    if problems:
        lines.append(summary(problems))
    return "\n".join(lines)
