"""The facts block under every page, the review list and the repository links in English."""
from __future__ import annotations

import pytest

from conftest import ROOT
from handbook import links, registry
from handbook.content import load_content

HANDBOOK = load_content(ROOT).handbook
REPO = "https://git.example.org/vagar-in"


@pytest.fixture
def settings(monkeypatch):
    def use(repo_url: str = "") -> None:
        monkeypatch.setattr(registry, "SETTINGS", {"repo_url": repo_url, "site_url": "https://example.org/h/"})
    return use


def _facts(repo: links.Repo, source_file, entry=False, lang="en") -> str:
    return links.page_facts(repo, page_url="metoder/x/", source_file=source_file, edit_url=f"{REPO}/edit/main/x.yml",
                            report=f"{REPO}/issues/new?template=ratta-text.yml", date="2026-11-22", entry=entry, lang=lang)


def test_the_facts_block_in_english():
    repo = links.Repo(REPO)
    cases = [_facts(repo, "data/x.yml"), _facts(repo, "data/x.yml", entry=True), _facts(repo, None),
             _facts(links.Repo(), "data/x.yml"), _facts(links.Repo(), None)]
    assert all('Last changed <time datetime="2026-11-22">2026-11-22</time>' in facts for facts in cases)
    assert "Edit the page on GitHub</a> (the file <code>data/x.yml</code>)." in cases[0]
    assert "Report a problem</a> with the page." in cases[0]
    assert "Edit the details on GitHub" in cases[1]
    assert "The page is derived from the handbook’s entries, so it is changed in the entries." in cases[2]
    assert "The page is built from the file <code>data/x.yml</code>." in cases[3]
    assert "How to change a detail or report a problem" in cases[4]
    for facts in cases:
        for word in ("Senast ändrad", "Ändra", "Rapportera", "Sidan", "filen", "Så "):
            assert word not in facts
    assert "Senast ändrad" in _facts(repo, "data/x.yml", lang="sv")


def test_the_repository_macros_in_english(settings):
    settings("")
    forms = links.issue_forms(HANDBOOK, "en")
    assert "Add or change an organisation" in forms and "Report an accessibility problem" in forms
    assert "this version is built without the repository’s address" in forms
    assert "Lägg till" not in forms and "versionen" not in forms
    assert links.repository_link(HANDBOOK, lang="en").startswith("the project’s repository on GitHub ")
    settings(REPO)
    assert links.repository_link(HANDBOOK, lang="en") == f'<a href="{REPO}">the project’s repository on GitHub</a>'
    assert links.new_pull_request_link(HANDBOOK, lang="en") == f'<a href="{REPO}/compare">new pull request</a>'
    assert links.pull_requests_link(HANDBOOK, lang="en") == f'<a href="{REPO}/pulls">pull requests waiting for review</a>'
    assert links.form_link(HANDBOOK, "metod.yml", lang="en").endswith(">Suggest or change a method</a>")
    assert links.form_link(HANDBOOK, "metod.yml").endswith(">Föreslå eller ändra en metod</a>")


def test_the_review_list_in_english(settings, monkeypatch):
    settings(REPO)
    monkeypatch.setenv("HANDBOOK_TODAY", "2020-01-01")
    none = links.overdue_reviews(HANDBOOK, "en")
    assert "No entries are past their review date (<code>review_by</code>) on" in none and "Inga poster" not in none
    monkeypatch.setenv("HANDBOOK_TODAY", "2100-01-01")
    table = links.overdue_reviews(HANDBOOK, "en")
    assert "entries that should have been reviewed before 2100-01-01" in table
    assert '<th scope="col">Kind</th><th scope="col">Entry</th><th scope="col">File</th><th scope="col">Review by</th>' in table
    assert "<td>Work package</td>" in table and "<td>Quality criterion</td>" in table
    package = HANDBOOK.all("package")[0]
    assert f">{package.text('title', 'en')}</a>" in table  # record titles in English
    for word in ("poster som", "Ses över", "Kvalitetskriterium", "Arbetspaket"):
        assert word not in table
    swedish = links.overdue_reviews(HANDBOOK)
    assert "poster som skulle ha setts över före 2100-01-01" in swedish and "<td>Arbetspaket</td>" in swedish


def test_a_glossary_entry_in_the_review_list_is_named_by_its_term(settings, monkeypatch):
    settings("")
    monkeypatch.setenv("HANDBOOK_TODAY", "2100-01-01")
    entry = HANDBOOK.all("glossary")[0]
    assert links.record_title(entry) == entry.text("term")
    assert entry.text("term") in links.overdue_reviews(HANDBOOK)
