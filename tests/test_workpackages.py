"""Work packages (handbook/areas/workpackages.py): rules with exact messages, queries, amounts, the CSV."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixture_cases import SCHEMAS, VALID
from handbook.areas import workpackages as wp
from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent
ACTIVITIES = "data/arbetspaket/aktiviteter"


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the valid tree (two projects) with the schemas, to change one file at a time."""
    target = tmp_path / "tree"
    shutil.copytree(VALID, target)
    shutil.copytree(SCHEMAS, target / "schemas")
    return target


def write(tree: Path, path: str, text: str) -> None:
    (tree / path).parent.mkdir(parents=True, exist_ok=True)
    (tree / path).write_text(text, encoding="utf-8")


def messages(tree: Path) -> list[str]:
    return [str(p) for p in sorted(load_content(tree).problems, key=lambda p: (p.path, p.line, p.column, p.message))]


ACTIVITY = """project: {project}
order: 9
months: [{months}]
package: {package}
kind: mote-telefon
title: {{sv: "Telefonmöte"}}
line_items:
  - text: {{sv: "Telefonmöte"}}
    amount: {amount}
    amount_text: "{amount_text}"
review_by: 2027-11-30
"""


def activity(project="provgenomforande", months="oktober", package="null", amount=500, amount_text="500") -> str:
    return ACTIVITY.format(project=project, months=months, package=package, amount=amount, amount_text=amount_text)


# Amounts as printed


@pytest.mark.parametrize("printed, value", [
    ("5.000", 5000), ("10.000", 10000), ("500", 500), ("86.000", 86000), ("2 500", 2500), ("1.000.000", 1000000),
    ("0", 0), (" 4.000 ", 4000),
    ("1.000 3.000", None), ("5.00", None), ("5,000.5", None), ("fem", None), ("", None), ("1.000 000", None),
    (5000, None), (None, None),
])
def test_printed_amounts_read_the_way_a_swedish_source_writes_them(printed, value):
    assert wp.printed_amount(printed) == value


def test_kronor_keep_their_figures_together():
    assert wp.kronor(83500) == "83\u00a0500\u00a0kr"
    assert wp.kronor(500) == "500\u00a0kr"
    assert wp.kronor(1000000) == "1\u00a0000\u00a0000\u00a0kr"


@pytest.mark.parametrize("months, label", [
    (["mars"], "mars"), (["maj", "juni"], "maj–juni"), (["juni", "maj"], "maj–juni"),
    (["mars", "april", "maj"], "mars–maj"), (["mars", "maj"], "mars, maj"), ([], ""),
])
def test_period_labels(months, label):
    assert wp.period_label(months) == label


def test_stated_and_computed_totals_compared_in_words():
    assert wp.comparison(86000, 83500) == (
        "Underlaget anger en total kostnad på 86\u00a0000\u00a0kr. Men posterna blir tillsammans 83\u00a0500\u00a0kr. "
        "Underlaget anger alltså 2\u00a0500\u00a0kr mer än summan av posterna, och det förklarar inte skillnaden. "
        "Handboken visar båda siffrorna och räknar i tabellerna med posterna.")
    assert "1\u00a0000\u00a0kr mindre än summan av posterna" in wp.comparison(1000, 2000)
    assert wp.comparison(1500, 1500) == "Summan av posterna, 1\u00a0500\u00a0kr, stämmer med den totala kostnad som underlaget anger."
    assert wp.comparison(None, 700) == "Underlaget anger ingen total kostnad. Summan av posterna är 700\u00a0kr."


# Rules, with their exact messages


def test_valid_tree_with_two_projects_is_clean(tree):
    assert messages(tree) == []


def test_stated_total_that_differs_is_a_warning_naming_both_figures(tree):
    project = tree / "data/arbetspaket/projekt/provprojekt.yml"
    project.write_text(project.read_text().replace("stated_total: 1500", "stated_total: 2000")
                       .replace('stated_total_text: "1.500"', 'stated_total_text: "2.000"'))
    result = load_content(tree)
    assert [str(p) for p in result.problems] == [
        "data/arbetspaket/projekt/provprojekt.yml:8:15: stated_total: varning: källan anger totalt 2000 kr "
        "(`stated_total`), men posterna i projektets 2 aktiviteter blir tillsammans 1500 kr (500 kr mindre); "
        "båda summorna visas på budgetsidan: jämför posterna med källan, och behåll totalen så som källan "
        "anger den",
    ]
    assert result.problems[0].warning and result.ok  # a warning never fails validation


def test_computed_total_above_the_stated_one_says_more(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(project="provprojekt", months="mars"))
    assert [p.message for p in load_content(tree).problems] == [
        "källan anger totalt 1500 kr (`stated_total`), men posterna i projektets 3 aktiviteter blir "
        "tillsammans 2000 kr (500 kr mer); båda summorna visas på budgetsidan: jämför posterna med källan, "
        "och behåll totalen så som källan anger den",
    ]


