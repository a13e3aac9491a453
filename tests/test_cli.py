"""The commands a newcomer and a contributor run: validate, build, serve."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_project, run_build
from server_helpers import running_server, wait_for

FIXTURES = Path(__file__).parent / "fixtures"


def handbook(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "handbook", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", FIXTURES / "site" / "mkdocs.yml")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_validate_clean_content(project):
    result = handbook("--root", str(project), "validate", cwd=project)
    assert result.returncode == 0
    # The valid tree grows as areas add records; the form of the line and the known counts stay.
    ok_line, translation = result.stdout.splitlines()
    assert re.fullmatch(r"innehållet är i ordning: \d+ [a-zåäö]+(, \d+ [a-zåäö ]+)*", ok_line), result.stdout
    assert "3 län," in ok_line and "2 organisationer," in ok_line
    # How much has English: counted here from the files themselves, every {sv: ...} mapping.
    def localised(value):
        if isinstance(value, dict):
            return [value] if isinstance(value.get("sv"), str) else [f for v in value.values() for f in localised(v)]
        return [f for v in value for f in localised(v)] if isinstance(value, list) else []

    fields = [f for path in sorted((project / "data").rglob("*.yml")) + sorted((project / "methods").rglob("*.yml"))
              if not path.name.startswith("_") for f in localised(yaml.safe_load(path.read_text(encoding="utf-8")))]
    english = sum(1 for f in fields if isinstance(f.get("en"), str) and f["en"].strip())
    assert 0 < english < len(fields), "the fixture tree has fields with and without English"
    assert translation.startswith(f"engelsk text: {english * 100 // len(fields)} % av {len(fields)} textfält "
                                  f"({english} har engelska; "), translation
    assert re.search(r"; (?:[a-zåäö ()]+ \d+ %, )*[a-zåäö ()]+ \d+ %\)$", translation), translation


def test_validate_prints_every_problem_then_a_count_and_no_traceback(project):
    (project / "data" / "lan" / "23.yml").write_text("letter: z\nname: {sv: Jämtlands län}\nsources: []\n", encoding="utf-8")
    (project / "data" / "organisationer" / "riksforbundet.yml").write_text(
        "name: Riksförbundet\ntype: ideel-organisation\nscope: nationell\nreview_by: 2027-11-30\ncapacity: 1.500\n", encoding="utf-8")
    result = handbook("--root", str(project), "validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'data/lan/23.yml:1:9: letter: ska vara en eller två stora bokstäver, som "AB", men här står "z"',
        "data/organisationer/riksforbundet.yml:2:7: type: det finns inget id `ideel-organisation` bland termerna i listan "
        "`organisationstyper` (menar du `ideell-organisation`?); skriv ett av id:na i data/taxonomier/organisationstyper.yml",
        "data/organisationer/riksforbundet.yml:5:11: capacity: YAML läser `1.500` som decimaltalet 1.5; "
        "skriv heltal utan punkt eller mellanslag, som 1500",
        "3 problem i 2 filer",
    ]


def test_a_build_swaps_in_a_new_site_and_leaves_no_leftovers(project):
    assert run_build(project, project / "site").returncode == 0
    (project / "docs" / "index.md").write_text("# Ny start\n", encoding="utf-8")
    assert run_build(project, project / "site").returncode == 0
    assert "Ny start" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.parametrize("breakage", ["content", "page"])
def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(project, breakage):
    assert run_build(project, project / "site").returncode == 0
    before = snapshot(project / "site")
    if breakage == "content":
        (project / "data" / "lan" / "01.yml").write_text("letter: AB\nname: {sv: Stockholms län}\nname: {sv: x}\n", encoding="utf-8")
    else:
        (project / "docs" / "index.md").write_text("---\nrender_macros: true\n---\n{{ undefined_thing }}\n", encoding="utf-8")
    result = run_build(project, project / "site")
    assert result.returncode == 1
    assert "är kvar som den var" in result.stderr
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_the_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in readme and "make test" in readme
    assert "bash scripts/ensure-chromium\nmake test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_serve_reloads_after_an_edit_and_shows_a_broken_one_until_it_is_fixed(project, tmp_path):
    with running_server(project, tmp_path / "serve.log") as (server, base):
        url = f"{base}/bidra/listor/malgrupper/"
        wait_for(url, "Nyanlända", process=server)
        terms = project / "data" / "taxonomier" / "malgrupper.yml"
        terms.write_text(terms.read_text(encoding="utf-8").replace("Nyanlända", "Nyligen anlända"), encoding="utf-8")
        wait_for(url, "Nyligen anlända", process=server)
        good = terms.read_text(encoding="utf-8")
        terms.write_text(good + "\tbroken: [\n", encoding="utf-8")
        wait_for(url, "data/taxonomier/malgrupper.yml", status=503, process=server)  # the page of problems
        assert server.poll() is None, "a broken edit must not stop the server"
        terms.write_text(good.replace("Nyligen anlända", "Åter rättad"), encoding="utf-8")
        wait_for(url, "Åter rättad", status=200, process=server)


# `make validate` and `make build` end with the handbook's own summary line: no "make: *** ... Error 1".


def make(target: str, root: Path) -> subprocess.CompletedProcess:
    """A Makefile target on another content tree, with this test's Python (the .venv step is skipped)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", target, f"PY={sys.executable}",
                           f"ROOT={root}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def broken(project) -> Path:
    (project / "data" / "organisationer" / "riksforbundet.yml").write_text(
        "name: Riksförbundet\ntype: ideell-organisation\nscope: national\nreview_by: 2027-11-30\n", encoding="utf-8")
    return project


def test_make_validate_on_a_broken_tree_ends_with_the_summary_and_no_make_line(broken):
    result = make("validate", broken)
    assert result.returncode != 0
    output = (result.stdout + result.stderr).splitlines()
    assert [line for line in output if line.startswith("make")] == [], output
    assert "Error 1" not in result.stderr
    assert result.stderr.splitlines() == [
        "data/organisationer/riksforbundet.yml:3:8: scope: ska vara ett av värdena nationell, regional eller lokal, men här "
        'står "national" (menar du `nationell`?)',
        "1 problem i 1 fil",
    ]
    assert result.stdout == ""  # and no command echo


def test_make_build_on_a_broken_tree_stops_quietly_too(broken):
    result = make("build", broken)
    assert result.returncode != 0
    assert [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("make")] == []
    assert result.stderr.splitlines()[-2:] == ["1 problem i 1 fil", f"inget byggdes; {broken / 'site'} är kvar som den var"]
    assert not (broken / "site").exists()


def test_make_validate_on_a_clean_tree_succeeds(project):
    result = make("validate", project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("innehållet är i ordning: ") and result.stderr == ""
