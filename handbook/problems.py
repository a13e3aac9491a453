"""Problems found in content, and the one table of their messages.

Every rule has a name and a message template here, so that a reworded message
shows up as a diff in review and in the exact-message tests.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import messages

class _Messages(dict):
    """The message templates of the current language, by rule name (read from the catalogues)."""

    def _table(self) -> dict[str, str]:
        return messages.catalogue(messages.language())

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
        lead = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {lead}{self.message}"


def problem(path: str, line: int, column: int, field: str, rule: str, **values) -> Problem:
    """Make a problem from the message table."""
    return Problem(path, line, column, field or "(file)", rule, MESSAGES[rule].format(**values))


def warning(path: str, line: int, column: int, field: str, message: str) -> Problem:
    return Problem(path, line, column, field or "(file)", "warning", message, warning=True)


def describe(value) -> str:
    """A value as a reader wrote it, with its kind in words: `23 (a number)`."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a yes/no value)"
    if isinstance(value, int):
        return f"{value} (a whole number)"
    if isinstance(value, float):
        return f"{value:g} (a decimal number)"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        shown = shown.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")  # one message, one line
        return f'"{shown}"'
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a group of fields"
    return repr(value)


def report(problems: list[Problem]) -> str:
    """The whole report: one line a problem, then a count."""
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    lines = [str(p) for p in sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))]
    files = len({p.path for p in errors})
    if errors:
        lines.append(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
                     + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""))
    elif warnings:
        lines.append(f"no problems, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    return "\n".join(lines)
