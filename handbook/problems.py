"""Problems found in content, and the one table of their messages.

Every rule has a name and a message template here, so that a reworded message
shows up as a diff in review and in the exact-message tests.
"""
from __future__ import annotations

from dataclasses import dataclass

# rule name -> message template. Each message says what is wrong; what is expected.
MESSAGES: dict[str, str] = {
    "utf8": "the file is not valid UTF-8 (byte {byte} cannot be read); save the file as UTF-8",
    "tab": "a tab is used for indentation; indent with spaces only",
    "syntax": "YAML syntax error: {problem}; look at this line and the one before",
    "not-mapping": "the file must hold one record: fields written as `name: value`; got {found}",
    "duplicate-key": "the field `{key}` is written twice (first on line {first}), and YAML would silently keep only the last one; remove or rename one of them",
    "key-not-text": "field names must be text; got {found}",
    "yaml-bool": "`{raw}` is read by YAML as the yes/no value {value}; write \"{raw}\" in quotes if you meant text, or true/false for a yes/no value",
    "yaml-thousands": "`{raw}` is read by YAML as the decimal number {value}; write whole numbers without separators, such as {suggest}",
    "yaml-sexagesimal": "`{raw}` is read by YAML as the number {value} (base 60); write \"{raw}\" in quotes if you meant a time or text",
    "yaml-octal": "`{raw}` is read by YAML as the number {value} (a leading zero makes it octal); write \"{raw}\" in quotes if you meant a code, or {suggest} for the number",
    "unknown-field": "unknown field `{key}`{mean}; allowed here: {allowed}",
    "required": "the required field `{key}` is missing; add it",
    "type": "must be {expected}; got {found}{hint}",
    "enum": "must be one of: {allowed}; got {found}{mean}",
    "pattern": "must be {expected}; got {found}",
    "too-few": "must have at least {n} {items}; got {count}",
    "empty": "must not be empty; write some text",
    "too-small": "must be at least {n}; got {found}",
    "not-unique": "lists {found} twice; each value may appear only once",
    "link": "must be a link starting with https:, http: or mailto:; got {found}",
    "date": "must be a date written YYYY-MM-DD, such as 2027-06-30; got {found}",
    "schema": "{message}",
    "id-file": "the file name `{name}` is not a valid id; {how}",
    "id-mismatch": "the id `{found}` does not match the file name; it must be `{expected}` (or remove the `id` field: the file name is the id)",
    "duplicate-id": "the id `{id}` is already used by {other}; each {kind} needs its own id",
    "reference": "there is no {target} with the id `{found}`{mean}; expected one of the ids in {where}",
    "county-needed": "a {scope} organisation needs its county; write the länskod in quotes, such as county: \"14\"",
    "consent": "{name} is a named person, published only with recorded consent; add `consent:` with the date the person agreed (YYYY-MM-DD), or remove the contact",
    "unknown-kind": "this folder holds no kind of record the handbook knows; move the file to one of: {folders}",
}


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
