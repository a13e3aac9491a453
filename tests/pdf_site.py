"""A small site for the PDF tests: the real pages of both editions (docs/, docs-en/, their print styles)
over the small valid fixture content (tests/fixtures/valid: one method, a few modules and criteria).

    from pdf_site import pdf_project, build  # pdf_project(folder) -> project; build(project) -> site
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

CONTENT = Path(__file__).parent / "fixtures" / "valid"


def pdf_project(target: Path) -> Path:
    """A project folder: the real code, pages and settings, the fixture content."""
    target.mkdir(parents=True)
    for name in ("schemas", "hooks", "overrides", "docs", "docs-en"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "macros.py", target / "macros.py")
    for item in CONTENT.iterdir():
        shutil.copytree(item, target / item.name)
    (target / "methods").mkdir(exist_ok=True)
    for name in ("mkdocs.yml", "mkdocs.en.yml"):  # the folders the live reload watches are not all here
        text = (ROOT / name).read_text(encoding="utf-8")
        (target / name).write_text(re.sub(r"(?m)^watch:\n(?:  - .*\n)+", "", text), encoding="utf-8")
    return target


def build(project: Path) -> Path:
    """`python -m handbook build` on the project; the built site's folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_LANG": "sv"}
    site = project / "site"
    done = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "build", "--site-dir", str(site)],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return site
