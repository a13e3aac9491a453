"""The commands a newcomer and a contributor run: validate, build, serve."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert re.fullmatch(r"content ok: \d+ [a-z]+(, \d+ [a-z]+)*\n", result.stdout), result.stdout
    assert "3 county," in result.stdout and "2 organisation," in result.stdout


def test_validate_prints_every_problem_then_a_count_and_no_traceback(project):
    (project / "data" / "lan" / "23.yml").write_text("letter: z\nname: {sv: Jämtlands län}\nsources: []\n", encoding="utf-8")
    (project / "data" / "organisationer" / "riksforbundet.yml").write_text(
        "name: Riksförbundet\ntype: ideel-organisation\nscope: nationell\nreview_by: 2027-11-30\ncapacity: 1.500\n", encoding="utf-8")
    result = handbook("--root", str(project), "validate", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'data/lan/23.yml:1:9: letter: must be one or two capital letters, such as "AB"; got "z"',
        "data/organisationer/riksforbundet.yml:2:7: type: there is no term in the list `organisationstyper` with the id "
        "`ideel-organisation` (did you mean `ideell-organisation`?); expected one of the ids in data/taxonomier/organisationstyper.yml",
        "data/organisationer/riksforbundet.yml:5:11: capacity: `1.500` is read by YAML as the decimal number 1.5; "
        "write whole numbers without separators, such as 1500",
        "3 problems in 2 files",
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
    assert "is left as it was" in result.stderr
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
