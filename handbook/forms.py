"""GitHub issue forms for the organisation and method records, generated from their JSON Schemas,
and the form for a quality profile.

`python -m handbook forms` writes `.github/ISSUE_TEMPLATE/organisation.yml`, `metod.yml` and
`kvalitetsprofil.yml`;
`python -m handbook forms --check` says whether the committed files are what it would write.

One form element per schema property, with the property name as its id (the site links to a form
with `?name=...&sida=...`, so the ids are promised): the schema's `title` is the label and its
`description` the help text (both in Swedish), `required` gives the required marker, an `enum`, a
county (`x-ref: county`) or a taxonomy term (`x-ref: term:<list>`) gives a dropdown, a list of terms
gives checkboxes and a localised text a textarea. Every form starts with `sida` (the page the
reader came from) and the record forms with `befintlig` (the id of an entry to change).

A quality profile is not asked for field by field: the self-assessment page
(/kvalitetsmodell/sjalvskattning/) writes the whole file, and the form has one textarea for its
contents plus the organisation (`profile_form`).

`handbook/from_issue.py` reads a submitted form back with the same `Form` definition, so a label
and the field it stands for are written down in one place only: here, from the schemas.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .kinds import load_kinds
from .load import load_file

TEMPLATE_DIR = ".github/ISSUE_TEMPLATE"

# The record forms: kind name -> (file, title prefix, label, what the form is for)
RECORD_FORMS = {
    "organisation": ("organisation.yml", "Organisation: ", "organisation",
                     "Lägg till eller ändra en organisation", "Lägg till en ny organisation i katalogen, eller ändra uppgifterna om en som redan finns."),
    "method": ("metod.yml", "Metod: ", "metod",
               "Föreslå en metod", "Föreslå en metod, ett verktyg eller en princip till metodbanken."),
}

# Properties that have no field in a public form, and why
LEFT_OUT = {
    "id": "the id is the file name: derived from the name, or `befintlig` for an existing entry",
    "contacts": "named persons need recorded consent, and an issue is public: contacts are added in a pull request",
}

HEADER = ("# Skapad av `python -m handbook forms` från schemas/{schema} och innehållet i data/.\n"
          "# Ändra inte här: ändra schemat (titel och beskrivning) och kör kommandot igen.\n")


@dataclass(frozen=True)
class Field:
    """One form element and how its answer becomes a value of the record."""

    id: str
    label: str
    element: str  # input, textarea, dropdown, checkboxes
    shape: str  # how the answer is read: text, integer, words, date, localised, choice, choices, keyed-lines, ...
    description: str = ""
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of a dropdown or checkboxes
    placeholder: str = ""
    parts: tuple[str, ...] = ()  # the sub-fields an answer of several parts fills, in order
    render: str = ""  # a textarea GitHub shows as code in this language (its answer arrives in a fence)

    def value_of(self, label: str) -> str | None:
        return next((value for value, shown in self.options if shown == label), None)


@dataclass(frozen=True)
class Form:
    kind: str
    file: str
    name: str
    description: str
    title: str
    labels: tuple[str, ...]
    intro: str
    fields: tuple[Field, ...] = field(default=())

    def by_label(self) -> dict[str, Field]:
        return {f.label: f for f in self.fields}

    def by_id(self) -> dict[str, Field]:
        return {f.id: f for f in self.fields}


class FormDefinitionError(Exception):
    """A schema property the generator does not know how to ask for (a developer's error)."""


def _common(root: Path) -> dict:
    return json.loads((root / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]


def _resolve(node: dict, defs: dict) -> tuple[dict, str]:
    """The property's schema with a reference to a shared definition filled in; and that definition's name."""
    ref = node.get("$ref", "")
    if ref.startswith("common.schema.json#/$defs/"):
        name = ref.rsplit("/", 1)[-1]
        target, _ = _resolve(defs[name], defs)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return merged, name
    if ref.startswith("#/$defs/"):
        name = ref.rsplit("/", 1)[-1]
        target, _ = _resolve(defs[name], defs)
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}, name
    return node, ""


def _terms(root: Path, taxonomy: str) -> tuple[tuple[str, str], ...]:
    data = load_file(root / "data" / "taxonomier" / f"{taxonomy}.yml", f"data/taxonomier/{taxonomy}.yml").data
    return tuple((t["id"], t["label"]["sv"]) for t in data["terms"])


def _counties(root: Path) -> tuple[tuple[str, str], ...]:
    found = []
    for path in sorted((root / "data" / "lan").glob("*.yml")):
        if path.name.startswith("_"):
            continue
        data = load_file(path, f"data/lan/{path.name}").data
        found.append((path.stem, f"{data['name']['sv']} ({path.stem})"))
    return tuple(found)


def _records(root: Path, folder: str) -> tuple[tuple[str, str], ...]:
    found = []
    for path in sorted((root / folder).glob("*.yml")):
        if path.name.startswith("_"):
            continue
        data = load_file(path, f"{folder}/{path.name}").data
        title = data.get("title") or data.get("name") or path.stem
        found.append((path.stem, f"{title['sv'] if isinstance(title, dict) else title} ({path.stem})"))
    return tuple(found)


def _options(root: Path, ref: str, kinds: dict) -> tuple[tuple[str, str], ...]:
    if ref.startswith("term:"):
        return _terms(root, ref[5:])
    if ref == "county":
        return _counties(root)
    if ref in kinds:
        return _records(root, kinds[ref].folder)
    raise FormDefinitionError(f"no options for x-ref {ref!r}")


def _field(root: Path, name: str, node: dict, required: bool, defs: dict, kinds: dict) -> Field:
    schema, shared = _resolve(node, defs)
    label = schema.get("title", name)
    help_text = schema.get("description", "")
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    items = _resolve(schema.get("items", {}), defs)[0] if isinstance(schema.get("items"), dict) else {}
    common = dict(id=name, label=label, description=help_text, required=required)
    at_least_one = required and schema.get("minItems", 0) >= 1

    if shared in ("text", "markdown"):  # a record's own name is one line
        return Field(**common, element="input" if name in ("name", "title") else "textarea", shape="localised")
    if shared == "sources":
        return Field(**common, element="textarea", shape="sources", parts=("title", "url"),
                     placeholder="Organisationens webbplats | https://www.example.se/")
    if shared in ("date", "review_by"):
        return Field(**common, element="input", shape="date", placeholder="2027-12-31")
    if "enum" in schema:
        return Field(**common, element="dropdown", shape="choice", options=tuple((v, v) for v in schema["enum"]))
    if "x-ref" in schema and "string" in types:
        return Field(**common, element="dropdown", shape="choice", options=_options(root, schema["x-ref"], kinds))
    if "integer" in types:
        return Field(**common, element="input", shape="integer")
    if "string" in types:
        return Field(**common, element="input", shape="text")
    if "array" in types and "x-ref" in items:
        note = " Välj minst ett alternativ." if at_least_one else ""
        return Field(**{**common, "description": help_text + note, "required": False}, element="checkboxes",
                     shape="choices", options=_options(root, items["x-ref"], kinds))
    if "array" in types and items.get("type") == "string":
        return Field(**common, element="input", shape="words", placeholder="sv, en")
    if "array" in types and items.get("type") == "object":
        properties = {k: _resolve(v, defs) for k, v in items.get("properties", {}).items()}
        keys = tuple(properties)
        if len(keys) == 2 and "x-ref" in properties[keys[0]][0] and properties[keys[1]][1] == "text":
            return Field(**common, element="textarea", shape="keyed-lines", parts=keys,
                         placeholder=f"{_options(root, properties[keys[0]][0]['x-ref'], kinds)[0][0]}: ...")
        if len(keys) >= 2 and properties[keys[0]][1] == "text" and properties[keys[1]][1] == "text":
            return Field(**common, element="textarea", shape="paragraphs", parts=keys[:2])
        if len(keys) == 2 and properties[keys[0]][1] == "text" and properties[keys[1]][1] == "source":
            return Field(**common, element="textarea", shape="claims", parts=keys,
                         placeholder="Vad som är känt | Källans titel | https://...")
    if "object" in types and set(schema.get("properties", {})) >= {"title", "items"}:
        return Field(**common, element="textarea", shape="checklist", parts=("title", "items"))
    raise FormDefinitionError(f"{name}: no form element for this schema property; add one in handbook/forms.py")


_HOW = {
    "keyed-lines": "En rad för varje: id, kolon och text. Id:n som finns: {ids}.",
    "paragraphs": "Ett stycke för varje, med en tom rad emellan: första raden är rubriken, resten är texten.",
    "claims": "En rad för varje: vad som är känt | källans titel | länk.",
    "checklist": "Första raden är listans rubrik; sedan en fråga per rad som börjar med - (bindestreck).",
    "sources": "En rad för varje källa: titel | länk som börjar med https://.",
    "words": "Skriv koderna med kommatecken emellan.",
    "integer": "Skriv ett heltal, till exempel 6.",
}


def _with_how(item: Field, root: Path, kinds: dict, schema: dict, defs: dict) -> Field:
    how = _HOW.get(item.shape)
    if not how:
        return item
    if "{ids}" in how:
        items = _resolve(schema["properties"][item.id].get("items", {}), defs)[0]
        key = _resolve(items["properties"][item.parts[0]], defs)[0]
        how = how.format(ids=", ".join(v for v, _ in _options(root, key["x-ref"], kinds)))
    return Field(**{**item.__dict__, "description": f"{item.description} {how}".strip()})


PAGE_FIELD = Field(id="sida", label="Sidan det gäller", element="input", shape="text",
                   description="Adressen till sidan på webbplatsen. Kom du hit från en länk på en sida är den redan ifylld.",
                   placeholder="https://.../organisationer/...")


def _existing_field(kind_label: str, folder: str) -> Field:
    return Field(id="befintlig", label="Befintlig post (id)", element="input", shape="text",
                 description=(f"Ska en {kind_label} som redan finns ändras? Skriv dess id, som står i sidans adress och "
                              f"är filnamnet i {folder}/ utan .yml. Lämna tomt för en ny. Vid en ändring behåller "
                              "fält som du lämnar tomma sina nuvarande värden."))


def record_form(root: Path, kind_name: str) -> Form:
    """The form of one record kind, from its schema and the content (terms, counties, records)."""
    root = Path(root)
    kinds = load_kinds(root / "schemas")
    kind = kinds[kind_name]
    defs = _common(root)
    file, prefix, label, name, about = RECORD_FORMS[kind_name]
    swedish_kind = {"organisation": "organisation", "method": "metod"}[kind_name]
    fields = [PAGE_FIELD, _existing_field(swedish_kind, kind.folder)]
    required = set(kind.schema.get("required", []))
    for prop, node in kind.schema["properties"].items():
        if prop in LEFT_OUT:
            continue
        item = _field(root, prop, node, prop in required, defs, kinds)
        fields.append(_with_how(item, root, kinds, kind.schema, defs))
    labels = [f.label for f in fields]
    duplicates = {x for x in labels if labels.count(x) > 1}
    if duplicates:
        raise FormDefinitionError(f"{kind_name}: two fields with the label {sorted(duplicates)}")
    for item in fields:
        shown = [label for _, label in item.options]
        if len(set(shown)) != len(shown):
            raise FormDefinitionError(f"{kind_name}.{item.id}: two options with the same label")
    intro = (f"{about}\n\n"
             "Fyll i det du vet; fält med stjärna måste fyllas i. En redaktör gör om formuläret till en fil, "
             "kontrollerar den och publicerar den. Du får svar här i ärendet.\n\n"
             "**Allt du skriver här syns öppet på internet.** Skriv inga namn, e-postadresser eller telefonnummer "
             "till enskilda personer; organisationens egna funktionsadresser går bra.")
    return Form(kind=kind_name, file=file, name=name, description=about, title=prefix, labels=(label,),
                intro=intro, fields=tuple(fields))


def record_forms(root: Path) -> list[Form]:
    return [record_form(root, kind) for kind in RECORD_FORMS]


# The quality profile: the file the self-assessment page downloads, pasted whole.
PROFILE_KIND = "profile"
PROFILE_FILE = "kvalitetsprofil.yml"  # handbook/areas/quality.py links to it as PROFILE_FORM


def profile_form(root: Path) -> Form:
    """The form for a quality profile: the organisation's id and the downloaded file's contents.

    The ids are promised: the self-assessment page links to the form with `?organisation=...&profil=...`."""
    kind = load_kinds(Path(root) / "schemas")[PROFILE_KIND]
    about = "Skicka in en kvalitetsprofil som ni har laddat ner från självskattningen."
    fields = (
        PAGE_FIELD,
        Field(id="organisation", label="Organisationens id", element="input", shape="text", required=True,
              description=("Organisationens id i katalogen: det står i adressen till organisationens sida och "
                           "överst i profilen (organisation:)."),
              placeholder="exempelbutiken"),
        Field(id="profil", label="Profilen", element="textarea", shape="profile", required=True, render="yaml",
              description=(f"Klistra in hela innehållet i filen som självskattningen laddade ner (den heter "
                           f"organisationens id, ett bindestreck och datumet, till exempel exempelbutiken-2026-10-15.yml). "
                           f"Ändra inget i texten. Formatet finns i {kind.folder}/_template.yml.")),
    )
    intro = (f"{about}\n\n"
             "Gör så här: fyll i självskattningen på webbplatsen (Kvalitetsmodell, Självskattning), öppna "
             "\"Gör en kvalitetsprofil att publicera\", välj organisationen och ladda ner profilen. Klistra sedan in "
             "filens innehåll här. En redaktör gör om ärendet till en fil, kontrollerar den och publicerar den på "
             "organisationens sida. Du får svar här i ärendet.\n\n"
             "En självskattning visas som en självskattning, aldrig som en certifiering eller ett kvalitetsmärke.\n\n"
             "**Allt du skriver här syns öppet på internet**, också anteckningarna i profilen. Skriv inga uppgifter "
             "om enskilda deltagare.")
    return Form(kind=PROFILE_KIND, file=PROFILE_FILE, name="Skicka en kvalitetsprofil", description=about,
                title="Kvalitetsprofil: ", labels=("kvalitetsprofil",), intro=intro, fields=fields)


def all_forms(root: Path) -> list[Form]:
    """Every generated form: the record forms, and the profile form once the profile kind is defined."""
    found = record_forms(root)
    if PROFILE_KIND in load_kinds(Path(root) / "schemas"):
        found.append(profile_form(root))
    return found


class _Dumper(yaml.SafeDumper):
    """Text of several lines as a `|` block, as a person would write it."""


def _text(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


PROFILE_HEADER = ("# Skapad av `python -m handbook forms` (profile_form i handbook/forms.py).\n"
                  "# Ändra inte här: ändra handbook/forms.py och kör kommandot igen.\n")


def to_yaml(form: Form, schema_file: str) -> str:
    """The issue form as GitHub reads it (`.github/ISSUE_TEMPLATE/*.yml`)."""
    body: list[dict] = [{"type": "markdown", "attributes": {"value": form.intro}}]
    for item in form.fields:
        attributes: dict = {"label": item.label}
        if item.description:
            attributes["description"] = item.description
        if item.element == "dropdown":
            attributes["options"] = [label for _, label in item.options]
        elif item.element == "checkboxes":
            attributes["options"] = [{"label": label} for _, label in item.options]
        elif item.placeholder:
            attributes["placeholder"] = item.placeholder
        if item.render:
            attributes["render"] = item.render
        element = {"type": item.element, "id": item.id, "attributes": attributes}
        if item.required and item.element != "checkboxes":
            element["validations"] = {"required": True}
        body.append(element)
    document = {"name": form.name, "description": form.description, "title": form.title,
                "labels": list(form.labels), "body": body}
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return (PROFILE_HEADER if form.kind == PROFILE_KIND else HEADER.format(schema=schema_file)) + text


def expected_files(root: Path) -> dict[Path, str]:
    """Every generated form file and the text it should hold."""
    root = Path(root)
    kinds = load_kinds(root / "schemas")
    return {root / TEMPLATE_DIR / form.file: to_yaml(form, kinds[form.kind].schema_file) for form in all_forms(root)}


def write(root: Path) -> list[Path]:
    changed = []
    for path, text in expected_files(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale(root: Path) -> list[Path]:
    """The generated form files that differ from what `write` would write."""
    return [path for path, text in expected_files(root).items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def _run(root: Path, args) -> int:
    if args.check:
        old = stale(root)
        for path in old:
            print(f"{path.relative_to(root).as_posix()} stämmer inte med schemat: kör `python -m handbook forms`")
        if not old:
            print("Formulären stämmer med scheman och innehåll.")
        return 1 if old else 0
    changed = write(root)
    for path in changed:
        print(f"Skrev {path.relative_to(root).as_posix()}")
    if not changed:
        print("Formulären var redan aktuella.")
    return 0


def add_command(commands) -> None:
    parser = commands.add_parser("forms", help="write the issue forms generated from the schemas")
    parser.add_argument("--check", action="store_true", help="only say whether the committed forms are up to date")
    parser.set_defaults(run=_run)
