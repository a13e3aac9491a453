"""`python -m handbook from-issue`: a submitted issue form becomes a record file.

GitHub writes a submitted form as Markdown: each field as a `### Label` heading followed by the
answer, `_No response_` for an empty one, and checkboxes as `- [X] label` / `- [ ] label`. The
labels are mapped back to fields with the same definition the forms are generated from
(`handbook/forms.py`), the record is written as a readable YAML file, and then the whole content
tree goes through the normal checks. A form that does not fit gets a Swedish message, never a
traceback; a record with problems is not kept (unless `--keep`).

A quality profile arrives whole: the form's textarea holds the file the self-assessment page
downloaded. It is read the way the validator reads every file (handbook/load.py), named
`<organisation>-<date>.yml` from its own fields, written again with every text quoted, and checked.
"""
from __future__ import annotations

import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from . import forms
from .forms import Field, Form

NO_RESPONSE = "_No response_"
KIND_WORDS = {"organisation": "organisation", "method": "metod", "profile": "kvalitetsprofil"}


class FormError(Exception):
    """The body does not fit the form: one Swedish sentence per thing that is wrong."""

    def __init__(self, reasons: list[str]):
        super().__init__("\n".join(reasons))
        self.reasons = reasons


# --- reading the body -------------------------------------------------------------------------

