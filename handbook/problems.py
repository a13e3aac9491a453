"""Problems found in content, and the one table of their messages.

Every rule has a name and a message template in the catalogues (handbook/locale/), so that a
reworded message shows up as a diff in review and in the exact-message tests. The words this
module adds (the value described, the warning lead, the summary line) come from there too.
"""
from __future__ import annotations

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
        lead = messages.message("lead.warning") if self.warning else ""
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {lead}{self.message}"


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


def report(problems: list[Problem]) -> str:
    """The whole report: one line a problem, then a count."""
    lines = [str(p) for p in sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))]
    if problems:
        lines.append(summary(problems))
    return "\n".join(lines)
