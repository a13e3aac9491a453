"""Problems as GitHub workflow commands, and a job summary in plain Swedish.

`python -m handbook validate --format github` prints one line per problem,

    ::error file=PATH,line=L,col=C,title=FIELD::MESSAGE

(`::warning ...` for a warning), so that GitHub marks the file and line in the pull request, and,
when `GITHUB_STEP_SUMMARY` names a file, appends a summary of the run to it in Markdown.

The escaping is the one GitHub's own toolkit uses (`@actions/core`, `command.ts`): in the message
`%`, CR and LF become `%25`, `%0D` and `%0A`; in a property value `:` and `,` also become `%3A`
and `%2C`. Without it a message with a line break would end the command early, and a path with a
comma would start a new property.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .problems import Problem, printable


def escape_data(text: str) -> str:
    """A value for a workflow command: control characters written as escapes (the log is a terminal:
    an escape code from a file name or a value must not reach it raw), then GitHub's own escapes."""
    return printable(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(item: Problem) -> str:
    """One problem as one workflow command line."""
    level = "warning" if item.warning else "error"
    properties = ",".join(f"{name}={escape_property(value)}" for name, value in (
        ("file", item.path), ("line", item.line), ("col", item.column), ("title", item.field)))
    return f"::{level} {properties}::{escape_data(item.message)}"


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))


def commands(problems: list[Problem]) -> str:
    return "\n".join(command(p) for p in _ordered(problems))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_PLAIN = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;"), ("`", "&#96;"), ("*", "&#42;"),
          ("_", "&#95;"), ("[", "&#91;"), ("]", "&#93;"), ("\\", "&#92;"))


def _plain(text: str) -> str:
    text = printable(str(text))
    for char, entity in _PLAIN:
        text = text.replace(char, entity)
    return text


def _cell(text: str) -> str:
    """Text in a Markdown table cell: one line, no Markdown or HTML of its own. The messages' `code`
    spans stay code (inside them only `|` needs escaping, as GitHub's tables read it)."""
    text = " ".join(str(text).split())
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all plain text
        return _plain(text)
    return "".join(_plain(part) if i % 2 == 0 else f"`{part.replace('|', chr(92) + '|')}`" for i, part in enumerate(parts))


def summary(problems: list[Problem]) -> str:
    """The job summary in Markdown: how many problems where, each with line and message, and what next."""
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    if not problems:
        return ("## Kontroll av innehållet\n\n"
                "Allt innehåll är i ordning: inga problem hittades i filerna i `data/` och `methods/`.\n")
    files = sorted({p.path for p in problems})
    lines = ["## Kontroll av innehållet", ""]
    if errors:
        error_files = len({p.path for p in errors})
        lines.append(f"Kontrollen hittade {_plural(len(errors), 'problem', 'problem')} i "
                     f"{_plural(error_files, 'fil', 'filer')}"
                     + (f" och {_plural(len(warnings), 'varning', 'varningar')}." if warnings else ".")
                     + " Innehållet kan inte publiceras förrän problemen är rättade.")
    else:
        lines.append(f"Inga problem, men {_plural(len(warnings), 'varning', 'varningar')}. "
                     "Innehållet kan publiceras; läs gärna varningarna.")
    lines.append("")
    for path in files:
        lines += [f"### {_cell(path)}", "", "| Rad | Kolumn | Fält | Vad är fel |", "| ---: | ---: | --- | --- |"]
        for p in _ordered([p for p in problems if p.path == path]):
            what = ("Varning: " if p.warning else "") + p.message
            lines.append(f"| {p.line} | {p.column} | {_cell(p.field)} | {_cell(what)} |")
        lines.append("")
    lines += [
        "### Så går du vidare",
        "",
        "1. Öppna filen och gå till raden som står i tabellen. Samma meddelanden syns också vid raderna "
        "under fliken *Files changed* i pull requesten.",
        "2. Rätta det som meddelandet säger och spara. Kontrollen körs igen när ändringen kommer in.",
        "3. Har du projektet på din egen dator kan du kontrollera innan du skickar: kör `make validate`.",
        "4. Förstår du inte ett meddelande? Skriv en kommentar i pull requesten, så hjälper någon till.",
        "",
    ]
    return "\n".join(lines)


def write_summary(problems: list[Problem], environ=os.environ) -> Path | None:
    """Append the summary to the file GitHub names in GITHUB_STEP_SUMMARY (nothing when it is not set)."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(summary(problems) + "\n")
    return path


def validate(root: Path, out=None, environ=os.environ) -> int:
    """`validate --format github`: commands on stdout, the summary to its file; exit 1 on problems."""
    from .content import load_cached

    out = out or sys.stdout
    result = load_cached(root, addresses=True)
    text = commands(result.problems)
    if text:
        print(text, file=out)
    write_summary(result.problems, environ)
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    if errors:
        files = len({p.path for p in result.errors})
        print(f"{_plural(errors, 'problem', 'problem')} i {_plural(files, 'fil', 'filer')}", file=out)
        return 1
    print("Allt innehåll är i ordning" + (f" ({_plural(warnings, 'varning', 'varningar')})" if warnings else ""), file=out)
    return 0
