"""The pages with the repository address in a real browser: accessible, and nothing asks another host."""
from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, PHONE, open_page, page_problems
from conftest import ROOT, run_build

pytestmark = pytest.mark.browser

ADDRESS = {"HANDBOOK_REPO_URL": "https://github.com/exempel-org/vagar-in", "HANDBOOK_BRANCH": "main",
           "HANDBOOK_SITE_URL": "https://exempel-org.github.io/vagar-in/"}


@pytest.fixture(scope="module")
def linked_base(tmp_path_factory, serve):
    monkeypatch = pytest.MonkeyPatch()
    for name, value in ADDRESS.items():
        monkeypatch.setenv(name, value)
    try:
        site = tmp_path_factory.mktemp("linked") / "site"
        result = run_build(ROOT, site)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        monkeypatch.undo()
    return serve(site)


@pytest.mark.parametrize("path", ["/bidra/", "/organisationer/kooptjanst/", "/metoder/ips/", "/tillganglighet/",
                                  "/organisationer/lan/"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_linked_pages_are_accessible_and_stay_on_their_origin(browser, linked_base, path, viewport):
    with open_page(browser, linked_base + path, viewport) as page:
        assert page_problems(page, linked_base) == []
        report = page.get_by_role("link", name="Rapportera ett problem")
        assert report.count() == 1 and report.get_attribute("href").startswith(ADDRESS["HANDBOOK_REPO_URL"] + "/issues/new?")


def test_the_edit_action_has_a_swedish_name(browser, linked_base):
    with open_page(browser, linked_base + "/organisationer/kooptjanst/") as page:
        action = page.get_by_role("link", name="Ändra sidan på GitHub")
        assert action.count() == 1
        assert action.get_attribute("href").endswith("/edit/main/data/organisationer/kooptjanst.yml")
