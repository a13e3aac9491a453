"""`python -m handbook new KIND NAME`: a starting file for a new record, from its kind's template.

The kinds are the schemas' `x-kind`s; a kind is named by its name (organisation) or by the last part
of its folder (organisationer). The id comes from the name in ASCII kebab-case, is checked against the
kind's id pattern and the ids its pages reserve, and a file is never overwritten. The file is the
kind's `_template.yml` with the name filled in, the next free `order` where a kind has one, a review
date a year ahead, and the optional lines that still hold the template's examples commented out.
Then it says, in Swedish, what is left to fill in and how to check and send the file.
"""
from __future__ import annotations

import datetime
import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from . import safety
from .kinds import Kind, load_kinds

# Swedish words a partner may write for a kind, beside its name and its folder.
SWEDISH_WORDS = {
    "organisation": ("organisationer", "org"),
    "method": ("metod", "metoder", "verktyg", "princip"),
    "module": ("modul", "moduler", "handledarutbildning"),
    "criterion": ("kriterium", "kriterier"),
    "area": ("omrade", "område", "omraden", "områden"),
    "package": ("paket", "arbetspaket"),
    "activity": ("aktivitet", "aktiviteter"),
    "project": ("projekt",),
    "taxonomy": ("taxonomi", "taxonomier", "lista", "listor"),
    "county": ("lan", "län"),
    "glossary": ("ord", "ordlistan", "term"),
    "material": ("checklista", "mall"),
}


class Refused(Exception):
    """A request the scaffold refuses, with the Swedish sentence that says why; `code` is the exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def slug(name: str) -> str:
    """An id from a name: "Kyrkans second hand Östersund" -> "kyrkans-second-hand-ostersund"."""
    text = str(name).lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "æ": "ae", "ø": "o",
                                                      "ß": "ss", "'": None, "’": None}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _aliases(kinds: dict[str, Kind]) -> dict[str, Kind]:
    found = {}
    for kind in kinds.values():
        for word in (kind.name, kind.folder.rsplit("/", 1)[-1], *SWEDISH_WORDS.get(kind.name, ())):
            found.setdefault(word.casefold(), kind)
    return found


def kinds_list(kinds: dict[str, Kind]) -> str:
    return ", ".join(f"{k.name} ({k.folder.rsplit('/', 1)[-1]})" for k in sorted(kinds.values(), key=lambda k: k.name))


def kinds_sentence(kinds: dict[str, Kind], lead: str = "Skriv vilken sorts post du vill skapa och vad den heter") -> str:
    return (f'{lead}, till exempel make new KIND=organisation NAME="Kyrkans second hand Östersund"; '
            f"sorterna är: {kinds_list(kinds)}.")


def find_kind(word: str | None, kinds: dict[str, Kind]) -> Kind:
    kind = _aliases(kinds).get((word or "").strip().casefold())
    if kind is None:
        lead = (f'Sorten "{word.strip()}" finns inte: skriv en av sorterna i KIND' if word and word.strip()
                else "Skriv vilken sorts post du vill skapa och vad den heter")
        raise Refused(kinds_sentence(kinds, lead), 2)
    return kind


def reserved_ids(kind: Kind) -> dict[str, str]:
    """Ids a kind's pages keep for themselves (an area module's list), id -> why."""
    from .areas import curriculum, directory, methods, quality, workpackages

    lists = {"organisation": directory.RESERVED_IDS, "area": quality.RESERVED_IDS, "module": curriculum.TAKEN_IDS,
             "method": methods.RESERVED_IDS, "package": workpackages.RESERVED}
    return {i: "en sida på webbplatsen har den adressen" for i in lists.get(kind.name, ())} | {"index": "en sida på webbplatsen har den adressen"}


def _taken(root: Path, kind: Kind, record_id: str) -> Path | None:
    folder = root / kind.folder
    for path in sorted(folder.rglob(f"{record_id}.yml")) if folder.is_dir() else ():
        return path
    return None


def _usable(root: Path, kind: Kind, record_id: str) -> bool:
    return (bool(re.fullmatch(kind.id_pattern, record_id)) and record_id not in reserved_ids(kind)
            and _taken(root, kind, record_id) is None)


def free_id(root: Path, kind: Kind, record_id: str) -> str:
    for number in range(2, 1000):
        candidate = f"{record_id}-{number}"
        if _usable(root, kind, candidate):
            return candidate
    return f"{record_id}-ny"


def choose_id(root: Path, kind: Kind, name: str, given: str | None) -> str:
    record_id = (given or "").strip() or slug(name)
    if not record_id:
        raise Refused(f'Namnet "{name}" ger inget id; skriv ett namn med bokstäver eller siffror, eller ange id:t med ID=.')
    if not re.fullmatch(kind.id_pattern, record_id):
        expected = kind.schema.get("x-kind", {}).get("id-expected")
        if kind.name == "county":
            free = next((c for c in (f"{n:02d}" for n in range(1, 100)) if _usable(root, kind, c)), None)
            example = f" ID={free}" if free else " ID=..."
            raise Refused(f"Ett län har länskoden som id, två siffror; ange den med ID, till exempel "
                          f'make new KIND=lan NAME="{name}"{example}.' + ("" if free else " Alla länskoder finns redan."))
        raise Refused(f'Id:t "{record_id}" går inte att använda: ett id har bara små bokstäver a-z, siffror och '
                      f"bindestreck{f' ({expected})' if expected else ''}; ange ett annat med ID=, till exempel ID={slug(record_id) or 'ny-post'}.")
    if record_id in reserved_ids(kind):
        raise Refused(f'Id:t "{record_id}" är upptaget: {reserved_ids(kind)[record_id]}. '
                      f"Välj ett annat namn, eller ange id:t med ID=, till exempel ID={free_id(root, kind, record_id)}.")
    taken = _taken(root, kind, record_id)
    if taken is not None:
        raise Refused(f'Id:t "{record_id}" finns redan: {taken.relative_to(root).as_posix()}. Filen skrivs inte över. '
                      f"Ändra i den filen, eller välj ett annat id, till exempel ID={free_id(root, kind, record_id)}.")
    return record_id


# ---------------------------------------------------------------- the file itself


def title_field(kind: Kind) -> str | None:
    return safety._title_field(kind)


def _blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """(top-level key, first line, end line) of every top-level field of a YAML text."""
    starts = [(m.group(1), i) for i, line in enumerate(lines) if (m := re.match(r"([A-Za-z_][\w-]*):", line))]
    found = []
    for index, (key, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(lines)
        while end > start + 1 and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
            end -= 1  # the comment above the next field belongs to it
        found.append((key, start, end))
    return found


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _records(root: Path, kind: Kind):
    """(path, data) of every record file of the kind that can be read; the rest is the validator's business."""
    for path in sorted((root / kind.folder).glob("*.yml")):
        if path.name.startswith("_"):
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            continue
        if isinstance(data, dict):
            yield path, data


