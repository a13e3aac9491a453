"""`validate --format github`: workflow commands escaped as GitHub's toolkit escapes them, and the job summary."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from handbook import annotations
from handbook.problems import Problem, problem

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_error_is_one_command_with_file_line_column_and_field():
    item = Problem("data/lan/23.yml", 4, 9, "letter", "pattern", "måste vara en eller två versaler")
    assert annotations.command(item) == "::error file=data/lan/23.yml,line=4,col=9,title=letter::måste vara en eller två versaler"


def test_a_warning_is_a_warning_command():
    item = Problem("methods/ips.yml", 2, 1, "review_by", "warning", "ska ses över", warning=True)
    assert annotations.command(item) == "::warning file=methods/ips.yml,line=2,col=1,title=review_by::ska ses över"


def test_percent_colon_comma_and_line_breaks_are_escaped_in_message_field_and_path():
    item = Problem("data/a,b:c%.yml", 12, 3, "steps[0].title:sv,en%", "x",
                   "100% fel: a, b\r\nnästa rad\nsista")
    assert annotations.command(item) == (
        "::error file=data/a%2Cb%3Ac%25.yml,line=12,col=3,title=steps[0].title%3Asv%2Cen%25"
        "::100%25 fel: a, b%0D%0Anästa rad%0Asista")


def test_a_percent_sign_is_escaped_before_the_rest_so_escapes_are_not_doubled():
    assert annotations.escape_data("%0A\n") == "%250A%0A"
    assert annotations.escape_property("a:%3A") == "a%3A%253A"


def test_a_line_break_in_a_path_cannot_start_a_second_command():
    item = Problem("data/x\n::error file=y.yml::fake", 1, 1, "name", "x", "fel")
    line = annotations.command(item)
    assert "\n" not in line and line.count("::") == 2


def test_commands_come_in_file_and_line_order():
    problems = [Problem("b.yml", 1, 1, "f", "x", "tre"), Problem("a.yml", 9, 1, "f", "x", "två"),
                Problem("a.yml", 2, 5, "f", "x", "ett")]
    assert [line.rsplit("::", 1)[1] for line in annotations.commands(problems).splitlines()] == ["ett", "två", "tre"]


def test_messages_come_from_the_swedish_catalogue_by_default():
    made = problem("data/x.yml", 1, 2, "name", "empty")
    from handbook import messages
    assert annotations.command(made).endswith("::" + annotations.escape_data(messages.template("empty", "sv")))


def test_the_summary_counts_problems_and_files_and_lists_each_with_line_and_message():
    problems = [Problem("data/organisationer/a.yml", 3, 7, "scope", "enum", "måste vara en av: nationell, regional, lokal"),
                Problem("data/organisationer/a.yml", 1, 1, "name", "required", "fältet `name` saknas | <b>"),
                Problem("methods/b.yml", 5, 2, "kind", "enum", "fel sort"),
                Problem("methods/b.yml", 9, 1, "review_by", "warning", "ska ses över", warning=True)]
    text = annotations.summary(problems)
    assert text.split("\n") == [
        "## Kontroll av innehållet",
        "",
        "Kontrollen hittade 3 problem i 2 filer och 1 varning. Innehållet kan inte publiceras förrän problemen är rättade.",
        "",
        "### data/organisationer/a.yml",
        "",
        "| Rad | Kolumn | Fält | Vad är fel |",
        "| ---: | ---: | --- | --- |",
        "| 1 | 1 | name | fältet `name` saknas &#124; &lt;b&gt; |",
        "| 3 | 7 | scope | måste vara en av: nationell, regional, lokal |",
        "",
        "### methods/b.yml",
        "",
        "| Rad | Kolumn | Fält | Vad är fel |",
        "| ---: | ---: | --- | --- |",
        "| 5 | 2 | kind | fel sort |",
        "| 9 | 1 | review&#95;by | Varning: ska ses över |",
        "",
        "### Så går du vidare",
        "",
        "1. Öppna filen och gå till raden som står i tabellen. Samma meddelanden syns också vid raderna under fliken "
        "*Files changed* i pull requesten.",
        "2. Rätta det som meddelandet säger och spara. Kontrollen körs igen när ändringen kommer in.",
        "3. Har du projektet på din egen dator kan du kontrollera innan du skickar: kör `make validate`.",
        "4. Förstår du inte ett meddelande? Skriv en kommentar i pull requesten, så hjälper någon till.",
        "",
    ]


def test_a_line_break_in_a_message_stays_inside_its_table_row():
    text = annotations.summary([Problem("a.yml", 1, 1, "f", "x", "rad ett\nrad två")])
    assert "| 1 | 1 | f | rad ett rad två |" in text.splitlines()


def test_one_problem_is_said_in_the_singular():
    text = annotations.summary([Problem("a.yml", 1, 1, "f", "x", "fel")])
    assert "Kontrollen hittade 1 problem i 1 fil." in text


def test_a_clean_run_writes_a_short_summary():
    assert annotations.summary([]) == ("## Kontroll av innehållet\n\n"
                                       "Allt innehåll är i ordning: inga problem hittades i filerna i `data/` och `methods/`.\n")


def test_the_summary_is_appended_to_the_file_github_names(tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("tidigare steg\n", encoding="utf-8")
    assert annotations.write_summary([], {"GITHUB_STEP_SUMMARY": str(target)}) == target
    assert target.read_text(encoding="utf-8") == "tidigare steg\n" + annotations.summary([]) + "\n"
    assert annotations.write_summary([], {}) is None


def _validate(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environment.pop("HANDBOOK_LANG", None)
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "validate", *args],
                          cwd=project, env=environment, capture_output=True, text=True)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")


def test_validate_github_prints_commands_writes_the_summary_and_fails(project, tmp_path):
    record = "name: Ny förening\ntype: ideell-organisation\nscope: overallt\nreview_by: 2027-11-30\n"
    (project / "data" / "organisationer" / "ny, förening.yml").write_text(record, encoding="utf-8")  # a name it refuses
    (project / "data" / "organisationer" / "ny-forening.yml").write_text(record, encoding="utf-8")
    summary_file = tmp_path / "step-summary.md"
    result = _validate(project, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert [line for line in commands if line.startswith("::error file=data/organisationer/ny%2C förening.yml,line=1,")]
    assert all(line.startswith(("::error file=data/organisationer/ny%2C förening.yml,line=",
                                "::error file=data/organisationer/ny-forening.yml,line=")) for line in commands)
    assert any(line.startswith("::error file=data/organisationer/ny-forening.yml,") and ",title=scope::" in line
               for line in commands)
    assert lines[-1] == f"{len(commands)} problem i 2 filer"
    summary = summary_file.read_text(encoding="utf-8")
    assert f"Kontrollen hittade {len(commands)} problem i 2 filer." in summary
    assert "### data/organisationer/ny, förening.yml" in summary and "make validate" in summary
    assert "Traceback" not in result.stderr


def test_validate_github_on_clean_content(project, tmp_path):
    summary_file = tmp_path / "step-summary.md"
    result = _validate(project, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert "Allt innehåll är i ordning" in summary_file.read_text(encoding="utf-8")


def test_the_text_format_stays_the_default(project):
    (project / "data" / "organisationer" / "ny.yml").write_text(
        "name: Ny\ntype: ideell-organisation\nscope: overallt\nreview_by: 2027-11-30\n", encoding="utf-8")
    result = _validate(project)
    assert result.returncode == 1
    assert "::error" not in result.stdout + result.stderr
    assert result.stderr.startswith("data/organisationer/ny.yml:3:8: scope: ")


def test_code_spans_in_a_message_stay_code_and_cannot_break_the_table():
    text = annotations.summary([Problem("a.yml", 1, 1, "f", "x", "skriv `a|b` eller *inte* <i>")])
    assert "| 1 | 1 | f | skriv `a\\|b` eller &#42;inte&#42; &lt;i&gt; |" in text.splitlines()
    odd = annotations.summary([Problem("a.yml", 1, 1, "f", "x", "en ` ensam")])
    assert "| 1 | 1 | f | en &#96; ensam |" in odd.splitlines()


def test_control_characters_reach_the_workflow_log_escaped():
    from handbook.annotations import command
    from handbook.problems import Problem

    item = Problem("data/organisationer/\x1b[2Jok.yml", 3, 1, "name\u202e", "schema", "fel: \x1b]0;ok\x07 och \r slut")
    line = command(item)
    assert "\x1b" not in line and "\u202e" not in line and "\x07" not in line and "\r" not in line
    assert "\\x1b[2Jok.yml" in line and "\\u202e" in line