def test_validate_prints_the_warning_and_succeeds(tree):
    project = tree / "data/arbetspaket/projekt/provprojekt.yml"
    project.write_text(project.read_text().replace("stated_total: 1500", "stated_total: 2000")
                       .replace('stated_total_text: "1.500"', 'stated_total_text: "2.000"'))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "handbook", "--root", str(tree), "validate"], capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "stated_total: varning: källan anger totalt 2000 kr" in run.stdout
    assert "blir tillsammans 1500 kr" in run.stdout
    assert "inga problem, 1 varning" in run.stdout


def test_amount_must_match_the_amount_as_printed(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(amount=500, amount_text="5.000"))
    assert messages(tree) == [
        'data/arbetspaket/aktiviteter/prov-09.yml:9:13: line_items[0].amount: `amount_text` "5.000" betyder '
        "5000 kronor, men `amount` är 500; skriv samma summa i båda, som amount: 5000",
    ]


def test_stated_total_must_match_the_total_as_printed(tree):
    project = tree / "data/arbetspaket/projekt/provprojekt.yml"
    project.write_text(project.read_text().replace('stated_total_text: "1.500"', 'stated_total_text: "1.600"'))
    assert messages(tree) == [
        'data/arbetspaket/projekt/provprojekt.yml:8:15: stated_total: `stated_total_text` "1.600" betyder '
        "1600 kronor, men `stated_total` är 1500; skriv samma summa i båda, som stated_total: 1600",
    ]


def test_amount_as_printed_must_be_readable(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(amount=1000, amount_text="1.000 3.000"))
    assert messages(tree) == [
        'data/arbetspaket/aktiviteter/prov-09.yml:10:18: line_items[0].amount_text: "1.000 3.000" går inte '
        'att läsa som ett belopp; skriv siffrorna så som källan skriver dem, som "5.000" eller "500"',
    ]


def test_an_amount_written_with_a_thousands_dot_is_caught_by_the_loader(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity().replace("amount: 500", "amount: 5.000"))
    assert messages(tree) == [
        "data/arbetspaket/aktiviteter/prov-09.yml:9:13: line_items[0].amount: YAML läser `5.000` som "
        "decimaltalet 5; skriv heltal utan punkt eller mellanslag, som 5000",
    ]


def test_package_must_belong_to_the_activitys_project(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(package="prov-paket-1"))
    assert messages(tree) == [
        "data/arbetspaket/aktiviteter/prov-09.yml:4:10: package: paketet `prov-paket-1` hör till projektet "
        "`provprojekt`, men den här aktiviteten hör till `provgenomforande`; välj ett paket i "
        "`provgenomforande`, eller lämna `package` tomt om aktiviteten gäller hela arbetsgruppen",
    ]


def test_unknown_package_is_a_reference_problem_only(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(package="prov-paket-z"))
    assert [p.rule for p in load_content(tree).problems] == ["reference"]


def test_activity_months_lie_within_the_project(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(months="oktober, december"))
    assert messages(tree) == [
        "data/arbetspaket/aktiviteter/prov-09.yml:3:19: months[1]: `december` är inte en av månaderna i "
        "projektet `provgenomforande` (september, oktober); lägg till månaden i `months` i "
        "data/arbetspaket/projekt/provgenomforande.yml, eller rätta månaden här",
    ]


PACKAGE = """project: provgenomforande
number: {number}
title: {{sv: "Paket"}}
summary: {{sv: "Ett paket."}}
purpose: {{sv: "Att pröva."}}
status: planerad
review_by: 2027-11-30
"""


@pytest.mark.parametrize("name, page", [("tidsplan", "tidsplanen"), ("budget", "budgeten")])
def test_a_package_cannot_take_the_address_of_a_section_page(tree, name, page):
    write(tree, f"data/arbetspaket/paket/{name}.yml", PACKAGE.format(number=2))
    assert messages(tree) == [
        f"data/arbetspaket/paket/{name}.yml:1:1: (filen): ett arbetspaket kan inte ha id:t `{name}`: /arbetspaket/{name}/ "
        f"är sidan för {page}; byt namn på filen, till exempel till `provgenomforande-{name}.yml`"]


def test_package_numbers_are_unique_within_a_project(tree):
    write(tree, "data/arbetspaket/paket/prov-paket-b.yml", PACKAGE.format(number=1))
    assert messages(tree) == [
        "data/arbetspaket/paket/prov-paket-b.yml:2:9: number: numret 1 används redan av paketet "
        "`prov-paket-a` i projektet `provgenomforande`; varje paket i ett projekt behöver ett eget nummer",
    ]