def _next_order(root: Path, kind: Kind, key: str) -> int | None:
    values = [data[key] for _path, data in _records(root, kind)
              if isinstance(data.get(key), int) and not isinstance(data.get(key), bool)]
    return max(values, default=0) + 1


def _template_text(root: Path, kind: Kind) -> str | None:
    for base in (root, safety.PROJECT_ROOT):
        path = base / kind.folder / safety.TEMPLATE_NAME
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def same_name(root: Path, kind: Kind, name: str) -> Path | None:
    """The file of a record of the kind with the same name or title (case, spaces and punctuation aside),
    for kinds whose titles must differ and that belong to no parent (a new package's project is not known yet)."""
    field = title_field(kind)
    if field is None or kind.name in safety.TITLES_MAY_REPEAT or safety.parent_field(kind) is not None:
        return None
    for path, data in _records(root, kind):
        text = safety._title_text(data.get(field))
        if text and safety._plain(text) == safety._plain(name):
            return path
    return None


def _minimal_text(kind: Kind) -> str:
    """A starting file from the schema's required fields, for a kind without a template."""
    lines = [f"# yaml-language-server: $schema=../{'../' * kind.folder.count('/')}schemas/{kind.schema_file}",
             "# Den här sortens poster har ingen mall: fälten nedan är de som måste finnas.",
             f"# Vad varje fält ska innehålla står i schemas/{kind.schema_file} (och som hjälp i VS Code).", ""]
    props = kind.schema.get("properties", {})
    for key in kind.schema.get("required", ()):
        spec = props.get(key, {})
        ref = spec.get("$ref", "")
        kinds_of = spec.get("type") if isinstance(spec.get("type"), str) else ""
        if ref.endswith("/text") or ref.endswith("/markdown"):
            lines += [f"# {key}: en text, på svenska under sv.", f'{key}: {{sv: "Skriv här"}}']
        elif ref.endswith("/review_by") or ref.endswith("/date"):
            lines += [f"# {key}: ett datum, ÅÅÅÅ-MM-DD.", f"{key}: 2000-01-01"]
        elif kinds_of == "array":
            lines += [f"# {key}: en lista, en rad per sak som börjar med -.", f"{key}: []"]
        elif kinds_of == "integer":
            lines += [f"# {key}: ett heltal.", f"{key}: 1"]
        else:
            lines += [f"# {key}: fyll i.", f'{key}: ""']
    return "\n".join(lines) + "\n"


