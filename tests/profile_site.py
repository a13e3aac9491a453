"""A small site with fictional organisations and their quality profiles, in both languages.

The content is tests/fixtures/profiles/content (a model of three areas and six criteria, seven
organisations, five profiles), the pages tests/fixtures/profiles/site. It is built on a fixed day,
PROFILE_TODAY, so which profiles are current never depends on the day the tests run:

    from profile_site import profile_site  # a session fixture: the built site's folder
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
CONTENT = FIXTURES / "content"
SITE = FIXTURES / "site"
PROFILE_TODAY = "2026-12-01"  # every fixture profile is in the past; ateranvandarna's (2025-09-01) is out of date


def profile_content(target: Path) -> Path:
    """A copy of the profile fixture content, with the real schemas: a tree to put a profile file into."""
    shutil.copytree(CONTENT, target)
    if not (target / "schemas").exists():
        shutil.copytree(ROOT / "schemas", target / "schemas")
    return target


def make_profile_project(target: Path) -> Path:
    """A project folder: the real code, schemas, theme overrides and assets, the fixture content and pages."""
    target.mkdir(parents=True)
    for name in ("schemas", "hooks", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "macros.py", target / "macros.py")
    for item in CONTENT.iterdir():
        shutil.copytree(item, target / item.name)
    for name in ("docs", "docs-en"):
        shutil.copytree(SITE / name, target / name)
    shutil.copytree(ROOT / "docs" / "assets", target / "docs" / "assets")
    for name in ("mkdocs.yml", "mkdocs.en.yml"):
        shutil.copy(SITE / name, target / name)
    return target


def build_profile_site(project: Path, today: str = PROFILE_TODAY) -> Path:
    """`python -m handbook build` on the project on the day `today`; the built site's folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": today,
           "HANDBOOK_LANG": "sv"}
    site = project / "site"
    done = subprocess.run([sys.executable, "-m", "handbook", "--root", str(project), "build", "--site-dir", str(site)],
                          cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


@pytest.fixture(scope="session")
def profile_site(tmp_path_factory) -> Path:
    """The profile fixture site, built strictly once for the whole session."""
    return build_profile_site(make_profile_project(tmp_path_factory.mktemp("profiles") / "project"))