def test_the_same_number_in_two_projects_is_fine(tree):
    assert wp.packages_of(load_content(tree).handbook, "provprojekt")[0].get("number") == 1
    assert wp.packages_of(load_content(tree).handbook, "provgenomforande")[0].get("number") == 1
    assert messages(tree) == []


# Vocabulary kept in step with the schemas


def test_every_activity_kind_and_month_in_the_schema_has_a_swedish_label():
    activity_schema = json.loads((SCHEMAS / "activity.schema.json").read_text())
    assert set(activity_schema["properties"]["kind"]["enum"]) == set(wp.KINDS)
    assert tuple(activity_schema["properties"]["months"]["items"]["enum"]) == wp.MONTHS
    project_schema = json.loads((SCHEMAS / "project.schema.json").read_text())
    assert set(project_schema["properties"]["phase"]["enum"]) == set(wp.PHASES)
    assert tuple(project_schema["properties"]["months"]["items"]["enum"]) == wp.MONTHS
    package_schema = json.loads((SCHEMAS / "package.schema.json").read_text())
    assert set(package_schema["properties"]["status"]["enum"]) == set(wp.STATUS)


# Queries


def test_queries_keep_projects_apart(tree):
    handbook = load_content(tree).handbook
    assert [p.id for p in wp.projects(handbook)] == ["provprojekt", "provgenomforande"]  # pre-study first
    assert [p.id for p in wp.packages_of(handbook, "provgenomforande")] == ["prov-paket-a"]
    assert [a.id for a in wp.activities_of(handbook, "provprojekt")] == ["prov-01", "prov-02"]
    assert [a.id for a in wp.activities_of(handbook, "provprojekt", None)] == ["prov-02"]
    assert [a.id for a in wp.activities_of(handbook, "provprojekt", "prov-paket-1")] == ["prov-01"]
    assert wp.computed_total(handbook, "provprojekt") == 1500
    assert wp.computed_total(handbook, "provgenomforande") == 2000


def test_a_span_of_months_is_its_own_period(tree):
    handbook = load_content(tree).handbook
    project = handbook.get("project", "provprojekt")
    assert wp.periods(handbook, project) == [("mars",), ("april",), ("april", "maj"), ("maj",)]


def test_development_group_members_come_from_their_memberships(tree):
    handbook = load_content(tree).handbook
    members = wp.group_members(handbook, "utvecklingsgruppen-second-hand")
    assert [(o.id, r["sv"]) for o, r in members] == [("kyrkans-second-hand", "Deltar")]
    assert wp.group_members(handbook, None) == []


def test_swedish_alphabetical_order():
    names = ["Örebro", "Ale", "Åre", "Zeta", "Ängelholm", "Erikshjälpen"]
    assert sorted(names, key=wp.swedish_key) == ["Ale", "Erikshjälpen", "Zeta", "Åre", "Ängelholm", "Örebro"]


# The CSV of line items


def test_line_item_csv_has_one_row_per_item_in_the_sources_order(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity(months="oktober").replace(
        'line_items:\n  - text: {sv: "Telefonmöte"}\n    amount: 500\n    amount_text: "500"\n', "line_items: []\n"))
    handbook = load_content(tree).handbook
    data = wp.line_items_csv(handbook, handbook.get("project", "provgenomforande"))
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        wp.CSV_COLUMNS,
        ["provgenomforande", "prov-03", "1", "september", "september", "prov-paket-a", "mote-fysiskt", "Startmöte",
         "Lokal och fika", "2000", "2 000"],
        ["provgenomforande", "prov-09", "9", "oktober", "oktober", "", "mote-telefon", "Telefonmöte", "", "", ""],
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tree):
    write(tree, f"{ACTIVITIES}/prov-09.yml", activity().replace('title: {sv: "Telefonmöte"}', 'title: {sv: "=SUM(A1)"}'))
    handbook = load_content(tree).handbook
    rows = list(csv.reader(io.StringIO(wp.line_items_csv(handbook, handbook.get("project", "provgenomforande")).decode("utf-8-sig"))))
    assert rows[2][7] == "'=SUM(A1)"


# Templates for contributors


def test_the_templates_make_a_valid_project_package_and_activity(tree):
    base = ROOT / "data" / "arbetspaket"
    from filling import filled_text

    write(tree, "data/arbetspaket/projekt/genomforande.yml", filled_text((base / "projekt" / "_template.yml").read_text()))
    write(tree, "data/arbetspaket/paket/genomforande-paket-1.yml", filled_text((base / "paket" / "_template.yml").read_text()))
    write(tree, f"{ACTIVITIES}/genomforande-01-startmote.yml", filled_text((base / "aktiviteter" / "_template.yml").read_text()))
    result = load_content(tree)
    assert [str(p) for p in result.errors] == []
    assert [p.field for p in result.problems if p.warning] == ["stated_total"]  # 10000 in the template, 86000 stated
    assert wp.computed_total(result.handbook, "genomforande") == 10000