def starting_text(root: Path, kind: Kind, name: str, today: datetime.date) -> tuple[str, list[str]]:
    """The new file's text, and the optional fields whose example lines were commented out."""
    text = _template_text(root, kind) or _minimal_text(kind)
    template_data = yaml.safe_load(text) or {}
    lines = text.splitlines()
    # The template's opening comment tells how to copy it: a scaffolded file says what it is instead.
    body_start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    head = [line for line in lines[:body_start] if line.startswith("# yaml-language-server:")]
    lines = lines[body_start:]
    while lines and not lines[0].strip():
        lines.pop(0)
    field = title_field(kind)
    required = set(kind.schema.get("required", ()))
    examples = safety.examples()
    commented: list[str] = []
    out: list[str] = []
    cursor = 0
    for key, start, end in _blocks(lines):
        out.extend(lines[cursor:start])
        block = lines[start:end]
        cursor = end
        value = template_data.get(key) if isinstance(template_data, dict) else None
        if key == field:
            localised = isinstance(value, dict)
            filled = f"{{sv: {_quoted(name)}}}" if localised else _quoted(name)
            out.append(f"{key}: {filled}")
            continue
        if kind.name == "profile" and key in ("organisation", "date"):  # NAME is the organisation's id
            out.append(f"{key}: {name if key == 'organisation' else today.isoformat()}")
            out.extend(line for line in block[1:] if line.startswith("#"))
            continue
        if key == "review_by":
            out.append(re.sub(r"^review_by:\s*\S+", f"review_by: {a_year_after(today).isoformat()}", block[0]))
            out.extend(block[1:])
            continue
        if key in ("order",) and safety.parent_field(kind) is None:
            out.append(re.sub(r"^order:\s*\d+", f"order: {_next_order(root, kind, 'order')}", block[0]))
            out.extend(block[1:])
            continue
        if key not in required and _holds_example(value, examples):
            commented.append(key)
            out.extend(("# " + line) if line.strip() else line for line in block)
            continue
        out.extend(block)
    out.extend(lines[cursor:])
    intro = [f"# {name}: ny post i {kind.folder}/. Fyll i fälten; kommentarerna (#) säger vad som ska stå.",
             "# Rader som börjar med # läses inte. Ta bort # framför en rad du vill använda.",
             "# Kontrollera med: make validate", ""]
    return "\n".join(head + intro + out).rstrip("\n") + "\n", commented


def a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + datetime.timedelta(days=365)


def _holds_example(value, examples: safety.Examples) -> bool:
    for _at, text in safety.strings(value):
        if examples.host_in(text) or any(n in examples.phones for _w, n in safety.phone_numbers(text)):
            return True
        if examples.is_text(text):
            return True
    return False


# ---------------------------------------------------------------- what is left to do


def left_to_fill(root: Path, kind: Kind, shown: str, name: str) -> tuple[list[str], list[str]]:
    """(required fields, other fields) of the new file that the checks still refuse, by top-level name."""
    from .content import load_content

    result = load_content(root)
    fields_required, fields_other = [], []
    required = set(kind.schema.get("required", ()))
    for item in result.problems:
        if item.path != shown or item.warning:
            continue
        top = re.split(r"[.\[]", item.field, maxsplit=1)[0]
        bucket = fields_required if top in required else fields_other
        if top not in bucket:
            bucket.append(top)
    return fields_required, fields_other