def _headings(body: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^###[ \t]+(.+?)[ \t]*$", body, re.MULTILINE)]


def detect(body: str, candidates: list[Form]) -> Form:
    """The form whose labels the body's headings are: the one that knows the most of them."""
    headings = set(_headings(body))
    scored = sorted(((len(headings & set(f.by_label())), f.kind, f) for f in candidates), key=lambda t: (-t[0], t[1]))
    best = scored[0] if scored else None
    if not best or best[0] < 2:
        raise FormError(["Texten ser inte ut som ett ifyllt formulär för en organisation, en metod eller en "
                         "kvalitetsprofil: rubrikerna (rader som börjar med ###) saknas eller är okända. Använd formuläret "
                         "\"Lägg till eller ändra en organisation\", \"Föreslå en metod\" eller \"Skicka en kvalitetsprofil\"."])
    return best[2]


def sections(body: str, form: Form) -> dict[str, str | None]:
    """label -> answer (None when not answered). A `### ...` line that is not one of the form's labels
    belongs to the answer it stands in (a description may use Markdown headings)."""
    labels = form.by_label()
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = re.fullmatch(r"###[ \t]+(.+?)[ \t]*", line)
        if heading and heading.group(1) in labels and heading.group(1) not in found:
            current = heading.group(1)
            found[current] = []
        elif current is not None:
            found[current].append(line)
    answers: dict[str, str | None] = {}
    for label, lines in found.items():
        text = "\n".join(lines).strip()
        answers[label] = None if text in ("", NO_RESPONSE) else text
    return answers


def _checked(text: str | None) -> tuple[list[str], list[str]]:
    """(checked labels, lines that are not checkbox lines)."""
    checked, other = [], []
    for line in (text or "").splitlines():
        box = re.fullmatch(r"\s*[-*]\s+\[([ xX])\]\s+(.*?)\s*", line)
        if box:
            if box.group(1) in "xX":
                checked.append(box.group(2))
        elif line.strip():
            other.append(line.strip())
    return checked, other


def _split_bar(line: str) -> list[str]:
    return [part.strip() for part in line.split("|")]


def _source(title: str, url: str) -> dict:
    return {"title": title, "url": url} if url else {"title": title}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _quote(text: str) -> str:
    return f"\u201d{text}\u201d"


def convert(item: Field, text: str, reasons: list[str]):
    """One answer as the record's value; a reason is added for an answer that does not fit."""
    label = _quote(item.label)
    if item.shape in ("text", "date"):
        return " ".join(text.split()) if item.shape == "date" else text.strip()
    if item.shape == "integer":
        cleaned = text.replace(" ", "")
        if not re.fullmatch(r"\d+", cleaned):
            reasons.append(f"{label} ska vara ett heltal, till exempel 6; det står {_quote(text)}.")
            return None
        return int(cleaned)
    if item.shape == "words":
        return [w for w in re.split(r"[\s,;]+", text) if w]
    if item.shape == "localised":
        return {"sv": text.strip()}
    if item.shape == "choice":
        value = item.value_of(text.strip())
        if value is None:
            shown = ", ".join(_quote(s) for _, s in item.options)
            reasons.append(f"I {label} finns inget alternativ {_quote(text.strip())}. Välj ett av: {shown}.")
        return value
    if item.shape == "choices":
        checked, other = _checked(text)
        values = []
        for shown in checked:
            value = item.value_of(shown)
            if value is None:
                reasons.append(f"I {label} finns inget alternativ {_quote(shown)}.")
            else:
                values.append(value)
        if other:
            reasons.append(f"I {label} går det bara att kryssa i alternativ; texten {_quote(other[0])} hör inte dit.")
        return values or None
    if item.shape == "keyed-lines":
        key, text_key = item.parts
        found = []
        for line in _lines(text):
            ident, _, rest = line.partition(":")
            entry = {key: ident.strip()}
            if rest.strip():
                entry[text_key] = {"sv": rest.strip()}
            found.append(entry)
        return found
    if item.shape == "sources":
        found = []
        for line in _lines(text):
            parts = _split_bar(line)
            if len(parts) == 1:
                url = re.search(r"https?://\S+", line)
                parts = [line[: url.start()].strip(" -–:"), url.group(0)] if url else [line, ""]
            found.append(_source(parts[0] or parts[-1], parts[-1] if len(parts) > 1 else ""))
        return found
    if item.shape == "claims":
        claim_key, source_key = item.parts
        found = []
        for line in _lines(text):
            parts = _split_bar(line) + ["", ""]
            found.append({claim_key: {"sv": parts[0]}, source_key: _source(parts[1], parts[2])})
        return found
    if item.shape == "paragraphs":
        title_key, text_key = item.parts
        found = []
        for block in re.split(r"\n\s*\n", text.strip()):
            lines = block.strip().splitlines()
            entry = {title_key: {"sv": lines[0].strip()}}
            if len(lines) > 1:
                entry[text_key] = {"sv": " ".join(line.strip() for line in lines[1:])}
            found.append(entry)
        return found
    if item.shape == "checklist":
        lines = _lines(text)
        questions = [re.sub(r"^[-*]\s*(\[[ xX]\]\s*)?", "", line) for line in lines[1:]]
        return {"title": {"sv": lines[0].lstrip("-* ")}, "items": [{"sv": q} for q in questions if q]}
    raise AssertionError(item.shape)


def read_answers(body: str, form: Form) -> tuple[dict, str | None, str | None]:
    """(record values by field, `befintlig`, `sida`) from a body; FormError when it does not fit."""
    answers = sections(body, form)
    reasons: list[str] = []
    existing = answers.get(forms.PAGE_FIELD.label)
    befintlig = next((answers.get(f.label) for f in form.fields if f.id == "befintlig"), None)
    values: dict = {}
    for item in form.fields:
        if item.id in ("sida", "befintlig"):
            continue
        text = answers.get(item.label)
        if text is None:
            if item.required and not befintlig:
                reasons.append(f"{_quote(item.label)} måste fyllas i.")
            continue
        value = convert(item, text, reasons)
        if value is not None:
            values[item.id] = value
    if reasons:
        raise FormError(reasons)
    return values, befintlig.strip() if befintlig else None, existing


# --- a quality profile ---------------------------------------------------------------------------

_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})[ \t]*[\w.+-]*[ \t]*")


