"""Where to go: edit and report links from the one repository address, with and without it."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, make_project, run_build
from handbook import links, pages, registry
from handbook.content import load_content

FIXTURES = Path(__file__).parent / "fixtures"
REPO = "https://github.com/exempel-org/vagar-in"
SITE = "https://exempel-org.github.io/vagar-in/"
ADDRESS = {"HANDBOOK_REPO_URL": REPO, "HANDBOOK_BRANCH": "utkast", "HANDBOOK_SITE_URL": SITE}
VARIABLES = tuple(ADDRESS)


# The addresses


def test_edit_and_issue_addresses_are_derived_from_the_repository_and_branch():
    repo = links.Repo(REPO + "/", "utkast")
    assert repo.edit_url("data/organisationer/myrorna.yml") == f"{REPO}/edit/utkast/data/organisationer/myrorna.yml"
    url = repo.issue_url(links.FORM_ORGANISATION, befintlig="myrorna", sida=SITE + "organisationer/myrorna/",
                         title="Ändra organisation: Myrorna & Co")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/issues/new"
    assert parse_qs(parts.query) == {"template": ["organisation.yml"], "befintlig": ["myrorna"],
                                     "sida": [SITE + "organisationer/myrorna/"], "title": ["Ändra organisation: Myrorna & Co"]}
    assert " " not in url and "&Co" not in url, "every value is URL-encoded"


def test_without_an_address_there_is_no_link_at_all():
    repo = links.repo_from({"repo_url": "", "repo_branch": "main"})
    assert not repo
    assert (repo.edit_url("x.yml"), repo.issue_url(links.FORM_TEXT, sida="/"), repo.new_pull_url()) == ("", "", "")


def test_repository_settings_default_to_the_main_branch():
    assert links.repo_from({"repo_url": REPO}) == links.Repo(REPO, "main")
    assert links.repo_from({"repo_url": REPO, "repo_branch": " "}).branch == "main"


HANDBOOK = load_content(ROOT).handbook


@pytest.mark.parametrize("page, form, existing", [
    ("organisationer/myrorna.md", "organisation.yml", "myrorna"),
    ("metoder/ips/index.md", "metod.yml", "ips"),
    ("metoder/ips/kort.md", "metod.yml", "ips"),
    ("handledarutbildning/handledarens-roll.md", "ratta-text.yml", None),
    ("organisationer/lan/14.md", "ratta-text.yml", None),
    ("metoder/jamforelse.md", "ratta-text.yml", None),
    ("tillganglighet/index.md", "tillganglighet.yml", None),
    ("om/index.md", "ratta-text.yml", None),
])
def test_each_page_reports_a_problem_in_its_own_form(page, form, existing):
    record = links.source_record(HANDBOOK, page)
    url = links.report_url(links.Repo(REPO), page, "Sidan", SITE + "x/", record)
    query = parse_qs(urlsplit(url).query)
    assert query["template"] == [form]
    assert query.get("befintlig") == ([existing] if existing else None)
    assert query["sida"] == [SITE + "x/"]


def test_every_generated_page_has_its_source_file_or_is_known_to_have_none():
    """A new kind of generated page fails here until links.GENERATED_SOURCES or NO_SINGLE_SOURCE names it."""
    generated = [path for path, _ in pages.record_pages(HANDBOOK)]
    for group in registry.generated_stamps(HANDBOOK):
        generated.extend(f"{group.folder}/{slug}.md" for slug, _t, _b in group.pages)
    unknown = [path for path in generated if not links.is_known_generated(HANDBOOK, path)]
    assert unknown == []
    for path in generated:
        record = links.source_record(HANDBOOK, path)
        if record is not None:
            assert (ROOT / record.path).is_file()
            assert record.id in path, "a page names the record it is built from"
    assert links.source_record(HANDBOOK, "organisationer/myrorna.md").path == "data/organisationer/myrorna.yml"
    assert links.source_record(HANDBOOK, "kvalitetsmodell/arbetstraningsplatsen.md").kind == "area"


def test_every_record_with_a_page_links_to_a_page_that_exists(real_site):
    without = []
    for kind in HANDBOOK.kinds():
        for record in HANDBOOK.all(kind):
            url = links.record_url(HANDBOOK, record)
            if url is None:
                without.append(record)
                continue
            assert (real_site / url.split("#")[0] / "index.html").is_file(), url
            if "#" in url:
                page = (real_site / url.split("#")[0] / "index.html").read_text(encoding="utf-8")
                assert f'id="{url.split("#")[1]}"' in page, url
    assert {r.kind for r in without} <= {"project", "activity", "glossary"}  # glossary entries: rows on /om/ordlista/
    assert all(r.kind == "project" or not r.get("package") for r in without)


def test_an_unknown_form_fails_the_build_instead_of_linking_nowhere():
    with pytest.raises(ValueError, match="no issue form 'organisationer.yml'"):
        links.form_link(HANDBOOK, "organisationer.yml")


# Builds with and without the address


def _config(tmp_path: Path) -> Path:
    """The fixture site's mkdocs.yml with the repository address from the environment, as the real one."""
    text = (FIXTURES / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("theme:\n  name: material\n",
                        "theme:\n  name: material\n  custom_dir: overrides\n  features: [content.action.edit]\n", 1)
    text += ('site_url: !ENV [HANDBOOK_SITE_URL, ""]\nrepo_url: !ENV [HANDBOOK_REPO_URL, ""]\n'
             "extra:\n  repo_branch: !ENV [HANDBOOK_BRANCH, main]\n")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(tmp_path: Path, monkeypatch, address: dict) -> Path:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in address.items():
        monkeypatch.setenv(name, value)
    project = make_project(tmp_path / "project", FIXTURES / "valid", FIXTURES / "site" / "docs", _config(tmp_path))
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _facts(page: str) -> str:
    return re.search(r'<footer class="vi-page-facts">.*?</footer>', page).group(0)


@pytest.fixture(scope="module")
def with_address(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        yield _build(tmp_path_factory.mktemp("with"), monkeypatch, ADDRESS)
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="module")
def without_address(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        yield _build(tmp_path_factory.mktemp("without"), monkeypatch, {})
    finally:
        monkeypatch.undo()


FIXTURE = load_content(FIXTURES / "valid").handbook


@pytest.mark.parametrize("record", FIXTURE.all("organisation"), ids=lambda r: r.id)
def test_an_organisation_page_edits_its_yaml_file_and_reports_in_the_organisation_form(with_address, record):
    page = _page(with_address, f"organisationer/{record.id}")
    edit = f"{REPO}/edit/utkast/data/organisationer/{record.id}.yml"
    assert re.search(rf'<a href="{re.escape(edit)}" title="Ändra sidan på GitHub" aria-label="Ändra sidan på GitHub"[^>]*rel="edit"', page)
    facts = _facts(page)
    assert f'<a href="{edit}">Ändra uppgifterna på GitHub</a>' in facts
    report = re.search(r'<a href="([^"]+)">Rapportera ett problem</a>', facts).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(report).query)
    assert query["template"] == ["organisation.yml"] and query["befintlig"] == [record.id]
    assert query["sida"] == [f"{SITE}organisationer/{record.id}/"]
    assert query["title"] == [f"Ändra organisation: {record.get('name')}"]


def test_a_hand_written_page_edits_its_markdown_file(with_address):
    page = _page(with_address, "listor")
    edit = f"{REPO}/edit/utkast/docs/listor.md"
    assert f'<a href="{edit}" title="Ändra sidan på GitHub"' in page
    facts = _facts(page)
    assert f'<a href="{edit}">Ändra sidan på GitHub</a> (filen <code>docs/listor.md</code>)' in facts
    assert "template=ratta-text.yml" in facts and f"sida={SITE.replace(':', '%3A').replace('/', '%2F')}listor%2F" in facts


def test_a_method_page_and_its_card_report_in_the_method_form(with_address):
    for path in ("metoder/provning", "metoder/provning/kort"):
        facts = _facts(_page(with_address, path))
        assert f"{REPO}/edit/utkast/methods/provning.yml" in facts
        assert "template=metod.yml&amp;befintlig=provning" in facts


def test_a_page_of_many_records_has_no_edit_action_and_links_to_the_contributor_guide(with_address):
    page = _page(with_address, "organisationer/lan")
    assert 'rel="edit"' not in page
    facts = _facts(page)
    assert "/edit/" not in facts and 'href="../../bidra/"' in facts and "template=ratta-text.yml" in facts


def test_the_header_links_the_repository_without_asking_github_for_its_stars(with_address):
    page = _page(with_address, "")
    assert f'<a href="{REPO}" class="md-source">' in page
    assert 'data-md-component="source"' not in page


@pytest.mark.parametrize("path", ["", "listor", "organisationer/kyrkans-second-hand", "metoder/provning", "organisationer/lan"])
def test_without_an_address_pages_show_their_file_and_link_to_the_guide_never_to_nowhere(without_address, path):
    page = _page(without_address, path)
    assert 'rel="edit"' not in page and "issues/new" not in page and "md-source" not in page
    facts = _facts(page)
    assert re.search(r'<a href="(\.\./)*bidra/">Så ', facts)
    record = links.source_record(FIXTURE, f"{path}.md")
    if record is not None:
        assert f"<code>{record.path}</code>" in facts
    elif path in ("", "listor"):
        assert f"<code>docs/{path or 'index'}.md</code>" in facts


# The real site


@pytest.fixture(scope="module")
def real_with_address(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    for name, value in ADDRESS.items():
        monkeypatch.setenv(name, value)
    try:
        site = tmp_path_factory.mktemp("real-address") / "site"
        result = run_build(ROOT, site)
        assert result.returncode == 0, result.stdout + result.stderr
        yield site
    finally:
        monkeypatch.undo()


def _links_in(page: str) -> list[str]:
    article = page[page.index("<article"):page.index("</article>")]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', article)]


def test_the_contributor_guide_links_the_repository_every_form_and_a_new_pull_request(real_with_address):
    found = _links_in(_page(real_with_address, "bidra"))
    assert REPO in found and f"{REPO}/compare" in found and f"{REPO}/pulls" in found
    for form in links.FORMS:
        assert f"{REPO}/issues/new?template={form}" in found


def test_accessibility_and_personal_data_pages_link_their_forms(real_with_address):
    found = _links_in(_page(real_with_address, "tillganglighet"))
    assert f"{REPO}/issues/new?template=tillganglighet.yml" in found
    assert any(u.startswith(f"{REPO}/issues/new?template=tillganglighet.yml&sida=") for u in found), "the report link too"
    found = _links_in(_page(real_with_address, "personuppgifter"))
    assert f"{REPO}/issues/new?template=organisation.yml" in found and f"{REPO}/issues/new?template=ratta-text.yml" in found
    assert REPO in found


def test_every_page_of_the_real_site_has_its_facts_block(real_with_address):
    for path in sorted(real_with_address.rglob("index.html")):
        page = path.read_text(encoding="utf-8")
        if "<article" not in page:
            continue
        facts = _facts(page)
        english = "en" in path.relative_to(real_with_address).parts[:1]
        assert ("Report a problem" if english else "Rapportera ett problem") in facts, path
        assert registry.STAMP_FACTS not in page and registry.STAMP_SLUG not in page, path


def test_the_real_site_without_an_address_links_nowhere_off_to_a_repository(real_site):
    for name in ("bidra", "tillganglighet", "personuppgifter", "organisationer/myrorna"):
        page = _page(real_site, name)
        assert "github.com" not in page and "issues/new" not in page
    assert "den publicerade handboken är det en länk" in _page(real_site, "bidra")


def test_the_footer_states_the_licences_with_links(real_site):
    page = _page(real_site, "")
    footer = page[page.index('<div class="md-copyright">'):]
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.sv">CC BY 4.0</a>' in footer
    assert ">EUPL 1.2</a>" in footer
    data = _page(real_site, "data")
    assert 'id="licens"' in data and "CC BY 4.0" in data and "EUPL 1.2" in data