def _profile_name_and_id(root: Path, kinds: dict, name: str, given_id: str | None,
                         today: datetime.date) -> tuple[str, str]:
    """A quality profile is named after its organisation and day: NAME is the organisation's id (or its
    file), the id is <organisation>-<today>."""
    organisation = Path(name).stem if name.endswith(".yml") else name
    folder = root / kinds["organisation"].folder
    if not (folder / f"{organisation}.yml").is_file():
        close = [p.stem for p in sorted(folder.glob("*.yml")) if not p.name.startswith("_")]
        hint = difflib.get_close_matches(organisation, close, n=1, cutoff=0.6)
        raise Refused(f'En kvalitetsprofil gäller en organisation i katalogen: skriv organisationens id i NAME, '
                      f'till exempel make new KIND=kvalitetsprofiler NAME={hint[0] if hint else "myrorna"}. Det finns ingen '
                      f'organisation "{organisation}" i {kinds["organisation"].folder}/.', 2)
    return organisation, (given_id or f"{organisation}-{today.isoformat()}")


def new(root: Path, kind_word: str | None, name: str | None, given_id: str | None = None,
        today: datetime.date | None = None, out=sys.stdout) -> Path:
    """Write the starting file and say what to do next. Raises Refused with a Swedish sentence."""
    root = Path(root)
    schema_dir = root / "schemas" if (root / "schemas").is_dir() else safety.PROJECT_ROOT / "schemas"
    kinds = load_kinds(schema_dir)
    kind = find_kind(kind_word, kinds)
    name = (name or "").strip()
    if not name:
        raise Refused(kinds_sentence(kinds, "Skriv vad den nya posten heter i NAME"), 2)
    if "\n" in name or len(name) > 200:
        raise Refused("Namnet ska stå på en rad och vara högst 200 tecken.", 2)
    today = today or safety.today()
    if kind.name == "profile":
        name, given_id = _profile_name_and_id(root, kinds, name, given_id, today)
    record_id = choose_id(root, kind, name, given_id)
    same = same_name(root, kind, name)
    if same is not None:
        raise Refused(f'"{name}" finns redan i {same.relative_to(root).as_posix()}; ändra i den filen i stället för att '
                      "göra en ny, eller ge den nya posten ett annat namn.")
    text, commented = starting_text(root, kind, name, today)
    path = root / kind.folder / f"{record_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    shown = path.relative_to(root).as_posix()
    required, other = left_to_fill(root, kind, shown, name)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    set_here = (title_field(kind), "review_by", "order")
    unchanged = [key for key in kind.schema.get("required", ()) if key in data and key not in required + list(set_here)]
    optional = [key for key in data if key not in kind.schema.get("required", ()) and key not in other + list(set_here)]
    print(f"Skrev {shown} (id: {record_id}).", file=out)
    if required:
        print("Fyll i härnäst, de här obligatoriska fälten har kvar mallens exempel eller är fel: "
              + ", ".join(required) + ".", file=out)
    if unchanged:
        print("Kontrollera också att de här obligatoriska fälten stämmer för er (de har mallens värden): "
              + ", ".join(unchanged) + ".", file=out)
    if optional:
        print("De här valfria fälten har mallens exempelvärden; byt dem mot era egna eller ta bort raderna: "
              + ", ".join(optional) + ".", file=out)
    if other:
        print("Ändra eller ta bort de här valfria fälten: " + ", ".join(other) + ".", file=out)
    if commented:
        print("Valfria rader med mallens exempel är bortkommenterade (#): " + ", ".join(commented)
              + ". Ta bort # och fyll i dem om ni vill ha med dem.", file=out)
    print("Kontrollera filen med: make validate", file=out)
    print("Skicka sedan in den som en pull request och skriv kort vad posten gäller (se sidan Bidra, docs/bidra/index.md).",
          file=out)
    return path


def main(root: Path, kind_word: str | None, name: str | None, given_id: str | None = None) -> int:
    try:
        new(root, kind_word, name, given_id)
    except Refused as refusal:
        print(str(refusal), file=sys.stderr)
        return refusal.code
    except FileExistsError as error:
        print(f"Filen {error.filename} finns redan och skrivs inte över; välj ett annat id med ID=.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Filen kunde inte skrivas: {error.strerror} ({error.filename}).", file=sys.stderr)
        return 1
    return 0
