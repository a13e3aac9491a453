"""`python -m handbook from-issue`: a submitted form, as GitHub writes it, becomes a checked record file."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from handbook import from_issue
from handbook.content import load_content
from handbook.load import load_file

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"


def github_body(form_file: str, answers: dict) -> str:
    """The issue body GitHub writes for a submitted form: read from the committed form file itself.

    Each element but markdown: `### label`, a blank line, the answer (or `_No response_`); checkboxes
    as one `- [X] label` or `- [ ] label` line per option; elements separated by a blank line."""
    form = yaml.safe_load((TEMPLATES / form_file).read_text(encoding="utf-8"))
    parts = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        label = element["attributes"]["label"]
        answer = answers.get(element["id"])
        if element["type"] == "checkboxes":
            chosen = set(answer or ())
            value = "\n".join(f"- [{'X' if o['label'] in chosen else ' '}] {o['label']}"
                              for o in element["attributes"]["options"])
        elif element["type"] == "dropdown":
            if answer is not None:
                assert answer in element["attributes"]["options"], answer  # GitHub offers only these
            value = answer or "_No response_"
        else:
            value = answer or "_No response_"
        parts.append(f"### {label}\n\n{value}")
    return "\n\n".join(parts)


@pytest.fixture
def project(tmp_path) -> Path:
    target = tmp_path / "project"
    target.mkdir()
    for name in ("schemas", "data", "methods"):
        shutil.copytree(ROOT / name, target / name)
    return target


def run(project: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HANDBOOK_LANG", None)
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "from-issue", "--body", "-", *args],
                          input=body, capture_output=True, text=True, env=env, cwd=project)


ORGANISATION = {
    "name": "Kyrkans Second Hand i Åre",
    "type": "Ideell organisation",
    "scope": "lokal",
    "county": "Jämtlands län (23)",
    "municipality": "Åre",
    "website": "https://www.example.se/are/",
    "offers": ["Butik och försäljning", "Kafé och kök"],
    "target_groups": ["Nyanlända"],
    "capacity": "4",
    "languages": "sv, en",
    "accessibility": "Entré utan trappsteg.\nHiss till övervåningen.",
    "description": 'Vi driver en "butik" med 100% återbruk: kläder, möbler \\ böcker.',
    "sources": "Församlingens webbplats | https://www.example.se/are/",
    "review_by": "2027-11-30",
}

EXPECTED_ORGANISATION = """\
# yaml-language-server: $schema=../../schemas/organisation.schema.json
# Kom in genom ärende #42 (python -m handbook from-issue). Läs igenom innan den slås ihop.
name: "Kyrkans Second Hand i Åre"
type: "ideell-organisation"
scope: "lokal"
county: "23"
municipality: "Åre"
website: "https://www.example.se/are/"
offers: ["butik-och-forsaljning", "kafe-och-kok"]
target_groups: ["nyanlanda"]
capacity: 4
languages: ["sv", "en"]
accessibility:
  sv: |-
    Entré utan trappsteg.
    Hiss till övervåningen.
description: {sv: "Vi driver en \\"butik\\" med 100% återbruk: kläder, möbler \\\\ böcker."}
sources:
  - {title: "Församlingens webbplats", url: "https://www.example.se/are/"}
