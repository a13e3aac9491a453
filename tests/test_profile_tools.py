"""Quality profiles without a browser: the issue form for profiles, `from-issue` for a pasted profile,
and the self-assessment's and directory's new markup. The browser round trips are in
test_profile_tools_browser.py."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from fixture_cases import PROFILES
from profile_site import profile_content
from handbook import forms, from_issue
from handbook.areas import directory, quality
from handbook.content import load_content

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "kvalitetsprofil.yml"
TODAY = "2026-12-01"
PROFILE = """\
organisation: "sortera-mera"
date: "2026-11-30"
assessed_by: "external"
assessor: "En extern bedömare"
criteria:
  utsedd-handledare:
    level: 3
    note: ": #\\n- x </script>"
  intyg-vid-avslut:
    level: "ej relevant"
"""


@pytest.fixture
def tree(tmp_path) -> Path:
    return profile_content(tmp_path / "tree")


def run(root: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_TODAY": TODAY}
    env.pop("HANDBOOK_LANG", None)
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(root), "from-issue", "--body", "-", *args],
                          input=body, capture_output=True, text=True, env=env, cwd=root)


def body(organisation: str | None, profile: str | None, fence: str = "```yaml") -> str:
    """As GitHub writes the submitted form (a textarea with `render: yaml` arrives in a code fence)."""
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    answers = {"organisation": organisation, "profil": f"{fence}\n{profile.rstrip()}\n```" if profile else None}
    parts = [f"### {e['attributes']['label']}\n\n{answers.get(e['id']) or '_No response_'}"
             for e in form["body"] if e["type"] != "markdown"]
    return "\n\n".join(parts)


def folder(tree: Path) -> Path:
    return tree / "data" / "kvalitetsprofiler"


# The form


def test_the_profile_form_asks_for_the_organisation_and_the_whole_file_with_the_promised_ids():
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    fields = {e["id"]: e for e in form["body"] if e["type"] != "markdown"}
    assert list(fields) == ["sida", "organisation", "profil"]  # the page links with ?organisation=&profil=
    assert fields["profil"]["type"] == "textarea" and fields["profil"]["attributes"]["render"] == "yaml"
    assert fields["organisation"]["validations"]["required"] and fields["profil"]["validations"]["required"]
    assert form["labels"] == ["kvalitetsprofil"]
    intro = form["body"][0]["attributes"]["value"]
    assert "aldrig som en certifiering" in intro and "syns öppet på internet" in intro
    assert quality.PROFILE_FORM == forms.PROFILE_FILE == FORM.name


def test_the_profile_form_is_generated_only_once_the_profile_kind_is_defined(tmp_path):
    for name in ("schemas", "data", "methods"):
        shutil.copytree(ROOT / name, tmp_path / name)
    assert forms.profile_form(tmp_path).file in {p.name for p in forms.expected_files(tmp_path)}
    (tmp_path / "schemas" / "profile.schema.json").unlink()
    shutil.rmtree(tmp_path / "data" / "kvalitetsprofiler")
    assert FORM.name not in {p.name for p in forms.expected_files(tmp_path)}


@pytest.mark.parametrize("text,expected", [
    ("```yaml\na: 1\n```", "a: 1\n"),
    ("~~~~\na: 1\n~~~~", "a: 1\n"),
    ("\r\n```yaml\r\na: 1\r\nb: 2\r\n```\r\n", "a: 1\nb: 2\n"),
    ("a: 1", "a: 1\n"),  # pasted without a fence
    ("```yaml\na: \"```\"\n```", "a: \"```\"\n"),
])
def test_the_code_fence_round_a_pasted_file_is_taken_off(text, expected):
    assert from_issue.unfenced(text) == expected


# from-issue


def test_a_pasted_profile_becomes_its_record_named_after_organisation_and_date_and_validates(tree):
    result = run(tree, body("sortera-mera", PROFILE), "--issue", "12")
    assert result.returncode == 0, result.stdout + result.stderr
    written = folder(tree) / "sortera-mera-2026-11-30.yml"
    assert result.stdout.splitlines()[-1] == "Skrev data/kvalitetsprofiler/sortera-mera-2026-11-30.yml"
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["# yaml-language-server: $schema=../../schemas/profile.schema.json",
                                     "# Kom in genom ärende #12 (python -m handbook from-issue). Läs igenom innan den slås ihop."]
    assert yaml.safe_load(text) == yaml.safe_load(PROFILE)
    record = load_content(tree).handbook.get("profile", "sortera-mera-2026-11-30")
    assert record.get("criteria")["utsedd-handledare"]["note"] == ": #\n- x </script>"
    assert record.get("assessed_by") == "external"


def test_the_kind_can_be_given_and_a_fence_without_language_is_read(tree):
    result = run(tree, body("sortera-mera", PROFILE, fence="```"), "--kind", "profile")
    assert result.returncode == 0, result.stderr
    assert (folder(tree) / "sortera-mera-2026-11-30.yml").is_file()


def test_a_profile_with_problems_gets_the_validators_swedish_messages_and_is_not_kept(tree):
    broken = PROFILE.replace("level: 3", "level: 5").replace('assessor: "En extern bedömare"\n', "")
    result = run(tree, body("sortera-mera", broken))
    assert result.returncode == 1
    assert "sortera-mera-2026-11-30.yml" in result.stderr and "Traceback" not in result.stderr
    assert re.search(r"sortera-mera-2026-11-30\.yml:\d+:\d+: ", result.stderr)
    assert result.stderr.rstrip().endswith(
        "data/kvalitetsprofiler/sortera-mera-2026-11-30.yml sparades inte: den gav problemen ovan. Med --keep sparas den ändå.")
    assert not (folder(tree) / "sortera-mera-2026-11-30.yml").exists()


@pytest.mark.parametrize("organisation,profile,reasons", [
    (None, None, ["”Organisationens id” måste fyllas i.", "”Profilen” måste fyllas i."]),
    ("verkstan-i-sta", PROFILE, ["Organisationen i profilen är ”sortera-mera”, men i ”Organisationens id” står det "
                                 "”verkstan-i-sta”. Rätta det ena så att de är samma."]),
    ("sortera-mera", PROFILE.replace('date: "2026-11-30"\n', ""),
     ["”Profilen” saknar datumet för skattningen (raden date: år-månad-dag)."]),
    ("sortera-mera", "Hej! Här är vår profil: bra.", None),
    ("sortera-mera", "organisation: [sortera\n", None),
])
def test_a_pasted_text_that_is_not_a_profile_is_refused_in_swedish_and_writes_nothing(tree, organisation, profile, reasons):
    before = sorted(p.name for p in folder(tree).iterdir())
    result = run(tree, body(organisation, profile), "--kind", "profile")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Formuläret går inte att göra om till en fil:"
    if reasons is not None:
        assert lines[1:] == [f"- {reason}" for reason in reasons]
    else:
        assert len(lines) >= 2 and lines[1].startswith("- ") and "Traceback" not in result.stderr
    assert sorted(p.name for p in folder(tree).iterdir()) == before


def test_a_second_profile_for_the_same_day_is_refused_before_anything_is_written(tree):
    existing = folder(tree) / "butiken-i-norrby-2026-10-20.yml"
    kept = existing.read_text(encoding="utf-8")
    pasted = PROFILE.replace("sortera-mera", "butiken-i-norrby").replace("2026-11-30", "2026-10-20")
    result = run(tree, body("butiken-i-norrby", pasted))
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == (
        "- Det finns redan en kvalitetsprofil för ”butiken-i-norrby” från 2026-10-20 "
        "(data/kvalitetsprofiler/butiken-i-norrby-2026-10-20.yml). En ny skattning får ett eget datum.")
    assert existing.read_text(encoding="utf-8") == kept


def test_the_heading_count_picks_the_profile_form_among_all_forms(tree):
    picked = from_issue.detect(body("sortera-mera", PROFILE), forms.all_forms(tree))
    assert picked.kind == "profile"


# The pages' markup


def test_the_self_assessment_has_the_labelled_profile_step_with_its_sources_relative_to_the_page():
    handbook = load_content(ROOT).handbook
    page = quality.self_assessment(handbook)
    step = re.search(r'<details class="vi-sa-profile" id="vi-sa-profile"([^>]*)>', page).group(1)
    assert 'data-src="../../organisationer/katalog.json"' in step and 'data-yaml="../../assets/js-yaml.min.js"' in step
    assert (ROOT / "docs" / "assets" / "js-yaml.min.js").is_file()
    labels = set(re.findall(r'<label for="([^"]+)"', page))
    assert {"vi-sa-porg", "vi-sa-kind", "vi-sa-assessor", "vi-sa-yml"} <= labels
    assert re.search(r'<input class="vi-input" id="vi-sa-porg" list="vi-sa-orgs"[^>]*><datalist id="vi-sa-orgs"></datalist>', page)
    assert re.findall(r'<option value="(\w+)">([^<]+)</option>', page.split('id="vi-sa-kind"')[1].split("</select>")[0]) == [
        ("self", "Självskattning"), ("peer", "Kollegial granskning"), ("external", "Extern bedömning")]
    assert page.count('role="alert"') == 2
    assert "js-yaml" not in re.sub(r'data-yaml="[^"]*"', "", page)  # no script tag: the step loads it


def test_without_a_repository_the_send_steps_name_the_path_and_the_contribution_page():
    page = quality.self_assessment(load_content(ROOT).handbook)
    send = re.search(r'<div id="vi-sa-send" hidden>(.*?)</div>', page, re.S).group(1)
    assert '<code id="vi-sa-path"></code>' in send and 'href="../../bidra/"' in send
    assert "<a" not in send.split("</li>")[1]  # no issue link that points nowhere
    assert "make validate" in send


def test_the_directory_form_has_the_profile_filters_in_model_order():
    handbook = load_content(PROFILES).handbook
    page = directory.directory_search(handbook)
    quality_part = re.search(r'<fieldset class="vi-dir-field vi-dir-field--wide vi-dir-quality">(.*?)</fieldset>', page, re.S).group(1)
    assert '<input type="checkbox" id="vi-dir-profil" name="profil" value="1">' in quality_part
    areas = re.findall(r'<option value="([^"]+)">', quality_part.split('id="vi-dir-omrade"')[1].split("</select>")[0])
    assert areas == [a.id for a in quality.areas(handbook)] == directory.catalogue(handbook)["profile_areas"]
    levels = re.findall(r'<option value="(\d)">', quality_part.split('id="vi-dir-niva"')[1].split("</select>")[0])
    assert levels == ["1", "2", "3", "4"]
    assert 'class="vi-dir-quality-none" hidden' in quality_part
