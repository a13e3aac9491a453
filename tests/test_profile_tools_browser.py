"""Quality profiles in a real browser: from the self-assessment to a profile file and back, and the
directory's profile filters, on the profile fixture site (fictional organisations, tests/profile_site.py)
built with a repository address, so that the page's contribution links are there.

The round trips end where a partner's file ends: written into a content tree and checked by the
validator, or sent through the issue form and `python -m handbook from-issue`."""
from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from functools import partial

from browser_helpers import DESKTOP, PHONE, axe_violations, offsite_requests, sideways_overflow
from browser_helpers import open_page as _open_page

# Playwright's wait_for_function evaluates its text as script, which the site's Content-Security-Policy
# blocks (as it should); these tests are about the tools, and tests/test_reading_browser.py checks the policy.
open_page = partial(_open_page, bypass_csp=True)
from conftest import ROOT
from fixture_cases import PROFILES
from handbook.areas import profiles, quality
from handbook.content import load_content
from profile_site import PROFILE_TODAY, build_profile_site, make_profile_project, profile_content

pytestmark = pytest.mark.browser

REPO = "https://github.com/exempel/vagar-in"
BRANCH = "utkast"
SA = "/kvalitetsmodell/sjalvskattning/"
DIRECTORY = "/organisationer/"
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "kvalitetsprofil.yml"
HOSTILE = ': #\n- x </script><script>alert(1)</script> "q" \\ slut'
DAY = "2026-11-30"  # a day before the fixture site's today: valid for the validator on any later day

HANDBOOK = load_content(PROFILES).handbook
ON = datetime.date.fromisoformat(PROFILE_TODAY)


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve) -> str:
    """The profile fixture site with a repository address and branch, served; its base URL."""
    project = make_profile_project(tmp_path_factory.mktemp("profile-tools") / "project")
    for name in ("mkdocs.yml", "mkdocs.en.yml"):
        config = project / name
        config.write_text(config.read_text(encoding="utf-8") + f"repo_url: {REPO}\n", encoding="utf-8")
        config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", f"extra:\n  repo_branch: {BRANCH}\n", 1),
                          encoding="utf-8")
    return serve(build_profile_site(project))


@pytest.fixture
def tree(tmp_path) -> Path:
    return profile_content(tmp_path / "tree")