review_by: "2027-11-30"
"""


def test_an_organisation_form_round_trips_to_a_record_that_validates(project):
    result = run(project, github_body("organisation.yml", ORGANISATION), "--issue", "42")
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "data" / "organisationer" / "kyrkans-second-hand-i-are.yml"
    assert result.stdout.splitlines()[-1] == "Skrev data/organisationer/kyrkans-second-hand-i-are.yml"
    assert path.read_text(encoding="utf-8") == EXPECTED_ORGANISATION
    data = load_file(path, "x").data
    assert data["description"] == {"sv": 'Vi driver en "butik" med 100% återbruk: kläder, möbler \\ böcker.'}
    assert data["accessibility"] == {"sv": "Entré utan trappsteg.\nHiss till övervåningen."}
    assert load_content(project).ok


def test_the_kind_is_found_from_the_headings_and_can_be_given(project):
    body = github_body("organisation.yml", ORGANISATION)
    assert run(project, body, "--kind", "organisation").returncode == 0
    refused = run(project, body, "--kind", "method")
    assert refused.returncode == 2
    assert "måste fyllas i" in refused.stderr and "Traceback" not in refused.stderr


def test_carriage_returns_and_a_markdown_heading_inside_an_answer_are_read_as_github_sends_them(project):
    answers = {**ORGANISATION, "description": "Vi finns i Åre.\n### Öppettider\nVardagar."}
    body = github_body("organisation.yml", answers).replace("\n", "\r\n")
    result = run(project, body)
    assert result.returncode == 0, result.stderr
    data = load_file(project / "data" / "organisationer" / "kyrkans-second-hand-i-are.yml", "x").data
    assert data["description"] == {"sv": "Vi finns i Åre.\n### Öppettider\nVardagar."}


def test_the_id_is_made_unique_against_existing_files(project):
    (project / "data" / "organisationer" / "kyrkans-second-hand-i-are.yml").write_text(
        EXPECTED_ORGANISATION.replace("Kyrkans Second Hand i Åre", "Kyrkans Second Hand i Åre (gamla)"), encoding="utf-8")
    result = run(project, github_body("organisation.yml", {**ORGANISATION, "name": "Kyrkans Second Hand i Åre!"}))
    assert result.stdout.splitlines()[-1] == "Skrev data/organisationer/kyrkans-second-hand-i-are-2.yml", result.stderr


def test_slug():
    assert from_issue.slug("Kyrkans second hand Östersund") == "kyrkans-second-hand-ostersund"
    assert from_issue.slug("  Ågrenska Café & Söner AB ") == "agrenska-cafe-soner-ab"


def test_a_method_form_round_trips(project):
    answers = {
        "title": "Arbetsplatsnära stöd",
        "kind": "metod",
        "summary": "Stöd på arbetsplatsen från första dagen.",
        "what_and_why": "Deltagaren får stöd där arbetet görs.\n\n- **Kort** väg till arbete.",
        "target_groups": ["Långtidsarbetslösa", "Unga"],
        "actors": ["Arbetsgivare"],
        "steps": "Kartlägg\nVad deltagaren vill och kan.\n\nMatcha\nEn arbetsuppgift som passar.",
        "asks_of_organiser": "En utsedd handledare.",
        "resources": "En handledare några timmar i veckan.",
        "fidelity": "Självkoll: arbetsplatsnära stöd\n- Finns en utsedd handledare?\n- Följs planen upp varje vecka?",
        "related": ["IPS – Individanpassat stöd till arbete (ips)"],
        "sources": "Rapport om arbetsplatsnära stöd | https://www.example.se/rapport",
        "review_by": "2027-11-30",
    }
    result = run(project, github_body("metod.yml", answers))
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "methods" / "arbetsplatsnara-stod.yml"
    assert path.read_text(encoding="utf-8") == """\
# yaml-language-server: $schema=../schemas/method.schema.json
title: {sv: "Arbetsplatsnära stöd"}
kind: "metod"
summary: {sv: "Stöd på arbetsplatsen från första dagen."}
what_and_why:
  sv: |-
    Deltagaren får stöd där arbetet görs.

    - **Kort** väg till arbete.
target_groups: ["langtidsarbetslosa", "unga"]
actors: ["arbetsgivare"]
steps:
  - {title: {sv: "Kartlägg"}, text: {sv: "Vad deltagaren vill och kan."}}
  - {title: {sv: "Matcha"}, text: {sv: "En arbetsuppgift som passar."}}
asks_of_organiser: {sv: "En utsedd handledare."}
resources: {sv: "En handledare några timmar i veckan."}
fidelity:
  title: {sv: "Självkoll: arbetsplatsnära stöd"}
  items:
    - {sv: "Finns en utsedd handledare?"}
    - {sv: "Följs planen upp varje vecka?"}
related: ["ips"]
sources:
  - {title: "Rapport om arbetsplatsnära stöd", url: "https://www.example.se/rapport"}