def unfenced(text: str) -> str:
    """A textarea's answer without the code fence GitHub puts round it (`render: yaml`)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    opening = _FENCE.fullmatch(lines[0]) if lines else None
    if opening:
        lines = lines[1:]
        mark = opening.group(1)
        if lines and re.fullmatch(rf"[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*", lines[-1]):
            lines = lines[:-1]
    return "\n".join(lines) + "\n"


def profile_record(body: str, form: Form, folder: Path, shown: str) -> tuple[dict, str]:
    """(the profile's values, its id) from a submitted profile form; FormError when it does not fit."""
    from .load import load_file

    answers = sections(body, form)
    by_id = form.by_id()
    organisation, text = answers.get(by_id["organisation"].label), answers.get(by_id["profil"].label)
    reasons = [f"{_quote(by_id[key].label)} måste fyllas i." for key, answer in
               (("organisation", organisation), ("profil", text)) if answer is None]
    if reasons:
        raise FormError(reasons)
    with tempfile.TemporaryDirectory() as scratch:  # read as the validator reads a file: the same words
        pasted = Path(scratch) / "profil.yml"
        pasted.write_text(unfenced(text), encoding="utf-8")
        loaded = load_file(pasted, "profil.yml")
    if loaded.problems:
        raise FormError([f"{_quote(by_id['profil'].label)} går inte att läsa som en fil: rad {p.line}, "
                         f"kolumn {p.column}: {p.message}" for p in loaded.problems])
    data = dict(loaded.data)
    wanted, found, date = organisation.strip(), data.get("organisation"), data.get("date")
    if not isinstance(found, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", found):
        reasons.append(f"{_quote(by_id['profil'].label)} saknar organisationens id (raden organisation:). "
                       "Klistra in hela filen som självskattningen laddade ner.")
    elif found != wanted:
        reasons.append(f"Organisationen i profilen är {_quote(found)}, men i {_quote(by_id['organisation'].label)} "
                       f"står det {_quote(wanted)}. Rätta det ena så att de är samma.")
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        reasons.append(f"{_quote(by_id['profil'].label)} saknar datumet för skattningen (raden date: år-månad-dag).")
    if reasons:
        raise FormError(reasons)
    record_id = f"{found}-{date}"
    if (folder / f"{record_id}.yml").exists():
        raise FormError([f"Det finns redan en kvalitetsprofil för {_quote(found)} från {date} "
                         f"({shown}/{record_id}.yml). En ny skattning får ett eget datum."])
    return data, record_id


# --- the record file ----------------------------------------------------------------------------

def slug(text: str) -> str:
    """An id from a name: ASCII, lowercase, words joined by hyphens (å, ä, ö -> a, a, o)."""
    text = text.lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def unique_id(base: str, folder: Path) -> str:
    candidate, n = base, 2
    while (folder / f"{candidate}.yml").exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", escaped) + '"'


def _localised(value) -> bool:
    return isinstance(value, dict) and value and set(value) <= {"sv", "en"} and all(isinstance(v, str) for v in value.values())


def flow(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    return quote(str(value))


def _literal_ok(text: str) -> bool:
    return ("\n" in text and not _UNSAFE.search(text) and "\t" not in text and "\r" not in text
            and not text[:1].isspace() and text == text.strip())


def block(key: str, value, indent: int = 0) -> list[str]:
    pad = " " * indent
    if _localised(value) and any(_literal_ok(v) for v in value.values()):
        lines = [f"{pad}{key}:"]
        for lang, text in value.items():
            if _literal_ok(text):
                lines.append(f"{pad}  {lang}: |-")
                lines += [f"{pad}    {line}" if line else "" for line in text.split("\n")]
            else:
                lines.append(f"{pad}  {lang}: {quote(text)}")
        return lines
    if isinstance(value, dict) and value and not _localised(value):
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += block(k, v, indent + 2)
        return lines
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        lines = [f"{pad}{key}:"]
        for item in value:
            if _localised(item) or len(flow(item)) <= 100:
                lines.append(f"{pad}  - {flow(item)}")
                continue
            inner: list[str] = []
            for k, v in item.items():
                inner += block(k, v, indent + 4)
            inner[0] = f"{pad}  - " + inner[0].lstrip()
            lines += inner
        return lines
    return [f"{pad}{key}: {flow(value)}"]


def record_text(record: dict, order: list[str], schema_path: str, issue: int | None) -> str:
    lines = [f"# yaml-language-server: $schema={schema_path}"]
    if issue is not None:
        lines.append(f"# Kom in genom ärende #{issue} (python -m handbook from-issue). Läs igenom innan den slås ihop.")
    for key in [k for k in order if k in record] + [k for k in record if k not in order]:
        lines += block(key, record[key])
    return "\n".join(lines) + "\n"


def _relative(target: Path, start: Path) -> str:
    import os
    return Path(os.path.relpath(target, start)).as_posix()


def _record_from_answers(body: str, form: Form, folder: Path, shown: str, order: list[str]) -> tuple[dict, str, str | None]:
    """(the record, its id, the file's text before the change or None) from an organisation or method form."""
    from .load import load_file

    values, befintlig, _page = read_answers(body, form)
    if befintlig:
        record_id = befintlig
        target = folder / f"{record_id}.yml"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record_id) or not target.is_file():
            raise FormError([f"Det finns ingen {KIND_WORDS[form.kind]} med id {_quote(record_id)} "
                             f"({shown}/{record_id}.yml). Skriv id:t som det står i sidans adress, "
                             "eller lämna fältet tomt för en ny."])
        previous = target.read_text(encoding="utf-8")
        loaded = load_file(target, f"{shown}/{record_id}.yml").data
        record = dict(loaded) if isinstance(loaded, dict) else {}
        record.update(values)
        return record, record_id, previous
    name_field = "name" if "name" in order else "title"
    name = values.get(name_field)
    name = name.get("sv") if isinstance(name, dict) else name
    base = slug(name or "")
    if not base:
        raise FormError([f"Namnet {_quote(name or '')} ger inget id: skriv namnet med bokstäver eller siffror."])
    return values, unique_id(base, folder), None


def from_issue(root: Path, body: str, kind: str | None = None, issue: int | None = None,
               keep: bool = False, out=None, err=None) -> int:
    """Write the record of a submitted form and check the whole tree. 0: written and clean; 1: problems; 2: the form does not fit."""
    from .content import load_content
    from .kinds import load_kinds
    from .problems import report

    out, err = out or sys.stdout, err or sys.stderr
    root = Path(root)
    kinds = load_kinds(root / "schemas")
    try:
        if kind == forms.PROFILE_KIND:
            candidates = [forms.profile_form(root)]
        else:
            candidates = [forms.record_form(root, kind)] if kind else forms.all_forms(root)
        form = detect(body, candidates) if not kind else candidates[0]
        record_kind = kinds[form.kind]
        folder = root / record_kind.folder
        order = list(record_kind.schema["properties"])
        if form.kind == forms.PROFILE_KIND:
            record, record_id = profile_record(body, form, folder, record_kind.folder)
            previous = None
        else:
            record, record_id, previous = _record_from_answers(body, form, folder, record_kind.folder, order)
        target = folder / f"{record_id}.yml"
    except FormError as error:
        print("Formuläret går inte att göra om till en fil:", file=err)
        for reason in error.reasons:
            print(f"- {reason}", file=err)
        return 2
    schema_path = _relative(root / "schemas" / record_kind.schema_file, target.parent)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(record, order, schema_path, issue), encoding="utf-8")
    shown = target.relative_to(root).as_posix()
    result = load_content(root)
    text = report(result.problems)
    if result.ok:
        if text:
            print(text, file=out)
        print(f"Skrev {shown}", file=out)
        return 0
    print(text, file=err)
    if keep:
        print(f"Skrev {shown}, men innehållet har problem (se ovan): rätta dem innan filen slås ihop.", file=err)
    elif previous is not None:
        target.write_text(previous, encoding="utf-8")
        print(f"{shown} är som förut: ändringen gav problemen ovan.", file=err)
    else:
        target.unlink()
        print(f"{shown} sparades inte: den gav problemen ovan. Med --keep sparas den ändå.", file=err)
    return 1


def _run(root: Path, args) -> int:
    try:
        if args.body == "-":
            body = sys.stdin.read()
        else:
            body = Path(args.body).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Kan inte läsa ärendets text ({args.body}): {error.strerror if isinstance(error, OSError) else 'inte UTF-8'}",
              file=sys.stderr)
        return 2
    try:
        return from_issue(root, body, kind=args.kind, issue=args.issue, keep=args.keep)
    except Exception as error:  # never a traceback for a partner's form
        print(f"Något gick fel när formuläret lästes ({type(error).__name__}). Be en redaktör titta på ärendet.",
              file=sys.stderr)
        return 2


def add_command(commands) -> None:
    parser = commands.add_parser("from-issue", help="write a record file from a submitted issue form")
    parser.add_argument("--body", required=True, help="a file with the issue's text, or - to read it from stdin")
    parser.add_argument("--kind", choices=sorted([*forms.RECORD_FORMS, forms.PROFILE_KIND]), default=None,
                        help="the form (default: found from the headings)")
    parser.add_argument("--issue", type=int, default=None, help="the issue's number, for the comment at the top of the file")
    parser.add_argument("--keep", action="store_true", help="keep the file even when it has problems")
    parser.set_defaults(run=_run)