def handbook_command(root: Path, *args: str, body: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HANDBOOK_TODAY": PROFILE_TODAY}
    env.pop("HANDBOOK_LANG", None)
    return subprocess.run([sys.executable, "-m", "handbook", "--root", str(root), *args], input=body,
                          capture_output=True, text=True, env=env, cwd=root)


def radio(criterion_id: str, level) -> str:
    return f'#skatta-{criterion_id} input[value="{level}"]'


def open_step(page) -> None:
    if not page.evaluate("document.getElementById('vi-sa-profile').open"):
        page.click("#vi-sa-profile > summary")
    page.wait_for_function("document.querySelectorAll('#vi-sa-orgs option').length > 0")


def fill_profile(page, ratings: dict, notes: dict | None = None, organisation: str = "Sortera mera",
                 kind: str = "peer", assessor: str = "Verkstan i Sta, en handledare", day: str = DAY) -> None:
    for criterion_id, level in ratings.items():
        page.check(radio(criterion_id, level))
    for criterion_id, note in (notes or {}).items():
        page.fill(f"#skatta-{criterion_id} textarea", note)
    page.fill("#vi-sa-date", day)
    open_step(page)
    page.fill("#vi-sa-porg", organisation)
    page.select_option("#vi-sa-kind", kind)
    page.fill("#vi-sa-assessor", assessor)


def download_profile(page, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click("button[data-action=profile]")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def checked_levels(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#vi-sa input[type=radio]:checked'))
        .map(r => [r.closest('fieldset').id.slice(7), r.value]))""")  # the fieldset is skatta-<criterion>


RATINGS = {"utsedd-handledare": 3, "tid-for-handledning": 2, "gemensam-plan": "na", "intyg-vid-avslut": 1}
NOTES = {"utsedd-handledare": HOSTILE, "intyg-vid-avslut": "Intyg ges på begäran."}


def expected_record(ratings: dict, notes: dict, organisation: str, kind: str, assessor: str, day: str) -> dict:
    criteria = {}
    for c in HANDBOOK.all("criterion"):  # the file keeps the model's order; compared as a dict anyway
        if c.id in ratings:
            entry = {"level": "ej relevant" if ratings[c.id] == "na" else ratings[c.id]}
            if c.id in notes:
                entry["note"] = notes[c.id]
            criteria[c.id] = entry
    record = {"organisation": organisation, "date": day, "assessed_by": kind}
    if assessor:
        record["assessor"] = assessor
    record["criteria"] = criteria
    return record


# From the self-assessment to a profile


def test_the_downloaded_profile_is_the_record_and_passes_the_validator(browser, site, tree, tmp_path):
    with open_page(browser, site + SA, accept_downloads=True) as page:
        fill_profile(page, RATINGS, NOTES)
        path = download_profile(page, tmp_path)
        assert page.locator("#vi-sa-profile-msg").inner_text() == ""
    assert path.name == f"sortera-mera-{DAY}.yml"
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == expected_record(RATINGS, NOTES, "sortera-mera", "peer", "Verkstan i Sta, en handledare", DAY)
    assert "kooperativet-lyftet" not in text and "stod-till-handledaren" not in text  # not assessed: left out
    (tree / "data" / "kvalitetsprofiler" / path.name).write_text(text, encoding="utf-8")
    result = handbook_command(tree, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("innehållet är i ordning: ")
    assert f" {HANDBOOK.count('profile') + 1} kvalitetsprofiler," in result.stdout  # the new one is counted
    # The handbook reads it as the profile it is: the hostile note is plain text, unchanged.
    loaded = load_content(tree)
    record = loaded.handbook.get("profile", path.stem)
    assert record.get("criteria")["utsedd-handledare"]["note"] == HOSTILE
    assert profiles.latest(loaded.handbook, "sortera-mera").id == path.stem


def test_the_pull_request_and_issue_links_carry_the_file(browser, site, tmp_path):
    with open_page(browser, site + SA, accept_downloads=True) as page:
        fill_profile(page, RATINGS, NOTES, kind="self", assessor="")
        text = download_profile(page, tmp_path).read_text(encoding="utf-8")
        assert page.is_visible("#vi-sa-send")
        pull = urlparse(page.get_attribute("#vi-sa-pr", "href"))
        issue = urlparse(page.locator("#vi-sa-send li").nth(1).locator("a").get_attribute("href"))
        steps = page.locator("#vi-sa-send li").all_inner_texts()
    assert f"{pull.scheme}://{pull.netloc}{pull.path}" == f"{REPO}/new/{BRANCH}"
    assert parse_qs(pull.query) == {"filename": [f"data/kvalitetsprofiler/sortera-mera-{DAY}.yml"], "value": [text]}
    assert f"{issue.scheme}://{issue.netloc}{issue.path}" == f"{REPO}/issues/new"
    assert parse_qs(issue.query) == {"template": ["kvalitetsprofil.yml"], "organisation": ["sortera-mera"], "profil": [text]}
    assert "make validate" in steps[2]
    assert "assessor" not in yaml.safe_load(text)  # optional for a self-assessment, and none given


def test_a_profile_too_long_for_an_address_links_to_the_empty_pages_and_says_to_paste(browser, site, tmp_path):
    criteria = [c.id for c in HANDBOOK.all("criterion")]
    with open_page(browser, site + SA, accept_downloads=True) as page:
        fill_profile(page, {c: 2 for c in criteria}, {c: "Åäö " * 125 for c in criteria})  # 500 characters each
        text = download_profile(page, tmp_path).read_text(encoding="utf-8")
        pull = urlparse(page.get_attribute("#vi-sa-pr", "href"))
        issue = urlparse(page.locator("#vi-sa-send li").nth(1).locator("a").get_attribute("href"))
        said = page.locator("#vi-sa-pr").inner_text()
    assert len(text) > 3000
    assert parse_qs(pull.query) == {"filename": [f"data/kvalitetsprofiler/sortera-mera-{DAY}.yml"]}
    assert parse_qs(issue.query) == {"template": ["kvalitetsprofil.yml"], "organisation": ["sortera-mera"]}
    assert said == "öppna sidan för en ny fil och klistra in filens innehåll (profilen är för lång för att fyllas i åt dig)"


def issue_body(form_file: Path, answers: dict[str, str]) -> str:
    """The body GitHub writes for a submitted form: `### label`, a blank line, the answer; a textarea with
    `render` in a code fence of that language."""
    form = yaml.safe_load(form_file.read_text(encoding="utf-8"))
    parts = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        answer = answers.get(element["id"]) or "_No response_"
        render = element["attributes"].get("render")
        if render and element["id"] in answers:
            answer = f"```{render}\n{answer}\n```"
        parts.append(f"### {element['attributes']['label']}\n\n{answer}")
    return "\n\n".join(parts)


def test_downloaded_text_through_the_issue_form_becomes_a_record_that_validates(browser, site, tree, tmp_path):
    with open_page(browser, site + SA, accept_downloads=True) as page:
        fill_profile(page, RATINGS, NOTES)
        text = download_profile(page, tmp_path).read_text(encoding="utf-8")
    body = issue_body(FORM, {"organisation": "sortera-mera", "profil": text.rstrip("\n")})
    result = handbook_command(tree, "from-issue", "--body", "-", "--issue", "7", body=body)
    assert result.returncode == 0, result.stdout + result.stderr
    written = tree / "data" / "kvalitetsprofiler" / f"sortera-mera-{DAY}.yml"
    assert f"Skrev data/kvalitetsprofiler/{written.name}" in result.stdout
    assert yaml.safe_load(written.read_text(encoding="utf-8")) == yaml.safe_load(text)
    assert handbook_command(tree, "validate").returncode == 0


def test_a_profile_that_cannot_be_made_says_every_reason_and_downloads_nothing(browser, site):
    with open_page(browser, site + SA, accept_downloads=True) as page:
        downloads = []
        page.on("download", lambda download: downloads.append(download))
        open_step(page)
        page.click("button[data-action=profile]")
        message = page.locator("#vi-sa-profile-msg")
        assert message.get_attribute("role") == "alert"
        assert message.locator("li").all_inner_texts() == [
            "Välj organisationen i katalogen.",
            "Skatta minst ett kriterium, eller markera det som inte aktuellt, innan du laddar ner profilen."]
        page.fill("#vi-sa-porg", "Butiken i Söderby")  # not in the directory
        page.select_option("#vi-sa-kind", "external")
        page.fill("#vi-sa-date", "2099-01-01")
        page.check(radio("utsedd-handledare", 2))
        page.fill("#skatta-utsedd-handledare textarea", "x" * 501)
        page.click("button[data-action=profile]")
        assert message.locator("li").all_inner_texts() == [
            "Butiken i Söderby finns inte i katalogen. Välj ett namn i listan, eller lägg först till organisationen i katalogen.",
            "Datumet för skattningen ligger i framtiden. Välj dagens datum eller ett tidigare.",
            "Skriv namnet på den som bedömde. Det behövs vid kollegial granskning och extern bedömning.",
            "Anteckningen till kriterium 1.1 är längre än 500 tecken. Korta den."]
        assert page.is_hidden("#vi-sa-send")
        page.wait_for_timeout(300)
        assert downloads == []


def test_the_directory_and_the_yaml_library_are_fetched_only_when_the_step_opens(browser, site):
    with open_page(browser, site + SA) as page:
        fetched = lambda: [u for u in page.requests_seen if u.endswith(("katalog.json", "js-yaml.min.js"))]  # noqa: E731
        assert fetched() == [] and not page.evaluate("'jsyaml' in window")
        assert page.input_value("#vi-sa-date") == ""
        open_step(page)
        page.wait_for_function("'jsyaml' in window")
        assert sorted(urlparse(u).path for u in fetched()) == ["/assets/js-yaml.min.js", "/organisationer/katalog.json"]
        # Every organisation of the directory can be chosen, by its name as text (never as markup).
        names = sorted(r.get("name") for r in HANDBOOK.all("organisation"))
        assert sorted(page.locator("#vi-sa-orgs option").evaluate_all("os => os.map(o => o.value)")) == names
        assert page.locator("#vi-sa-orgs script").count() == 0
        # The date is today's by default and cannot be set in the future.
        today = page.evaluate("(() => { const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()")
        assert page.input_value("#vi-sa-date") == today == page.get_attribute("#vi-sa-date", "max")
        assert offsite_requests(page, site) == []


# Importing a profile back


def test_a_profile_file_fills_in_levels_notes_organisation_date_and_kind(browser, site):
    path = PROFILES / "data" / "kvalitetsprofiler" / "butiken-i-norrby-2026-10-20.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    with open_page(browser, site + SA) as page:
        page.check(radio("arbetsgivarkontakter", 1))  # replaced: the file says what this criterion is at
        page.check(radio("intyg-vid-avslut", 4))
        open_step(page)
        page.set_input_files("#vi-sa-yml", str(path))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.length > 0")
        assert page.locator("#vi-sa-yml-msg").inner_text() == ""
        assert page.locator("#vi-sa-status").inner_text() == \
            f"Skattningen hämtades från {path.name}: {len(record['criteria'])} kriterier."
        assert checked_levels(page) == {
            c: "na" if e["level"] == "ej relevant" else str(e["level"]) for c, e in record["criteria"].items()}
        for criterion_id, entry in record["criteria"].items():
            assert page.input_value(f"#skatta-{criterion_id} textarea") == entry.get("note", "")
        assert page.input_value("#vi-sa-porg") == "Butiken i Norrby"
        assert page.input_value("#vi-sa-org") == "Butiken i Norrby"
        assert page.input_value("#vi-sa-date") == str(record["date"])
        assert page.input_value("#vi-sa-kind") == record["assessed_by"]
        assert page.input_value("#vi-sa-assessor") == record["assessor"]
        page.reload()  # kept with the rest of the saved state
        page.wait_for_load_state("networkidle")
        assert page.input_value("#vi-sa-assessor") == record["assessor"]
        assert page.input_value("#vi-sa-kind") == record["assessed_by"]


GOOD = 'organisation: "butiken-i-norrby"\ndate: "2026-10-20"\nassessed_by: "self"\ncriteria:\n  utsedd-handledare:\n    level: 2\n'
BAD_FILES = {
    "not-yaml.yml": ("organisation: [butiken\n", "Filen not-yaml.yml är ingen kvalitetsprofil: den går inte att läsa som YAML. Inget har ändrats."),
    "list.yml": ("- organisation: butiken-i-norrby\n", "Filen list.yml lästes inte in, och inget har ändrats: den har inte formen av en kvalitetsprofil (organisation, date, assessed_by och criteria)."),
    "unknown-criterion.yml": (GOOD + "  kaffe-pa-morgonen:\n    level: 3\n  utsedd:\n    level: 1\n",
                              "Filen unknown-criterion.yml lästes inte in, och inget har ändrats: kvalitetsmodellen har inga kriterier med id kaffe-pa-morgonen, utsedd."),
    "level-five.yml": (GOOD.replace("level: 2", "level: 5"), "Filen level-five.yml lästes inte in, och inget har ändrats: nivån eller anteckningen går inte att använda vid kriterium 1.1 (nivå 1–4 eller ”ej relevant”, anteckning högst 500 tecken)."),
    "level-as-text.yml": (GOOD.replace("level: 2", 'level: "2"'), "Filen level-as-text.yml lästes inte in, och inget har ändrats: nivån eller anteckningen går inte att använda vid kriterium 1.1 (nivå 1–4 eller ”ej relevant”, anteckning högst 500 tecken)."),
    "extra-field.yml": (GOOD + "certified: true\n", "Filen extra-field.yml lästes inte in, och inget har ändrats: den har fält som en kvalitetsprofil inte har: certified."),
    "future.yml": (GOOD.replace("2026-10-20", "2099-10-20"), "Filen future.yml lästes inte in, och inget har ändrats: Datumet för skattningen ligger i framtiden. Välj dagens datum eller ett tidigare."),
    "unknown-organisation.yml": (GOOD.replace("butiken-i-norrby", "butiken-i-soderby"), "Filen unknown-organisation.yml lästes inte in, och inget har ändrats: butiken-i-soderby finns inte i katalogen. Välj ett namn i listan, eller lägg först till organisationen i katalogen."),
    "tagged.yml": (GOOD.replace('"self"', "!!js/function 'function () { return 1 }'"), "Filen tagged.yml är ingen kvalitetsprofil: den går inte att läsa som YAML. Inget har ändrats."),
}


def test_the_good_file_of_the_bad_file_cases_is_read(browser, site, tmp_path):
    """The bad files below are this one with one thing broken: it is their control."""
    (tmp_path / "good.yml").write_text(GOOD, encoding="utf-8")
    with open_page(browser, site + SA) as page:
        open_step(page)
        page.set_input_files("#vi-sa-yml", str(tmp_path / "good.yml"))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.length > 0")
        assert checked_levels(page) == {"utsedd-handledare": "2"}
        assert page.input_value("#vi-sa-kind") == "self"


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_file_that_is_not_a_profile_of_this_model_is_refused_and_changes_nothing(browser, site, tmp_path, name):
    text, said = BAD_FILES[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    with open_page(browser, site + SA) as page:
        page.check(radio("tid-for-handledning", 3))
        page.fill("#skatta-tid-for-handledning textarea", "Två timmar i veckan.")
        open_step(page)
        page.fill("#vi-sa-porg", "Verkstan i Sta")
        before = page.evaluate("JSON.stringify(localStorage)")
        page.set_input_files("#vi-sa-yml", str(tmp_path / name))
        message = page.locator("#vi-sa-yml-msg")
        page.wait_for_function("document.getElementById('vi-sa-yml-msg').textContent.length > 0")
        assert message.inner_text() == said
        assert message.get_attribute("role") == "alert"
        assert checked_levels(page) == {"tid-for-handledning": "3"}
        assert page.input_value("#skatta-tid-for-handledning textarea") == "Två timmar i veckan."
        assert page.input_value("#vi-sa-porg") == "Verkstan i Sta"
        assert page.evaluate("JSON.stringify(localStorage)") == before


def test_a_hostile_note_survives_download_and_import_unchanged(browser, site, tmp_path):
    notes = {"utsedd-handledare": HOSTILE, "tid-for-handledning": "</script>", "intyg-vid-avslut": ": #\n- x"}
    with open_page(browser, site + SA, accept_downloads=True) as page:
        fill_profile(page, {"utsedd-handledare": 1, "tid-for-handledning": 4, "intyg-vid-avslut": "na"}, notes)
        path = download_profile(page, tmp_path)
    assert {c: e.get("note") for c, e in yaml.safe_load(path.read_text(encoding="utf-8"))["criteria"].items()} == notes
    with open_page(browser, site + SA) as page:  # a new browser profile: nothing saved
        open_step(page)
        page.set_input_files("#vi-sa-yml", str(path))
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.length > 0")
        for criterion_id, note in notes.items():
            assert page.input_value(f"#skatta-{criterion_id} textarea") == note
        assert checked_levels(page) == {"utsedd-handledare": "1", "tid-for-handledning": "4", "intyg-vid-avslut": "na"}
        assert page.evaluate("typeof window.alert") == "function" and page.locator("#vi-sa script").count() == 0


# English


def test_the_english_page_makes_the_same_profile_in_english_words_and_keeps_its_own_state(browser, site, tmp_path):
    with open_page(browser, site + "/en" + SA, accept_downloads=True) as page:
        assert page.locator("#vi-sa-profile > summary").inner_text() == "Make a quality profile to publish"
        assert page.locator("#vi-sa-kind option").all_text_contents() == ["Self-assessment", "Peer review", "External assessment"]
        open_step(page)
        page.click("button[data-action=profile]")
        assert page.locator("#vi-sa-profile-msg li").first.inner_text() == "Choose the organisation in the directory."
        fill_profile(page, {"utsedd-handledare": 4}, {"utsedd-handledare": "Named in the schedule."},
                     organisation="Verkstan i Sta", kind="external", assessor="An outside assessor")
        path = download_profile(page, tmp_path)
        assert page.locator("#vi-sa-send h3").inner_text() == "How to send the profile"
        page.wait_for_function("document.getElementById('vi-sa-status').textContent.includes('.yml')")
        assert page.locator("#vi-sa-status").inner_text() == f"The profile {path.name} has been downloaded. How to send it is explained below the button."
        page.goto(site + SA)  # the Swedish page in the same browser: nothing of the English state
        page.wait_for_load_state("networkidle")
        assert checked_levels(page) == {}
        assert page.input_value("#vi-sa-assessor") == ""
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == expected_record(
        {"utsedd-handledare": 4}, {"utsedd-handledare": "Named in the schedule."}, "verkstan-i-sta", "external",
        "An outside assessor", DAY)


# The directory's profile filters


def expected(current: bool = False, area: str = "", lowest: int = 0, county: str = "") -> list[str]:
    """The organisations the filters must find, from the profile records (the contract's queries)."""
    order = [a.id for a in quality.areas(HANDBOOK)]
    found = []
    for org in HANDBOOK.all("organisation"):
        if county and org.get("county") != county:
            continue
        latest = profiles.latest(HANDBOOK, org.id)
        if (current or area or lowest) and latest is None:
            continue
        if current and not profiles.is_current(latest, ON):
            continue
        if area or lowest:
            levels = {a.id: level or 0 for a, level in profiles.area_levels(HANDBOOK, latest)}
            wanted = [area] if area else order
            if not any(levels.get(a, 0) >= (lowest or 1) for a in wanted):
                continue
        found.append(org.id)
    return sorted(found)


def ready(page) -> None:
    page.wait_for_selector("#vi-directory[data-ready='1']", timeout=10000)


def shown(page) -> list[str]:
    return sorted(h.rstrip("/") for h in page.locator(".vi-dir-results h3 a").evaluate_all("els => els.map(a => a.getAttribute('href'))"))


CASES = [
    ({"profil": "1"}, dict(current=True)),
    ({"omrade": "handledning", "niva": "3"}, dict(area="handledning", lowest=3)),
    ({"omrade": "samverkan", "niva": "2", "profil": "1"}, dict(area="samverkan", lowest=2, current=True)),
    ({"omrade": "validering"}, dict(area="validering")),
    ({"niva": "4"}, dict(lowest=4)),
    ({"profil": "1", "lan": "14"}, dict(current=True, county="14")),
]


@pytest.mark.parametrize("query,filters", CASES, ids=["&".join(f"{k}={v}" for k, v in q.items()) for q, _ in CASES])
def test_the_profile_filters_find_what_the_profiles_say(browser, site, query, filters):
    want = expected(**filters)
    assert want != sorted(r.id for r in HANDBOOK.all("organisation"))  # each case filters something out
    address = site + DIRECTORY + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    with open_page(browser, address) as page:
        ready(page)
        assert shown(page) == want
        assert int(page.get_attribute("#vi-directory", "data-count")) == len(want)
        assert page.is_checked("#vi-dir-profil") == (query.get("profil") == "1")


def test_the_profile_filters_keep_their_place_in_the_url_and_come_back_with_the_back_button(browser, site):
    with open_page(browser, site + DIRECTORY) as page:
        ready(page)
        assert page.is_hidden(".vi-dir-quality-none") and page.is_visible(".vi-dir-quality-filters")
        page.check("#vi-dir-profil")
        page.select_option("#vi-dir-omrade", "handledning")
        page.select_option("#vi-dir-niva", "2")
        want = expected(current=True, area="handledning", lowest=2)
        assert shown(page) == want and want
        assert parse_qs(urlparse(page.url).query) == {"profil": ["1"], "omrade": ["handledning"], "niva": ["2"]}
        count = page.locator(".vi-dir-count").inner_text()
        assert count == f"{len(want)} organisationer för aktuell kvalitetsprofil, nivå 2 eller högre i 1. Handledning."
        assert page.locator(".vi-dir-count").get_attribute("role") == "status"
        page.locator(".vi-dir-results h3 a").first.click()
        page.wait_for_load_state("networkidle")
        assert urlparse(page.url).path.startswith(DIRECTORY + want[0])
        page.go_back()
        ready(page)
        assert page.is_checked("#vi-dir-profil") and page.input_value("#vi-dir-omrade") == "handledning"
        assert page.input_value("#vi-dir-niva") == "2" and shown(page) == want
        page.click(".vi-dir-reset")
        page.wait_for_function("!location.search")
        assert not page.is_checked("#vi-dir-profil") and len(shown(page)) == HANDBOOK.count("organisation")


def test_the_english_directory_filters_by_profile_in_english(browser, site):
    with open_page(browser, site + "/en" + DIRECTORY + "?profil=1&omrade=handledning&niva=3") as page:
        ready(page)
        want = expected(current=True, area="handledning", lowest=3)
        assert shown(page) == want
        assert page.locator("label[for=vi-dir-omrade]").inner_text() == "Level in an area"
        assert page.locator(".vi-dir-count").inner_text().endswith("for current quality profile, level 3 or higher in 1. Supervision.")


HANDBOOK_REAL_COUNT = len(list((ROOT / "data" / "organisationer").glob("[!_]*.yml")))


def test_without_any_profile_the_directory_says_so_and_ignores_profile_filters(browser, base):
    """The real content ships no profile: filters in the URL find every organisation."""
    with open_page(browser, base + DIRECTORY + "?profil=1&omrade=handledning&niva=4") as page:
        ready(page)
        assert page.is_visible(".vi-dir-quality-none") and page.is_hidden(".vi-dir-quality-filters")
        assert page.locator(".vi-dir-quality-none").inner_text().startswith("Ingen organisation i katalogen har publicerat")
        assert int(page.get_attribute("#vi-directory", "data-count")) == HANDBOOK_REAL_COUNT
        assert page.locator(".vi-dir-count").inner_text().startswith(f"{HANDBOOK_REAL_COUNT} organisationer")
        assert axe_violations(page) == []


# Accessibility with the new controls open


def at_rest(page) -> None:
    """No pointer over a control and no focus, at the top: axe sees the page as a reader arriving at it
    (Material's hover colours and its sticky header over a scrolled element are not the page's own)."""
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.wait_for_timeout(500)  # the header's title swaps back with a transition


@pytest.mark.parametrize("lang", ["", "/en"], ids=["sv", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_profile_step_open_with_messages_has_no_wcag_violations(browser, site, tmp_path, viewport, lang):
    with open_page(browser, site + lang + SA, viewport, accept_downloads=True) as page:
        open_step(page)
        page.click("button[data-action=profile]")  # the problems list
        (tmp_path / "bad.yml").write_text("- x\n", encoding="utf-8")
        page.set_input_files("#vi-sa-yml", str(tmp_path / "bad.yml"))
        page.wait_for_function("document.getElementById('vi-sa-yml-msg').textContent.length > 0")
        at_rest(page)
        assert axe_violations(page) == []
        fill_profile(page, RATINGS, NOTES)
        download_profile(page, tmp_path)
        assert page.is_visible("#vi-sa-send")
        at_rest(page)
        assert axe_violations(page) == []
        assert sideways_overflow(page) <= 0
        assert offsite_requests(page, site) == []


@pytest.mark.parametrize("lang", ["", "/en"], ids=["sv", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_directory_with_profile_filters_set_has_no_wcag_violations(browser, site, viewport, lang):
    with open_page(browser, site + lang + DIRECTORY + "?profil=1&omrade=samverkan&niva=2", viewport) as page:
        ready(page)
        assert axe_violations(page) == []
        assert sideways_overflow(page) <= 0
