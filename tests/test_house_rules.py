"""The house rules: CONTRIBUTING.md, the pre-commit hooks and the licences."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys

import yaml

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def test_every_hook_is_local_and_named_after_what_it_checks():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"], "no hook repository is fetched"
    for hook_id, hook in HOOKS.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", hook_id), hook_id
        assert hook["language"] in ("system", "pygrep"), hook_id
        assert hook["name"][0].isupper(), hook_id
    assert HOOKS["innehallet-ar-giltigt"]["entry"] == "python -m handbook validate"
    assert HOOKS["formularen-stammer-med-schemana"]["entry"] == "python -m handbook forms --check"


def test_the_content_hook_runs_the_validator_the_makefile_runs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"\$\(PY\) -m handbook (\$\(ROOT_OPTION\) )?validate", makefile)
    assert re.search(HOOKS["innehallet-ar-giltigt"]["files"], "data/organisationer/myrorna.yml")
    assert re.search(HOOKS["innehallet-ar-giltigt"]["files"], "methods/ips.yml")


def test_the_yaml_hook_names_a_broken_file_in_one_line_and_passes_a_good_one(tmp_path):
    good, bad, dated = tmp_path / "bra.yml", tmp_path / "trasig.yml", tmp_path / "datum.yml"
    good.write_text("name: Bra\nlist: [1, 2]\n", encoding="utf-8")
    bad.write_text('name: "Trasig\nnext: 1\n', encoding="utf-8")
    dated.write_text("review_by: 2027-13-01\n", encoding="utf-8")
    command = shlex.split(HOOKS["yaml-filerna-gar-att-lasa"]["entry"])
    assert command[0] == "python"
    run = lambda *files: subprocess.run([sys.executable, *command[1:], *map(str, files)], capture_output=True, text=True)
    assert run(good).returncode == 0
    done = run(good, bad, dated)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{bad}: går inte att läsa som YAML: ") and lines[1].startswith(f"{dated}: ")


def test_the_pygrep_hooks_find_what_they_are_named_after():
    conflict = re.compile(HOOKS["inga-konfliktmarkeringar"]["entry"], re.M)
    assert conflict.search("text\n<<<<<<< HEAD\nmore\n>>>>>>> main\n")
    assert not conflict.search("Rubrik\n=======\n")
    assert re.search(HOOKS["inga-tabbar-i-yaml"]["entry"], "terms:\n\t- id: x\n")


def test_the_licence_names_both_licences_and_ships_their_full_texts():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence and "EUPL" in licence
    assert "LICENSES/CC-BY-4.0.txt" in licence and "LICENSES/EUPL-1.2.txt" in licence
    cc = (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert cc.startswith("Creative Commons Attribution 4.0 International")
    for section in range(1, 9):  # every section of the legal code, not a summary of it
        assert f"Section {section} – " in cc
    eupl = (ROOT / "LICENSES" / "EUPL-1.2.txt").read_text(encoding="utf-8")
    assert eupl.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    for article in range(1, 16):
        assert re.search(rf"^{article}\.\s?[A-Z]", eupl, re.M), article
    assert "Appendix" in eupl and "‘Compatible Licences’" in eupl


def test_contributing_gives_both_routes_the_commands_and_an_english_summary():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    swedish, english = text.split("## In English (summary)")
    for words in ("Fyll i ett formulär", "Ändra filen själv", "make new KIND=", "make validate", "Granskning", "Licens",
                  "Uppförande"):
        assert words in swedish, words
    assert "issue form" in english and "pull request" in english and "CC BY 4.0" in english and "EUPL-1.2" in english