review_by: "2027-11-30"
"""
    assert load_content(project).ok


def test_befintlig_changes_an_existing_entry_and_keeps_what_was_not_answered(project):
    path = project / "data" / "organisationer" / "coompanion.yml"
    before = load_file(path, "x").data
    answers = {"befintlig": "coompanion", "name": before["name"], "type": "Stöd- och rådgivningsorganisation",
               "scope": "nationell", "website": "https://www.example.se/ny-adress/", "review_by": "2028-06-30"}
    result = run(project, github_body("organisation.yml", answers), "--issue", "7")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "Skrev data/organisationer/coompanion.yml"
    after = load_file(path, "x").data
    assert after["website"] == "https://www.example.se/ny-adress/" and after["review_by"] == "2028-06-30"
    unchanged = {k: v for k, v in before.items() if k not in ("website", "review_by")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert sorted(p.name for p in path.parent.glob("coompanion*")) == ["coompanion.yml"]


def test_an_unknown_existing_entry_is_refused(project):
    result = run(project, github_body("organisation.yml", {**ORGANISATION, "befintlig": "finns-inte"}))
    assert result.returncode == 2
    assert "Det finns ingen organisation med id ”finns-inte”" in result.stderr


def test_a_body_that_is_not_a_form_is_refused_in_swedish(project):
    result = run(project, "Hej! Vi vill vara med i katalogen. Ring oss.")
    assert result.returncode == 2
    assert result.stderr.startswith("Formuläret går inte att göra om till en fil:\n- Texten ser inte ut som ett ifyllt formulär")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "data" / "organisationer").glob("*.yml")) == sorted(
        p.name for p in (ROOT / "data" / "organisationer").glob("*.yml"))


def test_missing_required_answers_and_unknown_options_are_all_named(project):
    answers = {**ORGANISATION, "name": None, "review_by": None, "capacity": "sex"}
    body = github_body("organisation.yml", answers).replace("Ideell organisation", "Förening för allt")
    body = body.replace("- [ ] Snickeri", "- [X] Snickeri och smide")
    result = run(project, body)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Formuläret går inte att göra om till en fil:",
        "- ”Namn” måste fyllas i.",
        "- I ”Organisationstyp” finns inget alternativ ”Förening för allt”. Välj ett av: ”Ideell organisation”, "
        "”Trossamfund”, ”Arbetsintegrerande socialt företag”, ”Ekonomisk förening eller kooperativ”, ”Statlig myndighet”, "
        "”Kommun”, ”Region”, ”Samordningsförbund”, ”Medlems- eller intresseorganisation”, ”Stöd- och rådgivningsorganisation”.",
        "- I ”Arbetsträning som erbjuds” finns inget alternativ ”Snickeri och smide”.",
        "- ”Antal platser” ska vara ett heltal, till exempel 6; det står ”sex”.",
        "- ”Ses över senast” måste fyllas i.",
    ]
    assert not list((project / "data" / "organisationer").glob("kyrkans*"))


def test_a_record_with_problems_is_not_kept_unless_asked(project):
    answers = {**ORGANISATION, "website": "www.utan-https.se", "review_by": "2027-13-45"}
    result = run(project, github_body("organisation.yml", answers))
    assert result.returncode == 1
    assert "data/organisationer/kyrkans-second-hand-i-are.yml:" in result.stderr
    assert "website" in result.stderr and "review_by" in result.stderr
    assert "sparades inte" in result.stderr
    assert not (project / "data" / "organisationer" / "kyrkans-second-hand-i-are.yml").exists()
    kept = run(project, github_body("organisation.yml", answers), "--keep")
    assert kept.returncode == 1
    assert (project / "data" / "organisationer" / "kyrkans-second-hand-i-are.yml").exists()


def test_a_change_with_problems_leaves_the_existing_entry_as_it_was(project):
    path = project / "data" / "organisationer" / "coompanion.yml"
    before = path.read_text(encoding="utf-8")
    answers = {"befintlig": "coompanion", "name": "Coompanion", "type": "Stöd- och rådgivningsorganisation",
               "scope": "lokal", "review_by": "2028-06-30"}  # lokal without a county or municipality
    result = run(project, github_body("organisation.yml", answers))
    assert result.returncode == 1
    assert path.read_text(encoding="utf-8") == before
    assert "är som förut" in result.stderr


def test_unreadable_input_is_a_message_not_a_traceback(project, tmp_path):
    (tmp_path / "body.md").write_bytes(b"\xff\xfe### Namn")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "from-issue",
                             "--body", str(tmp_path / "body.md")], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("Kan inte läsa ärendets text") and "Traceback" not in result.stderr


def test_yaml_quoting_reads_back_exactly():
    tricky = 'a "b" \\ c\td\u2028e\x85f: g, #h'
    text = "value: " + from_issue.quote(tricky) + "\n"
    assert yaml.safe_load(io.StringIO(text))["value"] == tricky
